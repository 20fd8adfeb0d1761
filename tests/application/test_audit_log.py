"""The audit-log read model behind the auditors' search and their log across records: a learner's
records found by 学号, 姓名 or 身份证号 (masked), a slip's by its number; the log filtered by
user, role, teaching point, kind and Beijing dates, newest first, every row in batches; a
rebuild gives the same answers as the live projection."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from application.audit.fields import BEIJING
from application.audit.log import log_page, log_rows, parse_filter
from application.audit.projection import audit_log, audit_subjects
from application.audit.search import search
from application.common.queries import Page
from domains.shared.errors import DomainError
from tests.admin.test_enrolment import pay
from tests.http.selection_support import learner, ready_catalogue, selected
from tests.support import make_id_number


@pytest.fixture
def paid(client, login, world) -> dict[str, Any]:
    """A learner of 玄武 (王小明1) who selected 管理会计 and whose two bills 玄武 paid by a slip
    that school finance confirmed."""
    cat = ready_catalogue(client, login, world)
    lid = learner(client, login, world, seq=1, name="王小明")
    sel = selected(client, login("xuanwu"), lid, cat.courses["01234"])
    bill_ids = [b["id"] for b in sel["bills"]]
    pay(client, login, bill_ids)
    with world.container.engine.connect() as conn:
        slip_id = conn.execute(
            select(audit_log.c.originator_id).where(audit_log.c.event_type == "Submitted",
                                                    audit_log.c.aggregate_type == "RemittanceSlip")
        ).scalar_one()
    slip = world.container.store.get(slip_id)
    return {
        "learner_id": uuid.UUID(lid), "bill_ids": {uuid.UUID(b) for b in bill_ids}, "slip": slip,
        "enrollment_id": uuid.UUID(sel["enrollments"][0]["id"]),
        "student_number": world.container.store.get(uuid.UUID(lid)).student_number,
    }


def _search(world, by: str, q: str):
    with world.container.engine.connect() as conn:
        return search(conn, by, q)


def _log(world, **params: str):
    with world.container.engine.connect() as conn:
        filters = parse_filter(conn, params)
        return log_page(conn, filters, Page(size=200)), list(log_rows(conn, filters, batch=7))


def test_a_learners_records_are_found_by_student_number_name_and_masked_id_number(world, paid):
    result = _search(world, "student_number", paid["student_number"])
    (match,) = result.matches
    assert match.kind == "learner" and paid["student_number"] in match.title
    kinds = [r.aggregate_type for r in match.records]
    assert kinds[:2] == ["ApplicationForm", "Learner"]  # oldest first: the form predates the learner
    assert {"Enrollment", "Bill", "ExamRegistration"} <= set(kinds)
    assert {r.id for r in match.records} >= {paid["learner_id"], paid["enrollment_id"], *paid["bill_ids"]}
    bill = next(r for r in match.records if r.aggregate_type == "Bill")
    assert bill.kind_label == "缴费单" and "管理会计" in bill.summary and " 元" in bill.summary
    assert bill.last_label == "汇款确认到账（已缴费）"

    by_id = _search(world, "id_number", make_id_number(seq=1).lower())  # typed with a lower-case x
    (same,) = by_id.matches
    assert [r.id for r in same.records] == [r.id for r in match.records]
    shown = dict(same.details)["身份证号"]
    assert "*" in shown and shown != make_id_number(seq=1) and shown[-4:] == make_id_number(seq=1)[-4:]

    assert [m.kind for m in _search(world, "name", "王小明").matches] == ["learner"]
    assert _search(world, "student_number", "000").matches == []


def test_a_slip_number_finds_the_slip_and_the_bills_it_paid(world, paid):
    (match,) = _search(world, "slip_number", paid["slip"].slip_number).matches
    assert match.kind == "slip" and dict(match.details)["金额"].endswith(" 元")
    assert match.records[0].id == paid["slip"].id and match.records[0].last_label == "确认到账"
    assert {r.id for r in match.records[1:]} == paid["bill_ids"]


def test_a_search_needs_a_kind_and_a_term(world):
    for by, q, code in (("", "1", "audit.search_kind_invalid"), ("name", "  ", "audit.search_empty"),
                        ("record_id", "not-an-id", "audit.record_id_invalid")):
        with pytest.raises(DomainError) as info:
            _search(world, by, q)
        assert info.value.code == code


def test_the_log_filters_by_user_role_teaching_point_kind_and_beijing_dates(world, paid):
    everything, rows = _log(world)
    with world.container.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(audit_log)).scalar_one()
    assert everything.total == total == len(rows)
    assert [(r["originator_id"], r["version"]) for r in rows] == [(r["originator_id"], r["version"]) for r in everything.items]
    times = [r["recorded_at"] for r in rows]
    assert times == sorted(times, reverse=True)

    finance, finance_rows = _log(world, user="caiwu")
    assert finance.total == len(finance_rows) > 0
    assert {r["actor_name"] for r in finance.items} == {"caiwu"} and {r["role_label"] for r in finance.items} == {"财务"}
    assert "RemittanceSlip.Confirmed" in {f"{r['aggregate_type']}.{r['event_type']}" for r in finance.items}
    by_id, _ = _log(world, actor_id=str(world.accounts["caiwu"]))
    assert by_id.total == finance.total
    assert _log(world, user="nobody-at-all")[0].total == 0

    paid_bills, _ = _log(world, kind="Bill.PaidByRemittance")
    assert {r["originator_id"] for r in paid_bills.items} == paid["bill_ids"]
    assert all(r["event_label"] == "汇款确认到账（已缴费）" for r in paid_bills.items)
    amounts = [f.text for r in _log(world, kind="Bill.Issued")[0].items for f in r["fields"] if f.name == "amount_fen"]
    assert sorted(amounts) == ["40.00 元", "636.00 元"]

    at_xuanwu, _ = _log(world, teaching_point_id=str(world.tp["101"]))
    assert at_xuanwu.total > 0 and {r["teaching_point_name"] for r in at_xuanwu.items} == {"玄武学习中心"}
    assert {r["role"] for r in _log(world, role="finance")[0].items} == {"finance"}

    # Beijing dates, both ends included: the day of the first event to the day of the last.
    first, last = (min(times).astimezone(BEIJING).date(), max(times).astimezone(BEIJING).date())
    assert _log(world, date_from=str(first), date_to=str(last))[0].total == total
    assert _log(world, date_to=str(first - timedelta(days=1)))[0].total == 0
    assert _log(world, date_from=str(last + timedelta(days=1)))[0].total == 0


def test_bad_log_filters_are_refused_naming_the_field(world):
    for params, field in (({"role": "pope"}, "role"), ({"kind": "Bill.Nothing"}, "kind"),
                          ({"date_from": "2026-13-01"}, "date_from"),
                          ({"date_from": "2026-09-02", "date_to": "2026-09-01"}, "date_to"),
                          ({"teaching_point_id": "x"}, "teaching_point_id"), ({"actor_id": "x"}, "actor_id")):
        with pytest.raises(DomainError) as info:
            _log(world, **params)
        assert info.value.details.get("field") == field, params


def test_a_rebuild_gives_the_same_log_and_the_same_records(world, paid):
    def snapshot() -> tuple[Any, ...]:
        with world.container.engine.connect() as conn:
            log = conn.execute(select(audit_log).order_by(audit_log.c.originator_id, audit_log.c.version)).all()
            subjects = conn.execute(select(audit_subjects).order_by(audit_subjects.c.subject_id,
                                                                    audit_subjects.c.originator_id)).all()
        found = _search(world, "student_number", paid["student_number"]).matches[0].records
        return log, subjects, [(r.id, r.versions, r.summary) for r in found]

    live = snapshot()
    world.container.runner.rebuild(["audit_log"])
    assert snapshot() == live


def test_dates_are_beijing_days(world):
    with world.container.engine.connect() as conn:
        day = parse_filter(conn, {"date_from": "2026-09-02", "date_to": "2026-09-02"})
    # 00:00 in Beijing is 16:00 UTC the day before; the end is the next Beijing midnight, excluded.
    assert day.since == datetime(2026, 9, 1, 16, 0, tzinfo=UTC)
    assert day.before == datetime(2026, 9, 2, 16, 0, tzinfo=UTC)


def test_dates_at_the_ends_of_the_calendar_are_refused_not_overflowed(world):
    with world.container.engine.connect() as conn:
        for params in ({"date_from": "0001-01-01"}, {"date_to": "9999-12-31"}):
            with pytest.raises(DomainError) as info:
                parse_filter(conn, params)
            assert info.value.code == "audit.date_out_of_range"


def test_a_certificate_number_finds_the_certificate_its_ledger_and_the_trainees_records(container):
    from application.training.certificate_projection import certificates
    from tests.application.test_certificate_ledger import issued
    from tests.training_ledger_support import training_world

    tw = training_world(container)
    certificate_id = issued(tw)
    with container.engine.connect() as conn:
        serial, ledger_id = conn.execute(
            select(certificates.c.serial, certificates.c.ledger_id).where(certificates.c.id == certificate_id)
        ).one()
        cert, trainee = search(conn, "certificate_serial", serial).matches
    assert cert.kind == "certificate" and dict(cert.details)["参训教师"] == "张三"
    assert [r.id for r in cert.records] == [certificate_id, ledger_id]
    assert [r.kind_label for r in cert.records] == ["证书", "学时账户"]
    assert trainee.kind == "account" and "张三" in trainee.title
    assert {"Account", "TrainingMember", "CertificateLedger", "Certificate"} <= {r.aggregate_type for r in trainee.records}
