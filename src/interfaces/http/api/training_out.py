"""Response bodies of the teacher training platform: schools and members, courses and studies,
live lectures, hosting applications, offline activities, declarations and hours. Hours travel as
tenths (`tenths`) and as the text the pages show (`hours`, "2.5")."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from msgspec import UNSET, UnsetType

from domains.identity.account import AccountStatus
from domains.shared.values import Role
from domains.training.activities import DeclarationStatus
from domains.training.lectures import HostingStatus, LectureOrigin
from domains.training.resources import ResourceKind
from interfaces.http.api.common import Out

HoursSource = Literal[
    "centre_course", "school_course", "ideology_course", "centre_lecture", "school_lecture", "offline_activity",
    "declaration",
]
HoursState = Literal["learning", "complete", "recognised", "submitted", "rejected"]


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
    study_id: uuid.UUID | None | UnsetType = UNSET  # a trainee's list: their study of it (null: not signed up)
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
