"""A course (课程) and the three facts of it that course selection depends on (requirements/curriculum.md §1):
its status (only "published" is selectable), a version in use, and an approved assessment
requirement (考核要求), which also says whether the course has a final exam (终考).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

from eventsourcing.domain import event

from domains.curriculum.levels import parse_levels
from domains.shared.aggregate import DomainAggregate
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.values import require_text

_CREDITS = re.compile(r"^(\d{1,2})(?:\.(\d))?$", re.ASCII)


def parse_credits(raw: str | int, field: str = "credits") -> int:
    """Credits in tenths (2.5 credits -> 25), like hours: fees per credit stay integer fen."""
    match = _CREDITS.match(str(raw).strip())
    tenths = int(match.group(1)) * 10 + int(match.group(2) or 0) if match else 0
    if not 0 < tenths <= 200:
        raise InvalidInput("course.credits_invalid", "学分须为0.1至20之间、最多一位小数的数", field=field)
    return tenths


class CourseStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"draft": "未发布", "published": "已发布", "closed": "已停用"}[self.value]


class AssessmentStatus(StrEnum):
    PENDING_REVIEW = "pending_review"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {"pending_review": "待审核", "approved": "审核通过", "rejected": "审核驳回"}[self.value]


class Course(DomainAggregate):
    @event("Registered")
    def __init__(self, code: str, name: str, credit_tenths: int, levels: list[str]) -> None:
        self.code = code
        self.name = name
        self.credit_tenths = credit_tenths
        self.levels = levels
        self.status = CourseStatus.DRAFT.value
        self.versions: list[str] = []
        self.version_in_use: str | None = None
        # The approved requirement stays in force while a newer one waits for review.
        self.approved_assessment: dict[str, object] | None = None
        self.submitted_assessment: dict[str, object] | None = None
        self.assessment_status: str | None = None

    @classmethod
    def register(cls, code: str, name: str, credits: str | int, levels: Iterable[str]) -> Course:
        return cls(
            code=require_text(code, "code", "课程代码", 30),
            name=require_text(name, "name", "课程名称", 60),
            credit_tenths=parse_credits(credits),
            levels=parse_levels(levels),
        )

    @property
    def course_status(self) -> CourseStatus:
        return CourseStatus(self.status)

    @property
    def is_published(self) -> bool:
        return self.course_status is CourseStatus.PUBLISHED

    @property
    def credits(self) -> str:
        whole, tenth = divmod(self.credit_tenths, 10)
        return f"{whole}.{tenth}" if tenth else str(whole)

    # -- status ------------------------------------------------------------------------------

    def publish(self) -> None:
        if self.is_published:
            raise DomainError("course.already_published", f"课程“{self.name}”已发布")
        self._published()

    @event("Published")
    def _published(self) -> None:
        self.status = CourseStatus.PUBLISHED.value

    def close(self) -> None:
        """Closing stops new selections; selections already made are not touched."""
        if not self.is_published:
            raise DomainError(
                "course.not_published", f"课程“{self.name}”未发布，当前状态为“{self.course_status.label}”"
            )
        self._closed()

    @event("Closed")
    def _closed(self) -> None:
        self.status = CourseStatus.CLOSED.value

    def change_levels(self, levels: Iterable[str]) -> None:
        parsed = parse_levels(levels)
        if parsed != self.levels:
            self._levels_changed(levels=parsed)

    @event("LevelsChanged")
    def _levels_changed(self, levels: list[str]) -> None:
        self.levels = levels

    # -- versions: several may exist, one is in use -------------------------------------------

    def add_version(self, version: str) -> None:
        label = require_text(version, "version", "课程版本", 30)
        if label in self.versions:
            raise DomainError("course.version_exists", f"课程“{self.name}”已有版本“{label}”")
        self._version_added(version=label)

    @event("VersionAdded")
    def _version_added(self, version: str) -> None:
        self.versions.append(version)

    def use_version(self, version: str) -> None:
        if version not in self.versions:
            raise DomainError("course.unknown_version", f"课程“{self.name}”没有版本“{version}”")
        if version == self.version_in_use:
            raise DomainError("course.version_already_in_use", f"课程“{self.name}”的版本“{version}”已在使用中")
        self._version_put_in_use(version=version)

    @event("VersionPutInUse")
    def _version_put_in_use(self, version: str) -> None:
        self.version_in_use = version

    # -- assessment requirement (考核要求), reviewed by academic affairs ------------------------

    def submit_assessment(self, includes_final_exam: bool, description: str) -> None:
        if self.assessment_status == AssessmentStatus.PENDING_REVIEW.value:
            raise DomainError(
                "course.assessment_pending", f"课程“{self.name}”的考核要求正在审核，不能再次提交"
            )
        self._assessment_submitted(
            includes_final_exam=bool(includes_final_exam),
            description=require_text(description, "description", "考核要求说明", 500),
        )

    @event("AssessmentRequirementSubmitted")
    def _assessment_submitted(self, includes_final_exam: bool, description: str) -> None:
        self.submitted_assessment = {"includes_final_exam": includes_final_exam, "description": description}
        self.assessment_status = AssessmentStatus.PENDING_REVIEW.value

    def _check_assessment_pending(self) -> None:
        if self.assessment_status != AssessmentStatus.PENDING_REVIEW.value:
            raise DomainError("course.no_assessment_pending", f"课程“{self.name}”没有待审核的考核要求")

    def approve_assessment(self) -> None:
        self._check_assessment_pending()
        self._assessment_approved()

    @event("AssessmentRequirementApproved")
    def _assessment_approved(self) -> None:
        self.approved_assessment = self.submitted_assessment
        self.submitted_assessment = None
        self.assessment_status = AssessmentStatus.APPROVED.value

    def reject_assessment(self, reason: str) -> None:
        self._check_assessment_pending()
        self._assessment_rejected(reason=require_text(reason, "reason", "驳回原因", 200))

    @event("AssessmentRequirementRejected")
    def _assessment_rejected(self, reason: str) -> None:
        self.submitted_assessment = None
        self.assessment_status = AssessmentStatus.REJECTED.value

    @property
    def has_approved_assessment(self) -> bool:
        return self.approved_assessment is not None

    @property
    def includes_final_exam(self) -> bool:
        """Only the approved requirement counts: a pending one may still be rejected."""
        return bool(self.approved_assessment and self.approved_assessment["includes_final_exam"])
