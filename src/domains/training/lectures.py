"""Live lectures (直播讲座, requirements/training.md §5).

The centre schedules lectures, its own and the ones schools applied for. A trainee must sign up
before the lecture starts, or its hours are not recognised. A centre lecture attended in full
counts 0.3 credit = 1.5 hours (15 tenths), eligible for centre certificates; a school lecture's
hours are recognised by the school only.

Any teacher may apply to host a lecture; the school's administrator reviews the application
(approve, or reject with a reason); the centre schedules an approved one.
"""

from __future__ import annotations

import datetime
import uuid
from enum import StrEnum

from eventsourcing.domain import event

from domains.shared.aggregate import DomainAggregate
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.values import require_text

CENTRE_LECTURE_TENTHS = 15  # 0.3 学分 = 1.5 学时
MAX_LECTURE_MINUTES = 8 * 60
MAX_AHEAD = datetime.timedelta(days=730)  # lectures are scheduled at most two years ahead


class LectureOrigin(StrEnum):
    CENTRE = "centre"  # 网培中心开办
    SCHOOL = "school"  # 学校申请开设

    @property
    def label(self) -> str:
        return {"centre": "网培中心直播讲座", "school": "学校直播讲座"}[self.value]


def check_minutes(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 10 <= value <= MAX_LECTURE_MINUTES:
        raise InvalidInput(
            "lecture.duration_invalid", f"讲座时长须为10至{MAX_LECTURE_MINUTES}分钟", field="duration_minutes"
        )
    return value


class Lecture(DomainAggregate):
    @event("Scheduled")
    def __init__(
        self,
        origin: str,
        training_school_id: uuid.UUID | None,
        title: str,
        speaker: str,
        starts_at: datetime.datetime,
        duration_minutes: int,
        tenths: int,
        hosting_application_id: uuid.UUID | None,
    ) -> None:
        self.origin = origin
        self.training_school_id = training_school_id
        self.title = title
        self.speaker = speaker
        self.starts_at = starts_at
        self.duration_minutes = duration_minutes
        self.tenths = tenths
        self.hosting_application_id = hosting_application_id
        self.signed_up: set[uuid.UUID] = set()
        self.attended: set[uuid.UUID] = set()

    @classmethod
    def schedule(
        cls,
        origin: LectureOrigin,
        training_school_id: uuid.UUID | None,
        title: str,
        speaker: str,
        starts_at: datetime.datetime,
        duration_minutes: int,
        now: datetime.datetime,
        hosting_application_id: uuid.UUID | None = None,
    ) -> Lecture:
        if (origin is LectureOrigin.SCHOOL) != (training_school_id is not None):
            raise InvalidInput("lecture.owner_mismatch", "学校直播讲座须属于某个学校", field="training_school_id")
        if starts_at.tzinfo is None or starts_at <= now:
            raise InvalidInput("lecture.start_in_past", "讲座开始时间须晚于当前时间", field="starts_at")
        if starts_at > now + MAX_AHEAD:
            raise InvalidInput("lecture.start_too_far", "讲座开始时间须在两年之内", field="starts_at")
        minutes = check_minutes(duration_minutes)
        # A centre lecture counts 1.5 hours; a school lecture counts its own length.
        tenths = CENTRE_LECTURE_TENTHS if origin is LectureOrigin.CENTRE else max(1, minutes * 10 // 60)
        return cls(
            origin=origin.value, training_school_id=training_school_id, title=require_text(title, "title", "讲座题目", 100),
            speaker=require_text(speaker, "speaker", "主讲人", 40), starts_at=starts_at, duration_minutes=minutes,
            tenths=tenths, hosting_application_id=hosting_application_id,
        )

    @property
    def certificate_eligible(self) -> bool:
        return self.origin == LectureOrigin.CENTRE.value

    def open_to(self, training_school_id: uuid.UUID | None) -> bool:
        return self.origin == LectureOrigin.CENTRE.value or self.training_school_id == training_school_id

    def sign_up(self, trainee_id: uuid.UUID, now: datetime.datetime) -> None:
        if trainee_id in self.signed_up:
            raise DomainError("lecture.already_signed_up", "您已报名该讲座")
        if now >= self.starts_at:
            raise DomainError("lecture.sign_up_closed", "讲座已开始，须在开始前报名")
        self._signed_up(trainee_id=trainee_id)

    @event("SignedUp")
    def _signed_up(self, trainee_id: uuid.UUID) -> None:
        self.signed_up.add(trainee_id)

    def record_full_attendance(self, trainee_id: uuid.UUID, now: datetime.datetime) -> None:
        """The trainee attended the lecture from start to end (全程参加)."""
        if now < self.starts_at + datetime.timedelta(minutes=self.duration_minutes):
            raise DomainError("lecture.not_over", "讲座结束后才能登记全程参加")
        if trainee_id not in self.signed_up:
            raise DomainError("lecture.not_signed_up", "该学员未提前报名，学时不予认定")
        if trainee_id in self.attended:
            raise DomainError("lecture.already_attended", "已登记该学员全程参加")
        self._attended(trainee_id=trainee_id, tenths=self.tenths)

    @event("AttendedInFull")
    def _attended(self, trainee_id: uuid.UUID, tenths: int) -> None:
        self.attended.add(trainee_id)


class HostingStatus(StrEnum):
    SUBMITTED = "submitted"  # 待学校审核
    APPROVED = "approved"  # 学校已通过，待网培中心安排
    REJECTED = "rejected"  # 学校未通过
    SCHEDULED = "scheduled"  # 网培中心已安排

    @property
    def label(self) -> str:
        return HOSTING_LABELS[self]


HOSTING_LABELS = {
    HostingStatus.SUBMITTED: "待学校审核",
    HostingStatus.APPROVED: "待网培中心安排",
    HostingStatus.REJECTED: "学校未通过",
    HostingStatus.SCHEDULED: "已安排直播",
}


class HostingApplication(DomainAggregate):
    """A teacher's application to host a live lecture (直播开办申请)."""

    @event("Submitted")
    def __init__(
        self, applicant_id: uuid.UUID, training_school_id: uuid.UUID, title: str, outline: str, preferred_date: datetime.date
    ) -> None:
        self.applicant_id = applicant_id
        self.training_school_id = training_school_id
        self.title = title
        self.outline = outline
        self.preferred_date = preferred_date
        self.status = HostingStatus.SUBMITTED.value
        self.lecture_id: uuid.UUID | None = None

    @classmethod
    def submit(
        cls, applicant_id: uuid.UUID, training_school_id: uuid.UUID, title: str, outline: str,
        preferred_date: datetime.date, today: datetime.date,
    ) -> HostingApplication:
        if preferred_date <= today:
            raise InvalidInput("hosting.date_in_past", "期望开讲日期须晚于今天", field="preferred_date")
        return cls(
            applicant_id=applicant_id, training_school_id=training_school_id,
            title=require_text(title, "title", "讲座题目", 100), outline=require_text(outline, "outline", "讲座简介", 1000),
            preferred_date=preferred_date,
        )

    def _check(self, status: HostingStatus, action: str) -> None:
        if self.status != status.value:
            raise DomainError(
                "hosting.status_conflict", f"当前状态为“{HostingStatus(self.status).label}”，不能{action}"
            )

    def approve(self) -> None:
        self._check(HostingStatus.SUBMITTED, "审核")
        self._approved()

    @event("ApprovedBySchool")
    def _approved(self) -> None:
        self.status = HostingStatus.APPROVED.value

    def reject(self, reason: str) -> None:
        self._check(HostingStatus.SUBMITTED, "审核")
        self._rejected(reason=require_text(reason, "reason", "不通过原因", 500))

    @event("RejectedBySchool")
    def _rejected(self, reason: str) -> None:
        self.status = HostingStatus.REJECTED.value
        self.rejection_reason = reason

    def mark_scheduled(self, lecture_id: uuid.UUID) -> None:
        self._check(HostingStatus.APPROVED, "安排直播")
        self._scheduled(lecture_id=lecture_id)

    @event("ScheduledByCentre")
    def _scheduled(self, lecture_id: uuid.UUID) -> None:
        self.status = HostingStatus.SCHEDULED.value
        self.lecture_id = lecture_id
