"""Teacher-training platform pages for the centre's and the schools' administrators (requirements/training.md).

- `/admin/training/schools`: school training platforms (学校培训平台) with their full standard
  names and authorised campus IP ranges; the centre adds and edits them and appoints each school's
  administrators; a school's administrator sets its 培训课单 and sees its people.
- `/admin/training/courses`: resources of the three kinds with their source labels; the centre
  publishes centre and ideology courses, a school its school-based ones; whoever publishes a
  course uploads (or replaces) its chapter videos on the course page.
- `/admin/training/lectures`: live lectures; the centre schedules them and records full attendance.
- `/admin/training/hosting-applications`: teachers' applications to host a lecture; the school
  reviews (approve, or reject with a reason), the centre schedules.
- `/admin/training/activities`, `/admin/training/declarations`: hours the school recognises.
- `/admin/training/trainees`: a school's trainees and each one's 学时明细.
Every record page carries its audit tab.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Template
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.queries import Page
from application.training import learning_queries as q
from application.training.videos import uploader_role
from domains.shared.errors import DomainError, InvalidInput, NotFound
from domains.shared.values import Role
from domains.training.lectures import HOSTING_LABELS
from domains.training.resources import RESOURCE_LABELS, ResourceKind
from infrastructure.container import Container
from interfaces.admin.common.forms import (
    Form,
    as_list,
    done,
    error_field,
    refusal_status,
    uuid_param,
)
from interfaces.admin.common.guards import requires_role
from interfaces.admin.common.rendering import audit_tab, page

BASE = "/admin/training"
CENTRE, SCHOOL_ADMIN = Role.TRAINING_CENTRE_ADMIN, Role.TRAINING_SCHOOL_ADMIN
KINDS = [(k.value, label) for k, label in RESOURCE_LABELS.items()]
HOSTING_STATUSES = [(k.value, label) for k, label in HOSTING_LABELS.items()]
SORTS = [("newest", "最新发布"), ("hours_desc", "学时从多到少"), ("hours_asc", "学时从少到多"), ("title", "按名称")]

Req = Request[Any, Any, Any]
Multipart = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]
# What the upload form's request may carry at most; the configured video limit (smaller) is
# checked by the use case, so a file over it is refused beside the field rather than by a 413.
VIDEO_BODY_LIMIT = 1024 * 1024 * 1024


def _upload(data: Any) -> bytes:
    """The one file chosen in the form's `file` field."""
    upload = data.get("file") if isinstance(data, dict) else None
    if isinstance(upload, list):
        upload = upload[0] if len(upload) == 1 else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInput("upload.file_required", "请选择要上传的视频文件", field="file")
    return upload.file.read()


def parse_chapter_lines(text: str) -> list[dict[str, Any]]:
    """"第1讲 导论 | 600 | https://…" per line (the video address optional) -> chapters; a malformed
    line is passed on for the domain to refuse with its message."""
    chapters: list[dict[str, Any]] = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        seconds = parts[1] if len(parts) > 1 else ""
        chapters.append({
            "title": parts[0], "duration_seconds": int(seconds) if seconds.isdigit() and len(seconds) < 7 else None,
            "video_url": parts[2] if len(parts) > 2 else None,
        })
    return chapters


def tenths_of(raw: Any) -> int | None:
    """"2.5" (hours) -> 25; anything else -> None (refused by the domain with its message)."""
    from domains.training.ledger import parse_tenths

    try:
        return parse_tenths(str(raw or "").strip())
    except DomainError:
        return None


class TrainingAdminPages(Controller):
    path = BASE
    guards = [requires_role(CENTRE, SCHOOL_ADMIN)]

    # -- schools ----------------------------------------------------------------------------------

    def _schools(self, request: Req, actor: Actor, reader: Connection, status_code: int = 200, **context: Any) -> Template:
        return page(request, "training_schools.html", actor, status_code=status_code, schools=q.list_schools(reader, actor),
                    form=context.pop("form", {}), **context)

    @get("/schools", sync_to_thread=True)
    def schools(self, request: Req, actor: Actor, reader: Connection) -> Template:
        return self._schools(request, actor, reader)

    @post("/schools", sync_to_thread=True)
    def add_school(self, request: Req, actor: Actor, services: Container, reader: Connection, data: Form) -> Response[Any]:
        try:
            school_id = services.training.schools.register_school(
                actor, str(data.get("name") or ""), str(data.get("campus_ranges") or "")
            )
        except DomainError as exc:
            return self._schools(request, actor, reader, refusal_status(exc), error=exc.message, form=data)
        return done(request, f"{BASE}/schools/{school_id}", "学校培训平台已开设")

    def _school(self, request: Req, actor: Actor, reader: Connection, school_id: uuid.UUID, status_code: int = 200,
                **context: Any) -> Template:
        school = q.get_school(reader, actor, school_id)
        members = q.list_members(reader, actor, school_id)
        courses = q.list_courses(reader, actor, Page(size=200)).items if actor.has(SCHOOL_ADMIN) else []
        return page(request, "training_school.html", actor, status_code=status_code, school=school, members=members,
                    courses=courses, history=audit_tab(reader, school_id), form=context.pop("form", {}), **context)

    @get("/schools/{school_id:uuid}", sync_to_thread=True)
    def school(self, request: Req, actor: Actor, reader: Connection, school_id: uuid.UUID) -> Template:
        return self._school(request, actor, reader, school_id)

    @post("/schools/{school_id:uuid}", sync_to_thread=True)
    def edit_school(
        self, request: Req, actor: Actor, services: Container, reader: Connection, school_id: uuid.UUID, data: Form
    ) -> Response[Any]:
        try:
            services.training.schools.edit_school(
                actor, school_id, str(data.get("name") or ""), str(data.get("campus_ranges") or "")
            )
        except DomainError as exc:
            return self._school(request, actor, reader, school_id, refusal_status(exc), error=exc.message, form=data)
        return done(request, f"{BASE}/schools/{school_id}", "已保存")

    @post("/schools/{school_id:uuid}/admins", sync_to_thread=True)
    def appoint(
        self, request: Req, actor: Actor, services: Container, reader: Connection, school_id: uuid.UUID, data: Form
    ) -> Response[Any]:
        try:
            services.training.schools.appoint_admin(
                actor, role_name=SCHOOL_ADMIN.value, school_id=school_id, username=str(data.get("username") or ""),
                name=str(data.get("name") or ""), password=str(data.get("password") or ""),
                confirm_password=str(data.get("confirm_password") or ""),
            )
        except DomainError as exc:
            return self._school(request, actor, reader, school_id, refusal_status(exc), error=exc.message, form=data)
        return done(request, f"{BASE}/schools/{school_id}", "已添加校级管理员")

    @post("/schools/{school_id:uuid}/training-list", sync_to_thread=True)
    def training_list(
        self, request: Req, actor: Actor, services: Container, reader: Connection, school_id: uuid.UUID, data: Form
    ) -> Response[Any]:
        ids = [u for u in (uuid_param(v) for v in as_list(data.get("course_ids"))) if u is not None]
        try:
            services.training.schools.set_training_list(actor, school_id, ids)
        except DomainError as exc:
            return self._school(request, actor, reader, school_id, refusal_status(exc), error=exc.message)
        return done(request, f"{BASE}/schools/{school_id}", "培训课单已保存")

    # -- courses ----------------------------------------------------------------------------------

    @get("/courses", sync_to_thread=True)
    def courses(self, request: Req, actor: Actor, reader: Connection) -> Template:
        params = {k: str(v) for k, v in request.query_params.items() if v}
        number = int(params.get("page", "1")) if params.get("page", "1").isdigit() else 1
        result = q.list_courses(
            reader, actor, Page(number=number), params.get("kind"), params.get("title"), sort=params.get("sort", "newest")
        )
        return page(request, "training_courses.html", actor, result=result, params=params, kinds=KINDS, sorts=SORTS)

    def _new_course(self, request: Req, actor: Actor, status_code: int = 200, **context: Any) -> Template:
        kinds = [k for k in KINDS if (k[0] == "school") == actor.has(SCHOOL_ADMIN) and not
                 (actor.has(CENTRE) and k[0] == "school")]
        return page(request, "training_course_new.html", actor, status_code=status_code, kinds=kinds,
                    form=context.pop("form", {}), **context)

    @get("/courses/new", sync_to_thread=True)
    def new_course(self, request: Req, actor: Actor) -> Template:
        return self._new_course(request, actor)

    @post("/courses/new", sync_to_thread=True)
    def publish(self, request: Req, actor: Actor, services: Container, data: Form) -> Response[Any]:
        try:
            course_id = services.training.learning.publish_course(
                actor, kind=str(data.get("kind") or ""), title=str(data.get("title") or ""),
                tenths=tenths_of(data.get("hours")),  # type: ignore[arg-type]
                chapters=parse_chapter_lines(str(data.get("chapters") or "")),
                summary_prompt=str(data.get("summary_prompt") or ""),
            )
        except DomainError as exc:
            return self._new_course(request, actor, refusal_status(exc), error=exc.message, form=data)
        return done(request, f"{BASE}/courses/{course_id}", "课程已发布")

    def _course(self, request: Req, actor: Actor, reader: Connection, course_id: uuid.UUID, status_code: int = 200,
                **context: Any) -> Template:
        course = q.get_course(reader, actor, course_id)
        may_upload = uploader_role(actor, ResourceKind(course["kind"]), course["training_school_id"]) is not None
        return page(request, "training_course.html", actor, status_code=status_code, course=course,
                    may_upload=may_upload, history=audit_tab(reader, course_id), **context)

    @get("/courses/{course_id:uuid}", sync_to_thread=True)
    def course(self, request: Req, actor: Actor, reader: Connection, course_id: uuid.UUID) -> Template:
        return self._course(request, actor, reader, course_id)

    @post("/courses/{course_id:uuid}/chapters/{chapter_id:str}/video", sync_to_thread=True,
          request_max_body_size=VIDEO_BODY_LIMIT)
    def upload_video(
        self, request: Req, actor: Actor, services: Container, reader: Connection, course_id: uuid.UUID,
        chapter_id: str, data: Multipart,
    ) -> Response[Any]:
        """上传视频 / 替换视频 of one chapter; a refusal is shown beside that chapter's file field."""
        try:
            attached = services.training.videos.attach(actor, course_id, chapter_id, _upload(data))
        except DomainError as exc:
            if exc.kind in ("forbidden", "not_found"):
                raise
            if "file" not in error_field(exc):
                return self._course(request, actor, reader, course_id, refusal_status(exc), error=exc.message)
            return self._course(request, actor, reader, course_id, refusal_status(exc),
                                video_error={"chapter_id": chapter_id, "message": exc.message})
        return done(request, f"{BASE}/courses/{course_id}", attached.change.label)

    # -- lectures ---------------------------------------------------------------------------------

    def _lectures(self, request: Req, actor: Actor, reader: Connection, status_code: int = 200, **context: Any) -> Template:
        return page(request, "training_lectures.html", actor, status_code=status_code,
                    lectures=q.list_lectures(reader, actor), schools=q.list_schools(reader, actor),
                    form=context.pop("form", {}), **context)

    @get("/lectures", sync_to_thread=True)
    def lectures(self, request: Req, actor: Actor, reader: Connection) -> Template:
        return self._lectures(request, actor, reader)

    @post("/lectures", sync_to_thread=True)
    def schedule(self, request: Req, actor: Actor, services: Container, reader: Connection, data: Form) -> Response[Any]:
        try:
            lecture_id = services.training.lectures.schedule(
                actor, origin=str(data.get("origin") or ""), school_id=uuid_param(data.get("training_school_id")),
                title=str(data.get("title") or ""), speaker=str(data.get("speaker") or ""),
                starts_at=str(data.get("starts_at") or ""), duration_minutes=_int(data.get("duration_minutes")),
            )
        except DomainError as exc:
            return self._lectures(request, actor, reader, refusal_status(exc), error=exc.message, form=data)
        return done(request, f"{BASE}/lectures/{lecture_id}", "直播讲座已安排")

    def _lecture(self, request: Req, actor: Actor, reader: Connection, lecture_id: uuid.UUID, status_code: int = 200,
                 **context: Any) -> Template:
        lecture = next(iter(q.list_lectures(reader, actor, lecture_id)), None)
        if lecture is None:
            raise NotFound("not_found", "直播讲座不存在")
        signups = q.lecture_signups_of(reader, actor, lecture_id)
        return page(request, "training_lecture.html", actor, status_code=status_code, lecture=lecture, signups=signups,
                    history=audit_tab(reader, lecture_id), **context)

    @get("/lectures/{lecture_id:uuid}", sync_to_thread=True)
    def lecture(self, request: Req, actor: Actor, reader: Connection, lecture_id: uuid.UUID) -> Template:
        return self._lecture(request, actor, reader, lecture_id)

    @post("/lectures/{lecture_id:uuid}/attendance", sync_to_thread=True)
    def attendance(
        self, request: Req, actor: Actor, services: Container, reader: Connection, lecture_id: uuid.UUID, data: Form
    ) -> Response[Any]:
        trainee_id = uuid_param(data.get("trainee_id"))
        try:
            if trainee_id is None:
                raise NotFound("not_found", "参训教师不存在")
            services.training.lectures.record_full_attendance(actor, lecture_id, trainee_id)
        except DomainError as exc:
            return self._lecture(request, actor, reader, lecture_id, refusal_status(exc), error=exc.message)
        return done(request, f"{BASE}/lectures/{lecture_id}", "已登记全程参加")

    # -- hosting applications -----------------------------------------------------------------------

    @get("/hosting-applications", sync_to_thread=True)
    def hosting(self, request: Req, actor: Actor, reader: Connection) -> Template:
        status = str(request.query_params.get("status") or "") or None
        return page(request, "training_hosting.html", actor, rows=q.list_hosting(reader, actor, status),
                    statuses=HOSTING_STATUSES, params={"status": status or ""})

    def _hosting_show(self, request: Req, actor: Actor, reader: Connection, application_id: uuid.UUID,
                      status_code: int = 200, **context: Any) -> Template:
        row = q.get_hosting(reader, actor, application_id)
        return page(request, "training_hosting_show.html", actor, status_code=status_code, r=row,
                    history=audit_tab(reader, application_id), form=context.pop("form", {}), **context)

    @get("/hosting-applications/{application_id:uuid}", sync_to_thread=True)
    def hosting_show(self, request: Req, actor: Actor, reader: Connection, application_id: uuid.UUID) -> Template:
        return self._hosting_show(request, actor, reader, application_id)

    @post("/hosting-applications/{application_id:uuid}/review", sync_to_thread=True)
    def review(
        self, request: Req, actor: Actor, services: Container, reader: Connection, application_id: uuid.UUID, data: Form
    ) -> Response[Any]:
        approve = data.get("decision") == "approve"
        try:
            services.training.lectures.review_hosting(actor, application_id, approve, str(data.get("reason") or "") or None)
        except DomainError as exc:
            return self._hosting_show(request, actor, reader, application_id, refusal_status(exc), error=exc.message,
                                      form=data)
        return done(request, f"{BASE}/hosting-applications/{application_id}", "审核通过" if approve else "已驳回")

    @post("/hosting-applications/{application_id:uuid}/schedule", sync_to_thread=True)
    def schedule_hosting(
        self, request: Req, actor: Actor, services: Container, reader: Connection, application_id: uuid.UUID, data: Form
    ) -> Response[Any]:
        try:
            lecture_id = services.training.lectures.schedule_hosting(
                actor, application_id, str(data.get("speaker") or ""), str(data.get("starts_at") or ""),
                _int(data.get("duration_minutes")),
            )
        except DomainError as exc:
            return self._hosting_show(request, actor, reader, application_id, refusal_status(exc), error=exc.message,
                                      form=data)
        return done(request, f"{BASE}/lectures/{lecture_id}", "已安排直播")

    # -- school-recognised hours --------------------------------------------------------------------

    def _activities(self, request: Req, actor: Actor, reader: Connection, status_code: int = 200, **context: Any) -> Template:
        rows = q.list_activities(reader, actor)
        trainees = q.list_members(reader, actor, actor.training_school_id, Role.TRAINEE.value) \
            if actor.has(SCHOOL_ADMIN) else []
        return page(request, "training_activities.html", actor, status_code=status_code, rows=rows, trainees=trainees,
                    form=context.pop("form", {}), **context)

    @get("/activities", sync_to_thread=True)
    def activities(self, request: Req, actor: Actor, reader: Connection) -> Template:
        return self._activities(request, actor, reader)

    @post("/activities", sync_to_thread=True)
    def organise(self, request: Req, actor: Actor, services: Container, reader: Connection, data: Form) -> Response[Any]:
        try:
            services.training.activities.organise(
                actor, str(data.get("title") or ""), str(data.get("held_on") or ""),
                tenths_of(data.get("hours")),  # type: ignore[arg-type]
            )
        except DomainError as exc:
            return self._activities(request, actor, reader, refusal_status(exc), error=exc.message, form=data)
        return done(request, f"{BASE}/activities", "线下活动已登记")

    @post("/activities/{activity_id:uuid}/participants", sync_to_thread=True)
    def participant(
        self, request: Req, actor: Actor, services: Container, reader: Connection, activity_id: uuid.UUID, data: Form
    ) -> Response[Any]:
        try:
            trainee_id = uuid_param(data.get("trainee_id"))
            if trainee_id is None:
                raise NotFound("not_found", "请选择参训教师")
            services.training.activities.record_participation(actor, activity_id, trainee_id)
        except DomainError as exc:
            return self._activities(request, actor, reader, refusal_status(exc), error=exc.message)
        return done(request, f"{BASE}/activities", "已记录学时")

    def _declarations(self, request: Req, actor: Actor, reader: Connection, status_code: int = 200,
                      **context: Any) -> Template:
        return page(request, "training_declarations.html", actor, status_code=status_code,
                    rows=q.list_declarations(reader, actor, None), **context)

    @get("/declarations", sync_to_thread=True)
    def declarations(self, request: Req, actor: Actor, reader: Connection) -> Template:
        return self._declarations(request, actor, reader)

    @post("/declarations/{declaration_id:uuid}/review", sync_to_thread=True)
    def review_declaration(
        self, request: Req, actor: Actor, services: Container, reader: Connection, declaration_id: uuid.UUID, data: Form
    ) -> Response[Any]:
        recognise = data.get("decision") == "recognise"
        try:
            services.training.activities.review_declaration(
                actor, declaration_id, recognise, str(data.get("reason") or "") or None
            )
        except DomainError as exc:
            return self._declarations(request, actor, reader, refusal_status(exc), error=exc.message)
        return done(request, f"{BASE}/declarations", "已认定" if recognise else "已不予认定")

    @get("/sms-outbox", sync_to_thread=True, guards=[requires_role(CENTRE)])
    def sms_outbox(self, request: Req, actor: Actor, services: Container) -> Template:
        """The embedded SMS sender's outbox: the codes it would have sent (mobiles masked), for
        development and demonstrations; the centre's administrators only."""
        sender = services.training.sms_sender
        sent = list(reversed(getattr(sender, "sent", [])))[:20]
        return page(request, "training_sms_outbox.html", actor, messages=sent, simulated=hasattr(sender, "sent"))

    # -- trainees -----------------------------------------------------------------------------------

    @get("/trainees", sync_to_thread=True)
    def trainees(self, request: Req, actor: Actor, reader: Connection) -> Template:
        school_id = uuid_param(request.query_params.get("school_id")) or actor.training_school_id
        schools = q.list_schools(reader, actor)
        rows = q.list_members(reader, actor, school_id, Role.TRAINEE.value) if school_id else []
        return page(request, "training_trainees.html", actor, rows=rows, schools=schools, school_id=school_id)

    @get("/trainees/{trainee_id:uuid}/hours", sync_to_thread=True)
    def trainee_hours(self, request: Req, actor: Actor, reader: Connection, trainee_id: uuid.UUID) -> Template:
        return page(request, "training_hours.html", actor, detail=q.hours_detail(reader, actor, trainee_id))


def _int(raw: Any) -> int:
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and len(text) < 6 else 0
