"""The bulk use cases behind `eduledger bench` (ADR 0007) check each item exactly as their
one-at-a-time counterparts do, and a refused item never blocks the rest."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from application.admissions.projection import application_forms
from application.learners.projection import learners
from tests.support import applicant


def test_enter_forms_refuses_what_enter_form_refuses_and_enters_the_rest(world) -> None:  # type: ignore[no-untyped-def]
    adm, xuanwu = world.container.admissions, world.actor("xuanwu")
    where = {"admission_batch_id": world.admission_batch, "programme_id": world.programmes["accounting"]}
    adm.enter_form(xuanwu, applicant=applicant(1), **where)
    rows = [
        applicant(2),
        applicant(1),  # entered before
        applicant(3, prior_level="高中"),  # 专升本 needs a junior-college qualification
        applicant(4, id_number="320102199003150049"),  # bad check digit
        applicant(2, name="另一个人"),  # the same ID number as row 0, in the same chunk
        applicant(5),
        applicant(5, name="又一个人"),  # the same ID number as row 5, in another chunk
    ]
    outcomes = adm.enter_forms(xuanwu, applicants=rows, chunk=5, **where)
    assert [(o.row, o.ok, o.code) for o in outcomes] == [
        (0, True, None),
        (1, False, "application_id_number.taken"),
        (2, False, "applicant.prior_level_insufficient"),
        (3, False, "id_number.bad_check_digit"),
        (4, False, "application_id_number.taken"),
        (5, True, None),
        (6, False, "application_id_number.taken"),
    ]
    with world.container.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(application_forms)).scalar() == 3


def test_approve_forms_reports_each_form_and_admits_the_rest(world) -> None:  # type: ignore[no-untyped-def]
    adm, xuanwu, jiaowu = world.container.admissions, world.actor("xuanwu"), world.actor("jiaowu")
    where = {"admission_batch_id": world.admission_batch, "programme_id": world.programmes["accounting"]}
    first, second = (adm.enter_form(xuanwu, applicant=applicant(i), **where) for i in (1, 2))
    outcomes = adm.approve_forms(jiaowu, [first, uuid.uuid4(), first, second])
    # Refusals are reported as found, then the approvals of the chunk.
    assert [(o.form_id, o.ok, o.code) for o in outcomes][:2] == [
        (outcomes[0].form_id, False, "not_found"),
        (first, False, "applicant.already_learner"),  # listed twice: the second is refused
    ]
    assert [(o.form_id, o.ok) for o in outcomes][2:] == [(first, True), (second, True)]
    by_form = {(o.form_id, o.ok): o for o in outcomes}
    assert by_form[(first, True)].student_number and by_form[(second, True)].student_number
    again = adm.approve_forms(jiaowu, [first])
    assert [(o.ok, o.code) for o in again] == [(False, "application_form.not_awaiting_review")]
    with world.container.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(learners)).scalar() == 2
