"""Response bodies of the learner roster and a learner's record (学籍信息): the record with its
change requests and status history, and the record-change review queue."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from domains.learners.learner import LearnerStatus
from domains.learners.record_change import RecordStatus, RequestStatus
from domains.shared.values import Gender, Role
from interfaces.http.api.common import Out, ProgrammeColumns
from interfaces.http.api.status_changes_out import AttachmentOut, StatusChangeOut


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
