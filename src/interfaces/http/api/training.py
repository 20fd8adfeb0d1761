"""Teacher-training platform, learning side (requirements/training.md): school platforms and their people,
trainee registration and login methods, resources and sign-up, chapter progress and summaries,
live lectures and hosting applications, school-recognised activities, and 我的学时明细."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Controller, Request, get, post, put

from application.common.actor import Actor
from application.common.queries import Page
from application.identity.queries import actor_for, get_account
from application.training import learning_queries as q
from domains.shared.errors import NotFound
from interfaces.http.api.common import CreatedOut, Listing, listing, out
from interfaces.http.api.organisation_out import AccountOut, RegisteredOut, SessionOut
from interfaces.http.api.training_out import (
    ActivityOut,
    AppointedOut,
    DeclarationOut,
    HostingApplicationOut,
    HoursOut,
    LectureOut,
    LectureSignUpOut,
    MemberOut,
    ProgressOut,
    ScheduledOut,
    SchoolChoiceOut,
    SchoolOut,
    SignedUpOut,
    SmsSentOut,
    StudyOut,
    TrainingCourseDetailOut,
    TrainingCourseOut,
    WeChatCodeOut,
)
from interfaces.http.context import api_actor, client_address, container_of
from interfaces.http.errors import Unauthenticated

# -- bodies -------------------------------------------------------------------------------------


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


class CourseIn(msgspec.Struct):
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


class ReviewIn(msgspec.Struct):
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


def _read(request: Request[Any, Any, Any], actor: Actor, fn: Any, *args: Any, **kwargs: Any) -> Any:
    with container_of(request).engine.connect() as conn:
        return fn(conn, actor, *args, **kwargs)


# -- controllers --------------------------------------------------------------------------------


class TrainingAccessController(Controller):
    """Registration (the first login, inside the campus ranges) and WeChat / SMS login."""

    path = "/training"
    tags = ["training"]

    @get("/public/schools", sync_to_thread=True)
    def school_choices(self, request: Request[Any, Any, Any]) -> list[SchoolChoiceOut]:
        with container_of(request).engine.connect() as conn:
            return out(q.school_choices(conn), list[SchoolChoiceOut])

    @post("/registrations", sync_to_thread=True, status_code=201)
    def register(self, request: Request[Any, Any, Any], data: RegistrationIn) -> RegisteredOut:
        account_id = container_of(request).training.trainees.register(
            school_id=data.school_id, address=client_address(request), unit_name=data.unit_name,
            username=data.username, name=data.name, password=data.password, confirm_password=data.confirm_password,
            mobile=data.mobile,
        )
        return RegisteredOut(account_id=account_id, username=data.username.strip())

    @post("/auth/sms-codes", sync_to_thread=True, status_code=202)
    def sms_code(self, request: Request[Any, Any, Any], data: MobileIn) -> SmsSentOut:
        container_of(request).training.trainees.request_sms_code(data.mobile, client_address(request))
        return SmsSentOut(sent=True)

    def _session(self, request: Request[Any, Any, Any], account_id: uuid.UUID) -> SessionOut:
        c = container_of(request)
        with c.engine.connect() as conn:
            actor = actor_for(conn, account_id)
        if actor is None:
            raise Unauthenticated("auth.account_disabled", "该账号已停用")
        token, expires = c.sessions.open(account_id, "api")
        with c.engine.connect() as conn:
            return SessionOut(token=token, expires_at=expires, account=out(get_account(conn, actor, account_id), AccountOut))

    @post("/auth/sms-login", sync_to_thread=True, status_code=200)
    def sms_login(self, request: Request[Any, Any, Any], data: SmsLoginIn) -> SessionOut:
        return self._session(request, container_of(request).training.trainees.sms_login(data.mobile, data.code))

    @post("/auth/wechat-login", sync_to_thread=True, status_code=200)
    def wechat_login(self, request: Request[Any, Any, Any], data: WeChatCodeIn) -> SessionOut:
        return self._session(request, container_of(request).training.trainees.wechat_login(data.code))

    @post("/simulators/wechat/authorize", sync_to_thread=True, status_code=200)
    def wechat_simulator(self, request: Request[Any, Any, Any], data: WeChatAuthorizeIn) -> WeChatCodeOut:
        """The embedded WeChat OAuth simulator: an authorisation code for a named WeChat user."""
        wechat = container_of(request).training.wechat
        if not hasattr(wechat, "authorize"):
            raise NotFound("not_found", "未启用微信登录模拟器")
        return WeChatCodeOut(code=wechat.authorize(data.wechat_user.strip()[:64] or "wechat-user"))

    @post("/me/bindings/wechat", sync_to_thread=True, status_code=204)
    def bind_wechat(self, request: Request[Any, Any, Any], data: WeChatCodeIn) -> None:
        container_of(request).training.trainees.bind_wechat(api_actor(request), data.code)

    @post("/me/bindings/mobile", sync_to_thread=True, status_code=204)
    def bind_mobile(self, request: Request[Any, Any, Any], data: SmsLoginIn) -> None:
        container_of(request).training.trainees.bind_mobile(api_actor(request), data.mobile, data.code)


class TrainingSchoolController(Controller):
    path = "/training/schools"
    tags = ["training"]

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any]) -> list[SchoolOut]:
        return out(_read(request, api_actor(request), q.list_schools), list[SchoolOut])

    @post("/", sync_to_thread=True, status_code=201)
    def create(self, request: Request[Any, Any, Any], data: SchoolIn) -> SchoolOut:
        actor = api_actor(request)
        school_id = container_of(request).training.schools.register_school(actor, data.name, data.campus_ranges)
        return out(_read(request, actor, q.get_school, school_id), SchoolOut)

    @get("/{school_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], school_id: uuid.UUID) -> SchoolOut:
        return out(_read(request, api_actor(request), q.get_school, school_id), SchoolOut)

    @put("/{school_id:uuid}", sync_to_thread=True)
    def edit(self, request: Request[Any, Any, Any], school_id: uuid.UUID, data: SchoolIn) -> SchoolOut:
        actor = api_actor(request)
        container_of(request).training.schools.edit_school(actor, school_id, data.name, data.campus_ranges)
        return out(_read(request, actor, q.get_school, school_id), SchoolOut)

    @post("/{school_id:uuid}/admins", sync_to_thread=True, status_code=201)
    def appoint(self, request: Request[Any, Any, Any], school_id: uuid.UUID, data: AdminIn) -> AppointedOut:
        account_id = container_of(request).training.schools.appoint_admin(
            api_actor(request), role_name="training_school_admin", school_id=school_id, username=data.username,
            name=data.name, password=data.password, confirm_password=data.confirm_password,
        )
        return AppointedOut(account_id=account_id)

    @get("/{school_id:uuid}/members", sync_to_thread=True)
    def members(self, request: Request[Any, Any, Any], school_id: uuid.UUID, role: str | None = None) -> list[MemberOut]:
        return out(_read(request, api_actor(request), q.list_members, school_id, role), list[MemberOut])

    @put("/{school_id:uuid}/training-list", sync_to_thread=True)
    def set_training_list(self, request: Request[Any, Any, Any], school_id: uuid.UUID, data: TrainingListIn) -> SchoolOut:
        actor = api_actor(request)
        container_of(request).training.schools.set_training_list(actor, school_id, data.course_ids)
        return out(_read(request, actor, q.get_school, school_id), SchoolOut)


class TrainingCentreAdminController(Controller):
    path = "/training/centre-admins"
    tags = ["training"]

    @post("/", sync_to_thread=True, status_code=201)
    def appoint(self, request: Request[Any, Any, Any], data: AdminIn) -> AppointedOut:
        account_id = container_of(request).training.schools.appoint_admin(
            api_actor(request), role_name="training_centre_admin", school_id=None, username=data.username,
            name=data.name, password=data.password, confirm_password=data.confirm_password,
        )
        return AppointedOut(account_id=account_id)


class TrainingCourseController(Controller):
    path = "/training"
    tags = ["training"]

    @get("/courses", sync_to_thread=True)
    def index(
        self, request: Request[Any, Any, Any], kind: str | None = None, search: str | None = None, sort: str = "newest",
        min_tenths: int | None = None, max_tenths: int | None = None, page: int = 1, page_size: int = 20,
    ) -> Listing[TrainingCourseOut]:
        actor = api_actor(request)
        return listing(
            _read(request, actor, q.list_courses, Page(page, page_size), kind, search, min_tenths, max_tenths, sort),
            TrainingCourseOut,
        )

    @post("/courses", sync_to_thread=True, status_code=201)
    def publish(self, request: Request[Any, Any, Any], data: CourseIn) -> TrainingCourseDetailOut:
        actor = api_actor(request)
        course_id = container_of(request).training.learning.publish_course(
            actor, kind=data.kind, title=data.title, tenths=data.tenths,
            chapters=[msgspec.structs.asdict(c) for c in data.chapters], summary_prompt=data.summary_prompt,
        )
        return out(_read(request, actor, q.get_course, course_id), TrainingCourseDetailOut)

    @get("/courses/{course_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], course_id: uuid.UUID) -> TrainingCourseDetailOut:
        return out(_read(request, api_actor(request), q.get_course, course_id), TrainingCourseDetailOut)

    @get("/training-list", sync_to_thread=True)
    def training_list(self, request: Request[Any, Any, Any]) -> list[TrainingCourseOut]:
        return out(_read(request, api_actor(request), q.training_list), list[TrainingCourseOut])

    @post("/sign-ups", sync_to_thread=True, status_code=201)
    def sign_up(self, request: Request[Any, Any, Any], data: SignUpIn) -> SignedUpOut:
        signed = container_of(request).training.learning.sign_up(api_actor(request), data.course_ids)
        return SignedUpOut(signed_up=signed)

    @post("/sign-ups/training-list", sync_to_thread=True, status_code=201)
    def sign_up_training_list(self, request: Request[Any, Any, Any]) -> SignedUpOut:
        signed = container_of(request).training.learning.sign_up_training_list(api_actor(request))
        return SignedUpOut(signed_up=signed)

    @get("/my-courses", sync_to_thread=True)
    def my_courses(self, request: Request[Any, Any, Any]) -> list[StudyOut]:
        return out(_read(request, api_actor(request), q.my_courses), list[StudyOut])

    @post("/my-courses/{course_id:uuid}/chapters/{chapter_id:str}/progress", sync_to_thread=True, status_code=200)
    def progress(
        self, request: Request[Any, Any, Any], course_id: uuid.UUID, chapter_id: str, data: ProgressIn
    ) -> ProgressOut:
        actor = api_actor(request)
        completed = container_of(request).training.learning.report_watched(actor, course_id, chapter_id, data.intervals)
        course = _read(request, actor, q.get_course, course_id)
        chapter = next(c for c in course["chapters"] if c["id"] == chapter_id)
        return out({"chapter_completed": completed, "chapter": chapter, "study": course["study"]}, ProgressOut)

    @post("/my-courses/{course_id:uuid}/summary", sync_to_thread=True, status_code=200)
    def summary(self, request: Request[Any, Any, Any], course_id: uuid.UUID, data: SummaryIn) -> StudyOut:
        actor = api_actor(request)
        container_of(request).training.learning.submit_summary(actor, course_id, data.text)
        return out(_read(request, actor, q.get_course, course_id)["study"], StudyOut)

    @get("/my-hours", sync_to_thread=True)
    def my_hours(self, request: Request[Any, Any, Any]) -> HoursOut:
        return out(_read(request, api_actor(request), q.hours_detail), HoursOut)

    @get("/trainees/{trainee_id:uuid}/hours", sync_to_thread=True)
    def trainee_hours(self, request: Request[Any, Any, Any], trainee_id: uuid.UUID) -> HoursOut:
        return out(_read(request, api_actor(request), q.hours_detail, trainee_id), HoursOut)


class TrainingLectureController(Controller):
    path = "/training"
    tags = ["training"]

    @get("/lectures", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any]) -> list[LectureOut]:
        return out(_read(request, api_actor(request), q.list_lectures), list[LectureOut])

    @post("/lectures", sync_to_thread=True, status_code=201)
    def schedule(self, request: Request[Any, Any, Any], data: LectureIn) -> CreatedOut:
        lecture_id = container_of(request).training.lectures.schedule(
            api_actor(request), origin=data.origin, school_id=data.training_school_id, title=data.title,
            speaker=data.speaker, starts_at=data.starts_at, duration_minutes=data.duration_minutes,
        )
        return CreatedOut(id=lecture_id)

    @post("/lectures/{lecture_id:uuid}/sign-up", sync_to_thread=True, status_code=204)
    def sign_up(self, request: Request[Any, Any, Any], lecture_id: uuid.UUID) -> None:
        container_of(request).training.lectures.sign_up(api_actor(request), lecture_id)

    @get("/lectures/{lecture_id:uuid}/sign-ups", sync_to_thread=True)
    def sign_ups(self, request: Request[Any, Any, Any], lecture_id: uuid.UUID) -> list[LectureSignUpOut]:
        return out(_read(request, api_actor(request), q.lecture_signups_of, lecture_id), list[LectureSignUpOut])

    @post("/lectures/{lecture_id:uuid}/attendance", sync_to_thread=True, status_code=204)
    def attendance(self, request: Request[Any, Any, Any], lecture_id: uuid.UUID, data: AttendanceIn) -> None:
        container_of(request).training.lectures.record_full_attendance(api_actor(request), lecture_id, data.trainee_id)

    @get("/hosting-applications", sync_to_thread=True)
    def hosting(self, request: Request[Any, Any, Any], status: str | None = None) -> list[HostingApplicationOut]:
        return out(_read(request, api_actor(request), q.list_hosting, status), list[HostingApplicationOut])

    @post("/hosting-applications", sync_to_thread=True, status_code=201)
    def apply(self, request: Request[Any, Any, Any], data: HostingIn) -> HostingApplicationOut:
        c = container_of(request)
        actor = api_actor(request)
        application_id = c.training.lectures.apply_to_host(actor, data.title, data.outline, data.preferred_date)
        return out(_read(request, actor, q.get_hosting, application_id), HostingApplicationOut)

    @post("/hosting-applications/{application_id:uuid}/review", sync_to_thread=True, status_code=200)
    def review(self, request: Request[Any, Any, Any], application_id: uuid.UUID, data: ReviewIn) -> HostingApplicationOut:
        actor = api_actor(request)
        container_of(request).training.lectures.review_hosting(actor, application_id, data.approve, data.reason)
        return out(_read(request, actor, q.get_hosting, application_id), HostingApplicationOut)

    @post("/hosting-applications/{application_id:uuid}/schedule", sync_to_thread=True, status_code=200)
    def schedule_hosting(self, request: Request[Any, Any, Any], application_id: uuid.UUID, data: ScheduleIn) -> ScheduledOut:
        lecture_id = container_of(request).training.lectures.schedule_hosting(
            api_actor(request), application_id, data.speaker, data.starts_at, data.duration_minutes
        )
        return ScheduledOut(lecture_id=lecture_id)


class TrainingActivityController(Controller):
    path = "/training"
    tags = ["training"]

    @get("/offline-activities", sync_to_thread=True)
    def activities(self, request: Request[Any, Any, Any]) -> list[ActivityOut]:
        return out(_read(request, api_actor(request), q.list_activities), list[ActivityOut])

    @post("/offline-activities", sync_to_thread=True, status_code=201)
    def organise(self, request: Request[Any, Any, Any], data: ActivityIn) -> CreatedOut:
        activity_id = container_of(request).training.activities.organise(
            api_actor(request), data.title, data.held_on, data.tenths
        )
        return CreatedOut(id=activity_id)

    @post("/offline-activities/{activity_id:uuid}/participants", sync_to_thread=True, status_code=204)
    def participant(self, request: Request[Any, Any, Any], activity_id: uuid.UUID, data: AttendanceIn) -> None:
        container_of(request).training.activities.record_participation(api_actor(request), activity_id, data.trainee_id)

    @get("/declarations", sync_to_thread=True)
    def declarations(self, request: Request[Any, Any, Any], status: str | None = None) -> list[DeclarationOut]:
        return out(_read(request, api_actor(request), q.list_declarations, status), list[DeclarationOut])

    @post("/declarations", sync_to_thread=True, status_code=201)
    def declare(self, request: Request[Any, Any, Any], data: DeclarationIn) -> CreatedOut:
        declaration_id = container_of(request).training.activities.declare(
            api_actor(request), data.title, data.organiser, data.held_on, data.tenths
        )
        return CreatedOut(id=declaration_id)

    @post("/declarations/{declaration_id:uuid}/review", sync_to_thread=True, status_code=204)
    def review(self, request: Request[Any, Any, Any], declaration_id: uuid.UUID, data: DeclarationReviewIn) -> None:
        container_of(request).training.activities.review_declaration(
            api_actor(request), declaration_id, data.recognise, data.reason
        )


TRAINING_CONTROLLERS = [
    TrainingAccessController,
    TrainingSchoolController,
    TrainingCentreAdminController,
    TrainingCourseController,
    TrainingLectureController,
    TrainingActivityController,
]
