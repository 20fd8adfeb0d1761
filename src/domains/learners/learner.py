"""The Learner (学生) born from an approved application form, and student numbers (学号)."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from eventsourcing.domain import event

from domains.shared.aggregate import DomainAggregate, key_id
from domains.shared.errors import DomainError, InvalidInput


class LearnerStatus(StrEnum):
    ENROLLED = "enrolled"  # 在籍
    WITHDRAWN = "withdrawn"  # 已退学

    @property
    def label(self) -> str:
        return {"enrolled": "在籍", "withdrawn": "已退学"}[self.value]


class Learner(DomainAggregate):
    @event("Admitted")
    def __init__(
        self,
        student_number: str,
        application_form_id: uuid.UUID,
        teaching_point_id: uuid.UUID,
        programme_id: uuid.UUID,
        study_batch_id: uuid.UUID,
        admission_batch_id: uuid.UUID,
        personal: dict[str, Any],
    ) -> None:
        self.student_number = student_number
        self.application_form_id = application_form_id
        self.teaching_point_id = teaching_point_id
        self.programme_id = programme_id
        self.study_batch_id = study_batch_id
        self.admission_batch_id = admission_batch_id
        self.personal = personal
        self.status = LearnerStatus.ENROLLED.value

    @property
    def may_study(self) -> bool:
        return self.status == LearnerStatus.ENROLLED.value

    # -- status changes (学籍异动, requirements/learners.md §4) ----------------------------------------

    # The one open status-change request (a class default: learners admitted before have none).
    pending_status_change_id: uuid.UUID | None = None

    def check_may_request_status_change(self) -> None:
        if not self.may_study:
            raise DomainError(
                "status_change.learner_not_enrolled",
                f"学生学籍状态为“{LearnerStatus(self.status).label}”，不能申请学籍异动",
            )
        if self.pending_status_change_id is not None:
            raise DomainError(
                "status_change.already_pending", "该学生已有一个未处理完的学籍异动申请，须待其处理完毕或撤销后再申请"
            )

    def open_status_change(self, status_change_id: uuid.UUID, kind: str) -> None:
        """One open request per learner: a second one is refused (and a concurrent one
        conflicts on this aggregate's version in the atomic save)."""
        self.check_may_request_status_change()
        self._status_change_opened(status_change_id=status_change_id, kind=kind)

    @event("StatusChangeOpened")
    def _status_change_opened(self, status_change_id: uuid.UUID, kind: str) -> None:
        self.pending_status_change_id = status_change_id

    def _check_open(self, status_change_id: uuid.UUID) -> None:
        if self.pending_status_change_id != status_change_id:
            raise DomainError("status_change.not_open", "该学籍异动申请不是学生当前未处理的申请")

    def close_status_change(self, status_change_id: uuid.UUID, outcome: str) -> None:
        """The open request was rejected or cancelled: the learner may ask again."""
        self._check_open(status_change_id)
        self._status_change_closed(status_change_id=status_change_id, outcome=outcome)

    @event("StatusChangeClosed")
    def _status_change_closed(self, status_change_id: uuid.UUID, outcome: str) -> None:
        self.pending_status_change_id = None

    def transfer_teaching_point(self, status_change_id: uuid.UUID, teaching_point_id: uuid.UUID) -> None:
        """转教学点 approved: the learner belongs to the new teaching point from now on."""
        self._check_open(status_change_id)
        self._teaching_point_transferred(
            status_change_id=status_change_id,
            from_teaching_point_id=self.teaching_point_id,
            teaching_point_id=teaching_point_id,
        )

    @event("TeachingPointTransferred")
    def _teaching_point_transferred(
        self, status_change_id: uuid.UUID, from_teaching_point_id: uuid.UUID, teaching_point_id: uuid.UUID
    ) -> None:
        self.teaching_point_id = teaching_point_id
        self.pending_status_change_id = None

    def change_programme(self, status_change_id: uuid.UUID, programme_id: uuid.UUID) -> None:
        """转专业 approved: the learner studies the new programme from now on."""
        self._check_open(status_change_id)
        self._programme_changed(
            status_change_id=status_change_id, from_programme_id=self.programme_id, programme_id=programme_id
        )

    @event("ProgrammeChanged")
    def _programme_changed(
        self, status_change_id: uuid.UUID, from_programme_id: uuid.UUID, programme_id: uuid.UUID
    ) -> None:
        self.programme_id = programme_id
        self.pending_status_change_id = None

    def withdraw(self, status_change_id: uuid.UUID) -> None:
        """退学 approved: status 已退学, and the learner may no longer study."""
        self._check_open(status_change_id)
        self._withdrawn(status_change_id=status_change_id)

    @event("Withdrawn")
    def _withdrawn(self, status_change_id: uuid.UUID) -> None:
        self.status = LearnerStatus.WITHDRAWN.value
        self.pending_status_change_id = None

    # -- the learner record (学籍信息, requirements/learners.md §2) ----------------------------------------
    # Class defaults: learners admitted before have an unconfirmed record and their one chance left.

    record_status: str = "unconfirmed"
    record_confirmed: bool = False
    self_record_change_used: bool = False
    pending_record_change_id: uuid.UUID | None = None

    def change_contact_details(self, email: str | None, mobile: str) -> None:
        """联系方式 changed directly (no review), effective at once."""
        if email == self.personal.get("email") and mobile == self.personal.get("mobile"):
            raise DomainError("learner_record.contact_unchanged", "联系方式没有变化")
        self._contact_details_changed(email=email, mobile=mobile)

    @event("ContactDetailsChanged")
    def _contact_details_changed(self, email: str | None, mobile: str) -> None:
        self.personal = {**self.personal, "email": email, "mobile": mobile}

    def confirm_record(self) -> None:
        """The learner confirms the record as correct (已确认), once."""
        if self.record_confirmed:
            raise DomainError("learner_record.already_confirmed", "学籍信息已确认，无需再次确认")
        if self.pending_record_change_id is not None:
            raise DomainError("learner_record.pending_review", "学籍信息变更申请待学校审核，审核后再确认")
        self._record_confirmed()

    @event("RecordConfirmed")
    def _record_confirmed(self) -> None:
        self.record_confirmed = True
        self.record_status = "confirmed"

    def check_may_request_record_change(self, by_learner: bool) -> None:
        if self.pending_record_change_id is not None:
            raise DomainError(
                "learner_record.pending_review", "该学生已有一个待审核的学籍信息变更申请，须待学校审核后再申请"
            )
        if by_learner and self.self_record_change_used:
            raise DomainError(
                "learner_record.self_request_used", "您已使用过一次申请修改学籍信息的机会，如需修改请联系教学点"
            )
        if by_learner and self.record_confirmed:
            raise DomainError(
                "learner_record.already_confirmed", "您已确认学籍信息无误，不能再自行申请修改，如需修改请联系教学点"
            )

    def open_record_change(self, record_change_id: uuid.UUID, by_learner: bool) -> None:
        """One request awaits review at a time (a concurrent one conflicts on this aggregate's
        version); the learner's own request uses up their one chance, whatever its outcome."""
        self.check_may_request_record_change(by_learner)
        self._record_change_opened(record_change_id=record_change_id, by_learner=by_learner)

    @event("RecordChangeOpened")
    def _record_change_opened(self, record_change_id: uuid.UUID, by_learner: bool) -> None:
        self.pending_record_change_id = record_change_id
        self.self_record_change_used = self.self_record_change_used or by_learner
        self.record_status = "pending_review"

    def _check_record_change(self, record_change_id: uuid.UUID) -> None:
        if self.pending_record_change_id != record_change_id:
            raise DomainError("learner_record.not_pending", "该学籍信息变更申请不是学生当前待审核的申请")

    def apply_record_change(self, record_change_id: uuid.UUID, changes: dict[str, Any]) -> None:
        """审核通过: the basic information / prior education take the requested values."""
        self._check_record_change(record_change_id)
        self._record_change_approved(record_change_id=record_change_id, changes=dict(changes))

    @event("RecordChangeApproved")
    def _record_change_approved(self, record_change_id: uuid.UUID, changes: dict[str, Any]) -> None:
        self.personal = {**self.personal, **changes}
        self.pending_record_change_id = None
        self.record_status = "approved"

    def refuse_record_change(self, record_change_id: uuid.UUID) -> None:
        """审核驳回: the record stays as it was."""
        self._check_record_change(record_change_id)
        self._record_change_rejected(record_change_id=record_change_id)

    @event("RecordChangeRejected")
    def _record_change_rejected(self, record_change_id: uuid.UUID) -> None:
        self.pending_record_change_id = None
        self.record_status = "rejected"


DEFAULT_PATTERN = "{year2}{school}{teaching_point}{seq:05d}"


class StudentNumberSequence(DomainAggregate):
    """Issues student numbers for one (year, teaching point); a number is never reused.

    Numbers come from a configurable pattern of year, school code, teaching-point code and a
    sequence. Issuing a block of numbers is one event, so a batch approval stays one write.
    """

    @staticmethod
    def create_id(year: int, teaching_point_code: str) -> uuid.UUID:
        return key_id("student_number_sequence", f"{year}:{teaching_point_code}")

    @event("Started")
    def __init__(self, year: int, teaching_point_code: str, school_code: str, pattern: str) -> None:
        self.year = year
        self.teaching_point_code = teaching_point_code
        self.school_code = school_code
        self.pattern = pattern
        self.last = 0

    @classmethod
    def start(
        cls, year: int, teaching_point_code: str, school_code: str, pattern: str = DEFAULT_PATTERN
    ) -> StudentNumberSequence:
        try:
            pattern.format(year=year, year2=year % 100, school=school_code, teaching_point="", seq=1)
        except (KeyError, IndexError, ValueError) as exc:
            raise InvalidInput("student_number.pattern_invalid", f"学号格式无效：{exc}") from None
        return cls(year=year, teaching_point_code=teaching_point_code, school_code=school_code, pattern=pattern)

    def issue(self, count: int = 1) -> list[str]:
        if count < 1:
            raise InvalidInput("student_number.count_invalid", "学号数量须大于0")
        first = self.last + 1
        self._issued(first=first, count=count)
        return [self.format(n) for n in range(first, first + count)]

    @event("Issued")
    def _issued(self, first: int, count: int) -> None:
        self.last = first + count - 1

    def format(self, seq: int) -> str:
        return self.pattern.format(
            year=self.year,
            year2=self.year % 100,
            school=self.school_code,
            teaching_point=self.teaching_point_code,
            seq=seq,
        )
