"""Use cases of live lectures and hosting applications (requirements/training.md §5)."""

from __future__ import annotations

import datetime
import uuid

from application.common.actor import Actor
from application.common.loading import load
from application.common.ports import Clock, EventStore
from application.common.recording import recording
from application.training.learning import trainee_of
from application.training.ledgers import load_or_open_ledger
from application.training.schools import CENTRE, SCHOOL_ADMIN, own_school
from domains.shared.errors import InvalidInput, NotFound
from domains.shared.values import Role
from domains.training.lectures import HostingApplication, Lecture, LectureOrigin
from domains.training.members import TrainingMember
from domains.training.schools import TrainingSchool


def parse_start(raw: str | datetime.datetime) -> datetime.datetime:
    """An ISO date-time; without an offset it is read in Asia/Shanghai."""
    from zoneinfo import ZoneInfo

    try:
        value = raw if isinstance(raw, datetime.datetime) else datetime.datetime.fromisoformat(str(raw).strip())
    except ValueError:
        raise InvalidInput("lecture.start_malformed", "开始时间格式不正确（如 2026-10-12T19:00）", field="starts_at") from None
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo("Asia/Shanghai"))


class Lectures:
    def __init__(self, store: EventStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def schedule(
        self, actor: Actor, *, origin: str, school_id: uuid.UUID | None, title: str, speaker: str,
        starts_at: str | datetime.datetime, duration_minutes: int,
    ) -> uuid.UUID:
        role = actor.require(CENTRE)
        try:
            lecture_origin = LectureOrigin(origin)
        except ValueError:
            raise InvalidInput("lecture.origin_invalid", "讲座类型须为网培中心或学校", field="origin") from None
        if lecture_origin is LectureOrigin.SCHOOL:
            load(self.store, school_id, TrainingSchool, "学校培训平台")  # type: ignore[arg-type]
        with recording(actor, role):
            lecture = Lecture.schedule(
                lecture_origin, school_id if lecture_origin is LectureOrigin.SCHOOL else None, title, speaker,
                parse_start(starts_at), duration_minutes, self.clock.now(),
            )
        self.store.save(lecture)
        return lecture.id

    def _lecture_for(self, school_id: uuid.UUID | None, lecture_id: uuid.UUID) -> Lecture:
        lecture = load(self.store, lecture_id, Lecture, "直播讲座")
        if not lecture.open_to(school_id):
            raise NotFound("not_found", "直播讲座不存在")
        return lecture

    def sign_up(self, actor: Actor, lecture_id: uuid.UUID) -> None:
        trainee_id, school_id = trainee_of(actor)
        lecture = self._lecture_for(school_id, lecture_id)
        with recording(actor, Role.TRAINEE):
            lecture.sign_up(trainee_id, self.clock.now())
        self.store.save(lecture)

    def record_full_attendance(self, actor: Actor, lecture_id: uuid.UUID, trainee_id: uuid.UUID) -> None:
        """全程参加: a centre lecture credits 1.5 hours to the trainee's ledger in the same save."""
        role = actor.require(CENTRE, SCHOOL_ADMIN)
        lecture = load(self.store, lecture_id, Lecture, "直播讲座")
        if role is SCHOOL_ADMIN and lecture.origin != LectureOrigin.SCHOOL.value:
            raise NotFound("not_found", "直播讲座不存在或不属于您的学校")
        own_school(actor, lecture.training_school_id if role is SCHOOL_ADMIN else None, "直播讲座")
        member = load(self.store, TrainingMember.create_id(trainee_id), TrainingMember, "参训教师")
        if member.role != Role.TRAINEE.value:
            raise NotFound("not_found", "参训教师不存在")
        with recording(actor, role):
            lecture.record_full_attendance(trainee_id, self.clock.now())
            touched = []
            if lecture.certificate_eligible:
                ledger = load_or_open_ledger(self.store, trainee_id, member.training_school_id)  # type: ignore[arg-type]
                ledger.credit(lecture.id, "centre_lecture", lecture.title, lecture.tenths, self.clock.today())
                touched.append(ledger)
        self.store.save(lecture, *touched)

    # -- hosting applications ---------------------------------------------------------------

    def apply_to_host(self, actor: Actor, title: str, outline: str, preferred_date: str | datetime.date) -> uuid.UUID:
        trainee_id, school_id = trainee_of(actor)
        try:
            day = preferred_date if isinstance(preferred_date, datetime.date) else datetime.date.fromisoformat(
                str(preferred_date).strip()
            )
        except ValueError:
            raise InvalidInput(
                "hosting.date_malformed", "期望开讲日期格式不正确（如 2026-10-12）", field="preferred_date"
            ) from None
        with recording(actor, Role.TRAINEE):
            application = HostingApplication.submit(trainee_id, school_id, title, outline, day, self.clock.today())
        self.store.save(application)
        return application.id

    def review_hosting(self, actor: Actor, application_id: uuid.UUID, approve: bool, reason: str | None = None) -> None:
        role = actor.require(SCHOOL_ADMIN)
        application = load(self.store, application_id, HostingApplication, "直播开办申请")
        own_school(actor, application.training_school_id, "直播开办申请")
        with recording(actor, role, reason):
            application.approve() if approve else application.reject(reason or "")
        self.store.save(application)

    def schedule_hosting(
        self, actor: Actor, application_id: uuid.UUID, speaker: str, starts_at: str | datetime.datetime, duration_minutes: int
    ) -> uuid.UUID:
        """The centre schedules an approved application as a school lecture."""
        role = actor.require(CENTRE)
        application = load(self.store, application_id, HostingApplication, "直播开办申请")
        with recording(actor, role):
            lecture = Lecture.schedule(
                LectureOrigin.SCHOOL, application.training_school_id, application.title, speaker,
                parse_start(starts_at), duration_minutes, self.clock.now(), hosting_application_id=application.id,
            )
            application.mark_scheduled(lecture.id)
        self.store.save(application, lecture)
        return lecture.id
