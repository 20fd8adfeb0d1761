"""Request and response bodies of the learners API: the roster and a learner's record (学籍信息)
with its change requests and status history, the record-change review queue, status changes
(转专业, 转教学点, 退学) with the change-of-major window, and electronic photos (电子照片) with
their ZIP imports and exports."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import msgspec

from domains.enrolment.enrollment import EnrollmentStatus
from domains.finance.refund import RefundStatus
from domains.learners.learner import LearnerStatus
from domains.learners.record_change import RecordStatus, RequestStatus
from domains.learners.status_change import StatusChangeKind, StatusChangeStatus
from domains.shared.values import Gender, Role
from interfaces.http.api.common import (
    JobOut,
    Out,
    ProgrammeColumns,
    RosterColumns,
    upload_body,
)

PhotoUpload = upload_body("一张 JPEG 电子照片（640×480，24 位，20–40 KB）")
ZipUpload = upload_body("ZIP 压缩包：照片以 <证件号码>.JPG 命名")


# -- request bodies ----------------------------------------------------------------------------


class AttachmentIn(msgspec.Struct):
    file_name: str | None = None
    content: bytes = b""  # base64 in JSON; the type is decided from these bytes, never from the name


class LearnerContactIn(msgspec.Struct):
    mobile: str | None = None  # 移动电话: 11 digits
    email: str | None = None
    reason: str | None = None


class RecordChangeIn(msgspec.Struct):
    changes: dict[str, str | None]  # field -> new value (basic information / prior education)
    reason: str | None = None
    attachments: list[AttachmentIn] = msgspec.field(default_factory=list)


class StatusChangeIn(msgspec.Struct):
    kind: str  # transfer (转教学点) | change_of_major (转专业) | withdrawal (退学)
    reason: str | None = None
    student_number: str | None = None  # the full student number (a teaching point asking for its learner), or
    learner_id: uuid.UUID | None = None  # the learner (a learner asking for themselves may leave both out)
    target_teaching_point_id: uuid.UUID | None = None  # transfer
    target_programme_id: uuid.UUID | None = None  # change of major
    attachments: list[AttachmentIn] = msgspec.field(default_factory=list)


class WindowIn(msgspec.Struct):
    opens_on: str
    closes_on: str


class PhotoExportIn(msgspec.Struct):
    """导出照片: the naming (`id_number` or `student_number`) and the roster filters of the query."""

    naming: str | None = None
    photo_status: str | None = None  # uploaded (已上传) / missing (未上传)
    study_batch_id: str | None = None
    level: str | None = None
    learner_type: str | None = None
    learner_source: str | None = None
    major: str | None = None
    length_of_schooling: str | None = None
    teaching_point_id: str | None = None
    student_number: str | None = None
    name: str | None = None
    status: str | None = None


# -- status changes ------------------------------------------------------------------------------


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


# -- the roster and the record ------------------------------------------------------------------


class LearnerOut(ProgrammeColumns):
    """A learner on the roster; lists mask the ID number and mobile."""

    id: uuid.UUID
    student_number: str
    name: str
    gender: Gender
    id_number: str
    birth_date: date
    mobile: str | None
    teaching_point_id: uuid.UUID
    programme_id: uuid.UUID
    study_batch_id: uuid.UUID
    admission_batch_id: uuid.UUID
    application_form_id: uuid.UUID
    status: LearnerStatus
    record_status: RecordStatus
    admitted_at: datetime
    teaching_point_name: str
    study_batch_name: str
    status_label: str


class RecordFieldOut(Out):
    field: str
    label: str
    value: str | None


class ContactOut(Out):
    email: str | None
    mobile: str | None


class FieldChangeOut(Out):
    field: str
    label: str
    before: str | None
    after: str | None


class RecordChangeOut(Out):
    id: uuid.UUID
    learner_id: uuid.UUID
    teaching_point_id: uuid.UUID
    status: RequestStatus
    reason: str | None
    attachments: list[AttachmentOut]
    requested_by_role: Role
    requested_at: datetime
    recorded_at: datetime
    comment: str | None
    reject_reason: str | None
    reviewed_at: datetime | None
    status_label: str
    requested_by_role_label: str
    changes: list[FieldChangeOut]


class QueuedRecordChangeOut(RecordChangeOut):
    """A request in the review queue, with the learner it is about."""

    student_number: str
    learner_name: str
    level: str
    learner_type: str
    learner_source: str
    major: str
    length_of_schooling: str
    teaching_point_name: str


class StatusHistoryOut(StatusChangeOut):
    from_label: str
    to_label: str
    decided: bool


class LearnerRecordOut(Out):
    learner_id: uuid.UUID
    student_number: str
    name: str
    teaching_point_id: uuid.UUID
    teaching_point_name: str
    record_status: RecordStatus
    record_status_label: str
    record_confirmed: bool
    self_request_used: bool  # a learner may ask for one change themselves
    pending_request_id: uuid.UUID | None
    may_confirm: bool
    may_request_by_learner: bool
    basic: list[RecordFieldOut]
    prior_education: list[RecordFieldOut]
    contact: ContactOut
    requests: list[RecordChangeOut]
    status_history: list[StatusHistoryOut]


# -- photos --------------------------------------------------------------------------------------


class PhotoOut(Out):
    learner_id: uuid.UUID
    number: int
    file_name: str
    size: int  # bytes
    width: int
    height: int
    quality: int | None  # JPEG quality estimate
    uploaded_at: datetime
    uploaded_by: str
    is_current: bool
    deleted_at: datetime | None
    deleted_by: str | None
    status_label: str


class PhotoHistoryOut(Out):
    """Every photo of the learner, newest first, and the one in use."""

    learner_id: uuid.UUID
    audit_id: uuid.UUID  # the aggregate whose audit trail records every upload and deletion
    status_label: str
    current: PhotoOut | None
    photos: list[PhotoOut]


class PhotoRosterOut(LearnerOut):
    has_photo: bool
    photo_status_label: str


class PhotoJobItemOut(Out):
    row: int
    ok: bool
    message: str | None
    learner_id: uuid.UUID | None


class _PhotoJobOut(JobOut):
    teaching_point_id: uuid.UUID | None
    actor_id: uuid.UUID | None
    actor_name: str | None


class PhotoImportOut(_PhotoJobOut):
    files: list[PhotoJobItemOut]  # each file of the archive, in archive order


class PhotoExportOut(_PhotoJobOut):
    learners: list[PhotoJobItemOut]
    downloadable: bool
