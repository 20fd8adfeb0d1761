"""Each learner's default exam site (为学生分配考点, requirements/teaching.md §3).

"学生入学后，教学点管理人员需……为每一位学生分配一个常用考点。……如果学生工作、家庭地点发生变化，
可在此调整考点。如果学生转了教学点，则转入的教学点需为学生分配新的考点。"

One ExamSiteAssignment per learner (its id derived from the learner's). Exam sites themselves
(维护考点, requirements/exams.md §1) are recorded later with the exams; until then the assignment keeps the site's
code and name as the teaching point enters them. Like the mentor, the site is the teaching
point's: once the learner's teaching point differs, the learner needs a new one.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from eventsourcing.domain import event

from domains.shared.aggregate import DomainAggregate, key_id
from domains.shared.errors import DomainError
from domains.shared.values import require_aware, require_text
from domains.teaching.common import LearnerFacts, check_learner


def parse_site(code: str | None, name: str | None) -> tuple[str, str]:
    return (
        require_text(code, "site_code", "考点代码", 20),
        require_text(name, "site_name", "考点名称", 60),
    )


class ExamSiteAssignment(DomainAggregate):
    @staticmethod
    def create_id(learner_id: uuid.UUID) -> uuid.UUID:
        return key_id("exam_site_assignment", str(learner_id))

    @event("Assigned")
    def __init__(
        self, learner_id: uuid.UUID, teaching_point_id: uuid.UUID, site_code: str, site_name: str, assigned_at: datetime
    ) -> None:
        self.learner_id = learner_id
        self.teaching_point_id = teaching_point_id
        self.site_code = site_code
        self.site_name = site_name
        self.assigned_at = assigned_at

    @classmethod
    def assign(cls, learner: LearnerFacts, site_code: str | None, site_name: str | None, at: datetime) -> ExamSiteAssignment:
        code, name = parse_site(site_code, site_name)
        check_learner(learner)
        return cls(
            learner_id=learner.learner_id, teaching_point_id=learner.teaching_point_id, site_code=code, site_name=name,
            assigned_at=require_aware(at),
        )

    def is_valid_for(self, teaching_point_id: uuid.UUID) -> bool:
        """Assigned by the learner's present teaching point (a transfer voids it)."""
        return self.teaching_point_id == teaching_point_id

    def reassign(self, learner: LearnerFacts, site_code: str | None, site_name: str | None, at: datetime) -> None:
        code, name = parse_site(site_code, site_name)
        check_learner(learner)
        if (code, name) == (self.site_code, self.site_name) and self.is_valid_for(learner.teaching_point_id):
            raise DomainError("exam_site_assignment.unchanged", f"该学生的常用考点已是“{name}”（{code}）")
        self._reassigned(
            teaching_point_id=learner.teaching_point_id, site_code=code, site_name=name,
            previous_site_code=self.site_code, assigned_at=require_aware(at),
        )

    @event("Reassigned")
    def _reassigned(
        self, teaching_point_id: uuid.UUID, site_code: str, site_name: str, previous_site_code: str, assigned_at: datetime
    ) -> None:
        self.teaching_point_id = teaching_point_id
        self.site_code = site_code
        self.site_name = site_name
        self.assigned_at = assigned_at


def assign_exam_site(
    existing: ExamSiteAssignment | None, learner: LearnerFacts, site_code: str | None, site_name: str | None, at: datetime
) -> ExamSiteAssignment:
    if existing is None:
        return ExamSiteAssignment.assign(learner, site_code, site_name, at)
    existing.reassign(learner, site_code, site_name, at)
    return existing
