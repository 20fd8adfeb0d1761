"""An exam registration (报考): one learner, one course, one exam batch (requirements/exams.md §2).

  pending (待缴费) -> confirmed (报考成功)   on payment
  pending | confirmed -> cancelled (已取消)  on a drop of the course
  cancelled -> pending                      the course is selected again in the same batch, or a
                                            resit is registered for it (it takes that kind)

A final exam (终考) is registered with the course selection; a resit (补考) by the learner or the
teaching point, paid by its own exam-fee bill. A paid resit cannot be cancelled, not even by a
drop: the exam fee buys the sitting, not the course.

The id is derived from (learner, course, batch): one registration per sitting.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from eventsourcing.domain import event

from domains.shared.aggregate import DomainAggregate, key_id
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.values import require_aware


class RegistrationKind(StrEnum):
    FINAL = "final"
    RESIT = "resit"

    @property
    def label(self) -> str:
        return {"final": "终考", "resit": "补考"}[self.value]


class RegistrationStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"pending": "待缴费", "confirmed": "报考成功", "cancelled": "已取消"}[self.value]


class ExamRegistration(DomainAggregate):
    @staticmethod
    def create_id(learner_id: uuid.UUID, course_id: uuid.UUID, exam_batch_id: uuid.UUID) -> uuid.UUID:
        return key_id("exam_registration", f"{learner_id}:{course_id}:{exam_batch_id}")

    @event("Registered")
    def __init__(
        self,
        learner_id: uuid.UUID,
        course_id: uuid.UUID,
        exam_batch_id: uuid.UUID,
        teaching_point_id: uuid.UUID,
        kind: str,
        enrollment_id: uuid.UUID | None,
        registered_at: datetime,
    ) -> None:
        self.learner_id = learner_id
        self.course_id = course_id
        self.exam_batch_id = exam_batch_id
        self.teaching_point_id = teaching_point_id
        self.kind = kind
        self.enrollment_id = enrollment_id
        self.registered_at = registered_at
        self.status = RegistrationStatus.PENDING.value
        self.confirmed_at: datetime | None = None
        self.cancelled_at: datetime | None = None

    @classmethod
    def register_final(
        cls,
        learner_id: uuid.UUID,
        course_id: uuid.UUID,
        exam_batch_id: uuid.UUID,
        teaching_point_id: uuid.UUID,
        enrollment_id: uuid.UUID,
        at: datetime,
    ) -> ExamRegistration:
        """With the selection of a course whose assessment includes a final exam (requirements/exams.md §2.3)."""
        return cls(
            learner_id=learner_id,
            course_id=course_id,
            exam_batch_id=exam_batch_id,
            teaching_point_id=teaching_point_id,
            kind=RegistrationKind.FINAL.value,
            enrollment_id=enrollment_id,
            registered_at=require_aware(at),
        )

    @classmethod
    def register_resit(
        cls,
        learner_id: uuid.UUID,
        course_id: uuid.UUID,
        exam_batch_id: uuid.UUID,
        teaching_point_id: uuid.UUID,
        at: datetime,
    ) -> ExamRegistration:
        """The exam batch's registration period is checked by the batch (curriculum)."""
        return cls(
            learner_id=learner_id,
            course_id=course_id,
            exam_batch_id=exam_batch_id,
            teaching_point_id=teaching_point_id,
            kind=RegistrationKind.RESIT.value,
            enrollment_id=None,
            registered_at=require_aware(at),
        )

    @property
    def registration_status(self) -> RegistrationStatus:
        return RegistrationStatus(self.status)

    @property
    def registration_kind(self) -> RegistrationKind:
        return RegistrationKind(self.kind)

    @property
    def is_paid_resit(self) -> bool:
        return (
            self.registration_kind is RegistrationKind.RESIT
            and self.registration_status is RegistrationStatus.CONFIRMED
        )

    @property
    def cancellable(self) -> bool:
        return self.registration_status is not RegistrationStatus.CANCELLED and not self.is_paid_resit

    def confirm(self, at: datetime) -> None:
        """Payment succeeded: the learner will be scheduled in this batch."""
        if self.registration_status is RegistrationStatus.CONFIRMED:
            raise DomainError("exam_registration.already_confirmed", "该报考已确认")
        if self.registration_status is RegistrationStatus.CANCELLED:
            raise DomainError("exam_registration.cancelled", "该报考已取消，不能确认")
        self._confirmed(confirmed_at=require_aware(at))

    @event("Confirmed")
    def _confirmed(self, confirmed_at: datetime) -> None:
        self.confirmed_at = confirmed_at
        self.status = RegistrationStatus.CONFIRMED.value

    def cancel(self, reason: str, at: datetime) -> None:
        """`reason`: "course_dropped" (a drop in the drop period, requirements/exams.md §2.4) or "withdrawn"
        (a resit taken back before it is paid)."""
        if reason not in ("course_dropped", "withdrawn"):
            raise InvalidInput("exam_registration.cancel_reason_invalid", "取消原因无效", field="reason")
        if self.registration_status is RegistrationStatus.CANCELLED:
            raise DomainError("exam_registration.already_cancelled", "该报考已取消")
        if self.is_paid_resit:
            raise DomainError("exam_registration.paid_resit_not_cancellable", "补考已缴费，不允许取消报考")
        if reason == "withdrawn" and self.registration_kind is RegistrationKind.FINAL:
            # A final exam follows its course: it goes only when the course is dropped.
            raise DomainError("exam_registration.final_follows_selection", "终考随选课自动报考，只能通过退课取消")
        self._cancelled(reason=reason, cancelled_at=require_aware(at))

    @event("Cancelled")
    def _cancelled(self, reason: str, cancelled_at: datetime) -> None:
        self.cancelled_at = cancelled_at
        self.status = RegistrationStatus.CANCELLED.value

    def register_again(self, enrollment_id: uuid.UUID | None, at: datetime) -> None:
        """A cancelled registration revives when the course is selected again in the same batch
        (a final exam, with its selection) or a resit is registered for it (no selection): the
        sitting is one, its kind is whoever takes it up now."""
        if self.registration_status is not RegistrationStatus.CANCELLED:
            raise DomainError("exam_registration.already_registered", "该学生已报考此考试批次的这门课程")
        kind = RegistrationKind.FINAL if enrollment_id is not None else RegistrationKind.RESIT
        self._registered_again(enrollment_id=enrollment_id, registered_at=require_aware(at), kind=kind.value)

    @event("RegisteredAgain")
    def _registered_again(self, enrollment_id: uuid.UUID | None, registered_at: datetime, kind: str | None = None) -> None:
        # Events recorded before the kind was carried keep the registration's kind.
        self.kind = kind or self.kind
        self.enrollment_id = enrollment_id
        self.registered_at = registered_at
        self.confirmed_at = None
        self.cancelled_at = None
        self.status = RegistrationStatus.PENDING.value
