"""Request and response bodies of exam registrations and resits (补考报考)."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from domains.exams.registration import RegistrationKind, RegistrationStatus
from interfaces.http.api.common import BillOut, Out, RosterColumns


class ResitIn(msgspec.Struct):
    course_id: uuid.UUID
    exam_batch_id: uuid.UUID
    student_number: str | None = None  # the full student number, or
    learner_id: uuid.UUID | None = None  # the learner (a learner registering for themselves may leave both out)


class WithdrawalIn(msgspec.Struct):
    reason: str | None = None


class ExamRegistrationOut(RosterColumns):
    id: uuid.UUID
    learner_id: uuid.UUID
    course_id: uuid.UUID
    exam_batch_id: uuid.UUID
    teaching_point_id: uuid.UUID
    kind: RegistrationKind
    status: RegistrationStatus
    enrollment_id: uuid.UUID | None  # a final exam's selection; none for a resit
    cancel_reason: str | None
    registered_at: datetime
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    updated_at: datetime
    course_code: str
    course_name: str
    credit_tenths: int
    exam_batch_name: str
    status_label: str
    kind_label: str


class ResitOut(Out):
    registration: ExamRegistrationOut
    bill: BillOut  # the exam fee


class ResitWithdrawalOut(Out):
    registration: ExamRegistrationOut
    voided_bills: list[BillOut]
