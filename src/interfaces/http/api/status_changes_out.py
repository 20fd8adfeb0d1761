"""Response bodies of learner status changes (转专业, 转教学点, 退学) and the change-of-major window."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from domains.enrolment.enrollment import EnrollmentStatus
from domains.finance.refund import RefundStatus
from domains.learners.learner import LearnerStatus
from domains.learners.status_change import StatusChangeKind, StatusChangeStatus
from domains.shared.values import Role
from interfaces.http.api.common import Out, RosterColumns


class AttachmentOut(Out):
    """A file sent with a request; fetch it at `…/attachments/{index}`."""

    index: int
    file_name: str
    content_type: str
    size: int


class DroppableCourseOut(Out):
    """A selected course still inside its drop period: dropped (and refunded) before withdrawal."""

    enrollment_id: uuid.UUID
    course_id: uuid.UUID
    status: EnrollmentStatus
    drop_refund_id: uuid.UUID | None
    refund_status: RefundStatus | None
    course_code: str
    course_name: str
    selection_batch_name: str
    drop_starts_at: datetime
    drop_ends_at: datetime
    status_label: str


class StatusChangeOut(RosterColumns):
    id: uuid.UUID
    learner_id: uuid.UUID
    kind: StatusChangeKind
    status: StatusChangeStatus
    teaching_point_id: uuid.UUID
    target_teaching_point_id: uuid.UUID | None  # a transfer's
    programme_id: uuid.UUID
    target_programme_id: uuid.UUID | None  # a change of major's
    reason: str
    requested_by_role: Role
    attachments: list[AttachmentOut]
    droppable_enrollment_ids: list[uuid.UUID]
    preliminary_comment: str | None
    final_comment: str | None
    reject_reason: str | None
    requested_at: datetime
    requested_by: str
    preliminary_reviewed_at: datetime | None
    preliminary_reviewed_by: str | None
    closed_at: datetime | None
    closed_by: str | None
    updated_at: datetime
    learner_status: LearnerStatus
    target_teaching_point_name: str | None
    target_level: str | None
    target_major: str | None
    target_length_of_schooling: str | None
    kind_label: str
    status_label: str
    cancellable: bool
    requested_by_role_label: str


class StatusChangeDetailOut(StatusChangeOut):
    droppable_courses: list[DroppableCourseOut]


class WithdrawalCoursesOut(Out):
    learner_id: uuid.UUID
    courses: list[DroppableCourseOut]


class WindowOut(Out):
    opens_on: date
    closes_on: date
    open: bool  # today is inside it


class ChangeOfMajorWindowOut(Out):
    window: WindowOut | None  # none: no period set
