"""学籍异动 (requirements/learners.md §4): transfer of teaching point (转教学点), change of major
(转专业) and withdrawal (退学).

- `/admin/status-changes`: the requests with the roster filters (requirements/common.md §2.1) plus
  kind and status, one tab per role's work (the teaching point its learners' requests and those
  waiting for its 初审; academic affairs those waiting for 复审 first), paging and an Excel export
  of the current filter.
- `/admin/status-changes/new`: a teaching point enters a request for one of its learners by the
  full student number; the form offers only the targets the rules allow (a transfer: the other
  teaching points offering the learner's programme; a change of major: the programmes of the same
  level offered at the learner's teaching point) and proof files (PNG/JPG/PDF, at most 5 MB each).
  Before a withdrawal it lists the learner's courses still inside their drop period, with a link
  to the learner's courses page where drops are asked for.
- `/admin/status-changes/{id}`: one request with the steps the viewer's role may take (each
  through the StatusChanges use cases, which decide), its proof files and its audit tab.
- `/admin/status-changes/change-of-major-window`: academic affairs sets the 转专业申请期.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.response import Template
from sqlalchemy import Connection

from application.admissions.queries import list_programmes
from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.learners.queries import get_learner, learner_id_by_number
from application.learners.status_change_projection import (
    attachment_of,
    change_of_major_window,
    get_status_change,
    list_status_changes,
)
from application.learners.status_changes import Upload
from application.organisation.queries import teaching_point_choices
from domains.learners.learner import LearnerStatus
from domains.learners.status_change import (
    ATTACHMENT_MAX_BYTES,
    StatusChangeKind,
    StatusChangeStatus,
)
from domains.shared.errors import DomainError, NotFound
from domains.shared.values import Role
from infrastructure.container import Container
from interfaces.admin.common.forms import (
    Form,
    Multipart,
    done,
    refusal_status,
    uuid_param,
)
from interfaces.admin.common.guards import requires_role
from interfaces.admin.common.lists import export_response, list_page
from interfaces.admin.common.queues import Tab, tab_counts, tabbed_filters
from interfaces.admin.common.rendering import audit_tab, page
from interfaces.admin.common.worklist import after_decision
from interfaces.http.files import stored_file_response

S = StatusChangeStatus
KINDS = [(k.value, k.label) for k in StatusChangeKind]
STATUSES = [(s.value, s.label) for s in StatusChangeStatus]
BASE = "/admin/status-changes"

EXPORT_COLUMNS = (
    ("requested_at", "申请时间"), ("student_number", "学号"), ("learner_name", "姓名"),
    ("teaching_point_name", "教学点"), ("level", "层次"), ("major", "专业"), ("length_of_schooling", "学制"),
    ("kind_label", "异动类型"), ("target", "转入"), ("status_label", "审核状态"),
    ("requested_by_role_label", "发起人"), ("reason", "申请原因"), ("preliminary_comment", "初审意见"),
    ("final_comment", "复审意见"), ("reject_reason", "驳回原因"), ("closed_at", "办结时间"),
)


def target_of(r: dict[str, Any]) -> str:
    """What the request moves the learner to: a teaching point, a programme, or nothing (退学)."""
    if r.get("target_teaching_point_name"):
        return str(r["target_teaching_point_name"])
    if r.get("target_major"):
        return f"{r['target_level']} {r['target_major']}（{r['target_length_of_schooling']}）"
    return ""


def _shaped(r: dict[str, Any]) -> dict[str, Any]:
    moved = r["kind"] == StatusChangeKind.TRANSFER.value and r["status"] == S.APPROVED.value
    return {
        **r, "target": target_of(r), "learner_status_label": LearnerStatus(r["learner_status"]).label,
        "learner_point_id": r["target_teaching_point_id"] if moved else r["teaching_point_id"],
    }


def tabs_for(actor: Actor) -> list[Tab]:
    """The viewer's own work first: academic affairs opens on 待复审."""
    tabs = []
    if actor.has(Role.ACADEMIC_AFFAIRS):
        tabs.append(Tab("final", "待复审", S.PENDING_FINAL_REVIEW.value))
    if actor.has(Role.TEACHING_POINT_ADMIN) and not actor.is_school_staff:
        tabs.append(Tab("mine", "本教学点学籍异动"))
        tabs.append(Tab("preliminary", "待初审", S.PENDING_PRELIMINARY_REVIEW.value))
    if actor.is_school_staff:
        tabs.append(Tab("all", "全部学籍异动"))
    if not tabs:
        tabs.append(Tab("mine", "学籍异动"))
    return tabs


# Each review step: the StatusChanges use case it calls, the form field it takes, what it says when done.
STEPS: dict[str, tuple[str, str, str]] = {
    "preliminary-approval": ("approve_preliminarily", "comment", "初审通过，学籍异动申请已转学校教务复审"),
    "preliminary-rejection": ("reject_preliminarily", "reason", "已驳回学籍异动申请（初审驳回）"),
    "approval": ("approve", "comment", "复审通过，学生学籍已变更"),
    "rejection": ("reject", "reason", "已驳回学籍异动申请（复审驳回）"),
    "cancellation": ("cancel", "reason", "学籍异动申请已撤销"),
}
# The to-do queue each review step works through: its next item opens after the decision.
STEP_QUEUES = {
    "preliminary-approval": "status-changes-preliminary", "preliminary-rejection": "status-changes-preliminary",
    "approval": "status-changes-final", "rejection": "status-changes-final",
}


def steps_for(actor: Actor, r: dict[str, Any]) -> set[str]:
    """The buttons the record page offers the viewer (the use cases still decide on a post)."""
    offered = set()
    own_point = actor.has(Role.TEACHING_POINT_ADMIN) and actor.visible_teaching_point() == r["teaching_point_id"]
    if r["status"] == S.PENDING_PRELIMINARY_REVIEW.value and own_point and r["requested_by_role"] == Role.LEARNER.value:
        offered |= {"preliminary-approval", "preliminary-rejection"}
    if r["status"] == S.PENDING_FINAL_REVIEW.value and actor.has(Role.ACADEMIC_AFFAIRS):
        offered |= {"approval", "rejection"}
    if r["cancellable"] and own_point and r["requested_by_role"] == Role.TEACHING_POINT_ADMIN.value:
        offered.add("cancellation")
    return offered


def uploads_of(data: dict[str, Any]) -> list[Upload]:
    """The proof files sent with the form (an empty file field sends a part without a name)."""
    raw = data.get("attachments")
    parts = raw if isinstance(raw, list) else [raw]
    return [
        Upload(p.filename, p.file.read(ATTACHMENT_MAX_BYTES + 1))
        for p in parts if isinstance(p, UploadFile) and p.filename
    ]


def choices_for(conn: Connection, learner: dict[str, Any]) -> dict[str, Any]:
    """The targets the rules allow: teaching points offering the learner's programme (transfer),
    programmes of the same level offered at the learner's teaching point (change of major)."""
    programmes = list_programmes(conn)
    current = next((p for p in programmes if p["id"] == learner["programme_id"]), None)
    offering = set(current["teaching_point_ids"]) if current else set()
    points = [
        (p["id"], f"{p['code']} {p['name']}") for p in teaching_point_choices(conn)
        if p["id"] in offering and p["id"] != learner["teaching_point_id"]
    ]
    majors = [
        (p["id"], p["label"]) for p in programmes
        if p["level"] == learner["level"] and p["id"] != learner["programme_id"]
        and learner["teaching_point_id"] in p["teaching_point_ids"]
    ]
    return {"target_points": points, "target_programmes": majors}


# Who opens the change-of-major window page (academic affairs sets it; the others read it).
WINDOW_READERS = (Role.ACADEMIC_AFFAIRS, Role.SYSTEM_ADMIN, Role.AUDITOR)


class StatusChangePages(Controller):
    path = BASE

    def _query(self, request: Request[Any, Any, Any], actor: Actor) -> tuple[Tab, RosterFilter, dict[str, Any], dict[str, str]]:
        return tabbed_filters(request, actor, tabs_for(actor), text_keys=("kind",))

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        tab, filters, extra, params = self._query(request, actor)
        return list_page(
            request, actor, reader, "status_changes_list.html", params,
            lambda conn, p: list_status_changes(conn, actor, p, filters, **extra), shape=_shaped,
            tabs=tabs_for(actor), tab=tab, kinds=KINDS, statuses=STATUSES,
            tab_counts=tab_counts(reader, tabs_for(actor), lambda c, p, f: list_status_changes(c, actor, p, f)),
            may_request=actor.has(Role.TEACHING_POINT_ADMIN),
        )

    @get("/export.xlsx", sync_to_thread=True)
    def export(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Response[bytes]:
        _, filters, extra, _ = self._query(request, actor)
        return export_response(
            request, reader, "学籍异动", "status_changes", EXPORT_COLUMNS,
            lambda conn, p: list_status_changes(conn, actor, p, filters, **extra), _shaped,
        )

    # -- 录入学籍异动: the teaching point enters a request for one of its learners ----------------------

    def _new(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
             form: dict[str, Any], status_code: int = 200, **context: Any) -> Template:
        number = str(form.get("student_number") or "").strip()
        kind = str(form.get("kind") or "")
        found: dict[str, Any] = {}
        window = change_of_major_window(reader, services.clock.today())
        if number:
            try:
                learner = get_learner(reader, actor, learner_id_by_number(reader, number))
            except DomainError as exc:
                context.setdefault("error", exc.message)
            else:
                found = {"learner": learner, **choices_for(reader, learner)}
        if found and kind == StatusChangeKind.WITHDRAWAL.value:
            found["droppable"] = services.status_changes.withdrawal_courses(actor, student_number=number)["courses"]
        return page(
            request, "status_changes_new.html", actor, status_code=status_code, form=form, kinds=KINDS,
            window=window, **found, **context,
        )

    @get("/new", sync_to_thread=True, guards=[requires_role(Role.TEACHING_POINT_ADMIN)])
    def new(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection) -> Template:
        form = {k: str(request.query_params.get(k) or "").strip() for k in ("student_number", "kind")}
        return self._new(request, actor, services, reader, form)

    @post("/new", sync_to_thread=True, guards=[requires_role(Role.TEACHING_POINT_ADMIN)])
    def create(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Multipart
    ) -> Response[Any]:
        form = {k: str(data.get(k) or "").strip() for k in
                ("student_number", "kind", "target_teaching_point_id", "target_programme_id", "reason")}
        try:
            status_change_id = services.status_changes.request(
                actor, form["kind"], form["reason"] or None, student_number=form["student_number"],
                target_teaching_point_id=uuid_param(form["target_teaching_point_id"]),
                target_programme_id=uuid_param(form["target_programme_id"]),
                attachments=uploads_of(data),
            )
        except DomainError as exc:
            if exc.kind == "forbidden":
                raise
            return self._new(request, actor, services, reader, form, refusal_status(exc), error=exc.message)
        return done(request, f"{BASE}/{status_change_id}", "学籍异动申请已提交，待学校教务复审")

    # -- the change-of-major window ---------------------------------------------------------------

    def _window(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
                form: dict[str, Any], status_code: int = 200, **context: Any) -> Template:
        window = change_of_major_window(reader, services.clock.today())
        return page(
            request, "status_changes_window.html", actor, status_code=status_code, window=window,
            form=form or window or {}, may_set=actor.has(Role.ACADEMIC_AFFAIRS), **context,
        )

    @get("/change-of-major-window", sync_to_thread=True, guards=[requires_role(*WINDOW_READERS)])
    def window(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection) -> Template:
        return self._window(request, actor, services, reader, {})

    @post("/change-of-major-window", sync_to_thread=True, guards=[requires_role(*WINDOW_READERS)])
    def set_window(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Form
    ) -> Response[Any]:
        form = {k: str(data.get(k) or "").strip() for k in ("opens_on", "closes_on")}
        try:
            services.status_changes.set_change_of_major_window(actor, form["opens_on"], form["closes_on"])
        except DomainError as exc:
            if exc.kind == "forbidden":
                raise
            return self._window(request, actor, services, reader, form, refusal_status(exc), error=exc.message)
        return done(request, f"{BASE}/change-of-major-window", "转专业申请期已保存")

    # -- one request ----------------------------------------------------------------------------

    def _show(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, status_change_id: uuid.UUID,
              status_code: int = 200, **context: Any) -> Template:
        r = _shaped(get_status_change(reader, actor, status_change_id))
        return page(
            request, "status_changes_show.html", actor, status_code=status_code, r=r, steps=steps_for(actor, r),
            history=audit_tab(reader, status_change_id), **context,
        )

    @get("/{status_change_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, status_change_id: uuid.UUID) -> Template:
        return self._show(request, actor, reader, status_change_id, form={})

    @get("/{status_change_id:uuid}/attachments/{index:int}", sync_to_thread=True)
    def attachment(
        self, actor: Actor, services: Container, reader: Connection, status_change_id: uuid.UUID, index: int
    ) -> Response[bytes]:
        ref = attachment_of(reader, actor, status_change_id, index)["ref"]
        return stored_file_response(services, ref)

    @post("/{status_change_id:uuid}/{step:str}", sync_to_thread=True)
    def act(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        status_change_id: uuid.UUID, step: str, data: Form,
    ) -> Response[Any]:
        if step not in STEPS:
            raise NotFound("not_found", "页面不存在")
        use_case, field, message = STEPS[step]
        text = str(data.get(field) or "").strip() or None
        try:
            getattr(services.status_changes, use_case)(actor, status_change_id, text)
        except DomainError as exc:
            if exc.kind in ("forbidden", "not_found"):
                raise
            return self._show(request, actor, reader, status_change_id, refusal_status(exc), error=exc.message,
                              form=data, failed=step)
        return after_decision(request, reader, actor, STEP_QUEUES.get(step), status_change_id, BASE + "/{id}", message)
