"""Teacher-training platform pages for the centre's and the schools' administrators (requirements/training.md).

- `/admin/training/schools`: school training platforms (学校培训平台) with their full standard
  names and authorised campus IP ranges; the centre adds and edits them and appoints each school's
  administrators; a school's administrator sets its 培训课单 and sees its people.
- `/admin/training/courses`: resources of the three kinds with their source labels; the centre
  publishes centre and ideology courses, a school its school-based ones.
- `/admin/training/lectures`: live lectures; the centre schedules them and records full attendance.
- `/admin/training/hosting-applications`: teachers' applications to host a lecture; the school
  reviews (approve, or reject with a reason), the centre schedules.
- `/admin/training/activities`, `/admin/training/declarations`: hours the school recognises.
- `/admin/training/trainees`: a school's trainees and each one's 学时明细.
Every record page carries its audit tab.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Template

from application.common.actor import Actor
from application.common.queries import Page
from application.training import learning_queries as q
from domains.shared.errors import DomainError, NotFound
from domains.shared.values import Role
from domains.training.lectures import HOSTING_LABELS
from domains.training.resources import RESOURCE_LABELS
from interfaces.admin.common.forms import (
    Form,
    as_list,
    done,
    refusal_status,
    uuid_param,
)
from interfaces.admin.common.rendering import audit_tab, page
from interfaces.admin.common.session import admin_actor
from interfaces.http.context import container_of

BASE = "/admin/training"
CENTRE, SCHOOL_ADMIN = Role.TRAINING_CENTRE_ADMIN, Role.TRAINING_SCHOOL_ADMIN
KINDS = [(k.value, label) for k, label in RESOURCE_LABELS.items()]
HOSTING_STATUSES = [(k.value, label) for k, label in HOSTING_LABELS.items()]
SORTS = [("newest", "最新发布"), ("hours_desc", "学时从多到少"), ("hours_asc", "学时从少到多"), ("title", "按名称")]


def training_admin(request: Request[Any, Any, Any]) -> Actor:
    actor = admin_actor(request)
    actor.require(CENTRE, SCHOOL_ADMIN)
    return actor


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


def read_model(request: Request[Any, Any, Any], fn: Any, *args: Any) -> Any:
    with container_of(request).engine.connect() as conn:
        return fn(conn, *args)


class TrainingAdminPages(Controller):
    path = BASE

    # -- schools ----------------------------------------------------------------------------------

    def _schools(self, request: Request[Any, Any, Any], actor: Actor, status_code: int = 200, **context: Any) -> Template:
        schools = read_model(request, q.list_schools, actor)
        return page(request, "training_schools.html", actor, status_code=status_code, schools=schools,
                    form=context.pop("form", {}), **context)

    @get("/schools", sync_to_thread=True)
    def schools(self, request: Request[Any, Any, Any]) -> Template:
        return self._schools(request, training_admin(request))

    @post("/schools", sync_to_thread=True)
    def add_school(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        actor = training_admin(request)
        try:
            school_id = container_of(request).training.schools.register_school(
                actor, str(data.get("name") or ""), str(data.get("campus_ranges") or "")
            )
        except DomainError as exc:
            return self._schools(request, actor, refusal_status(exc), error=exc.message, form=data)
        return done(request, f"{BASE}/schools/{school_id}", "学校培训平台已开设")

    def _school(self, request: Request[Any, Any, Any], actor: Actor, school_id: uuid.UUID, status_code: int = 200,
                **context: Any) -> Template:
        with container_of(request).engine.connect() as conn:
            school = q.get_school(conn, actor, school_id)
            members = q.list_members(conn, actor, school_id)
            courses = q.list_courses(conn, actor, Page(size=200)).items if actor.has(SCHOOL_ADMIN) else []
        return page(request, "training_school.html", actor, status_code=status_code, school=school, members=members,
                    courses=courses, history=audit_tab(request, school_id), form=context.pop("form", {}), **context)

    @get("/schools/{school_id:uuid}", sync_to_thread=True)
    def school(self, request: Request[Any, Any, Any], school_id: uuid.UUID) -> Template:
        return self._school(request, training_admin(request), school_id)

    @post("/schools/{school_id:uuid}", sync_to_thread=True)
    def edit_school(self, request: Request[Any, Any, Any], school_id: uuid.UUID, data: Form) -> Response[Any]:
        actor = training_admin(request)
        try:
            container_of(request).training.schools.edit_school(
                actor, school_id, str(data.get("name") or ""), str(data.get("campus_ranges") or "")
            )
        except DomainError as exc:
            return self._school(request, actor, school_id, refusal_status(exc), error=exc.message, form=data)
        return done(request, f"{BASE}/schools/{school_id}", "已保存")

    @post("/schools/{school_id:uuid}/admins", sync_to_thread=True)
    def appoint(self, request: Request[Any, Any, Any], school_id: uuid.UUID, data: Form) -> Response[Any]:
        actor = training_admin(request)
        try:
            container_of(request).training.schools.appoint_admin(
                actor, role_name=SCHOOL_ADMIN.value, school_id=school_id, username=str(data.get("username") or ""),
                name=str(data.get("name") or ""), password=str(data.get("password") or ""),
                confirm_password=str(data.get("confirm_password") or ""),
            )
        except DomainError as exc:
            return self._school(request, actor, school_id, refusal_status(exc), error=exc.message, form=data)
        return done(request, f"{BASE}/schools/{school_id}", "已添加校级管理员")

    @post("/schools/{school_id:uuid}/training-list", sync_to_thread=True)
    def training_list(self, request: Request[Any, Any, Any], school_id: uuid.UUID, data: Form) -> Response[Any]:
        actor = training_admin(request)
        ids = [u for u in (uuid_param(v) for v in as_list(data.get("course_ids"))) if u is not None]
        try:
            container_of(request).training.schools.set_training_list(actor, school_id, ids)
        except DomainError as exc:
            return self._school(request, actor, school_id, refusal_status(exc), error=exc.message)
        return done(request, f"{BASE}/schools/{school_id}", "培训课单已保存")

    # -- courses ----------------------------------------------------------------------------------

    @get("/courses", sync_to_thread=True)
    def courses(self, request: Request[Any, Any, Any]) -> Template:
        actor = training_admin(request)
        params = {k: str(v) for k, v in request.query_params.items() if v}
        number = int(params.get("page", "1")) if params.get("page", "1").isdigit() else 1
        result = read_model(request, lambda conn: q.list_courses(
            conn, actor, Page(number=number), params.get("kind"), params.get("title"), sort=params.get("sort", "newest")
        ))
        return page(request, "training_courses.html", actor, result=result, params=params, kinds=KINDS, sorts=SORTS)

    def _new_course(self, request: Request[Any, Any, Any], actor: Actor, status_code: int = 200, **context: Any) -> Template:
        kinds = [k for k in KINDS if (k[0] == "school") == actor.has(SCHOOL_ADMIN) and not
                 (actor.has(CENTRE) and k[0] == "school")]
        return page(request, "training_course_new.html", actor, status_code=status_code, kinds=kinds,
                    form=context.pop("form", {}), **context)

    @get("/courses/new", sync_to_thread=True)
    def new_course(self, request: Request[Any, Any, Any]) -> Template:
        return self._new_course(request, training_admin(request))

    @post("/courses/new", sync_to_thread=True)
    def publish(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        actor = training_admin(request)
        try:
            course_id = container_of(request).training.learning.publish_course(
                actor, kind=str(data.get("kind") or ""), title=str(data.get("title") or ""),
                tenths=tenths_of(data.get("hours")),  # type: ignore[arg-type]
                chapters=parse_chapter_lines(str(data.get("chapters") or "")),
                summary_prompt=str(data.get("summary_prompt") or ""),
            )
        except DomainError as exc:
            return self._new_course(request, actor, refusal_status(exc), error=exc.message, form=data)
        return done(request, f"{BASE}/courses/{course_id}", "课程已发布")

    @get("/courses/{course_id:uuid}", sync_to_thread=True)
    def course(self, request: Request[Any, Any, Any], course_id: uuid.UUID) -> Template:
        actor = training_admin(request)
        course = read_model(request, q.get_course, actor, course_id)
        return page(request, "training_course.html", actor, course=course, history=audit_tab(request, course_id))

    # -- lectures ---------------------------------------------------------------------------------

    def _lectures(self, request: Request[Any, Any, Any], actor: Actor, status_code: int = 200, **context: Any) -> Template:
        with container_of(request).engine.connect() as conn:
            lectures = q.list_lectures(conn, actor)
            schools = q.list_schools(conn, actor)
        return page(request, "training_lectures.html", actor, status_code=status_code, lectures=lectures,
                    schools=schools, form=context.pop("form", {}), **context)

    @get("/lectures", sync_to_thread=True)
    def lectures(self, request: Request[Any, Any, Any]) -> Template:
        return self._lectures(request, training_admin(request))

    @post("/lectures", sync_to_thread=True)
    def schedule(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        actor = training_admin(request)
        try:
            lecture_id = container_of(request).training.lectures.schedule(
                actor, origin=str(data.get("origin") or ""), school_id=uuid_param(data.get("training_school_id")),
                title=str(data.get("title") or ""), speaker=str(data.get("speaker") or ""),
                starts_at=str(data.get("starts_at") or ""), duration_minutes=_int(data.get("duration_minutes")),
            )
        except DomainError as exc:
            return self._lectures(request, actor, refusal_status(exc), error=exc.message, form=data)
        return done(request, f"{BASE}/lectures/{lecture_id}", "直播讲座已安排")

    def _lecture(self, request: Request[Any, Any, Any], actor: Actor, lecture_id: uuid.UUID, status_code: int = 200,
                 **context: Any) -> Template:
        with container_of(request).engine.connect() as conn:
            lecture = next(iter(q.list_lectures(conn, actor, lecture_id)), None)
            if lecture is None:
                raise NotFound("not_found", "直播讲座不存在")
            signups = q.lecture_signups_of(conn, actor, lecture_id)
        return page(request, "training_lecture.html", actor, status_code=status_code, lecture=lecture, signups=signups,
                    history=audit_tab(request, lecture_id), **context)

    @get("/lectures/{lecture_id:uuid}", sync_to_thread=True)
    def lecture(self, request: Request[Any, Any, Any], lecture_id: uuid.UUID) -> Template:
        return self._lecture(request, training_admin(request), lecture_id)

    @post("/lectures/{lecture_id:uuid}/attendance", sync_to_thread=True)
    def attendance(self, request: Request[Any, Any, Any], lecture_id: uuid.UUID, data: Form) -> Response[Any]:
        actor = training_admin(request)
        trainee_id = uuid_param(data.get("trainee_id"))
        try:
            if trainee_id is None:
                raise NotFound("not_found", "参训教师不存在")
            container_of(request).training.lectures.record_full_attendance(actor, lecture_id, trainee_id)
        except DomainError as exc:
            return self._lecture(request, actor, lecture_id, refusal_status(exc), error=exc.message)
        return done(request, f"{BASE}/lectures/{lecture_id}", "已登记全程参加")

    # -- hosting applications -----------------------------------------------------------------------

    @get("/hosting-applications", sync_to_thread=True)
    def hosting(self, request: Request[Any, Any, Any]) -> Template:
        actor = training_admin(request)
        status = str(request.query_params.get("status") or "") or None
        rows = read_model(request, q.list_hosting, actor, status)
        return page(request, "training_hosting.html", actor, rows=rows, statuses=HOSTING_STATUSES,
                    params={"status": status or ""})

    def _hosting_show(self, request: Request[Any, Any, Any], actor: Actor, application_id: uuid.UUID,
                      status_code: int = 200, **context: Any) -> Template:
        row = read_model(request, q.get_hosting, actor, application_id)
        return page(request, "training_hosting_show.html", actor, status_code=status_code, r=row,
                    history=audit_tab(request, application_id), form=context.pop("form", {}), **context)

    @get("/hosting-applications/{application_id:uuid}", sync_to_thread=True)
    def hosting_show(self, request: Request[Any, Any, Any], application_id: uuid.UUID) -> Template:
        return self._hosting_show(request, training_admin(request), application_id)

    @post("/hosting-applications/{application_id:uuid}/review", sync_to_thread=True)
    def review(self, request: Request[Any, Any, Any], application_id: uuid.UUID, data: Form) -> Response[Any]:
        actor = training_admin(request)
        approve = data.get("decision") == "approve"
        try:
            container_of(request).training.lectures.review_hosting(
                actor, application_id, approve, str(data.get("reason") or "") or None
            )
        except DomainError as exc:
            return self._hosting_show(request, actor, application_id, refusal_status(exc), error=exc.message, form=data)
        return done(request, f"{BASE}/hosting-applications/{application_id}", "审核通过" if approve else "已驳回")

    @post("/hosting-applications/{application_id:uuid}/schedule", sync_to_thread=True)
    def schedule_hosting(self, request: Request[Any, Any, Any], application_id: uuid.UUID, data: Form) -> Response[Any]:
        actor = training_admin(request)
        try:
            lecture_id = container_of(request).training.lectures.schedule_hosting(
                actor, application_id, str(data.get("speaker") or ""), str(data.get("starts_at") or ""),
                _int(data.get("duration_minutes")),
            )
        except DomainError as exc:
            return self._hosting_show(request, actor, application_id, refusal_status(exc), error=exc.message, form=data)
        return done(request, f"{BASE}/lectures/{lecture_id}", "已安排直播")

    # -- school-recognised hours --------------------------------------------------------------------

    def _activities(self, request: Request[Any, Any, Any], actor: Actor, status_code: int = 200, **context: Any) -> Template:
        with container_of(request).engine.connect() as conn:
            rows = q.list_activities(conn, actor)
            trainees = q.list_members(conn, actor, actor.training_school_id, Role.TRAINEE.value) \
                if actor.has(SCHOOL_ADMIN) else []
        return page(request, "training_activities.html", actor, status_code=status_code, rows=rows, trainees=trainees,
                    form=context.pop("form", {}), **context)

    @get("/activities", sync_to_thread=True)
    def activities(self, request: Request[Any, Any, Any]) -> Template:
        return self._activities(request, training_admin(request))

    @post("/activities", sync_to_thread=True)
    def organise(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        actor = training_admin(request)
        try:
            container_of(request).training.activities.organise(
                actor, str(data.get("title") or ""), str(data.get("held_on") or ""),
                tenths_of(data.get("hours")),  # type: ignore[arg-type]
            )
        except DomainError as exc:
            return self._activities(request, actor, refusal_status(exc), error=exc.message, form=data)
        return done(request, f"{BASE}/activities", "线下活动已登记")

    @post("/activities/{activity_id:uuid}/participants", sync_to_thread=True)
    def participant(self, request: Request[Any, Any, Any], activity_id: uuid.UUID, data: Form) -> Response[Any]:
        actor = training_admin(request)
        try:
            trainee_id = uuid_param(data.get("trainee_id"))
            if trainee_id is None:
                raise NotFound("not_found", "请选择参训教师")
            container_of(request).training.activities.record_participation(actor, activity_id, trainee_id)
        except DomainError as exc:
            return self._activities(request, actor, refusal_status(exc), error=exc.message)
        return done(request, f"{BASE}/activities", "已记录学时")

    def _declarations(self, request: Request[Any, Any, Any], actor: Actor, status_code: int = 200, **context: Any) -> Template:
        rows = read_model(request, q.list_declarations, actor, None)
        return page(request, "training_declarations.html", actor, status_code=status_code, rows=rows, **context)

    @get("/declarations", sync_to_thread=True)
    def declarations(self, request: Request[Any, Any, Any]) -> Template:
        return self._declarations(request, training_admin(request))

    @post("/declarations/{declaration_id:uuid}/review", sync_to_thread=True)
    def review_declaration(self, request: Request[Any, Any, Any], declaration_id: uuid.UUID, data: Form) -> Response[Any]:
        actor = training_admin(request)
        recognise = data.get("decision") == "recognise"
        try:
            container_of(request).training.activities.review_declaration(
                actor, declaration_id, recognise, str(data.get("reason") or "") or None
            )
        except DomainError as exc:
            return self._declarations(request, actor, refusal_status(exc), error=exc.message)
        return done(request, f"{BASE}/declarations", "已认定" if recognise else "已不予认定")

    @get("/sms-outbox", sync_to_thread=True)
    def sms_outbox(self, request: Request[Any, Any, Any]) -> Template:
        """The embedded SMS sender's outbox: the codes it would have sent (mobiles masked), for
        development and demonstrations; the centre's administrators only."""
        actor = training_admin(request)
        actor.require(CENTRE)
        sender = container_of(request).training.sms_sender
        sent = list(reversed(getattr(sender, "sent", [])))[:20]
        return page(request, "training_sms_outbox.html", actor, messages=sent, simulated=hasattr(sender, "sent"))

    # -- trainees -----------------------------------------------------------------------------------

    @get("/trainees", sync_to_thread=True)
    def trainees(self, request: Request[Any, Any, Any]) -> Template:
        actor = training_admin(request)
        school_id = uuid_param(request.query_params.get("school_id")) or actor.training_school_id
        with container_of(request).engine.connect() as conn:
            schools = q.list_schools(conn, actor)
            rows = q.list_members(conn, actor, school_id, Role.TRAINEE.value) if school_id else []
        return page(request, "training_trainees.html", actor, rows=rows, schools=schools, school_id=school_id)

    @get("/trainees/{trainee_id:uuid}/hours", sync_to_thread=True)
    def trainee_hours(self, request: Request[Any, Any, Any], trainee_id: uuid.UUID) -> Template:
        actor = training_admin(request)
        detail = read_model(request, q.hours_detail, actor, trainee_id)
        return page(request, "training_hours.html", actor, detail=detail)


def _int(raw: Any) -> int:
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and len(text) < 6 else 0
