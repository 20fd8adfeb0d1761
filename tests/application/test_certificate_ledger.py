"""The certificate ledger through its use cases, on a real event store and read models."""

from __future__ import annotations

import datetime
import threading
import uuid

import pytest

from application.common.queries import Page
from application.training.certificate_queries import (
    CertificateFilter,
    LedgerFilter,
    get_batch,
    get_certificate,
    ledger_view,
    list_certificates,
    list_ledgers,
    verify,
)
from domains.shared.errors import DomainError
from tests.training_ledger_support import training_world


@pytest.fixture
def tw(container):
    return training_world(container)


def view(tw, username, actor=None):
    actor = actor or tw.actor(username)
    with tw.container.engine.connect() as conn:
        return ledger_view(conn, actor, tw.accounts[username], 2026)


def test_a_trainee_applies_within_the_remaining_printable(tw):
    c = tw.container.certificate_ledgers
    a, b, lecture = tw.credit("zhangsan", ("课程思政建设", 30), ("在线教学设计", 22))[0:2] + tw.credit(
        "zhangsan", ("名师讲座", 1.5), kind="centre_lecture"
    )
    c.set_allowance(tw.actor("njnu_admin"), tw.accounts["zhangsan"], 2026, "50")
    before = view(tw, "zhangsan")
    assert before["remaining"] == "50.0" and before["pool_hours"] == "53.5" and before["max_selectable"] == "52.0"

    certificate_id = c.apply(tw.actor("zhangsan"), [a, b])

    after = view(tw, "zhangsan")
    assert after["remaining"] == "0.0" and after["consumed"] == "52.0"
    assert [i["source_id"] for i in after["pool"]] == [lecture]
    [record] = after["certificates"]
    assert record["id"] == certificate_id and record["serial"] == "WP2026-000001" and record["total_hours"] == "52.0"
    assert {i["title"] for i in record["items"]} == {"课程思政建设", "在线教学设计"}
    detail = next(d for d in after["hours_detail"] if d["source_id"] == a)
    assert detail["serial"] == "WP2026-000001"


def test_two_point_one_hours_over_is_refused_with_the_amounts(tw):
    c = tw.container.certificate_ledgers
    a, b = tw.credit("zhangsan", ("课程思政建设", 30), ("在线教学设计", 22.1))
    c.set_allowance(tw.actor("njnu_admin"), tw.accounts["zhangsan"], 2026, "50")
    with pytest.raises(DomainError) as info:
        c.apply(tw.actor("zhangsan"), [a, b])
    assert info.value.code == "certificate.exceeds_remaining"
    assert info.value.message == "所选学时 52.1 超出剩余可打印学时 50.0 加 2.0 学时的上限"
    assert view(tw, "zhangsan")["remaining"] == "50.0"


def certificate(tw, username, serial):
    actor = tw.actor(username)
    with tw.container.engine.connect() as conn:
        return get_certificate(conn, actor, serial=serial)


def issued(tw, username="zhangsan", hours=(("课程思政建设", 30), ("在线教学设计", 20))):
    c = tw.container.certificate_ledgers
    sources = tw.credit(username, *hours)
    admin = "njnu_admin" if tw.school_of[username] == tw.schools["南京师范大学"] else "seu_admin"
    c.set_allowance(tw.actor(admin), tw.accounts[username], 2026, "50")
    return c.apply(tw.actor(username), sources)


def test_a_name_error_is_reported_by_the_school_and_corrected_by_the_centre(tw):
    c = tw.container.certificate_ledgers
    certificate_id = issued(tw)
    c.report_error(tw.actor("njnu_admin"), certificate_id, "trainee_name", "张珊", "身份证姓名为张珊")
    waiting = certificate(tw, "wangpei", "WP2026-000001")
    assert waiting["has_open_report"] and waiting["open_report_wrong_value"] == "张三"
    assert waiting["trainee_name"] == "张三"  # unchanged until the centre corrects

    c.correct(tw.actor("wangpei"), certificate_id)

    now = certificate(tw, "zhangsan", "WP2026-000001")
    assert now["trainee_name"] == "张珊" and now["amendments"] == 1 and not now["has_open_report"]
    assert [(h["kind"], h["old_value"], h["new_value"]) for h in now["history"]] == [
        ("issued", None, None), ("reported", "张三", "张珊"), ("corrected", "张三", "张珊"),
    ]
    assert now["amendment_lines"][0].endswith("姓名 张三 → 张珊")
    # The hours consumed stay as they were.
    assert view(tw, "zhangsan")["consumed"] == "50.0"


def test_a_year_error_is_corrected_to_the_value_the_centre_gives(tw):
    c = tw.container.certificate_ledgers
    certificate_id = issued(tw)
    c.report_error(tw.actor("njnu_admin"), certificate_id, "year", "2025")
    c.correct(tw.actor("wangpei"), certificate_id, "2025")
    now = certificate(tw, "njnu_admin", "WP2026-000001")
    assert now["year"] == 2025 and now["charged_year"] == 2026
    with pytest.raises(DomainError) as info:
        c.correct(tw.actor("wangpei"), certificate_id, "2024")
    assert info.value.code == "certificate.no_open_report"


def test_only_the_school_reports_and_only_the_centre_corrects(tw):
    c = tw.container.certificate_ledgers
    certificate_id = issued(tw)
    with pytest.raises(DomainError) as info:
        c.report_error(tw.actor("zhangsan"), certificate_id, "trainee_name", "张珊")
    assert info.value.kind == "forbidden"
    with pytest.raises(DomainError) as info:
        c.report_error(tw.actor("seu_admin"), certificate_id, "trainee_name", "张珊")
    assert info.value.kind == "not_found"  # another school's certificate
    c.report_error(tw.actor("njnu_admin"), certificate_id, "trainee_name", "张珊")
    with pytest.raises(DomainError) as info:
        c.correct(tw.actor("njnu_admin"), certificate_id)
    assert info.value.kind == "forbidden"
    c.decline_report(tw.actor("wangpei"), certificate_id, "与身份证一致，无需更正")
    assert certificate(tw, "njnu_admin", "WP2026-000001")["trainee_name"] == "张三"


def test_an_issued_certificate_cannot_be_revoked(tw):
    certificate_id = issued(tw)
    for who in ("zhangsan", "njnu_admin", "wangpei"):
        with pytest.raises(DomainError) as info:
            tw.container.certificate_ledgers.revoke(tw.actor(who), certificate_id)
        assert info.value.code == "certificate.irrevocable"
    assert view(tw, "zhangsan")["certificates"][0]["serial"] == "WP2026-000001"


def test_trainees_and_schools_see_only_their_own(tw):
    issued(tw)
    lisi, seu, njnu, centre = (tw.actor(u) for u in ("lisi", "seu_admin", "njnu_admin", "wangpei"))
    with tw.container.engine.connect() as conn:
        with pytest.raises(DomainError):
            ledger_view(conn, lisi, tw.accounts["zhangsan"], 2026)
        with pytest.raises(DomainError):
            ledger_view(conn, seu, tw.accounts["zhangsan"], 2026)
        assert list_certificates(conn, seu, Page(), CertificateFilter()).total == 0
        assert list_certificates(conn, njnu, Page(), CertificateFilter()).total == 1
        assert list_certificates(conn, centre, Page(), CertificateFilter(name="张")).total == 1
        assert list_certificates(conn, lisi, Page(), CertificateFilter()).total == 0


def test_verification_needs_the_code_from_the_certificate_and_shows_only_what_it_shows(tw):
    c = tw.container.certificate_ledgers
    certificate_id = issued(tw)
    url = c.verification_url(tw.actor("zhangsan"), certificate_id, "https://wp.example.edu.cn")
    assert url.startswith("https://wp.example.edu.cn/verify/WP2026-000001?code=")
    code = url.rsplit("=", 1)[1]
    c.report_error(tw.actor("njnu_admin"), certificate_id, "trainee_name", "张珊")
    c.correct(tw.actor("wangpei"), certificate_id)
    with tw.container.engine.connect() as conn:
        assert verify(conn, "WP2026-000001", None) == {"genuine": False, "serial": "WP2026-000001"}
        assert verify(conn, "WP2026-000001", "ABCDEFGHJKLM")["genuine"] is False
        assert verify(conn, "WP2026-000002", code)["genuine"] is False
        shown = verify(conn, "wp2026-000001", code.lower())
    assert shown["genuine"] and shown["trainee_name"] == "张珊" and shown["total_hours"] == "50.0"
    assert shown["school_name"] == "南京师范大学" and len(shown["amendments"]) == 1
    assert set(shown) == {
        "genuine", "status", "serial", "trainee_name", "school_name", "year", "total_hours", "items", "issued_on",
        "amendments",
    }


def race(*calls):
    """Run the calls at once on threads; each one's result or domain error."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except DomainError as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_applications_racing_for_the_same_hours_one_wins_nothing_is_consumed_twice(tw):
    c = tw.container.certificate_ledgers
    sources = tw.credit("zhangsan", ("课程思政建设", 30), ("在线教学设计", 20))
    c.set_allowance(tw.actor("njnu_admin"), tw.accounts["zhangsan"], 2026, "100")
    actor = tw.actor("zhangsan")
    results = race(lambda: c.apply(actor, sources), lambda: c.apply(actor, sources))
    won = [r for r in results if isinstance(r, uuid.UUID)]
    lost = [r for r in results if isinstance(r, DomainError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].kind == "conflict"  # 409: the ledger changed, or the items are already on a certificate
    v = view(tw, "zhangsan")
    assert v["consumed"] == "50.0" and len(v["certificates"]) == 1 and v["pool"] == []
    assert v["certificates"][0]["id"] == won[0]


def test_two_trainees_applying_at_once_both_get_a_certificate_with_distinct_serials(tw):
    c = tw.container.certificate_ledgers
    a = tw.credit("zhangsan", ("课程思政建设", 30))
    b = tw.credit("lisi", ("在线教学设计", 20))
    for who in ("zhangsan", "lisi"):
        c.set_allowance(tw.actor("njnu_admin"), tw.accounts[who], 2026, "50")
    results = race(lambda: c.apply(tw.actor("zhangsan"), a), lambda: c.apply(tw.actor("lisi"), b))
    assert all(isinstance(r, uuid.UUID) for r in results), results
    centre = tw.actor("wangpei")
    with tw.container.engine.connect() as conn:
        listed = list_certificates(conn, centre, Page(), CertificateFilter())
    assert sorted(i["serial"] for i in listed.items) == ["WP2026-000001", "WP2026-000002"]


def test_the_certificate_read_models_rebuild_to_the_live_tables(tw):
    from tests.application.workload import dump_read_models

    c = tw.container.certificate_ledgers
    certificate_id = issued(tw)
    tw.credit("zhangsan", ("名师讲座", 1.5), kind="centre_lecture")
    c.report_error(tw.actor("njnu_admin"), certificate_id, "year", "2025")
    c.correct(tw.actor("wangpei"), certificate_id)
    tw.credit("lisi", ("课程思政建设", 10))
    c.set_allowance(tw.actor("njnu_admin"), tw.accounts["lisi"], 2026, "50")
    job_id = c.start_batch(tw.actor("njnu_admin"))
    c.run(job_id)
    live = dump_read_models(tw.container)
    for table in ("rm_certificate_ledgers", "rm_certificate_ledger_items", "rm_certificate_ledger_years",
                  "rm_certificates", "rm_certificate_history", "rm_certificate_batches"):
        assert live[table], table
    tw.container.runner.rebuild(["certificate_ledger"])
    assert dump_read_models(tw.container) == live


def test_hours_earned_by_learning_reach_the_pool_and_a_certificate(tw):
    """A centre course completed in full (every chapter watched through, the summary submitted)
    and a centre lecture attended in full are credited by the learning side; school-based courses
    never are."""
    from domains.training.resources import TrainingCourse

    t = tw.container.training
    centre = tw.actor("wangpei")
    course_id = t.learning.publish_course(
        centre, kind="centre", title="课程思政建设", tenths=25, summary_prompt="写一份课程思政设计",
        chapters=[{"title": "导论", "duration_seconds": 600}, {"title": "方法", "duration_seconds": 300}],
    )
    trainee = tw.actor("zhangsan")
    t.learning.sign_up(trainee, [course_id])
    course = tw.store.get(course_id)
    assert isinstance(course, TrainingCourse)
    for chapter in course.chapters:
        t.learning.report_watched(trainee, course_id, chapter["id"], [[0, chapter["duration_seconds"]]])
    from application.training.ledgers import find_ledger

    assert find_ledger(tw.store, tw.accounts["zhangsan"]) is None  # the summary assignment is still missing
    t.learning.submit_summary(trainee, course_id, "本课程的课程思政设计：" + "思政" * 20)
    lecture_id = t.lectures.schedule(centre, origin="centre", school_id=None, title="名师讲座", speaker="王教授",
                                     starts_at="2026-09-10T19:00:00+08:00", duration_minutes=90)
    t.lectures.sign_up(trainee, lecture_id)
    tw.container.clock.at = datetime.datetime(2026, 9, 10, 21, 0, tzinfo=datetime.UTC)  # after the lecture
    t.lectures.record_full_attendance(centre, lecture_id, tw.accounts["zhangsan"])

    pool = view(tw, "zhangsan")["pool"]
    assert sorted((i["title"], i["hours"], i["kind"]) for i in pool) == [
        ("名师讲座", "1.5", "centre_lecture"), ("课程思政建设", "2.5", "centre_course"),
    ]
    tw.container.certificate_ledgers.set_allowance(tw.actor("njnu_admin"), tw.accounts["zhangsan"], 2026, "2")
    tw.container.certificate_ledgers.apply(trainee, [i["source_id"] for i in pool])  # 4.0 = 2.0 + 2.0
    assert view(tw, "zhangsan")["certificates"][0]["total_hours"] == "4.0"


def test_downloads_at_once_are_each_recorded_and_deduct_nothing(tw):
    c = tw.container.certificate_ledgers
    certificate_id = issued(tw)
    actor = tw.actor("zhangsan")
    renderer = tw.container.certificate_renderer

    def download():
        return c.download(actor, certificate_id, "https://wp.example.edu.cn", renderer)

    results = race(download, download, download)
    assert all(isinstance(r, tuple) and r[1].startswith(b"%PDF") for r in results), results
    assert certificate(tw, "zhangsan", "WP2026-000001")["downloads"] == 3
    v = view(tw, "zhangsan")
    assert (v["consumed"], v["remaining"]) == ("50.0", "0.0")


def test_the_school_sets_allowances_before_the_first_hour_is_earned(tw):
    c = tw.container.certificate_ledgers
    admin = tw.actor("njnu_admin")
    with tw.container.engine.connect() as conn:
        listed = list_ledgers(conn, admin, Page(), 2026, LedgerFilter())
    assert sorted((i["username"], i["allowance_set"], i["pool_hours"]) for i in listed.items) == [
        ("lisi", False, "0.0"), ("zhangsan", False, "0.0"),
    ]
    c.set_allowance(admin, tw.accounts["zhangsan"], 2026, "50")
    assert c.set_allowances(admin, [tw.accounts["zhangsan"], tw.accounts["lisi"]], 2026, "50") == {
        "changed": 1, "unchanged": 1,
    }
    with pytest.raises(DomainError) as info:
        c.set_allowance(admin, tw.accounts["wangwu"], 2026, "50")  # another school's trainee
    assert info.value.kind == "not_found"
    with pytest.raises(DomainError) as info:
        c.set_allowance(admin, tw.accounts["njnu_admin"], 2026, "50")  # not a trainee
    assert info.value.kind == "not_found"
    assert view(tw, "lisi")["remaining"] == "50.0" and view(tw, "lisi")["pool"] == []
    [a] = tw.credit("zhangsan", ("课程思政建设", 30))
    c.apply(tw.actor("zhangsan"), [a])
    assert view(tw, "zhangsan")["remaining"] == "20.0"
    # A batch for a trainee without hours says so.
    job_id = c.start_batch(admin, [tw.accounts["lisi"]])
    c.run(job_id)
    with tw.container.engine.connect() as conn:
        job = get_batch(conn, admin, job_id)
    assert [(r["ok"], r["code"]) for r in job["trainees"]] == [(False, "certificate_batch.empty_pool")]


def test_the_serial_sequence_loads_from_a_snapshot_after_many_certificates(tw):
    from domains.training.ledger import CertificateSerialSequence

    c = tw.container.certificate_ledgers
    c.set_allowance(tw.actor("njnu_admin"), tw.accounts["zhangsan"], 2026, "500")
    actor = tw.actor("zhangsan")
    for n in range(60):
        [source] = tw.credit("zhangsan", (f"微课{n}", 0.5))
        c.apply(actor, [source])
    sequence_id = CertificateSerialSequence.create_id(2026)
    snapshots = list(tw.container.log.snapshots.get(sequence_id))
    assert snapshots and snapshots[-1].originator_version == 50
    assert tw.store.get(sequence_id).last == 60
    assert view(tw, "zhangsan")["certificates"][0]["serial"] == "WP2026-000060"
