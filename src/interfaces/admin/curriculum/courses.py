"""课程管理 and 培养方案课程 (requirements/curriculum.md §1.2, §1.3, §1.4, §2.1): the course catalogue with its
filters, paging and Excel export; registering a course; a course's record page (publish and
close, education levels, versions and the one in use, the assessment requirement submitted
and reviewed, the audit tab); and a programme's course list with each course's suggested
semester (建议开课学期)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Template
from sqlalchemy import Connection

from application.admissions.queries import list_programmes
from application.common.actor import Actor
from application.common.queries import Page
from application.curriculum.queries import (
    credits_label,
    get_course,
    list_courses,
    list_exam_batches,
    list_programme_courses,
    list_selection_batches,
)
from domains.curriculum.course import CourseStatus
from domains.curriculum.levels import education_level_of
from domains.curriculum.programme_curriculum import MAX_SEMESTER
from domains.shared.errors import DomainError, NotFound
from infrastructure.container import Container
from interfaces.admin.common.forms import (
    Form,
    as_list,
    done,
    error_field,
    page_of,
    refusal_status,
)
from interfaces.admin.common.guards import requires_role
from interfaces.admin.common.lists import export_response
from interfaces.admin.common.rendering import audit_tab, page
from interfaces.admin.curriculum.forms import LEVELS, attempt, one_course_by_code, text
from interfaces.admin.curriculum.roles import EDITORS, PROGRAMME_READERS, READERS

FILTER_KEYS = ("code", "name", "status", "level")
STATUSES = [(s.value, s.label) for s in CourseStatus]
SEMESTERS = [(n, f"第{n}学期") for n in range(1, MAX_SEMESTER + 1)]
EXPORT_COLUMNS = (
    ("code", "课程代码"), ("name", "课程名称"), ("credits", "学分"), ("levels_text", "所属学历"),
    ("status_label", "状态"), ("version_in_use", "使用中版本"), ("assessment_text", "考核要求"),
    ("final_exam_text", "含终考"), ("registered_at", "登记时间"),
)


def assessment_text(course: dict[str, Any]) -> str:
    """The approved requirement stays in force while a newer one waits or after it is rejected."""
    latest = course["assessment_status_label"]
    if not course["assessment_approved"]:
        return latest or "未提交"
    return "审核通过" if course["assessment_status"] == "approved" else f"审核通过（新提交{latest}）"


def shown(course: dict[str, Any]) -> dict[str, Any]:
    course["assessment_text"] = assessment_text(course)
    course["levels_text"] = "、".join(course["level_labels"])
    course["final_exam_text"] = ("是" if course["includes_final_exam"] else "否") if course["assessment_approved"] else ""
    return course


def course_filters(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {k: str(v).strip() for k in FILTER_KEYS if (v := request.query_params.get(k)) not in (None, "")}


class CoursePages(Controller):
    path = "/admin/courses"
    guards = [requires_role(*READERS)]

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        params = course_filters(request)
        result = list_courses(reader, actor, page_of(request), **params)
        result.items = [shown(c) for c in result.items]
        return page(request, "curriculum_courses.html", actor, result=result, params=params, statuses=STATUSES,
                    levels=LEVELS, can_edit=actor.has(*EDITORS))

    @get("/export.xlsx", sync_to_thread=True)
    def export(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Response[bytes]:
        params = course_filters(request)
        return export_response(
            request, reader, "课程", "courses", EXPORT_COLUMNS, lambda conn, p: list_courses(conn, actor, p, **params),
            shown,
        )

    # -- 登记课程 ----------------------------------------------------------------------------

    def _new(self, request: Request[Any, Any, Any], actor: Actor, form: dict[str, Any], status_code: int = 200,
             **context: Any) -> Template:
        return page(request, "curriculum_course_new.html", actor, status_code=status_code, form=form, levels=LEVELS,
                    chosen=set(as_list(form.get("levels"))), **context)

    @get("/new", sync_to_thread=True, guards=[requires_role(*EDITORS)])
    def new(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        return self._new(request, actor, {})

    @post("/new", sync_to_thread=True, guards=[requires_role(*EDITORS)])
    def create(self, request: Request[Any, Any, Any], actor: Actor, services: Container, data: Form) -> Response[Any]:
        try:
            course_id = services.curriculum.register_course(
                actor, text(data, "code"), text(data, "name"), text(data, "credits"), as_list(data.get("levels")),
            )
        except DomainError as exc:
            if exc.kind == "forbidden":
                raise
            return self._new(request, actor, data, refusal_status(exc), error=exc.message, error_field=error_field(exc))
        return done(request, f"/admin/courses/{course_id}", f"课程“{text(data, 'name')}”已登记")

    # -- one course ----------------------------------------------------------------------------

    def _show(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
              course_id: uuid.UUID, status_code: int = 200, **context: Any) -> Template:
        course = shown(get_course(reader, actor, course_id))
        now = services.clock.now()
        selection = {b["id"]: b for b in list_selection_batches(reader, actor, now)}
        exams = {b["id"]: b for b in list_exam_batches(reader, actor, now)}
        course["selection_batches"] = [selection[b] for b in course["selection_batch_ids"] if b in selection]
        course["exam_batches"] = [exams[b] for b in course["exam_batch_ids"] if b in exams]
        context.setdefault("form", {})
        return page(request, "curriculum_course.html", actor, status_code=status_code, course=course, levels=LEVELS,
                    can_edit=actor.has(*EDITORS), history=audit_tab(reader, course_id), **context)

    @get("/{course_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
             course_id: uuid.UUID) -> Template:
        return self._show(request, actor, services, reader, course_id)

    def _act(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
             course_id: uuid.UUID, data: dict[str, Any], use_case: str, message: str, *args: Any) -> Response[Any]:
        """One action of the record page: the `Curriculum` use case named, with the course id first."""
        action = getattr(services.curriculum, use_case)
        return attempt(
            request, lambda: action(actor, course_id, *args), f"/admin/courses/{course_id}", message,
            lambda exc: self._show(request, actor, services, reader, course_id, refusal_status(exc), form=data,
                                   error=exc.message, error_field=error_field(exc)),
        )

    @post("/{course_id:uuid}/publish", sync_to_thread=True)
    def publish(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
                course_id: uuid.UUID, data: Form) -> Response[Any]:
        return self._act(request, actor, services, reader, course_id, data, "publish_course", "课程已发布")

    @post("/{course_id:uuid}/close", sync_to_thread=True)
    def close(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
              course_id: uuid.UUID, data: Form) -> Response[Any]:
        return self._act(request, actor, services, reader, course_id, data, "close_course", "课程已停用",
                         text(data, "close_reason") or None)

    @post("/{course_id:uuid}/levels", sync_to_thread=True)
    def levels(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
               course_id: uuid.UUID, data: Form) -> Response[Any]:
        return self._act(request, actor, services, reader, course_id, data, "change_course_levels", "所属学历已保存",
                         as_list(data.get("levels")))

    @post("/{course_id:uuid}/versions", sync_to_thread=True)
    def add_version(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
                    course_id: uuid.UUID, data: Form) -> Response[Any]:
        version = text(data, "version")
        return self._act(request, actor, services, reader, course_id, data, "add_course_version",
                         f"已添加课程版本“{version}”", version)

    @post("/{course_id:uuid}/version-in-use", sync_to_thread=True)
    def use_version(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
                    course_id: uuid.UUID, data: Form) -> Response[Any]:
        version = text(data, "version_in_use")
        return self._act(request, actor, services, reader, course_id, data, "use_course_version",
                         f"使用中版本已设为“{version}”", version)

    @post("/{course_id:uuid}/assessment", sync_to_thread=True)
    def submit_assessment(self, request: Request[Any, Any, Any], actor: Actor, services: Container,
                          reader: Connection, course_id: uuid.UUID, data: Form) -> Response[Any]:
        return self._act(request, actor, services, reader, course_id, data, "submit_assessment", "考核要求已提交，待审核",
                         data.get("includes_final_exam") == "yes", text(data, "description"))

    @post("/{course_id:uuid}/assessment/approve", sync_to_thread=True)
    def approve_assessment(self, request: Request[Any, Any, Any], actor: Actor, services: Container,
                           reader: Connection, course_id: uuid.UUID, data: Form) -> Response[Any]:
        return self._act(request, actor, services, reader, course_id, data, "approve_assessment", "考核要求审核通过",
                         text(data, "comment") or None)

    @post("/{course_id:uuid}/assessment/reject", sync_to_thread=True)
    def reject_assessment(self, request: Request[Any, Any, Any], actor: Actor, services: Container,
                          reader: Connection, course_id: uuid.UUID, data: Form) -> Response[Any]:
        return self._act(request, actor, services, reader, course_id, data, "reject_assessment", "考核要求已驳回",
                         text(data, "reason"))


class ProgrammeCoursePages(Controller):
    """培养方案课程: a teaching-point administrator reads the list of a programme it offers."""

    path = "/admin/programmes/{programme_id:uuid}/courses"
    guards = [requires_role(*PROGRAMME_READERS)]

    def _index(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, programme_id: uuid.UUID,
               status_code: int = 200, **context: Any) -> Template:
        programme = next(
            (p for p in list_programmes(reader, actor.visible_teaching_point()) if p["id"] == programme_id), None
        )
        if programme is None:
            raise NotFound("not_found", "培养方案不存在或未在您的教学点开设")
        semester = request.query_params.get("semester", "")
        rows = list_programme_courses(reader, actor, programme_id, int(semester) if semester.isdigit() else None)
        level = education_level_of(programme["level"])
        offered = list_courses(reader, actor, Page(size=200), level=level.value).items if actor.has(*EDITORS) else []
        context.setdefault("form", {})
        return page(request, "curriculum_programme_courses.html", actor, status_code=status_code, p=programme,
                    rows=rows, semesters=SEMESTERS, semester=semester, offered=offered, level_label=level.label,
                    total_credits=credits_label(sum(r["credit_tenths"] for r in rows)), can_edit=actor.has(*EDITORS),
                    **context)

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection,
              programme_id: uuid.UUID) -> Template:
        return self._index(request, actor, reader, programme_id)

    def _act(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, programme_id: uuid.UUID,
             data: dict[str, Any], message: str, action: Callable[[], Any]) -> Response[Any]:
        return attempt(
            request, action, f"/admin/programmes/{programme_id}/courses", message,
            lambda exc: self._index(request, actor, reader, programme_id, refusal_status(exc), form=data,
                                    error=exc.message, error_field=error_field(exc)),
        )

    @post("/", sync_to_thread=True)
    def add(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
            programme_id: uuid.UUID, data: Form) -> Response[Any]:
        def add_course() -> None:
            course_id = one_course_by_code(reader, actor, text(data, "course_code"))
            services.curriculum.add_programme_course(actor, programme_id, course_id, text(data, "suggested_semester"))

        return self._act(request, actor, reader, programme_id, data, "课程已加入培养方案", add_course)

    @post("/{course_id:uuid}/semester", sync_to_thread=True)
    def move(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
             programme_id: uuid.UUID, course_id: uuid.UUID, data: Form) -> Response[Any]:
        return self._act(
            request, actor, reader, programme_id, {}, "建议开课学期已修改",
            lambda: services.curriculum.move_programme_course(
                actor, programme_id, course_id, text(data, "suggested_semester")
            ),
        )

    @post("/{course_id:uuid}/remove", sync_to_thread=True)
    def remove(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
               programme_id: uuid.UUID, course_id: uuid.UUID, data: Form) -> Response[Any]:
        return self._act(
            request, actor, reader, programme_id, {}, "课程已移出培养方案",
            lambda: services.curriculum.remove_programme_course(actor, programme_id, course_id),
        )
