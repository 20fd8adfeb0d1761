"""Request and response bodies of the teacher training platform: schools and members, courses
and studies, live lectures, hosting applications, offline activities, declarations and hours;
and the certificate ledger: a trainee's ledger, certificates with their history, public
verification and batch generation. Hours travel as tenths (`tenths`) and as the text the pages
show (`hours`, "2.5")."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

import msgspec
from msgspec import UNSET, UnsetType

from domains.identity.account import AccountStatus
from domains.shared.values import Role
from domains.training.activities import DeclarationStatus
from domains.training.lectures import HostingStatus, LectureOrigin
from domains.training.ledger import HoursKind
from domains.training.resources import ResourceKind
from interfaces.http.api.common import JobOut, Out

HoursSource = Literal[
    "centre_course", "school_course", "ideology_course", "centre_lecture", "school_lecture", "offline_activity",
    "declaration",
]
HoursState = Literal["learning", "complete", "recognised", "submitted", "rejected"]


# -- request bodies ----------------------------------------------------------------------------


class SchoolIn(msgspec.Struct):
    name: str
    campus_ranges: list[str]


class AdminIn(msgspec.Struct):
    username: str
    name: str
    password: str
    confirm_password: str


class TrainingListIn(msgspec.Struct):
    course_ids: list[uuid.UUID]


class RegistrationIn(msgspec.Struct):
    school_id: uuid.UUID
    unit_name: str
    username: str
    name: str
    password: str
    confirm_password: str
    mobile: str | None = None


class MobileIn(msgspec.Struct):
    mobile: str


class SmsLoginIn(msgspec.Struct):
    mobile: str
    code: str


class WeChatCodeIn(msgspec.Struct):
    code: str


class WeChatAuthorizeIn(msgspec.Struct):
    wechat_user: str


class ChapterIn(msgspec.Struct):
    title: str
    duration_seconds: int
    video_url: str | None = None  # https://… or a path on this site


class TrainingCourseIn(msgspec.Struct):
    kind: str  # centre (网培中心资源) | school (校本资源) | ideology (马工程思政课)
    title: str
    tenths: int  # hours x 10
    chapters: list[ChapterIn]
    summary_prompt: str


class SignUpIn(msgspec.Struct):
    course_ids: list[uuid.UUID]


class ProgressIn(msgspec.Struct):
    intervals: list[list[float]]  # [[start, end], ...] seconds the player actually played


class SummaryIn(msgspec.Struct):
    text: str


class LectureIn(msgspec.Struct):
    origin: str  # centre | school
    title: str
    speaker: str
    starts_at: str
    duration_minutes: int
    training_school_id: uuid.UUID | None = None


class AttendanceIn(msgspec.Struct):
    trainee_id: uuid.UUID


class HostingIn(msgspec.Struct):
    title: str
    outline: str
    preferred_date: str


class HostingReviewIn(msgspec.Struct):
    approve: bool
    reason: str | None = None


class ScheduleIn(msgspec.Struct):
    speaker: str
    starts_at: str
    duration_minutes: int


class ActivityIn(msgspec.Struct):
    title: str
    held_on: str
    tenths: int


class DeclarationIn(msgspec.Struct):
    title: str
    organiser: str
    held_on: str
    tenths: int


class DeclarationReviewIn(msgspec.Struct):
    recognise: bool
    reason: str | None = None


class ApplicationIn(msgspec.Struct):
    source_ids: list[uuid.UUID]  # items of the eligible pool (course or lecture ids)


class AllowanceIn(msgspec.Struct):
    hours: str  # "50" or "52.5": tenths of an hour at most


class AllowancesIn(msgspec.Struct):
    trainee_ids: list[uuid.UUID]
    year: int
    hours: str


class ErrorReportIn(msgspec.Struct):
    field: str  # trainee_name (姓名) | year (学时年份)
    correct_value: str
    note: str | None = None


class CorrectionIn(msgspec.Struct):
    value: str | None = None  # defaults to the reported correct value
    note: str | None = None


class BatchIn(msgspec.Struct):
    trainee_ids: list[uuid.UUID] | None = None  # None: every trainee of the school with hours in the pool


# -- the learning side ---------------------------------------------------------------------------


class SchoolChoiceOut(Out):
    id: uuid.UUID
    name: str


class SchoolOut(Out, kw_only=True):
    id: uuid.UUID
    name: str
    campus_ranges: list[str] | UnsetType = UNSET  # only for the centre and the school's administrators
    training_list: list[uuid.UUID]  # the courses of the school's training list (培训清单)
    registered_at: datetime


class AppointedOut(Out):
    account_id: uuid.UUID


class MemberOut(Out):
    account_id: uuid.UUID
    member_id: uuid.UUID
    role: Role
    training_school_id: uuid.UUID | None
    unit_name: str | None
    campus_range: str | None
    account_login_seen: bool
    wechat_bound: bool
    mobile_bound: bool
    registered_at: datetime
    username: str
    name: str
    status: AccountStatus
    role_label: str


class SmsSentOut(Out):
    sent: bool


class WeChatCodeOut(Out):
    code: str


class _CourseColumns(Out):
    id: uuid.UUID
    kind: ResourceKind
    training_school_id: uuid.UUID | None
    title: str
    tenths: int


class TrainingCourseOut(_CourseColumns, kw_only=True):
    """A course in lists (no chapters)."""

    chapter_count: int
    total_seconds: int
    summary_prompt: str
    published_at: datetime
    study_id: uuid.UUID | UnsetType | None = UNSET  # a trainee's list: their study of it (null: not signed up)
    kind_label: str
    source_tag: str
    hours: str
    certificate_kind: bool
    signed_up: bool


class ChapterVideoOut(Out):
    """A chapter's uploaded video, as read from the file itself."""

    ref: str  # SHA-256 of the content
    content_type: Literal["video/webm", "video/mp4"]
    size: int  # bytes
    duration_ms: int


class ChapterOut(Out):
    id: str
    number: int
    title: str
    duration_seconds: int
    video_url: str | None
    video: ChapterVideoOut | UnsetType = UNSET  # only once a video was uploaded for the chapter
    # A trainee who signed up: how much of it they watched, as [start, end] second intervals.
    watched_seconds: float | UnsetType = UNSET
    intervals: list[list[float]] | UnsetType = UNSET
    completed: bool | UnsetType = UNSET


class StudyOut(_CourseColumns):
    """A trainee's study of a course (我的课程)."""

    trainee_id: uuid.UUID
    course_id: uuid.UUID
    chapters_total: int
    chapters_done: int
    summary_submitted: bool
    summary: str | None
    summary_submitted_at: datetime | None
    completed: bool
    certificate_eligible: bool
    via_training_list: bool
    signed_up_at: datetime
    completed_at: datetime | None
    kind_label: str
    source_tag: str
    hours: str
    summary_state: str
    hours_state: str


class TrainingCourseDetailOut(_CourseColumns):
    chapters: list[ChapterOut]
    chapter_count: int
    total_seconds: int
    summary_prompt: str
    published_at: datetime
    kind_label: str
    source_tag: str
    hours: str
    certificate_kind: bool
    study: StudyOut | None  # the acting trainee's study, if signed up


class SignedUpOut(Out):
    signed_up: list[uuid.UUID]  # the courses newly signed up for


class ProgressOut(Out):
    chapter_completed: bool
    chapter: ChapterOut
    study: StudyOut | None


class HoursItemOut(Out):
    trainee_id: uuid.UUID
    source_id: uuid.UUID
    kind: HoursSource
    title: str
    tenths: int
    status: HoursState
    certificate_eligible: bool
    recorded_at: datetime
    updated_at: datetime
    kind_label: str
    status_label: str
    hours: str


class HoursOut(Out):
    """我的学时明细: every source of hours, the total and what may go on a centre certificate."""

    trainee_id: uuid.UUID
    items: list[HoursItemOut]
    total_tenths: int
    total_hours: str
    eligible_tenths: int
    eligible_hours: str


class LectureOut(Out):
    id: uuid.UUID
    origin: LectureOrigin
    training_school_id: uuid.UUID | None
    title: str
    speaker: str
    starts_at: datetime
    duration_minutes: int
    tenths: int
    signups: int
    hosting_application_id: uuid.UUID | None
    origin_label: str
    hours: str
    certificate_eligible: bool
    signed_up: bool
    attended: bool


class LectureSignUpOut(Out):
    lecture_id: uuid.UUID
    trainee_id: uuid.UUID
    signed_up_at: datetime
    attended: bool
    username: str
    name: str


class HostingApplicationOut(Out):
    id: uuid.UUID
    applicant_id: uuid.UUID
    training_school_id: uuid.UUID
    title: str
    outline: str
    preferred_date: date
    status: HostingStatus
    rejection_reason: str | None
    lecture_id: uuid.UUID | None
    submitted_at: datetime
    updated_at: datetime
    applicant_name: str
    school_name: str
    status_label: str


class ScheduledOut(Out):
    lecture_id: uuid.UUID


class ActivityOut(Out):
    id: uuid.UUID
    training_school_id: uuid.UUID
    title: str
    held_on: date
    tenths: int
    participants: int
    hours: str


class DeclarationOut(Out):
    id: uuid.UUID
    trainee_id: uuid.UUID
    training_school_id: uuid.UUID
    title: str
    organiser: str
    held_on: date
    tenths: int
    status: DeclarationStatus
    reason: str | None
    declared_at: datetime
    trainee_name: str
    status_label: str
    hours: str


# -- the certificate ledger ----------------------------------------------------------------------


class LedgerItemOut(Out):
    """Certificate-eligible hours credited to the ledger; `in_pool` until a certificate uses them."""

    ledger_id: uuid.UUID
    source_id: uuid.UUID
    trainee_id: uuid.UUID
    kind: HoursKind
    title: str
    tenths: int
    earned_on: date
    credited_at: datetime
    certificate_id: uuid.UUID | None
    serial: str | None
    kind_label: str
    hours: str
    in_pool: bool


class LedgerYearOut(Out):
    year: int
    allowance: str | None  # none: no allowance set for that year
    consumed: str
    remaining: str


class CertificateItemOut(Out):
    source_id: uuid.UUID
    kind: HoursKind
    title: str
    tenths: int
    hours: str
    kind_label: str


class CertificateOut(Out, kw_only=True):
    id: uuid.UUID
    serial: str
    ledger_id: uuid.UUID
    trainee_id: uuid.UUID
    training_school_id: uuid.UUID
    number: int
    trainee_name: str
    school_name: str
    year: int
    charged_year: int  # the year whose allowance it consumed
    total_tenths: int
    items: list[CertificateItemOut]
    issued_on: date
    issued_at: datetime
    issued_by_role: str  # the issuing role, or "system" for a batch run
    downloads: int
    last_downloaded_at: datetime | None
    amendments: int
    # A school's open report of a wrong field, awaiting the centre's correction or refusal.
    open_report_field: str | None
    open_report_wrong_value: str | None
    open_report_correct_value: str | None
    open_report_note: str | None
    open_report_at: datetime | None
    updated_at: datetime
    total_hours: str
    has_open_report: bool
    open_report_field_label: str | UnsetType = UNSET  # with an open report only


class LedgerOut(Out):
    """学分与证书打印: the pool, the year's allowance and what remains, past certificates."""

    trainee_id: uuid.UUID
    trainee_name: str
    username: str
    training_school_id: uuid.UUID
    year: int
    allowance_set: bool
    allowance_tenths: int
    allowance: str
    consumed_tenths: int
    consumed: str
    remaining_tenths: int
    remaining: str
    tolerance: str
    max_selectable_tenths: int  # the most one application may select (remaining plus tolerance)
    max_selectable: str
    pool: list[LedgerItemOut]
    pool_tenths: int
    pool_hours: str
    certified_tenths: int
    certified_hours: str
    hours_detail: list[LedgerItemOut]
    years: list[LedgerYearOut]
    certificates: list[CertificateOut]


class LedgerSummaryOut(Out):
    trainee_id: uuid.UUID
    trainee_name: str
    username: str
    training_school_id: uuid.UUID
    school_name: str
    pool_tenths: int
    pool_hours: str
    pool_items: int
    certificates: int
    certified_hours: str
    allowance_set: bool
    allowance: str | None
    consumed: str
    remaining_tenths: int
    remaining: str


class AllowancesOut(Out):
    changed: int
    unchanged: int


class HistoryEntryOut(Out):
    certificate_id: uuid.UUID
    version: int
    kind: str
    field: str | None
    old_value: str | None
    new_value: str | None
    note: str | None
    report_number: int | None
    actor_name: str | None
    role: str
    at: datetime
    kind_label: str
    field_label: str | None
    role_label: str


class CertificateDetailOut(CertificateOut, kw_only=True):
    history: list[HistoryEntryOut]
    amendment_lines: list[str]  # the amendments as the certificate prints them
    username: str


class VerifiedItemOut(Out):
    title: str
    hours: str


class VerificationOut(Out):
    """Public check of a certificate's QR link: only `genuine` and `serial` unless genuine."""

    genuine: bool
    serial: str
    status: str | UnsetType = UNSET
    trainee_name: str | UnsetType = UNSET
    school_name: str | UnsetType = UNSET
    year: int | UnsetType = UNSET
    total_hours: str | UnsetType = UNSET
    items: list[VerifiedItemOut] | UnsetType = UNSET
    issued_on: date | UnsetType = UNSET
    amendments: list[str] | UnsetType = UNSET


class CertificateBatchOut(JobOut):
    actor_username: str
    actor_name: str | None
    training_school_id: uuid.UUID
    year: int
    all_trainees: int
    finished: bool


class BatchTraineeOut(Out):
    row: int
    ok: bool
    code: str | None
    message: str | None
    trainee_id: uuid.UUID | None
    trainee_name: str | None
    username: str | None


class CertificateBatchDetailOut(CertificateBatchOut):
    trainees: list[BatchTraineeOut]
