"""Request and response bodies of the curriculum API: courses, programme course lists, selection and exam
batches, fee standards."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import msgspec
from msgspec import UNSET, UnsetType

from domains.curriculum.course import AssessmentStatus, CourseStatus
from domains.curriculum.levels import EducationLevel
from interfaces.http.api.common import Out


class CourseIn(msgspec.Struct):
    code: str
    name: str
    credits: str | int
    levels: list[str]


class LevelsIn(msgspec.Struct):
    levels: list[str]


class VersionIn(msgspec.Struct):
    version: str


class AssessmentIn(msgspec.Struct):
    includes_final_exam: bool
    description: str


class ProgrammeCourseIn(msgspec.Struct):
    course_id: uuid.UUID
    suggested_semester: int


class SemesterIn(msgspec.Struct):
    suggested_semester: int


class SelectionBatchIn(msgspec.Struct):
    code: str
    name: str
    selection_starts_on: str
    selection_ends_on: str
    drop_starts_on: str | None = None
    drop_ends_on: str | None = None
    course_ids: list[uuid.UUID] = []


class SelectionPeriodsIn(msgspec.Struct):
    selection_starts_on: str
    selection_ends_on: str
    drop_starts_on: str
    drop_ends_on: str
    reason: str | None = None


class ExamBatchIn(msgspec.Struct):
    code: str
    name: str
    registration_starts_on: str
    registration_ends_on: str
    course_ids: list[uuid.UUID] = []


class RegistrationPeriodIn(msgspec.Struct):
    registration_starts_on: str
    registration_ends_on: str
    reason: str | None = None


class BatchCoursesIn(msgspec.Struct):
    course_ids: list[uuid.UUID]


class FeeStandardIn(msgspec.Struct):
    credit_fee_per_credit_fen: int
    exam_fee_per_course_fen: int
    reason: str | None = None


class CourseOut(Out):
    id: uuid.UUID
    code: str
    name: str
    credit_tenths: int
    levels: list[EducationLevel]
    status: CourseStatus
    version_in_use: str | None
    assessment_status: AssessmentStatus | None
    assessment_approved: bool
    includes_final_exam: bool
    assessment_description: str | None
    submitted_includes_final_exam: bool | None  # the assessment awaiting review, if any
    submitted_description: str | None
    assessment_reject_reason: str | None
    registered_at: datetime
    updated_at: datetime
    level_labels: list[str]
    credits: str  # credit_tenths as the school writes it: "2.5", "3"
    status_label: str
    assessment_status_label: str | None


class CourseDetailOut(CourseOut):
    versions: list[str]
    selection_batch_ids: list[uuid.UUID]
    exam_batch_ids: list[uuid.UUID]


class ProgrammeCourseOut(CourseOut):
    suggested_semester: int


class SelectionBatchOut(Out):
    id: uuid.UUID
    code: str
    name: str
    selection_starts_at: datetime
    selection_ends_at: datetime
    drop_starts_at: datetime
    drop_ends_at: datetime
    selection_starts_on: date
    selection_ends_on: date
    drop_starts_on: date
    drop_ends_on: date
    selection_open: bool
    drop_open: bool


class SelectionBatchSummaryOut(SelectionBatchOut):
    course_count: int


class SelectionBatchDetailOut(SelectionBatchOut):
    courses: list[CourseOut]


class ExamBatchOut(Out):
    id: uuid.UUID
    code: str
    name: str
    registration_starts_at: datetime
    registration_ends_at: datetime
    registration_starts_on: date
    registration_ends_on: date
    registration_open: bool


class ExamBatchSummaryOut(ExamBatchOut):
    course_count: int


class ExamBatchDetailOut(ExamBatchOut):
    courses: list[CourseOut]


class FeeStandardOut(Out):
    level: EducationLevel
    level_label: str
    set: bool  # false: never set, and the three fields below are absent
    credit_fee_per_credit_fen: int | UnsetType = UNSET
    exam_fee_per_course_fen: int | UnsetType = UNSET
    updated_at: datetime | UnsetType = UNSET
