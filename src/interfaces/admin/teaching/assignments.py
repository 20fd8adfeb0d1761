"""Teaching support at a teaching point (requirements/teaching.md §1, §2, §3).

- `/admin/mentor-assignments` (学务导师分配): learners with their academic mentor, the roster
  filters plus 分配状态 (未分配 finds learners without one) and 学务导师; tick learners and choose an
  enabled academic mentor of the teaching point: each learner is assigned or refused with the
  reason shown beside their student number. Excel export of the current filter.
- `/admin/course-classes` (班级管理 · 手动组班): the classes; a teaching point forms one (name,
  course, grouping deadline, optional tutor); the class page lists its members and the learners
  still to be grouped (ticked to add), removes a member or moves them to another class of the
  course; after the grouping deadline the use case refuses and the page says why; audit tab.
- `/admin/exam-site-assignments` (为学生分配考点): learners with their default exam site, the
  roster filters plus 分配状态; a site (code and name) for the ticked learners (one or many).
  Excel export of the current filter.

The Teaching use cases decide every change (role and scope included); these pages only ask.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Template
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.common.queries import Page
from application.identity.queries import list_staff
from application.teaching.queries import (
    class_candidates,
    class_members,
    export_exam_site_assignments,
    export_mentor_assignments,
    get_course_class,
    get_mentor_assignment,
    list_course_classes,
    list_exam_site_assignments,
    list_mentor_assignments,
    list_mentors,
)
from application.teaching.service import Outcome
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.values import Role
from infrastructure.clock import SHANGHAI
from infrastructure.container import Container
from interfaces.admin.common.exports import workbook_bytes, xlsx_response
from interfaces.admin.common.forms import (
    Form,
    as_list,
    done,
    page_number,
    refusal_status,
    uuid_param,
    uuids,
)
from interfaces.admin.common.lists import list_filters, list_page
from interfaces.admin.common.rendering import audit_tab, page

MENTORS = "/admin/mentor-assignments"
SITES = "/admin/exam-site-assignments"
CLASSES = "/admin/course-classes"
ASSIGNMENT_STATES = [("unassigned", "未分配"), ("assigned", "已分配")]
LEARNER_COLUMNS = (
    ("student_number", "学号"), ("name", "姓名"), ("teaching_point_name", "教学点"), ("study_batch_name", "学习批次"),
    ("level", "层次"), ("learner_type", "学生类型"), ("learner_source", "学生来源"), ("major", "专业"),
    ("length_of_schooling", "学制"), ("status_label", "学籍状态"),
)
MENTOR_COLUMNS = (
    *LEARNER_COLUMNS, ("mentor_state_label", "分配状态"), ("mentor_username", "学务导师用户名"),
    ("mentor_name", "学务导师姓名"), ("mentor_mobile", "学务导师手机号码"), ("mentor_assigned_at", "分配时间"),
)
SITE_COLUMNS = (
    *LEARNER_COLUMNS, ("site_state_label", "分配状态"), ("site_code", "考点代码"), ("site_name", "考点名称"),
    ("site_assigned_at", "分配时间"),
)
TUTOR_ROLES = (Role.HEAD_TEACHER.value, Role.ACADEMIC_MENTOR.value)


def _xlsx(services: Container, title: str, ascii_name: str, columns: Sequence[tuple[str, str]],
          rows: list[dict[str, Any]]) -> Response[bytes]:
    """An Excel file of the current filter, from the query's own export."""
    content, _count = workbook_bytes(title, columns, rows)
    stamp = services.clock.now().astimezone(SHANGHAI).strftime("%Y%m%d%H%M")
    return xlsx_response(content, f"{title}_{stamp}.xlsx", f"{ascii_name}_{stamp}.xlsx")


def _refusal(conn: Connection, actor: Actor, learner_id: uuid.UUID, message: str | None) -> dict[str, Any]:
    """A refused learner as the page names them (a learner the actor may not see stays unnamed)."""
    try:
        learner = get_mentor_assignment(conn, actor, learner_id)
    except DomainError:
        learner = {"student_number": "", "name": "（不存在或不属于您的教学点）"}
    return {"student_number": learner["student_number"], "name": learner["name"], "message": message or ""}


class _AssignmentPages(Controller):
    """A roster of learners with one assignment each (the mentor or the exam site): the filters,
    the list, the export, and the form applied to the ticked learners."""

    title = ""
    template = ""
    ascii_name = ""
    columns: Sequence[tuple[str, str]] = ()
    id_keys: tuple[str, ...] = ()
    text_keys: tuple[str, ...] = ("assignment",)

    def _listed(self, conn: Connection, actor: Actor, page_: Page, filters: RosterFilter, **extra: Any) -> Any:
        raise NotImplementedError

    def _exported(self, conn: Connection, actor: Actor, filters: RosterFilter, **extra: Any) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _choices(self, conn: Connection, actor: Actor) -> dict[str, Any]:
        return {}

    def _query(self, request: Request[Any, Any, Any], actor: Actor) -> tuple[RosterFilter, dict[str, Any], dict[str, str]]:
        return list_filters(request, actor, id_keys=self.id_keys, text_keys=self.text_keys)

    def _list(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, status_code: int = 200,
              **context: Any) -> Template:
        filters, extra, params = self._query(request, actor)
        return list_page(
            request, actor, reader, self.template, params, lambda conn, p: self._listed(conn, actor, p, filters, **extra),
            choices=lambda conn: self._choices(conn, actor), states=ASSIGNMENT_STATES,
            may_assign=actor.has(Role.TEACHING_POINT_ADMIN), status_code=status_code, **context,
        )

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        return self._list(request, actor, reader)

    @get("/export.xlsx", sync_to_thread=True)
    def export(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection) -> Response[bytes]:
        filters, extra, _ = self._query(request, actor)
        return _xlsx(services, self.title, self.ascii_name, self.columns, self._exported(reader, actor, filters, **extra))

    def _assigned(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, data: dict[str, Any],
                  assign: Callable[[list[uuid.UUID]], list[Any]], what: str) -> Template:
        """The outcome of assigning the ticked learners: how many were assigned, and each refusal
        with its reason; a refusal of the whole request (no learner ticked, a disabled mentor,
        bad input) is shown as the page's error."""
        try:
            outcomes = assign(uuids(as_list(data.get("learner_ids"))))
        except DomainError as exc:
            if exc.kind == "forbidden":
                raise
            return self._list(request, actor, reader, refusal_status(exc), error=exc.message, form=data)
        refused = [_refusal(reader, actor, o.learner_id, o.message) for o in outcomes if not o.ok]
        done_count = sum(1 for o in outcomes if o.ok)
        notice = f"已为{done_count}名学生{what}" + (f"，{len(refused)}名学生未能分配" if refused else "")
        return self._list(request, actor, reader, flash=notice, refused=refused, form=data)


class MentorAssignmentPages(_AssignmentPages):
    path = MENTORS
    title = "学务导师分配"
    template = "teaching_mentors.html"
    ascii_name = "mentor_assignments"
    columns = MENTOR_COLUMNS
    id_keys = ("mentor_id",)

    def _listed(self, conn: Connection, actor: Actor, page_: Page, filters: RosterFilter, **extra: Any) -> Any:
        return list_mentor_assignments(conn, actor, page_, filters, **extra)

    def _exported(self, conn: Connection, actor: Actor, filters: RosterFilter, **extra: Any) -> list[dict[str, Any]]:
        return export_mentor_assignments(conn, actor, filters, **extra)

    def _choices(self, conn: Connection, actor: Actor) -> dict[str, Any]:
        mentors = list_mentors(conn, actor)
        return {"mentors": mentors, "mentor_options": [(m["id"], f"{m['username']} {m['name']}") for m in mentors]}

    @post("/", sync_to_thread=True)
    def assign(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Form
    ) -> Template:
        mentor_id = uuid_param(data.get("mentor_id"))
        teaching = services.teaching

        def assign(ids: list[uuid.UUID]) -> list[Any]:
            if mentor_id is None:
                raise InvalidInput("field.required", "请选择学务导师", field="mentor_id")
            return teaching.assign_mentor_to_learners(actor, ids, mentor_id)

        return self._assigned(request, actor, reader, data, assign, "分配学务导师")


class ExamSiteAssignmentPages(_AssignmentPages):
    path = SITES
    title = "为学生分配考点"
    template = "teaching_exam_sites.html"
    ascii_name = "exam_site_assignments"
    columns = SITE_COLUMNS
    text_keys = ("assignment", "site_code")

    def _listed(self, conn: Connection, actor: Actor, page_: Page, filters: RosterFilter, **extra: Any) -> Any:
        return list_exam_site_assignments(conn, actor, page_, filters, **extra)

    def _exported(self, conn: Connection, actor: Actor, filters: RosterFilter, **extra: Any) -> list[dict[str, Any]]:
        return export_exam_site_assignments(conn, actor, filters, **extra)

    @post("/", sync_to_thread=True)
    def assign(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Form
    ) -> Template:
        code, name = (str(data.get(k) or "").strip() for k in ("new_site_code", "new_site_name"))
        teaching = services.teaching

        def assign(ids: list[uuid.UUID]) -> list[Any]:
            if not ids:
                raise InvalidInput("field.required", "请选择学生", field="learner_ids")
            outcomes = []
            for learner_id in ids:  # one learner's default exam site at a time, each decided by the use case
                try:
                    teaching.assign_exam_site(actor, learner_id, code, name)
                    outcomes.append(Outcome(learner_id, True))
                except DomainError as exc:
                    if exc.kind in ("forbidden", "invalid"):
                        raise
                    outcomes.append(Outcome(learner_id, False, exc.code, exc.message))
            return outcomes

        return self._assigned(request, actor, reader, data, assign, "设置常用考点")


# -- 班级管理 · 手动组班 --------------------------------------------------------------------------


def _tutors(conn: Connection, actor: Actor) -> list[tuple[uuid.UUID, str]]:
    """The enabled head teachers and academic mentors of the teaching point (课程导师 choices)."""
    if not actor.has(Role.TEACHING_POINT_ADMIN) or actor.is_school_staff:
        return []
    staff = list_staff(conn, actor, Page(size=200), status="enabled").items
    return [(s["id"], f"{s['username']} {s['name']}") for s in staff if set(s["roles"]) & set(TUTOR_ROLES)]


class CourseClassPages(Controller):
    path = CLASSES

    def _filters(self, request: Request[Any, Any, Any], actor: Actor) -> tuple[dict[str, Any], dict[str, str]]:
        _, extra, params = list_filters(request, actor, id_keys=("course_id", "teaching_point_id"), text_keys=("name",))
        if not actor.is_school_staff:
            extra.pop("teaching_point_id", None)
            params.pop("teaching_point_id", None)
        return extra, params

    def _index(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
               status_code: int = 200, **context: Any) -> Template:
        extra, params = self._filters(request, actor)
        now = services.clock.now()
        return list_page(
            request, actor, reader, "teaching_classes.html", params,
            lambda conn, p: list_course_classes(conn, actor, p, now, **extra),
            choices=lambda conn: {"tutors": _tutors(conn, actor)},
            may_form=actor.has(Role.TEACHING_POINT_ADMIN) and not actor.is_school_staff, status_code=status_code,
            **context,
        )

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection) -> Template:
        return self._index(request, actor, services, reader, form={})

    @post("/", sync_to_thread=True)
    def form_class(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Form
    ) -> Response[Any]:
        try:
            class_id = services.teaching.form_class(
                actor, course_id=uuid_param(data.get("course_id")) or uuid.UUID(int=0),
                name=str(data.get("name") or ""), grouping_deadline=str(data.get("grouping_deadline") or "") or None,
                tutor_id=uuid_param(data.get("tutor_id")),
            )
        except DomainError as exc:
            if exc.kind == "forbidden":
                raise
            message = "请选择课程" if exc.kind == "not_found" and not uuid_param(data.get("course_id")) else exc.message
            return self._index(request, actor, services, reader, refusal_status(exc), form=data, error=message)
        return done(request, f"{CLASSES}/{class_id}", "班级已创建")

    def _show(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
              class_id: uuid.UUID, status_code: int = 200, **context: Any) -> Template:
        now = services.clock.now()
        lookup = {k: str(request.query_params.get(k) or "").strip() for k in ("student_number", "name")}
        finder = RosterFilter(student_number=lookup["student_number"] or None, name=lookup["name"] or None)
        course_class = get_course_class(reader, actor, class_id, now)
        members = class_members(reader, actor, class_id, Page(number=page_number(request)), RosterFilter())
        candidates = class_candidates(reader, actor, class_id, Page(size=200), finder)
        tutors = _tutors(reader, actor)
        siblings = list_course_classes(
            reader, actor, Page(size=200), now, course_id=course_class["course_id"],
            teaching_point_id=course_class["teaching_point_id"],
        ).items
        may_change = actor.visible_teaching_point() == course_class["teaching_point_id"] and actor.has(Role.TEACHING_POINT_ADMIN)
        return page(
            request, "teaching_class.html", actor, status_code=status_code, c=course_class, members=members,
            candidates=candidates, targets=[(s["id"], s["name"]) for s in siblings if s["id"] != class_id],
            may_change=may_change, tutors=tutors, lookup=lookup, history=audit_tab(reader, class_id), **context,
        )

    @get("/{class_id:uuid}", sync_to_thread=True)
    def show(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, class_id: uuid.UUID
    ) -> Template:
        return self._show(request, actor, services, reader, class_id)

    def _change(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
                class_id: uuid.UUID, change: Callable[[], Any], message: str) -> Response[Any]:
        try:
            change()
        except DomainError as exc:
            if exc.kind == "forbidden":
                raise
            return self._show(request, actor, services, reader, class_id, refusal_status(exc), error=exc.message)
        return done(request, f"{CLASSES}/{class_id}", message)

    @post("/{class_id:uuid}/edit", sync_to_thread=True)
    def edit(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        class_id: uuid.UUID, data: Form,
    ) -> Response[Any]:
        name, tutor = str(data.get("name") or ""), uuid_param(data.get("tutor_id"))
        return self._change(request, actor, services, reader, class_id,
                            lambda: services.teaching.edit_class(actor, class_id, name=name, tutor_id=tutor), "班级信息已保存")

    @post("/{class_id:uuid}/members", sync_to_thread=True)
    def add(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        class_id: uuid.UUID, data: Form,
    ) -> Response[Any]:
        ids = uuids(as_list(data.get("learner_ids")))
        return self._change(request, actor, services, reader, class_id,
                            lambda: services.teaching.add_to_class(actor, class_id, ids), f"已将{len(ids)}名学生加入班级")

    @post("/{class_id:uuid}/members/{learner_id:uuid}/removal", sync_to_thread=True)
    def remove(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        class_id: uuid.UUID, learner_id: uuid.UUID,
    ) -> Response[Any]:
        return self._change(request, actor, services, reader, class_id,
                            lambda: services.teaching.remove_from_class(actor, class_id, learner_id),
                            "已将学生移出班级，该学生需重新分班")

    @post("/{class_id:uuid}/members/{learner_id:uuid}/move", sync_to_thread=True)
    def move(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        class_id: uuid.UUID, learner_id: uuid.UUID, data: Form,
    ) -> Response[Any]:
        target = uuid_param(data.get("target_class_id"))

        def move() -> None:
            if target is None:
                raise InvalidInput("field.required", "请选择要调入的班级", field="target_class_id")
            services.teaching.move_learner(actor, class_id, learner_id, target)

        return self._change(request, actor, services, reader, class_id, move, "已调班")
