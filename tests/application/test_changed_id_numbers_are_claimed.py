"""An ID number changed by an approved record change is claimed like the one the learner was
admitted with: never another learner's, and the one the learner opens the portal account with."""

from __future__ import annotations

from typing import Any

from tests.application.test_record_changes import code_of
from tests.application.test_status_changes import admit
from tests.conftest import PASSWORD
from tests.support import applicant, make_id_number


def _activate(world: Any, number: str, id_number: str) -> Any:
    return world.container.identity.activate_learner_account(
        student_number=number, id_number=id_number, password=PASSWORD, confirm_password=PASSWORD,
    )


def test_a_changed_id_number_is_never_another_learners_and_opens_the_account(world):
    c = world.container
    lid, number = admit(world, 1)
    _, _ = admit(world, 2)
    xuanwu, jiaowu = world.actor("xuanwu"), world.actor("jiaowu")
    taken = applicant(2)["id_number"]

    rid = c.learner_records.request_change(xuanwu, lid, {"id_number": taken}, "证件号码有误", [])
    assert code_of(lambda: c.learner_records.approve(jiaowu, lid, rid)) == "learner_record.id_number_taken"
    assert c.store.get(lid).personal["id_number"] == applicant(1)["id_number"]  # nothing applied
    c.learner_records.reject(jiaowu, lid, rid, "号码属于另一名学生")

    new = make_id_number(birth="19921105", seq=7)
    rid = c.learner_records.request_change(xuanwu, lid, {"id_number": new}, "证件号码有误", [])
    c.learner_records.approve(jiaowu, lid, rid)
    assert code_of(lambda: _activate(world, number, applicant(1)["id_number"])) == "learner_account.no_match"
    assert _activate(world, number, new) is not None
