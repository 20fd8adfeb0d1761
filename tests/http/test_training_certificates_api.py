"""The certificate ledger through the HTTP API on a real database: applications at the tolerance
edges, the school's allowances and error reports, the centre's corrections, racing applications,
batch generation as a background job, and the public verification."""

from __future__ import annotations

import threading
import time
from typing import Any

from tests.http.api_helpers import API, ok, problem

LEDGERS = f"{API}/certificate-ledgers"
CERTS = f"{API}/certificates"
BATCHES = f"{API}/certificate-batches"


def set_allowance(client, who, tw, username, hours="50", admin="njnu_admin"):
    return ok(client.put(f"{LEDGERS}/{tw.accounts[username]}/allowances/2026", json={"hours": hours}, headers=who(admin)))


def test_a_trainee_sees_the_pool_and_applies_at_exactly_plus_two_hours(client, tw, who):
    a, b = tw.credit("zhangsan", ("课程思政建设", 30), ("在线教学设计", 22))
    lecture = tw.credit("zhangsan", ("名师讲座", 1.5), kind="centre_lecture")[0]
    mine = ok(client.get(f"{LEDGERS}/me", headers=who("zhangsan")))
    assert (mine["allowance_set"], mine["remaining"], mine["pool_hours"]) == (False, "0.0", "53.5")
    assert {i["kind_label"] for i in mine["pool"]} == {"网培中心课程", "网培中心直播讲座"}

    shown = set_allowance(client, who, tw, "zhangsan")
    assert (shown["allowance"], shown["remaining"], shown["max_selectable"]) == ("50.0", "50.0", "52.0")

    cert = ok(client.post(CERTS, json={"source_ids": [str(a), str(b)]}, headers=who("zhangsan")), 201)
    assert (cert["serial"], cert["total_hours"], cert["trainee_name"], cert["school_name"]) == (
        "WP2026-000001", "52.0", "张三", "南京师范大学",
    )
    assert "verification_code" not in cert
    mine = ok(client.get(f"{LEDGERS}/me", headers=who("zhangsan")))
    assert (mine["remaining"], mine["consumed"]) == ("0.0", "52.0")
    assert [i["source_id"] for i in mine["pool"]] == [str(lecture)]
    assert [c["serial"] for c in mine["certificates"]] == ["WP2026-000001"]


def test_two_point_one_hours_over_is_refused_with_a_chinese_message_naming_the_amounts(client, tw, who):
    a, b = tw.credit("zhangsan", ("课程思政建设", 30), ("在线教学设计", 22.1))
    set_allowance(client, who, tw, "zhangsan")
    body = problem(client.post(CERTS, json={"source_ids": [str(a), str(b)]}, headers=who("zhangsan")), 409,
                   "certificate.exceeds_remaining")
    assert body["detail"] == "所选学时 52.1 超出剩余可打印学时 50.0 加 2.0 学时的上限"
    assert (body["selected"], body["remaining"]) == ("52.1", "50.0")
    assert ok(client.get(f"{LEDGERS}/me", headers=who("zhangsan")))["remaining"] == "50.0"


def test_bad_applications_are_refused_without_consuming_anything(client, tw, who):
    [a] = tw.credit("zhangsan", ("课程思政建设", 30))
    problem(client.post(CERTS, json={"source_ids": [str(a)]}, headers=who("zhangsan")), 409, "certificate.no_allowance")
    set_allowance(client, who, tw, "zhangsan")
    problem(client.post(CERTS, json={"source_ids": []}, headers=who("zhangsan")), 422, "certificate.nothing_selected")
    problem(client.post(CERTS, json={"source_ids": [str(a), str(a)]}, headers=who("zhangsan")), 422,
            "certificate.item_twice")
    problem(client.post(CERTS, json={"source_ids": ["x"]}, headers=who("zhangsan")), 422)
    [other] = tw.credit("lisi", ("别人的课程", 10))
    problem(client.post(CERTS, json={"source_ids": [str(other)]}, headers=who("zhangsan")), 409,
            "certificate.item_not_in_pool")
    problem(client.post(CERTS, json={"source_ids": [str(a)]}, headers=who("njnu_admin")), 403)
    problem(client.post(CERTS, json={"source_ids": [str(a)]}), 401)
    assert ok(client.get(f"{LEDGERS}/me", headers=who("zhangsan")))["certificates"] == []


def test_allowances_are_the_schools_own(client, tw, who):
    tw.credit("zhangsan", ("课程思政建设", 30))
    tw.credit("wangwu", ("课程思政建设", 30))
    problem(client.put(f"{LEDGERS}/{tw.accounts['wangwu']}/allowances/2026", json={"hours": "50"},
                       headers=who("njnu_admin")), 404)
    problem(client.put(f"{LEDGERS}/{tw.accounts['zhangsan']}/allowances/2026", json={"hours": "50"},
                       headers=who("zhangsan")), 403)
    problem(client.put(f"{LEDGERS}/{tw.accounts['zhangsan']}/allowances/2026", json={"hours": "5.55"},
                       headers=who("njnu_admin")), 422, "hours.malformed")
    set_allowance(client, who, tw, "zhangsan")
    listed = ok(client.get(LEDGERS, params={"year": 2026}, headers=who("njnu_admin")))
    assert [(i["username"], i["allowance"], i["remaining"]) for i in listed["items"]] == [
        ("lisi", None, "0.0"), ("zhangsan", "50.0", "50.0"),  # every trainee of the school, hours or not
    ]
    assert ok(client.get(LEDGERS, params={"with_pool": "true"}, headers=who("njnu_admin")))["total"] == 1
    assert ok(client.get(LEDGERS, headers=who("wangpei")))["total"] == 3
    problem(client.get(f"{LEDGERS}/{tw.accounts['zhangsan']}", headers=who("seu_admin")), 404)
    problem(client.get(f"{LEDGERS}/{tw.accounts['zhangsan']}", headers=who("lisi")), 404)
    changed = ok(client.post(f"{LEDGERS}/allowances", json={
        "trainee_ids": [str(tw.accounts["zhangsan"])], "year": 2026, "hours": "60"}, headers=who("njnu_admin")))
    assert changed == {"changed": 1, "unchanged": 0}


def issued(client, tw, who, username="zhangsan"):
    sources = tw.credit(username, ("课程思政建设", 30), ("在线教学设计", 20))
    admin = "njnu_admin" if username != "wangwu" else "seu_admin"
    set_allowance(client, who, tw, username, admin=admin)
    return ok(client.post(CERTS, json={"source_ids": [str(s) for s in sources]}, headers=who(username)), 201)


def test_the_school_reports_a_name_error_and_the_centre_corrects_it(client, tw, who):
    serial = issued(client, tw, who)["serial"]
    problem(client.post(f"{CERTS}/{serial}/error-reports", json={"field": "trainee_name", "correct_value": "张珊"},
                        headers=who("seu_admin")), 404)
    reported = ok(client.post(f"{CERTS}/{serial}/error-reports", json={
        "field": "trainee_name", "correct_value": "张珊", "note": "身份证姓名为张珊"}, headers=who("njnu_admin")))
    assert reported["has_open_report"] and reported["open_report_field_label"] == "姓名"
    waiting = ok(client.get(CERTS, params={"open_report": "true"}, headers=who("wangpei")))
    assert [c["serial"] for c in waiting["items"]] == [serial]
    problem(client.post(f"{CERTS}/{serial}/correction", json={}, headers=who("njnu_admin")), 403)

    corrected = ok(client.post(f"{CERTS}/{serial}/correction", json={}, headers=who("wangpei")))
    assert corrected["trainee_name"] == "张珊" and corrected["amendments"] == 1
    assert [(h["kind_label"], h["old_value"], h["new_value"]) for h in corrected["history"]] == [
        ("生成证书", None, None), ("学校报告信息错误", "张三", "张珊"), ("网培中心更正并备案", "张三", "张珊"),
    ]
    problem(client.post(f"{CERTS}/{serial}/correction", json={}, headers=who("wangpei")), 409,
            "certificate.no_open_report")
    # The hours are untouched by the amendment.
    assert ok(client.get(f"{LEDGERS}/me", headers=who("zhangsan")))["consumed"] == "50.0"


def test_an_issued_certificate_cannot_be_revoked(client, tw, who):
    serial = issued(client, tw, who)["serial"]
    for username in ("zhangsan", "njnu_admin", "wangpei"):
        problem(client.delete(f"{CERTS}/{serial}", headers=who(username)), 409, "certificate.irrevocable")
    assert ok(client.get(f"{CERTS}/{serial}", headers=who("zhangsan")))["serial"] == serial


def test_public_verification_needs_the_code_and_shows_no_personal_data(client, tw, who):
    serial = issued(client, tw, who)["serial"]
    url = tw.container.certificate_ledgers.verification_url(tw.actor("zhangsan"), _certificate_id(tw, serial), "")
    code = url.rsplit("=", 1)[1]
    assert ok(client.get(f"{CERTS}/{serial}/verification")) == {"genuine": False, "serial": serial}
    assert ok(client.get(f"{CERTS}/{serial}/verification", params={"code": "ABCDEFGHJKLM"}))["genuine"] is False
    shown = ok(client.get(f"{CERTS}/{serial}/verification", params={"code": code}))
    assert shown["genuine"] and shown["trainee_name"] == "张三" and shown["amendments"] == []
    assert "zhangsan" not in str(shown) and "trainee_id" not in shown
    page = client.get(f"/verify/{serial}", params={"code": code})
    assert page.status_code == 200 and "证书真实有效" in page.text and "张三" in page.text
    missing = client.get(f"/verify/{serial}")
    assert missing.status_code == 200 and "未能验证" in missing.text and "张三" not in missing.text


def _certificate_id(tw, serial):
    from sqlalchemy import select

    from application.training.certificate_projection import certificates

    with tw.container.engine.connect() as conn:
        return conn.execute(select(certificates.c.id).where(certificates.c.serial == serial)).scalar_one()


def test_two_applications_racing_for_the_same_hours_one_wins_the_other_gets_409(client, tw, who):
    sources = [str(s) for s in tw.credit("zhangsan", ("课程思政建设", 30), ("在线教学设计", 20))]
    set_allowance(client, who, tw, "zhangsan", "100")
    headers = who("zhangsan")
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def apply() -> None:
        barrier.wait()
        statuses.append(client.post(CERTS, json={"source_ids": sources}, headers=headers).status_code)

    threads = [threading.Thread(target=apply) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201, 409]
    mine = ok(client.get(f"{LEDGERS}/me", headers=headers))
    assert (mine["consumed"], len(mine["certificates"]), mine["pool"]) == ("50.0", 1, [])


def wait_until_finished(client: Any, headers: dict[str, str], job_id: str, polls: int = 2000) -> dict[str, Any]:
    job: dict[str, Any] = {}
    for _ in range(polls):
        job = ok(client.get(f"{BATCHES}/{job_id}", headers=headers))
        if job["finished"]:
            return job
        time.sleep(0.01)
    raise AssertionError(f"the batch did not finish: {job.get('status')} {job.get('processed')}/{job.get('total')}")


def test_batch_generation_for_a_school_issues_within_the_allowance_and_nothing_twice(client, tw, who):
    tw.credit("zhangsan", ("课程思政建设", 30), ("在线教学设计", 18), ("教育技术", 5), ("课堂管理", 3))
    tw.credit("lisi", ("课程思政建设", 10))
    tw.credit("wangwu", ("另一所学校的课程", 10))
    for username in ("zhangsan", "lisi"):
        set_allowance(client, who, tw, username)
    admin = who("njnu_admin")
    started = ok(client.post(BATCHES, json={}, headers=admin), 202)
    job = wait_until_finished(client, admin, started["id"])
    assert (job["status_label"], job["total"], job["succeeded"], job["failed"]) == ("已完成", 2, 2, 0)
    results = {r["username"]: r for r in job["trainees"]}
    assert results["zhangsan"]["message"].startswith("已生成证书 WP2026-") and "51.0 学时" in results["zhangsan"]["message"]
    assert "10.0 学时" in results["lisi"]["message"]
    zhangsan = ok(client.get(f"{LEDGERS}/{tw.accounts['zhangsan']}", headers=admin))
    assert (zhangsan["consumed"], [i["title"] for i in zhangsan["pool"]]) == ("51.0", ["教育技术"])
    assert ok(client.get(f"{LEDGERS}/{tw.accounts['wangwu']}", headers=who("seu_admin")))["certificates"] == []

    # Again for the same trainees: nothing is issued twice.
    trainees = [str(tw.accounts["zhangsan"]), str(tw.accounts["lisi"])]
    again = wait_until_finished(client, admin, ok(client.post(BATCHES, json={"trainee_ids": trainees}, headers=admin), 202)["id"])
    assert (again["succeeded"], again["failed"]) == (0, 2)
    assert {r["code"] for r in again["trainees"]} == {"certificate.nothing_remaining", "certificate_batch.empty_pool"}
    assert ok(client.get(CERTS, headers=admin))["total"] == 2
    assert {b["id"] for b in ok(client.get(BATCHES, headers=admin))["items"]} == {again["id"], job["id"]}
    assert ok(client.get(BATCHES, headers=who("seu_admin")))["total"] == 0
    problem(client.get(f"{BATCHES}/{job['id']}", headers=who("seu_admin")), 404)
    problem(client.post(BATCHES, json={"trainee_ids": [str(tw.accounts["wangwu"])]}, headers=admin), 404)
    problem(client.post(BATCHES, json={}, headers=who("zhangsan")), 403)


def test_the_certificate_list_filters_and_exports_to_excel(client, tw, who):
    issued(client, tw, who, "zhangsan")
    issued(client, tw, who, "wangwu")
    centre = who("wangpei")
    assert ok(client.get(CERTS, headers=centre))["total"] == 2
    assert ok(client.get(CERTS, params={"training_school_id": str(tw.schools["东南大学"])}, headers=centre))["total"] == 1
    assert ok(client.get(CERTS, params={"name": "王"}, headers=centre))["items"][0]["trainee_name"] == "王五"
    assert ok(client.get(CERTS, params={"serial": "wp2026-000002"}, headers=centre))["total"] == 1
    assert ok(client.get(CERTS, params={"year": 2025}, headers=centre))["total"] == 0
    problem(client.get(CERTS, params={"issued_from": "yesterday"}, headers=centre), 422)
    r = client.get(f"{CERTS}/export.xlsx", headers=who("njnu_admin"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("证书编号", "姓名", "学校", "学时年份", "学时")
    assert [row[1] for row in rows[1:]] == ["张三"]
    problem(client.get(f"{CERTS}/export.xlsx", headers=who("zhangsan")), 403)


def test_downloading_twice_reprints_without_deducting_hours(client, tw, who):
    serial = issued(client, tw, who)["serial"]
    before = ok(client.get(f"{LEDGERS}/me", headers=who("zhangsan")))
    for _ in range(2):
        r = client.get(f"{CERTS}/{serial}/pdf", headers=who("zhangsan"))
        assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
        assert r.content.startswith(b"%PDF") and f"certificate-{serial}.pdf" in r.headers["content-disposition"]
    after = ok(client.get(f"{LEDGERS}/me", headers=who("zhangsan")))
    assert (after["consumed"], after["remaining"], after["pool_hours"]) == (
        before["consumed"], before["remaining"], before["pool_hours"],
    )
    shown = ok(client.get(f"{CERTS}/{serial}", headers=who("njnu_admin")))
    assert shown["downloads"] == 2
    # The school may print it for the trainee too; another school may not.
    assert client.get(f"{CERTS}/{serial}/pdf", headers=who("njnu_admin")).status_code == 200
    problem(client.get(f"{CERTS}/{serial}/pdf", headers=who("seu_admin")), 404)
    problem(client.get(f"{CERTS}/{serial}/pdf", headers=who("lisi")), 404)
    from application.audit.queries import history

    with tw.container.engine.connect() as conn:
        events = history(conn, _certificate_id(tw, serial))
    assert [(e["event_type"], e["event_label"]) for e in events][-3:] == [
        ("Downloaded", "下载/重新打印证书（不扣学时）"),
    ] * 3


def test_invalid_input_is_refused_never_a_500(client, tw, who):
    tw.credit("zhangsan", ("课程思政建设", 30))
    trainee = tw.accounts["zhangsan"]
    admin = who("njnu_admin")
    problem(client.get(CERTS, params={"year": 10**12}, headers=admin), 422)
    problem(client.get(f"{LEDGERS}/me", params={"year": 99999}, headers=who("zhangsan")), 422, "ledger.year_invalid")
    problem(client.get(LEDGERS, params={"year": -5}, headers=admin), 422)
    problem(client.put(f"{LEDGERS}/{trainee}/allowances/99999", json={"hours": "50"}, headers=admin), 422)
    problem(client.put(f"{LEDGERS}/{trainee}/allowances/2026", json={"hours": "²"}, headers=admin), 422)
    problem(client.put(f"{LEDGERS}/{trainee}/allowances/2026", json={"hours": "9" * 40}, headers=admin), 422)
    problem(client.put(f"{LEDGERS}/{trainee}/allowances/2026", json={"hours": "2000"}, headers=admin), 422,
            "ledger.allowance_invalid")
    problem(client.get(f"{CERTS}/{'X' * 500}", headers=admin), 404)
    assert ok(client.get(f"{CERTS}/{'X' * 500}/verification", params={"code": "y" * 300}))["genuine"] is False


def test_the_centre_sees_every_schools_ledgers_with_the_school_named(client, tw, who):
    tw.credit("zhangsan", ("课程思政建设", 30))
    tw.credit("wangwu", ("课程思政建设", 30))
    listed = ok(client.get(LEDGERS, headers=who("wangpei")))
    assert sorted((i["username"], i["school_name"], i["pool_hours"]) for i in listed["items"]) == [
        ("lisi", "南京师范大学", "0.0"), ("wangwu", "东南大学", "30.0"), ("zhangsan", "南京师范大学", "30.0"),
    ]
    one = ok(client.get(LEDGERS, params={"training_school_id": str(tw.schools["东南大学"])}, headers=who("wangpei")))
    assert [i["username"] for i in one["items"]] == ["wangwu"]


def test_auditors_read_every_ledger_and_certificate_and_change_nothing(client, tw, who, world, login):
    serial = issued(client, tw, who)["serial"]
    auditor = login("shenji")
    assert ok(client.get(CERTS, headers=auditor))["total"] == 1
    assert ok(client.get(f"{CERTS}/{serial}", headers=auditor))["serial"] == serial
    assert ok(client.get(f"{LEDGERS}/{tw.accounts['zhangsan']}", headers=auditor))["consumed"] == "50.0"
    problem(client.post(f"{CERTS}/{serial}/error-reports", json={"field": "year", "correct_value": "2025"},
                        headers=auditor), 403)
    problem(client.put(f"{LEDGERS}/{tw.accounts['zhangsan']}/allowances/2026", json={"hours": "60"}, headers=auditor), 403)
    assert client.get(f"{CERTS}/{serial}/pdf", headers=auditor).status_code == 200  # reading is not a download
    assert ok(client.get(f"{CERTS}/{serial}", headers=auditor))["downloads"] == 0
    # Staff of the open university's teaching points have no business here.
    problem(client.get(CERTS, headers=login("xuanwu")), 403)
