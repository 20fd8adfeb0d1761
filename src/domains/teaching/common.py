"""What the teaching-support rules need to know about a learner, and shared checks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from domains.shared.errors import DomainError

ENROLLED = "enrolled"


@dataclass(frozen=True)
class LearnerFacts:
    learner_id: uuid.UUID
    name: str
    student_number: str | None
    teaching_point_id: uuid.UUID
    status: str


def check_learner(learner: LearnerFacts) -> None:
    """Mentors, classes and exam sites are for enrolled (在籍) learners who have a student number."""
    if not learner.student_number:
        raise DomainError("learner.no_student_number", f"学生“{learner.name}”尚未生成学号")
    if learner.status != ENROLLED:
        raise DomainError("learner.not_enrolled", f"学生“{learner.name}”（{learner.student_number}）不是在籍状态")



@dataclass(frozen=True)
class StaffFacts:
    """A staff account as the rules need it: its roles, teaching point and status."""

    account_id: uuid.UUID
    name: str
    roles: frozenset[str]
    teaching_point_id: uuid.UUID | None
    status: str

    @property
    def enabled(self) -> bool:
        return self.status == "enabled"
