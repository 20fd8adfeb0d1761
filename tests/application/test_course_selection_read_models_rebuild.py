"""The course-selection part of the shared workload (course selection, bills and drops), driven through the use cases,
and its own rebuild check: every course-selection read model rebuilt from the log equals the live one."""

from __future__ import annotations

from typing import Any

from application.curriculum.projection import CurriculumProjection
from application.enrolment.projection import EnrolmentProjection
from application.exams.projection import ExamsProjection
from application.finance.projection import FinanceProjection

SELECTION_READ_MODELS = (CurriculumProjection, EnrolmentProjection, ExamsProjection, FinanceProjection)


def run_selection_workload(world: Any, forms: list[Any]) -> dict[str, Any]:
    """Called by `run_workload` after admissions: the curriculum is maintained, courses listed,
    batches opened and fee standards set."""
    c = world.container
    cur = c.curriculum
    jiaowu, caiwu = world.actor("jiaowu"), world.actor("caiwu")

    def course(code: str, name: str, credits: str, levels: list[str], final_exam: bool) -> Any:
        cid = cur.register_course(jiaowu, code, name, credits, levels)
        cur.publish_course(jiaowu, cid)
        cur.add_course_version(jiaowu, cid, "2025版")
        cur.add_course_version(jiaowu, cid, "2026版")
        cur.use_course_version(jiaowu, cid, "2026版")
        cur.submit_assessment(jiaowu, cid, final_exam, "形考与终考")
        cur.approve_assessment(jiaowu, cid, "同意")
        return cid

    accounting = course("01234", "管理会计", "4", ["本科"], True)
    systems = course("01235", "会计信息系统", "2.5", ["本科"], False)
    writing = course("02001", "公文写作", "3", ["本科", "专科"], True)
    draft = cur.register_course(jiaowu, "09001", "未发布课程", "2", ["专科"])
    cur.submit_assessment(jiaowu, draft, True, "待定")
    cur.reject_assessment(jiaowu, draft, "缺少终考比例")
    closed = course("09002", "停开课程", "1", ["本科"], False)
    cur.close_course(jiaowu, closed, "停开")
    cur.change_course_levels(jiaowu, draft, ["本科", "专科"])

    programme = world.programmes["accounting"]
    cur.add_programme_course(jiaowu, programme, accounting, 1)
    cur.add_programme_course(jiaowu, programme, systems, 2)
    cur.add_programme_course(jiaowu, programme, writing, 1)
    cur.add_programme_course(jiaowu, programme, closed, 3)
    cur.move_programme_course(jiaowu, programme, systems, 1)
    cur.remove_programme_course(jiaowu, programme, closed)
    cur.add_programme_course(jiaowu, world.programmes["administration"], writing, 1)

    everything = [accounting, systems, writing]
    selection = cur.register_selection_batch(
        jiaowu, code="X2026F", name="2026秋季选课", selection_starts_on="2026-08-25", selection_ends_on="2026-09-30",
        course_ids=[accounting, systems],
    )
    cur.change_selection_periods(
        jiaowu, selection, selection_starts_on="2026-09-01", selection_ends_on="2026-09-30",
        drop_starts_on="2026-09-01", drop_ends_on="2026-10-31", reason="调整",
    )
    cur.add_batch_courses(jiaowu, selection, everything)
    exams = cur.register_exam_batch(
        jiaowu, code="K2027S", name="2027年1月考试", registration_starts_on="2026-09-01", registration_ends_on="2026-10-15",
        course_ids=[accounting, closed],
    )
    cur.add_batch_courses(jiaowu, exams, [writing, systems])
    cur.remove_batch_course(jiaowu, exams, closed)
    cur.change_exam_registration_period(
        jiaowu, exams, registration_starts_on="2026-09-01", registration_ends_on="2026-10-20", reason="延长"
    )
    cur.set_fee_standard(caiwu, "undergraduate", 15900, 4000)
    cur.set_fee_standard(caiwu, "junior_college", 12000, 3000)
    cur.set_fee_standard(caiwu, "undergraduate", 16000, 4000, "调价")

    # Selection, payment and drops by the learners admissions approved.
    enr, fin = c.enrolment, c.finance
    xuanwu, gulou = world.actor("xuanwu"), world.actor("gulou")
    learners = [c.store.get(f).learner_id for f in forms if getattr(c.store.get(f), "learner_id", None)]
    first, second, third, junior = _pick(c, world, learners)
    one = enr.select_courses(xuanwu, first, [accounting, systems])
    two = enr.select_courses(xuanwu, second, [accounting])
    three = enr.select_courses(xuanwu, third, [accounting, writing])
    enr.select_courses(gulou, junior, [writing])  # a course of both levels: the lower standard

    def bills_of(selection: Any, course: Any) -> list[Any]:
        return [b for b in selection.bill_ids if c.store.get(b).course_id == course]

    slip = fin.remit(xuanwu, one.bill_ids, "BK001")
    fin.confirm_remittance(caiwu, slip, "已到账")
    rejected = fin.remit(xuanwu, two.bill_ids)
    fin.reject_remittance(caiwu, rejected, "未到账")
    started = fin.pay_online(xuanwu, "workload-pay-0002", two.bill_ids)
    fin.pay_online(xuanwu, "workload-pay-0002", two.bill_ids)  # a retried request
    gateway = fin.gateway
    notice = gateway.notice(started.payment_id.hex, started.amount_fen, transaction_id="TX0002")  # type: ignore[attr-defined]
    fin.gateway_notice(notice)
    fin.gateway_notice(notice)  # a retried callback
    failed = fin.pay_online(xuanwu, "workload-pay-0003", bills_of(three, accounting))
    fin.gateway_notice(gateway.notice(failed.payment_id.hex, failed.amount_fen, succeed=False))  # type: ignore[attr-defined]

    # Drops: unpaid at once (then selected again); paid through the chain to every end.
    writing_enrollment = three.enrollment_ids[1]
    enr.drop_courses(xuanwu, [writing_enrollment], "错选")
    enr.select_courses(xuanwu, third, [writing])
    refunded = enr.drop_courses(xuanwu, [one.enrollment_ids[0]], "转专业").refund_ids[0]
    fin.approve_drop(jiaowu, refunded, "同意")
    fin.approve_refund(caiwu, refunded, "同意退费")
    fin.mark_refunded(caiwu, refunded, "TK001")
    withdrawn = enr.drop_courses(xuanwu, [one.enrollment_ids[1]]).refund_ids[0]
    fin.cancel_drop(xuanwu, withdrawn, "不退了")
    academic_no = enr.drop_courses(xuanwu, two.enrollment_ids).refund_ids[0]
    fin.reject_drop(jiaowu, academic_no, "已开始学习")
    finance_no = enr.drop_courses(xuanwu, two.enrollment_ids).refund_ids[0]
    fin.approve_drop(jiaowu, finance_no)
    fin.reject_refund(caiwu, finance_no, "超过退费期限")
    return {"courses": everything, "selection_batch": selection, "exam_batch": exams}


def _pick(c: Any, world: Any, learners: list[Any]) -> tuple[Any, Any, Any, Any]:
    """Three accounting learners of 玄武 and one junior-college learner of 鼓楼."""
    def of(tp: str, programme: str) -> list[Any]:
        return [lid for lid in learners if c.store.get(lid).teaching_point_id == world.tp[tp]
                and c.store.get(lid).programme_id == world.programmes[programme]]

    accounting = of("101", "accounting")
    return accounting[0], accounting[1], accounting[2], of("102", "administration")[0]


def test_selection_read_models_rebuild_equal_to_live(world):
    from tests.application.workload import dump_read_models, run_workload  # it imports this module

    c = world.container
    run_workload(world)
    live = dump_read_models(c)
    names = [p.name for p in c.runner.projections if isinstance(p, SELECTION_READ_MODELS)]
    assert len(names) == len(SELECTION_READ_MODELS)
    tables = [t.name for p in c.runner.projections if isinstance(p, SELECTION_READ_MODELS) for t in p.tables]
    assert [t for t in tables if not live[t]] == []  # the workload reached every course-selection table
    c.runner.rebuild(names)
    assert dump_read_models(c) == live
