"""Learners found by their student number or ID number, in the event store.

Each number is claimed (a `UniqueKey`) in the save that gives it to the learner: the student
number in the approval that issues it, the ID number at admission and with each corrected ID
number. A use case that is given a number finds the learner through the claim, even when the
read models run in a worker and have not reached that save yet (ADR 0016).
"""

from __future__ import annotations

import uuid

from application.common.ports import EventStore
from domains.learners.learner import Learner
from domains.shared.aggregate import UniqueKey, key_id
from domains.shared.errors import InvalidInput, NotFound

STUDENT_NUMBER = "learner_student_number"
ID_NUMBER = "learner_id_number"


def student_number_claim(number: str, learner_id: uuid.UUID) -> UniqueKey:
    return UniqueKey(kind=STUDENT_NUMBER, key=number, owner_id=learner_id)


def learner_id_by_number(store: EventStore, student_number: str, learner_id: uuid.UUID | None = None) -> uuid.UUID:
    """The learner with exactly this student number (staff acting for a learner enter the full
    number); when a learner was also chosen, the number must be theirs."""
    claim = store.find(key_id(STUDENT_NUMBER, student_number))
    if not isinstance(claim, UniqueKey):
        raise NotFound("not_found", f"没有学号为{student_number}的学生，请输入完整的学号")
    if learner_id is not None and learner_id != claim.owner_id:
        raise InvalidInput("learner.number_mismatch", "学号与所选学生不一致", field="student_number")
    return claim.owner_id


def learners_by_id_number(store: EventStore, id_numbers: list[str]) -> dict[str, tuple[uuid.UUID, uuid.UUID]]:
    """Learner id and teaching point of each (upper-case) ID number that is a learner's current
    one (a corrected ID number keeps its old claim, which no longer finds the learner)."""
    claims = store.find_many([key_id(ID_NUMBER, n) for n in id_numbers])
    owners = {}
    for number in id_numbers:
        claim = claims.get(key_id(ID_NUMBER, number))
        if isinstance(claim, UniqueKey):
            owners[number] = claim.owner_id
    found = store.find_many(list(owners.values()))
    result = {}
    for number, owner in owners.items():
        learner = found.get(owner)
        if isinstance(learner, Learner) and str(learner.personal.get("id_number", "")).upper() == number:
            result[number] = (learner.id, learner.teaching_point_id)
    return result
