"""Status changes (学籍异动, requirements/learners.md §4): transfer of teaching point (转教学点),
change of major (转专业) and withdrawal (退学).

  status                    Chinese    who moves it on                            cancel?
  pending_preliminary_review 待初审     the learner's teaching point approves/rejects  yes
  preliminarily_rejected    初审驳回    final                                       no
  pending_final_review      初审通过    academic affairs approves/rejects           yes
  approved                  复审通过    final: the learner's record changes          no
  rejected                  复审驳回    final                                       no
  cancelled                 已撤销      final                                       no

A learner's own request waits for the teaching point's preliminary review (初审); a request the
teaching point enters for its learner is already preliminarily approved (初审通过). The school's
academic affairs gives the final review. A learner has at most one open request at a time: the
Learner aggregate holds it, so a second request conflicts in the same atomic save. Final
approval changes the Learner in the same save: its teaching point, its programme (each of its
courses then records whether it counts for graduation in the new programme), or its status
(已退学, no more study).

The change-of-major window (转专业申请期) is a small aggregate academic affairs maintains.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
from functools import partial
from typing import Any

from eventsourcing.domain import event

from domains.admissions.batches import TrainingProgramme, parse_date
from domains.curriculum.programme_curriculum import ProgrammeCurriculum
from domains.enrolment.enrollment import Enrollment
from domains.learners.learner import Learner
from domains.organisation.teaching_point import TeachingPoint
from domains.shared.aggregate import DomainAggregate, key_id
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.values import (
    Role,
    check_role,
    optional_text,
    require_aware,
    require_text,
)


class StatusChangeKind(StrEnum):
    TRANSFER = "transfer"  # 转教学点
    CHANGE_OF_MAJOR = "change_of_major"  # 转专业
    WITHDRAWAL = "withdrawal"  # 退学

    @property
    def label(self) -> str:
        return {"transfer": "转教学点", "change_of_major": "转专业", "withdrawal": "退学"}[self.value]

    @classmethod
    def parse(cls, raw: str | None) -> StatusChangeKind:
        try:
            return cls((raw or "").strip())
        except ValueError:
            raise InvalidInput(
                "status_change.kind_invalid", "异动类型须为 transfer（转教学点）、change_of_major（转专业）或 withdrawal（退学）",
                field="kind",
            ) from None


class StatusChangeStatus(StrEnum):
    PENDING_PRELIMINARY_REVIEW = "pending_preliminary_review"
    PRELIMINARILY_REJECTED = "preliminarily_rejected"
    PENDING_FINAL_REVIEW = "pending_final_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def is_open(self) -> bool:
        return self in (S.PENDING_PRELIMINARY_REVIEW, S.PENDING_FINAL_REVIEW)


S = StatusChangeStatus
_LABELS = {
    S.PENDING_PRELIMINARY_REVIEW: "待初审",
    S.PRELIMINARILY_REJECTED: "初审驳回",
    S.PENDING_FINAL_REVIEW: "初审通过",
    S.APPROVED: "复审通过",
    S.REJECTED: "复审驳回",
    S.CANCELLED: "已撤销",
}

# The learner asks; the teaching point asks for its learner (then already 初审通过).
REQUESTER_ROLES = frozenset({Role.TEACHING_POINT_ADMIN, Role.LEARNER})
ATTACHMENT_TYPES = frozenset({"image/png", "image/jpeg", "application/pdf"})
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 10


_check_role = partial(check_role, code="status_change.role_not_allowed")


def _rejection_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("status_change.reason_required", "驳回须填写原因", field="reason")
    return require_text(text, "reason", "驳回原因", 200)



def attachment(ref: str, content_type: str, file_name: str | None, size: int) -> dict[str, Any]:
    """One proof file (证明材料) already checked by content and stored: its reference and type."""
    if content_type not in ATTACHMENT_TYPES:
        raise InvalidInput("status_change.attachment_type", "证明材料须为 PNG、JPG 或 PDF 文件", field="attachments")
    if size > ATTACHMENT_MAX_BYTES:
        raise InvalidInput("status_change.attachment_too_large", "每个证明材料不能超过 5 MB", field="attachments")
    name = (file_name or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "证明材料"
    return {"ref": ref, "content_type": content_type, "file_name": name[:100], "size": size}


def _attachments(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(items) > MAX_ATTACHMENTS:
        raise InvalidInput(
            "status_change.too_many_attachments", f"证明材料最多{MAX_ATTACHMENTS}个", field="attachments"
        )
    return [dict(a) for a in items]


class ChangeOfMajorWindow(DomainAggregate):
    """The school's change-of-major application period (转专业申请期), both days included; one
    for the school, set and moved by academic affairs."""

    @staticmethod
    def create_id() -> uuid.UUID:
        return key_id("change_of_major_window", "school")

    @event("Set")
    def __init__(self, opens_on: str, closes_on: str) -> None:
        self.opens_on = opens_on
        self.closes_on = closes_on

    @staticmethod
    def _period(opens_on: object, closes_on: object) -> tuple[date, date]:
        opens = parse_date(opens_on, "opens_on", "转专业申请期开始日期")  # type: ignore[arg-type]
        closes = parse_date(closes_on, "closes_on", "转专业申请期结束日期")  # type: ignore[arg-type]
        if closes < opens:
            raise InvalidInput(
                "change_of_major_window.period_invalid", "转专业申请期结束日期不能早于开始日期", field="closes_on"
            )
        return opens, closes

    @classmethod
    def set(cls, role: Role, opens_on: object, closes_on: object) -> ChangeOfMajorWindow:
        _check_role(role, Role.ACADEMIC_AFFAIRS, "设置转专业申请期")
        opens, closes = cls._period(opens_on, closes_on)
        return cls(opens_on=opens.isoformat(), closes_on=closes.isoformat())

    def change(self, role: Role, opens_on: object, closes_on: object) -> None:
        _check_role(role, Role.ACADEMIC_AFFAIRS, "设置转专业申请期")
        opens, closes = self._period(opens_on, closes_on)
        self._changed(opens_on=opens.isoformat(), closes_on=closes.isoformat())

    @event("Changed")
    def _changed(self, opens_on: str, closes_on: str) -> None:
        self.opens_on = opens_on
        self.closes_on = closes_on

    def is_open_on(self, today: date) -> bool:
        return date.fromisoformat(self.opens_on) <= today <= date.fromisoformat(self.closes_on)


def check_change_of_major_window(window: ChangeOfMajorWindow | None, today: date) -> None:
    if window is None:
        raise DomainError("status_change.no_change_of_major_window", "学校尚未设置转专业申请期，不能申请转专业")
    if not window.is_open_on(today):
        raise DomainError(
            "status_change.outside_change_of_major_window",
            f"不在转专业申请期内（{window.opens_on} 至 {window.closes_on}），不能申请转专业",
        )


def check_transfer_target(learner: Learner, programme: TrainingProgramme, target: TeachingPoint) -> None:
    """转教学点: to another, enabled teaching point that offers the learner's programme."""
    if target.id == learner.teaching_point_id:
        raise DomainError("status_change.same_teaching_point", "转入教学点不能是学生当前所在的教学点")
    if not target.enabled:
        raise DomainError("status_change.teaching_point_disabled", f"教学点“{target.name}”已停用，不能转入")
    if programme.id != learner.programme_id:
        raise DomainError("status_change.programme_mismatch", "培养方案不是学生当前的培养方案")
    if target.id not in programme.teaching_point_ids:
        raise DomainError(
            "status_change.programme_not_offered",
            f"教学点“{target.name}”未开设学生所在的培养方案“{programme.level}{programme.major}”，不能转入",
        )


def check_major_target(learner: Learner, current: TrainingProgramme, target: TrainingProgramme) -> None:
    """转专业: to another programme of the same level, offered at the learner's teaching point."""
    if current.id != learner.programme_id:
        raise DomainError("status_change.programme_mismatch", "培养方案不是学生当前的培养方案")
    if target.id == learner.programme_id:
        raise DomainError("status_change.same_programme", "转入专业不能是学生当前的培养方案")
    if target.level != current.level:
        raise DomainError(
            "status_change.level_differs",
            f"只能转入相同学历层次的专业（当前为{current.level}，所选为{target.level}）",
        )
    if learner.teaching_point_id not in target.teaching_point_ids:
        raise DomainError(
            "status_change.programme_not_offered",
            f"学生所在教学点未开设培养方案“{target.level}{target.major}”，不能转入",
        )


class StatusChange(DomainAggregate):
    @event("Requested")
    def __init__(
        self,
        learner_id: uuid.UUID,
        kind: str,
        teaching_point_id: uuid.UUID,
        programme_id: uuid.UUID,
        target_teaching_point_id: uuid.UUID | None,
        target_programme_id: uuid.UUID | None,
        reason: str,
        attachments: list[dict[str, Any]],
        droppable_enrollment_ids: list[uuid.UUID],
        requested_by_role: str,
        requested_at: datetime,
    ) -> None:
        self.learner_id = learner_id
        self.kind = kind
        self.teaching_point_id = teaching_point_id
        self.programme_id = programme_id
        self.target_teaching_point_id = target_teaching_point_id
        self.target_programme_id = target_programme_id
        self.reason = reason
        self.attachments = list(attachments)
        self.droppable_enrollment_ids = list(droppable_enrollment_ids)
        self.requested_by_role = requested_by_role
        self.requested_at = requested_at
        # Entered by the teaching point: already preliminarily approved (requirements/learners.md §4.2).
        by_learner = requested_by_role == Role.LEARNER.value
        self.status = (S.PENDING_PRELIMINARY_REVIEW if by_learner else S.PENDING_FINAL_REVIEW).value
        self.preliminary_comment: str | None = None
        self.final_comment: str | None = None
        self.reject_reason: str | None = None
        self.closed_at: datetime | None = None

    # -- requesting -------------------------------------------------------------------------------

    @classmethod
    def _request(
        cls,
        learner: Learner,
        kind: StatusChangeKind,
        role: Role,
        reason: str | None,
        attachments: Sequence[dict[str, Any]],
        at: datetime,
        *,
        target_teaching_point_id: uuid.UUID | None = None,
        target_programme_id: uuid.UUID | None = None,
        droppable_enrollment_ids: Sequence[uuid.UUID] = (),
    ) -> StatusChange:
        _check_role(role, REQUESTER_ROLES, "申请学籍异动")
        learner.check_may_request_status_change()
        change = cls(
            learner_id=learner.id,
            kind=kind.value,
            teaching_point_id=learner.teaching_point_id,
            programme_id=learner.programme_id,
            target_teaching_point_id=target_teaching_point_id,
            target_programme_id=target_programme_id,
            reason=require_text(reason, "reason", "异动原因", 200),
            attachments=_attachments(attachments),
            droppable_enrollment_ids=list(dict.fromkeys(droppable_enrollment_ids)),
            requested_by_role=role.value,
            requested_at=require_aware(at),
        )
        learner.open_status_change(change.id, kind.value)
        return change

    @classmethod
    def request_transfer(
        cls,
        learner: Learner,
        programme: TrainingProgramme,
        target: TeachingPoint,
        role: Role,
        reason: str | None,
        attachments: Sequence[dict[str, Any]],
        at: datetime,
    ) -> StatusChange:
        check_transfer_target(learner, programme, target)
        return cls._request(
            learner, StatusChangeKind.TRANSFER, role, reason, attachments, at, target_teaching_point_id=target.id
        )

    @classmethod
    def request_change_of_major(
        cls,
        learner: Learner,
        current: TrainingProgramme,
        target: TrainingProgramme,
        window: ChangeOfMajorWindow | None,
        today: date,
        role: Role,
        reason: str | None,
        attachments: Sequence[dict[str, Any]],
        at: datetime,
    ) -> StatusChange:
        check_change_of_major_window(window, today)
        check_major_target(learner, current, target)
        return cls._request(
            learner, StatusChangeKind.CHANGE_OF_MAJOR, role, reason, attachments, at, target_programme_id=target.id
        )

    @classmethod
    def request_withdrawal(
        cls,
        learner: Learner,
        droppable_enrollment_ids: Sequence[uuid.UUID],
        role: Role,
        reason: str | None,
        attachments: Sequence[dict[str, Any]],
        at: datetime,
    ) -> StatusChange:
        """The courses still inside their drop period are listed with the request, so they can
        be dropped through the normal drop flow; the request does not drop them itself."""
        return cls._request(
            learner, StatusChangeKind.WITHDRAWAL, role, reason, attachments, at,
            droppable_enrollment_ids=droppable_enrollment_ids,
        )

    # -- state --------------------------------------------------------------------------------------

    @property
    def change_status(self) -> StatusChangeStatus:
        return StatusChangeStatus(self.status)

    @property
    def change_kind(self) -> StatusChangeKind:
        return StatusChangeKind(self.kind)

    def _review(self, role: Role, reviewer: Role, expected: StatusChangeStatus, stage: str) -> None:
        """The reviewer of this stage (初审: the teaching point; 复审: academic affairs), while the
        request waits for it."""
        _check_role(role, reviewer, f"{stage}学籍异动申请")
        if self.change_status is not expected:
            raise DomainError(
                f"status_change.not_{expected.value}", f"学籍异动申请当前状态为“{self.change_status.label}”，不能{stage}"
            )

    def _refuse(
        self, role: Role, reviewer: Role, expected: StatusChangeStatus, stage: str, reason: str | None, at: datetime,
        learner: Learner, record: Any,
    ) -> None:
        """A rejection with its reason; the learner may ask again."""
        self._review(role, reviewer, expected, stage)
        self._check_learner(learner)
        record(reason=_rejection_reason(reason), rejected_at=require_aware(at))
        learner.close_status_change(self.id, self.status)

    def _check_learner(self, learner: Learner) -> None:
        if learner.id != self.learner_id:
            raise DomainError("status_change.learner_mismatch", "学生与学籍异动申请不一致")
        if learner.pending_status_change_id != self.id:
            raise DomainError("status_change.not_open", "该学籍异动申请不是学生当前未处理的申请")

    # -- preliminary review (初审) by the teaching point ----------------------------------------------

    def approve_preliminarily(self, role: Role, comment: str | None, at: datetime) -> None:
        self._review(role, Role.TEACHING_POINT_ADMIN, S.PENDING_PRELIMINARY_REVIEW, "初审")
        self._preliminarily_approved(
            comment=optional_text(comment, "comment", "初审意见", 200), approved_at=require_aware(at)
        )

    @event("PreliminarilyApproved")
    def _preliminarily_approved(self, comment: str | None, approved_at: datetime) -> None:
        self.preliminary_comment = comment
        self.status = S.PENDING_FINAL_REVIEW.value

    def reject_preliminarily(self, role: Role, reason: str | None, at: datetime, learner: Learner) -> None:
        self._refuse(
            role, Role.TEACHING_POINT_ADMIN, S.PENDING_PRELIMINARY_REVIEW, "初审", reason, at, learner,
            self._preliminarily_rejected,
        )

    @event("PreliminarilyRejected")
    def _preliminarily_rejected(self, reason: str, rejected_at: datetime) -> None:
        self.reject_reason = reason
        self.closed_at = rejected_at
        self.status = S.PRELIMINARILY_REJECTED.value

    # -- final review (复审) by the school's academic affairs ------------------------------------------

    def approve(
        self,
        role: Role,
        comment: str | None,
        at: datetime,
        learner: Learner,
        *,
        programme: TrainingProgramme | None = None,
        target_teaching_point: TeachingPoint | None = None,
        target_programme: TrainingProgramme | None = None,
        target_curriculum: ProgrammeCurriculum | None = None,
        enrollments: Sequence[Enrollment] = (),
    ) -> None:
        """The rules are checked again on today's state, then the learner's record changes in
        the same save: teaching point, programme, or status 已退学. A change of major also
        tells each of the learner's courses (`enrollments`, all of them) whether it counts for
        graduation in the new programme — listed in its course list (`target_curriculum`, None
        when it has none yet) — or keeps only its grade."""
        self._review(role, Role.ACADEMIC_AFFAIRS, S.PENDING_FINAL_REVIEW, "复审")
        self._check_learner(learner)
        kind = self.change_kind
        moves_to: uuid.UUID | None = None  # the checked target of a transfer or change of major; None: a withdrawal
        if kind is StatusChangeKind.TRANSFER:
            if programme is None or target_teaching_point is None or target_teaching_point.id != self.target_teaching_point_id:
                raise DomainError("status_change.target_missing", "转入教学点与申请不一致")
            check_transfer_target(learner, programme, target_teaching_point)
            moves_to = target_teaching_point.id
        elif kind is StatusChangeKind.CHANGE_OF_MAJOR:
            if programme is None or target_programme is None or target_programme.id != self.target_programme_id:
                raise DomainError("status_change.target_missing", "转入专业与申请不一致")
            moves_to = target_programme.id
            check_major_target(learner, programme, target_programme)
            if target_curriculum is not None and target_curriculum.programme_id != target_programme.id:
                raise DomainError("status_change.curriculum_mismatch", "课程设置不是转入专业的培养方案的")
            if any(e.learner_id != learner.id for e in enrollments):
                raise DomainError("status_change.enrollment_mismatch", "选课记录不是该学生的")
        self._approved(comment=optional_text(comment, "comment", "复审意见", 200), approved_at=require_aware(at))
        if moves_to is None:
            learner.withdraw(self.id)
        elif kind is StatusChangeKind.TRANSFER:
            learner.transfer_teaching_point(self.id, moves_to)
        else:
            learner.change_programme(self.id, moves_to)
            for enrollment in enrollments:
                listed = target_curriculum is not None and target_curriculum.includes(enrollment.course_id)
                enrollment.assess_for_programme(self.id, moves_to, listed)

    @event("Approved")
    def _approved(self, comment: str | None, approved_at: datetime) -> None:
        self.final_comment = comment
        self.closed_at = approved_at
        self.status = S.APPROVED.value

    def reject(self, role: Role, reason: str | None, at: datetime, learner: Learner) -> None:
        self._refuse(role, Role.ACADEMIC_AFFAIRS, S.PENDING_FINAL_REVIEW, "复审", reason, at, learner, self._rejected)

    @event("Rejected")
    def _rejected(self, reason: str, rejected_at: datetime) -> None:
        self.reject_reason = reason
        self.closed_at = rejected_at
        self.status = S.REJECTED.value

    # -- the requester withdraws ------------------------------------------------------------------------

    def cancel(self, role: Role, at: datetime, learner: Learner) -> None:
        """While the school has not decided (待初审 or 初审通过)."""
        _check_role(role, REQUESTER_ROLES, "撤销学籍异动申请")
        if not self.change_status.is_open:
            raise DomainError(
                "status_change.not_cancellable", f"学籍异动申请当前状态为“{self.change_status.label}”，不可撤销"
            )
        self._check_learner(learner)
        self._cancelled(cancelled_at=require_aware(at))
        learner.close_status_change(self.id, self.status)

    @event("Cancelled")
    def _cancelled(self, cancelled_at: datetime) -> None:
        self.closed_at = cancelled_at
        self.status = S.CANCELLED.value
