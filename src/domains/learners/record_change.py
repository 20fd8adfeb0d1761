"""Learner record changes (学籍信息变更, requirements/learners.md §2).

The record's confirmation state (学籍信息状态) lives on the Learner:

  unconfirmed     未确认    the learner has not yet confirmed the record
  confirmed       已确认    the learner confirmed it as correct (once)
  pending_review  待审核    a change of basic information / prior education awaits the school
  approved        审核通过  the school approved the last change request; the record changed
  rejected        审核驳回  the school rejected it; the record stayed as it was

Contact details (email, mobile) are changed directly by the teaching point, with no review.
Basic information (基础信息) and prior education (原学历) change only through a
RecordChangeRequest, made by the teaching point for its learner, or by the learner once (their
one chance, taken instead of confirming), and reviewed by the school's academic affairs.
Approval changes the Learner in the same atomic save; every request is kept with its handling
(修改和处理记录). Proof files are optional: PNG, JPG or PDF, at most 5 MB each, several allowed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from eventsourcing.domain import event

from domains.admissions.application_form import Applicant
from domains.learners.learner import Learner
from domains.learners.status_change import MAX_ATTACHMENTS
from domains.shared.aggregate import DomainAggregate
from domains.shared.errors import DomainError, Forbidden, InvalidInput
from domains.shared.values import (
    Role,
    optional_text,
    parse_email,
    parse_mobile,
    require_aware,
    require_text,
)


class RecordStatus(StrEnum):
    UNCONFIRMED = "unconfirmed"
    CONFIRMED = "confirmed"
    PENDING_REVIEW = "pending_review"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {
            "unconfirmed": "未确认", "confirmed": "已确认", "pending_review": "待审核",
            "approved": "审核通过", "rejected": "审核驳回",
        }[self.value]


class RequestStatus(StrEnum):
    PENDING_REVIEW = "pending_review"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return RecordStatus(self.value).label


BASIC_FIELDS = {
    "name": "姓名",
    "id_number": "身份证号",
    "gender": "性别",
    "birth_date": "出生日期",
    "ethnicity": "民族",
    "address": "通讯地址",
    "occupation": "工作单位",
}
PRIOR_EDUCATION_FIELDS = {
    "prior_level": "最高学历层次",
    "prior_school": "毕业学校",
    "prior_major": "原专业",
    "prior_graduation_date": "毕业日期",
    "prior_certificate_number": "毕业证书编号",
    "original_name": "原学历姓名",
    "original_id_number": "原学历身份证号",
}
RECORD_FIELDS = {**BASIC_FIELDS, **PRIOR_EDUCATION_FIELDS}
CONTACT_FIELDS = {"email": "Email", "mobile": "移动电话"}
# Gender and birth date follow the ID number; they are not asked for.
DERIVED_FIELDS = frozenset({"gender", "birth_date"})
REQUESTER_ROLES = frozenset({Role.TEACHING_POINT_ADMIN, Role.LEARNER})


def contact_details(email: str | None, mobile: str | None) -> tuple[str | None, str]:
    """Email (optional, a usual address) and an 11-digit mobile (required)."""
    if not (mobile or "").strip():
        raise InvalidInput("field.required", "请填写移动电话", field="mobile")
    return parse_email(email), parse_mobile(mobile or "")



def requested_changes(learner: Learner, raw: dict[str, Any], today: date) -> dict[str, Any]:
    """The fields that really change, checked as on the application form (the whole record
    with the new values must be valid); gender and birth date follow a new ID number."""
    if not isinstance(raw, dict) or not raw:
        raise InvalidInput("learner_record.nothing_changed", "请填写要变更的基础信息或原学历信息", field="changes")
    for key in raw:
        if key in CONTACT_FIELDS:
            raise InvalidInput(
                "learner_record.contact_not_by_request", "联系方式请直接修改，无需提交变更申请", field=key
            )
        if key not in RECORD_FIELDS or key in DERIVED_FIELDS:
            raise InvalidInput("learner_record.field_unknown", f"不能申请变更的信息项：{key[:40]}", field=key)
    current = dict(learner.personal)
    merged = {**current, **{k: v if isinstance(v, str) else ("" if v is None else str(v)) for k, v in raw.items()}}
    parsed = Applicant.parse(merged, today).as_dict()
    changes = {k: parsed[k] for k in RECORD_FIELDS if parsed[k] != current.get(k)}
    if not changes:
        raise DomainError("learner_record.nothing_changed", "所填信息与当前学籍信息相同，没有需要变更的内容")
    return changes


class RecordChangeRequest(DomainAggregate):
    @event("Requested")
    def __init__(
        self,
        learner_id: uuid.UUID,
        teaching_point_id: uuid.UUID,
        changes: dict[str, Any],
        previous: dict[str, Any],
        reason: str | None,
        attachments: list[dict[str, Any]],
        requested_by_role: str,
        requested_at: datetime,
    ) -> None:
        self.learner_id = learner_id
        self.teaching_point_id = teaching_point_id
        self.changes = dict(changes)
        self.previous = dict(previous)
        self.reason = reason
        self.attachments = list(attachments)
        self.requested_by_role = requested_by_role
        self.requested_at = requested_at
        self.status = RequestStatus.PENDING_REVIEW.value
        self.comment: str | None = None
        self.reject_reason: str | None = None
        self.reviewed_at: datetime | None = None

    @classmethod
    def request(
        cls,
        learner: Learner,
        role: Role,
        changes: dict[str, Any],
        reason: str | None,
        attachments: Sequence[dict[str, Any]],
        at: datetime,
        today: date,
    ) -> RecordChangeRequest:
        """By the teaching point for its learner, or by the learner (their one chance)."""
        if role not in REQUESTER_ROLES:
            raise Forbidden("learner_record.role_not_allowed", "只有教学点管理员或学生本人可以申请变更学籍信息")
        by_learner = role is Role.LEARNER
        learner.check_may_request_record_change(by_learner)
        if len(attachments) > MAX_ATTACHMENTS:
            raise InvalidInput(
                "status_change.too_many_attachments", f"证明材料最多{MAX_ATTACHMENTS}个", field="attachments"
            )
        found = requested_changes(learner, changes, today)
        request = cls(
            learner_id=learner.id,
            teaching_point_id=learner.teaching_point_id,
            changes=found,
            previous={k: learner.personal.get(k) for k in found},
            reason=optional_text(reason, "reason", "变更原因", 200),
            attachments=[dict(a) for a in attachments],
            requested_by_role=role.value,
            requested_at=require_aware(at),
        )
        learner.open_record_change(request.id, by_learner)
        return request

    @property
    def request_status(self) -> RequestStatus:
        return RequestStatus(self.status)

    def _review(self, role: Role, learner: Learner, action: str) -> None:
        if role is not Role.ACADEMIC_AFFAIRS:
            raise Forbidden("learner_record.role_not_allowed", f"只有学校教务可以{action}学籍信息变更申请")
        if self.request_status is not RequestStatus.PENDING_REVIEW:
            raise DomainError(
                "learner_record.not_pending", f"学籍信息变更申请当前状态为“{self.request_status.label}”，不能{action}"
            )
        if learner.id != self.learner_id:
            raise DomainError("learner_record.learner_mismatch", "学生与学籍信息变更申请不一致")

    def approve(self, role: Role, comment: str | None, at: datetime, learner: Learner) -> None:
        """审核通过: the learner's record takes the new values in the same save."""
        self._review(role, learner, "审核")
        self._approved(comment=optional_text(comment, "comment", "审核意见", 200), reviewed_at=require_aware(at))
        learner.apply_record_change(self.id, self.changes)

    @event("Approved")
    def _approved(self, comment: str | None, reviewed_at: datetime) -> None:
        self.comment = comment
        self.reviewed_at = reviewed_at
        self.status = RequestStatus.APPROVED.value

    def reject(self, role: Role, reason: str | None, at: datetime, learner: Learner) -> None:
        """审核驳回, with its reason: the record stays as it was."""
        self._review(role, learner, "驳回")
        text = (reason or "").strip()
        if not text:
            raise InvalidInput("learner_record.reason_required", "驳回须填写原因", field="reason")
        self._rejected(reason=require_text(text, "reason", "驳回原因", 200), reviewed_at=require_aware(at))
        learner.refuse_record_change(self.id)

    @event("Rejected")
    def _rejected(self, reason: str, reviewed_at: datetime) -> None:
        self.reject_reason = reason
        self.reviewed_at = reviewed_at
        self.status = RequestStatus.REJECTED.value
