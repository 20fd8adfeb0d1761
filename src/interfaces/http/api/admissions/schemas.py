"""Request and response bodies of admissions: the catalogue (study and admission batches, programmes),
application forms, their batch review and their CSV imports."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import msgspec
from msgspec import UNSET, UnsetType

from domains.admissions.application_form import Applicant, FormStatus
from interfaces.http.api.common import JobOut, Out, ProgrammeColumns, upload_body

FormsUpload = upload_body("报名表 CSV 文件（按导入模板）", admission_batch_id="招生批次 id（uuid）")


class StudyBatchIn(msgspec.Struct):
    code: str
    name: str


class AdmissionBatchIn(msgspec.Struct):
    code: str
    name: str
    study_batch_id: uuid.UUID
    opens_on: str
    closes_on: str


class PeriodIn(msgspec.Struct):
    opens_on: str
    closes_on: str
    reason: str | None = None


class ProgrammeIn(msgspec.Struct):
    code: str
    level: str
    learner_type: str
    learner_source: str
    major: str
    length_of_schooling: str
    teaching_point_ids: list[uuid.UUID] = []


class OfferingsIn(msgspec.Struct):
    teaching_point_ids: list[uuid.UUID]


class ApplicantIn(msgspec.Struct):
    name: str
    id_number: str
    ethnicity: str
    mobile: str
    address: str
    prior_level: str
    prior_school: str
    prior_graduation_date: str
    prior_certificate_number: str
    email: str | None = None
    occupation: str | None = None
    prior_major: str | None = None
    original_name: str | None = None
    original_id_number: str | None = None


class FormIn(msgspec.Struct):
    admission_batch_id: uuid.UUID
    programme_id: uuid.UUID
    applicant: ApplicantIn
    teaching_point_id: uuid.UUID | None = None


class CompletionIn(msgspec.Struct):
    admission_batch_id: uuid.UUID
    programme_id: uuid.UUID
    applicant: ApplicantIn


class QuickRegistrationIn(msgspec.Struct):
    name: str
    mobile: str
    intended_major: str
    teaching_point_id: uuid.UUID | None = None


class ReviewIn(msgspec.Struct):
    comment: str | None = None


class BatchApprovalIn(msgspec.Struct):
    form_ids: list[uuid.UUID]
    comment: str | None = None


class StudyBatchOut(Out):
    id: uuid.UUID
    code: str
    name: str


class AdmissionBatchOut(Out):
    id: uuid.UUID
    code: str
    name: str
    study_batch_id: uuid.UUID
    opens_on: date
    closes_on: date
    study_batch_name: str


class ProgrammeOut(ProgrammeColumns):
    id: uuid.UUID
    code: str
    teaching_point_ids: list[uuid.UUID]  # where it is offered
    label: str


class ApplicationFormOut(Out):
    """An application form; in lists the ID number and mobile come masked and `applicant` is absent.
    A quick registration has only name, mobile and intended major until completed."""

    id: uuid.UUID
    status: FormStatus
    name: str
    mobile: str
    id_number: str | None
    gender: str | None
    birth_date: date | None
    intended_major: str | None
    teaching_point_id: uuid.UUID | None
    programme_id: uuid.UUID | None
    admission_batch_id: uuid.UUID | None
    study_batch_id: uuid.UUID | None
    student_number: str | None
    learner_id: uuid.UUID | None
    review_comment: str | None
    submitted_at: datetime
    updated_at: datetime
    level: str | None
    learner_type: str | None
    learner_source: str | None
    major: str | None
    length_of_schooling: str | None
    teaching_point_name: str | None
    study_batch_name: str | None
    admission_batch_name: str | None
    status_label: str
    applicant: Applicant | UnsetType | None = UNSET  # what the applicant filled in


class ReviewResultOut(Out):
    form_id: uuid.UUID
    ok: bool
    student_number: str | None
    code: str | None  # why this form was refused
    message: str | None


class BatchReviewOut(Out):
    approved: int
    refused: int
    results: list[ReviewResultOut]


class QuickRegisteredOut(Out):
    id: uuid.UUID
    status: FormStatus


class ImportRowOut(Out):
    row: int
    ok: bool
    code: str | None
    message: str | None
    form_id: uuid.UUID | None


class FormImportOut(JobOut):
    admission_batch_id: uuid.UUID
    admission_batch_name: str | None
    teaching_point_id: uuid.UUID
    teaching_point_name: str | None
    actor_username: str
    actor_name: str | None


class FormImportDetailOut(FormImportOut):
    rows: list[ImportRowOut]  # every row done so far
