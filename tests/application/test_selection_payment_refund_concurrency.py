"""Concurrent commands of course selection, payment and refunds: one winner, a 409 for the
other, never a lost or doubled event."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from application.curriculum.service import Curriculum
from application.enrolment.projection import enrollments
from application.finance.projection import bills
from domains.enrolment.enrollment import Enrollment
from domains.shared.errors import DomainError
from infrastructure.audit_chain import verify_log
from interfaces.http.errors import STATUS_BY_KIND
from tests.application.test_concurrent_commands_on_one_aggregate import RaceAtSave, run_together, stored_versions
from tests.support import applicant


def catalogue(world: Any) -> dict[str, Any]:
    c = world.container
    cur: Curriculum = c.curriculum
    jiaowu, caiwu = world.actor("jiaowu"), world.actor("caiwu")
    course = cur.register_course(jiaowu, "01234", "管理会计", "4", ["本科"])
    cur.publish_course(jiaowu, course)
    cur.add_course_version(jiaowu, course, "2026版")
    cur.use_course_version(jiaowu, course, "2026版")
    cur.submit_assessment(jiaowu, course, True, "终考")
    cur.approve_assessment(jiaowu, course)
    cur.add_programme_course(jiaowu, world.programmes["accounting"], course, 1)
    cur.register_selection_batch(jiaowu, code="X1", name="秋季选课", selection_starts_on="2026-09-01",
                                 selection_ends_on="2026-09-30", course_ids=[course])
    cur.register_exam_batch(jiaowu, code="K1", name="1月考试", registration_starts_on="2026-09-01",
                            registration_ends_on="2026-10-15", course_ids=[course])
    cur.set_fee_standard(caiwu, "undergraduate", 15900, 4000)
    xuanwu = world.actor("xuanwu")
    form = c.admissions.enter_form(xuanwu, admission_batch_id=world.admission_batch,
                                   programme_id=world.programmes["accounting"], applicant=applicant(1))
    c.admissions.approve_form(jiaowu, form)
    return {"course": course, "learner": c.store.get(form).learner_id, "xuanwu": xuanwu}


def count(c: Any, table: Any) -> int:
    with c.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def loser(results: list[tuple[str, Any]], *codes: str) -> DomainError:
    wins = [v for outcome, v in results if outcome == "ok"]
    losses = [v for outcome, v in results if outcome == "error"]
    assert len(wins) == 1 and len(losses) == 1, results
    assert isinstance(losses[0], DomainError) and losses[0].code in codes, losses
    assert STATUS_BY_KIND[losses[0].kind] == 409
    return losses[0]


def test_two_selections_of_one_course_for_one_learner_give_one_enrollment(world):
    c = world.container
    w = catalogue(world)
    with RaceAtSave(c.store, 2):
        results = run_together(
            lambda: c.enrolment.select_courses(w["xuanwu"], w["learner"], [w["course"]]),
            lambda: c.enrolment.select_courses(w["xuanwu"], w["learner"], [w["course"]]),
        )
    loser(results, "concurrency.conflict", "enrollment.already_selected")
    enrollment_id = Enrollment.create_id(w["learner"], w["course"])
    assert stored_versions(c, enrollment_id) == [1]
    # The loser's bills were in its failed atomic write: only the winner's two exist.
    assert count(c, enrollments) == 1 and count(c, bills) == 2
    assert len(c.store.get(enrollment_id).bill_ids) == 2


def test_the_same_payment_request_sent_twice_at_once_starts_one_payment(world):
    c = world.container
    w = catalogue(world)
    selection = c.enrolment.select_courses(w["xuanwu"], w["learner"], [w["course"]])
    with RaceAtSave(c.store, 2):
        results = run_together(
            lambda: c.finance.pay_online(w["xuanwu"], "same-key-0001", selection.bill_ids),
            lambda: c.finance.pay_online(w["xuanwu"], "same-key-0001", selection.bill_ids),
        )
    assert [outcome for outcome, _ in results] == ["ok", "ok"], results
    started = [v for _, v in results]
    assert started[0].payment_id == started[1].payment_id
    assert sorted(s.replayed for s in started) == [False, True]
    assert stored_versions(c, started[0].payment_id) == [1]


def test_a_concurrent_approval_and_cancellation_of_one_refund_give_one_winner(world):
    c = world.container
    w = catalogue(world)
    jiaowu, caiwu = world.actor("jiaowu"), world.actor("caiwu")
    selection = c.enrolment.select_courses(w["xuanwu"], w["learner"], [w["course"]])
    slip = c.finance.remit(w["xuanwu"], selection.bill_ids)
    c.finance.confirm_remittance(caiwu, slip)
    refund_id = c.enrolment.drop_courses(w["xuanwu"], selection.enrollment_ids, "错选").refund_ids[0]

    with RaceAtSave(c.store, 2):
        results = run_together(
            lambda: c.finance.approve_drop(jiaowu, refund_id, "同意"),
            lambda: c.finance.cancel_drop(w["xuanwu"], refund_id, "撤销"),
        )
    loss = loser(results, "concurrency.conflict", "refund.not_cancellable", "refund.not_pending_academic_review")
    refund = c.store.get(refund_id)
    enrollment = c.store.get(selection.enrollment_ids[0])
    assert refund.version == 2 and stored_versions(c, refund_id) == [1, 2]
    if results[0][0] == "ok":  # the approval won: the request stays open, study stops
        assert refund.status == "pending_finance_review" and enrollment.drop_request_id == refund_id
    else:  # the cancellation won: the request closed with it, in the same write
        assert refund.status == "cancelled" and enrollment.drop_request_id is None
    assert loss.code in ("concurrency.conflict", "refund.not_cancellable", "refund.not_pending_academic_review")
    with c.engine.connect() as conn:
        row = conn.execute(select(enrollments.c.refund_status, enrollments.c.may_study)).one()
    assert row.refund_status == (refund.status if refund.status != "cancelled" else None)
    assert row.may_study == (refund.status == "cancelled")
    assert verify_log(c.engine)[1] == []
