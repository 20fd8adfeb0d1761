"""Student numbers claimed with the learner they were issued to.

The claim (a `UniqueKey` of kind `learner_student_number`) is saved in the approval that issues
the number, so staff who enter a learner's full student number find the learner in the event
store, even when the read models run in a worker and have not reached the approval (ADR 0016).
"""

from __future__ import annotations

import uuid

from application.common.ports import EventStore
from domains.shared.aggregate import UniqueKey, key_id
from domains.shared.errors import InvalidInput, NotFound

STUDENT_NUMBER = "learner_student_number"


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
