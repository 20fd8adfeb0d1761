"""A realistic workload driven through the use cases, and a dump of every read model."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from application.common.actor import SYSTEM
from tests.application.test_course_selection_read_models_rebuild import run_selection_workload
from tests.support import applicant


def run_workload(world: Any) -> dict[str, Any]:
    """Every kind of write the foundation offers, by the actors who make them."""
    c = world.container
    org, ids, adm = c.organisation, c.identity, c.admissions
    sysadmin, jiaowu = world.actor("sysadmin"), world.actor("jiaowu")
    xuanwu, gulou = world.actor("xuanwu"), world.actor("gulou")

    # Organisation: a new point, contact edits, disable and enable again.
    tp3 = org.register_teaching_point(sysadmin, "201", "苏州学习中心", "苏州市工业园区", "孙丽，何伟", "0512-62345678")
    org.edit_contact_details(xuanwu, world.tp["101"], "南京市玄武区珠江路1号", ["陈刚"], ["13812345678"], "人员调整")
    org.set_enabled(sysadmin, tp3, False, "暂停")
    org.set_enabled(sysadmin, tp3, True, "恢复")

    # Identity: staff added, edited, disabled, deleted; personal info and passwords.
    mentor = ids.register_staff(xuanwu, username="mentor1", name="吴导师", roles=["academic_mentor"], password="mentor123",
                                confirm_password="mentor123", teaching_point_id=None, mobile="13912340000")
    ids.edit_staff(xuanwu, mentor, "班主任", ["head_teacher", "academic_mentor"], "兼任")
    ids.set_enabled(xuanwu, mentor, False, "休假")
    ids.set_enabled(xuanwu, mentor, True)
    temp = ids.register_staff(sysadmin, username="temp1", name="临时", roles=["finance"], password="temp1234",
                              confirm_password="temp1234", teaching_point_id=None)
    ids.delete(sysadmin, temp, "录入错误")
    ids.edit_personal_info(gulou, name="周敏", gender="female", id_number=None, mobile="13700000000", email="zm@example.cn")
    ids.change_password(gulou, "secret123", "newpass1", "newpass1")
    ids.reset_password(sysadmin, world.accounts["caiwu"], "reset123", "reset123")

    # Admissions: a second batch, a changed period, programme offerings.
    sb2 = adm.register_study_batch(jiaowu, "2027S", "2027春")
    ab2 = adm.register_admission_batch(jiaowu, "A202703", "2027年春季招生", sb2, "2027-01-01", "2027-03-31")
    adm.change_admission_period(jiaowu, ab2, "2026-09-01", "2027-03-31", "提前开放")
    adm.set_programme_teaching_points(jiaowu, world.programmes["administration"], [world.tp["101"], world.tp["102"]])

    # Forms: entered, quick-registered and completed, approved singly and in a batch, rejected.
    forms_101 = [adm.enter_form(xuanwu, admission_batch_id=world.admission_batch, programme_id=world.programmes["accounting"],
                                applicant=applicant(s)) for s in range(1, 5)]
    forms_102 = [adm.enter_form(gulou, admission_batch_id=ab2, programme_id=world.programmes["administration"],
                                applicant=applicant(s, prior_level="高中")) for s in range(5, 8)]
    quick = adm.quick_register(SYSTEM, "张三", "13912345678", "会计", world.tp["101"])
    adm.complete_quick_registration(xuanwu, quick, admission_batch_id=world.admission_batch,
                                    programme_id=world.programmes["administration"],
                                    applicant=applicant(9, prior_level="高中", name="张三"))
    adm.quick_register(SYSTEM, "李四", "13912345679", "法学", None)  # left waiting
    first_number = adm.approve_form(jiaowu, forms_101[0], "同意")
    outcomes = adm.approve_forms(jiaowu, [*forms_101[1:3], *forms_102[:2], quick], "批量复审")
    adm.reject_form(jiaowu, forms_101[3], "材料不全")

    # A learner opens their portal account.
    ids.activate_learner_account(first_number, applicant(1)["id_number"], "learn123", "learn123")
    run_selection_workload(world, forms_101 + forms_102 + [quick])
    return {"tp3": tp3, "approved": 1 + sum(o.ok for o in outcomes), "forms": forms_101 + forms_102 + [quick]}


def dump_read_models(container: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every read-model table, rows sorted, values as text (so the dumps compare exactly)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with container.engine.connect() as conn:
        for projection in container.runner.projections:
            for table in projection.tables:
                rows = conn.execute(select(table)).tuples().all()
                out[table.name] = sorted(tuple(repr(v) for v in row) for row in rows)
    return out
