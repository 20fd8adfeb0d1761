"""Request and response bodies of course selection (选课), batch selection and drops."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from domains.enrolment.enrollment import EnrollmentStatus
from domains.finance.refund import RefundStatus
from interfaces.http.api.common import BillOut, JobOut, Out, RefundOut, RosterColumns


class SelectionIn(msgspec.Struct):
    course_ids: list[uuid.UUID]
    learner_id: uuid.UUID | None = None  # a learner selecting for themselves may leave it out


class BatchSelectionIn(msgspec.Struct):
    learner_ids: list[uuid.UUID]
    course_ids: list[uuid.UUID]


class DropIn(msgspec.Struct):
    enrollment_ids: list[uuid.UUID]
    reason: str | None = None


class EnrollmentOut(RosterColumns):
    """A learner's selection of one course (选课记录)."""

    id: uuid.UUID
    learner_id: uuid.UUID
    course_id: uuid.UUID
    teaching_point_id: uuid.UUID
    programme_id: uuid.UUID
    selection_batch_id: uuid.UUID
    exam_batch_id: uuid.UUID
    includes_final_exam: bool
    status: EnrollmentStatus
    may_study: bool
    learner_enrolled: bool
    bill_count: int
    paid_bill_count: int
    drop_refund_id: uuid.UUID | None
    refund_status: RefundStatus | None
    selected_at: datetime
    paid_at: datetime | None
    dropped_at: datetime | None
    counts_for_graduation: bool
    updated_at: datetime
    course_code: str
    course_name: str
    credit_tenths: int
    selection_batch_name: str
    status_label: str
    refund_status_label: str | None
    credits: str
    counts_for_graduation_label: str


class SelectionOut(Out):
    """What one selection created: the enrolments, their bills and final-exam registrations."""

    enrollments: list[EnrollmentOut]
    bills: list[BillOut]
    exam_registration_ids: list[uuid.UUID]


class DropOut(Out):
    dropped: list[EnrollmentOut]  # unpaid: dropped at once
    refunds: list[RefundOut]  # paid: a refund request each


class UnmetConditionOut(Out):
    condition: int
    code: str
    message: str


class SelectableCourseOut(Out):
    course_id: uuid.UUID
    course_code: str
    course_name: str
    credits: str
    suggested_semester: int
    includes_final_exam: bool
    already_selected: bool
    selectable: bool
    unmet: list[UnmetConditionOut]  # why it cannot be selected now


class BatchSelectionOut(JobOut):
    teaching_point_id: uuid.UUID
    teaching_point_name: str | None
    actor_username: str
    actor_name: str | None


class BatchSelectionLearnerOut(Out):
    row: int
    ok: bool
    code: str | None
    message: str | None
    learner_id: uuid.UUID | None
    student_number: str | None
    name: str | None


class BatchSelectionDetailOut(BatchSelectionOut):
    learners: list[BatchSelectionLearnerOut]
