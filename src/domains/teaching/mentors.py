"""Academic mentors (学务导师分配, requirements/teaching.md §1).

"教学点管理人员需为每一位已生成学号的学生分配一位学务导师":
1. each learner with a student number has exactly one academic mentor — one MentorAssignment
   per learner, its id derived from the learner's, so a second one cannot exist;
2. a learner who moves to another teaching point needs a new one from the new teaching point —
   the assignment names the teaching point it was made for, and is no longer valid once the
   learner's teaching point differs (`is_valid_for`);
3. only an enabled (启用) academic mentor can be assigned; and only one of the learner's own
   teaching point.

The use case gathers the learner's and the mentor's facts (`LearnerFacts`, `StaffFacts`); the
rules read only them.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from eventsourcing.domain import event

from domains.shared.aggregate import DomainAggregate, key_id
from domains.shared.errors import DomainError
from domains.shared.values import require_aware
from domains.teaching.common import LearnerFacts, StaffFacts, check_learner

MENTOR_ROLE = "academic_mentor"


def check_mentor(mentor: StaffFacts, teaching_point_id: uuid.UUID) -> None:
    """The mentor is an academic mentor of the learner's teaching point, enabled."""
    if MENTOR_ROLE not in mentor.roles:
        raise DomainError("mentor_assignment.not_a_mentor", f"“{mentor.name}”不是学务导师，不能分配为学生的学务导师")
    if mentor.teaching_point_id != teaching_point_id:
        raise DomainError(
            "mentor_assignment.other_teaching_point", f"学务导师“{mentor.name}”不属于学生所在的教学点"
        )
    if not mentor.enabled:
        raise DomainError(
            "mentor_assignment.mentor_not_enabled", f"只能为学生分配“启用”状态的学务导师，“{mentor.name}”未启用"
        )


class MentorAssignment(DomainAggregate):
    @staticmethod
    def create_id(learner_id: uuid.UUID) -> uuid.UUID:
        return key_id("mentor_assignment", str(learner_id))

    @event("Assigned")
    def __init__(
        self, learner_id: uuid.UUID, teaching_point_id: uuid.UUID, mentor_id: uuid.UUID, assigned_at: datetime
    ) -> None:
        self.learner_id = learner_id
        self.teaching_point_id = teaching_point_id
        self.mentor_id = mentor_id
        self.assigned_at = assigned_at

    @classmethod
    def assign(cls, learner: LearnerFacts, mentor: StaffFacts, at: datetime) -> MentorAssignment:
        check_learner(learner)
        check_mentor(mentor, learner.teaching_point_id)
        return cls(
            learner_id=learner.learner_id, teaching_point_id=learner.teaching_point_id, mentor_id=mentor.account_id,
            assigned_at=require_aware(at),
        )

    def is_valid_for(self, teaching_point_id: uuid.UUID) -> bool:
        """Made for the learner's present teaching point (a transfer voids it)."""
        return self.teaching_point_id == teaching_point_id

    def reassign(self, learner: LearnerFacts, mentor: StaffFacts, at: datetime) -> None:
        """Another mentor; or, after a transfer, a mentor of the new teaching point (the same
        person only if the new teaching point is theirs)."""
        check_learner(learner)
        check_mentor(mentor, learner.teaching_point_id)
        if mentor.account_id == self.mentor_id and self.is_valid_for(learner.teaching_point_id):
            raise DomainError("mentor_assignment.unchanged", f"“{mentor.name}”已是该学生的学务导师")
        self._reassigned(
            teaching_point_id=learner.teaching_point_id, mentor_id=mentor.account_id,
            previous_mentor_id=self.mentor_id, assigned_at=require_aware(at),
        )

    @event("Reassigned")
    def _reassigned(
        self, teaching_point_id: uuid.UUID, mentor_id: uuid.UUID, previous_mentor_id: uuid.UUID, assigned_at: datetime
    ) -> None:
        self.teaching_point_id = teaching_point_id
        self.mentor_id = mentor_id
        self.assigned_at = assigned_at


def assign_mentor(
    existing: MentorAssignment | None, learner: LearnerFacts, mentor: StaffFacts, at: datetime
) -> MentorAssignment:
    """The learner's assignment after assigning `mentor`: a new one, or the existing one changed."""
    if existing is None:
        return MentorAssignment.assign(learner, mentor, at)
    existing.reassign(learner, mentor, at)
    return existing
