"""The course-selection part of the shared workload (issue 3), driven through the use cases,
and its own rebuild check: every issue-3 read model rebuilt from the log equals the live one."""

from __future__ import annotations

from typing import Any

from application.curriculum.projection import CurriculumProjection


def run_issue3_workload(world: Any, forms: list[Any]) -> dict[str, Any]:
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
    cur.add_batch_courses(jiaowu, exams, [writing])
    cur.remove_batch_course(jiaowu, exams, closed)
    cur.change_exam_registration_period(
        jiaowu, exams, registration_starts_on="2026-09-01", registration_ends_on="2026-10-20", reason="延长"
    )
    cur.set_fee_standard(caiwu, "undergraduate", 15900, 4000)
    cur.set_fee_standard(caiwu, "junior_college", 12000, 3000)
    cur.set_fee_standard(caiwu, "undergraduate", 16000, 4000, "调价")
    return {"courses": everything, "selection_batch": selection, "exam_batch": exams}


def test_issue3_read_models_rebuild_equal_to_live(world):
    from tests.application.workload import dump_read_models, run_workload  # it imports this module

    c = world.container
    run_workload(world)
    live = dump_read_models(c)
    names = [p.name for p in c.runner.projections if isinstance(p, CurriculumProjection)]
    assert names
    c.runner.rebuild(names)
    assert dump_read_models(c) == live
