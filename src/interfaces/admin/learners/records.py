"""学籍信息 (requirements/learners.md §2 变更学籍信息, ADR 0009) in the admin UI.

- `/admin/learners/{id}/record`: one learner's record with its confirmation state (未确认/已确认/
  待审核/审核通过/审核驳回), basic information, prior education and contact details; the
  teaching point changes the contact details at once (no review) and asks the school to change
  basic information or prior education (reason, optional PNG/JPG/PDF proof files); every earlier
  request with its handling (修改和处理记录) and the learner's audit tab.
- `/admin/record-changes`: the review queue of 学籍信息变更申请 with the roster filters
  (requirements/common.md §2.1) and the request's status, paging and an Excel export of the current filter.
- `/admin/record-changes/{id}`: one request, old and new values side by side, its proof files,
  审核通过 / 驳回 (a reason is required) by academic affairs, and its audit tab.

The use cases decide who may do what; a teaching point sees only its own learners.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Template
from sqlalchemy import Connection, select

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.learners.queries import get_learner
from application.learners.record_change_projection import (
    get_record_change,
    learner_record,
    list_all_record_changes,
    record_change_attachment,
    record_changes,
)
from domains.admissions.application_form import PRIOR_EDUCATION_LEVELS
from domains.learners.record_change import (
    BASIC_FIELDS,
    DERIVED_FIELDS,
    PRIOR_EDUCATION_FIELDS,
    RequestStatus,
)
from domains.shared.errors import DomainError, NotFound
from domains.shared.values import Role
from infrastructure.container import Container
from interfaces.admin.common.forms import Form, Multipart, done, refusal_status
from interfaces.admin.common.lists import export_response, list_page
from interfaces.admin.common.queues import Tab, tab_counts, tabbed_filters
from interfaces.admin.common.rendering import audit_tab, page
from interfaces.admin.common.worklist import after_decision
from interfaces.admin.learners.status_changes import uploads_of
from interfaces.http.files import stored_file_response

Req = Request[Any, Any, Any]
QUEUE = "/admin/record-changes"
STATUSES = [(s.value, s.label) for s in RequestStatus]
# What a change request may ask for: basic information (gender and birth date follow the ID
# number) and prior education, each with its label and input type.
ASKABLE = [
    (key, label, "date" if key == "prior_graduation_date" else "text")
    for key, label in {**BASIC_FIELDS, **PRIOR_EDUCATION_FIELDS}.items() if key not in DERIVED_FIELDS
]
TABS = [Tab("pending", "待审核", RequestStatus.PENDING_REVIEW.value), Tab("all", "全部变更申请")]
EXPORT_COLUMNS = (
    ("requested_at", "申请时间"), ("student_number", "学号"), ("learner_name", "姓名"),
    ("teaching_point_name", "教学点"), ("level", "层次"), ("major", "专业"), ("summary", "变更内容"),
    ("requested_by_role_label", "发起人"), ("reason", "申请原因"), ("status_label", "审核状态"),
    ("comment", "审核意见"), ("reject_reason", "驳回原因"), ("reviewed_at", "审核时间"),
)


def record_url(learner_id: Any) -> str:
    return f"/admin/learners/{learner_id}/record"


def _summarised(r: dict[str, Any]) -> dict[str, Any]:
    """A request with its changes in one line: 姓名：旧 → 新；..."""
    summary = "；".join(f"{c['label']}：{c['before'] or ''} → {c['after'] or ''}" for c in r["changes"])
    return {**r, "summary": summary}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# -- one learner's record -------------------------------------------------------------------------


class LearnerRecordPages(Controller):
    path = "/admin/learners/{learner_id:uuid}/record"

    def _show(self, request: Req, actor: Actor, reader: Connection, learner_id: uuid.UUID, status_code: int = 200,
              **context: Any) -> Template:
        record = learner_record(reader, actor, learner_id)
        current = {f["field"]: _text(f["value"]) for f in (*record["basic"], *record["prior_education"])}
        context.setdefault("contact_form", {k: _text(v) for k, v in record["contact"].items()})
        context.setdefault("change_form", current)
        return page(
            request, "learner_record_show.html", actor, status_code=status_code, record=record,
            requests=[_summarised(r) for r in record["requests"]], askable=ASKABLE, levels=PRIOR_EDUCATION_LEVELS,
            may_change=actor.has(Role.TEACHING_POINT_ADMIN), history=audit_tab(reader, learner_id), **context,
        )

    @get("/", sync_to_thread=True)
    def show(self, request: Req, actor: Actor, reader: Connection, learner_id: uuid.UUID) -> Template:
        return self._show(request, actor, reader, learner_id)

    @post("/contact-details", sync_to_thread=True)
    def contact(
        self, request: Req, actor: Actor, services: Container, reader: Connection, learner_id: uuid.UUID, data: Form
    ) -> Response[Any]:
        form = {k: str(data.get(k) or "").strip() for k in ("email", "mobile", "reason")}
        try:
            services.learner_records.change_contact_details(
                actor, learner_id, form["email"] or None, form["mobile"] or None, form["reason"] or None
            )
        except DomainError as exc:
            if exc.kind in ("forbidden", "not_found"):
                raise
            return self._show(request, actor, reader, learner_id, refusal_status(exc), error=exc.message,
                              contact_form=form)
        return done(request, record_url(learner_id), "联系方式已修改，即时生效")

    @post("/changes", sync_to_thread=True)
    def request_change(
        self, request: Req, actor: Actor, services: Container, reader: Connection, learner_id: uuid.UUID,
        data: Multipart,
    ) -> Response[Any]:
        form = {key: str(data.get(key) or "").strip() for key, _, _ in ASKABLE}
        reason = str(data.get("reason") or "").strip()
        record = learner_record(reader, actor, learner_id)
        current = {f["field"]: _text(f["value"]) for f in (*record["basic"], *record["prior_education"])}
        changes = {k: v for k, v in form.items() if v != current.get(k, "")}
        try:
            request_id = services.learner_records.request_change(
                actor, learner_id, changes, reason or None, uploads_of(data)
            )
        except DomainError as exc:
            if exc.kind in ("forbidden", "not_found"):
                raise
            return self._show(
                request, actor, reader, learner_id, refusal_status(exc), error=exc.message,
                change_form={**form, "reason": reason},
            )
        return done(request, f"{QUEUE}/{request_id}", "学籍信息变更申请已提交，待学校教务审核")


# -- the review queue and one request -------------------------------------------------------------


def learner_of(conn: Connection, request_id: uuid.UUID) -> uuid.UUID:
    """Whose request it is (the record-change queries then decide whether the viewer may see it)."""
    found = conn.execute(select(record_changes.c.learner_id).where(record_changes.c.id == request_id)).scalar()
    if found is None:
        raise NotFound("not_found", "学籍信息变更申请不存在")
    return uuid.UUID(str(found))


class RecordChangePages(Controller):
    path = QUEUE

    def _query(self, request: Req, actor: Actor) -> tuple[Tab, RosterFilter, dict[str, str]]:
        tab, filters, _, params = tabbed_filters(request, actor, TABS)
        return tab, filters, params

    @get("/", sync_to_thread=True)
    def index(self, request: Req, actor: Actor, reader: Connection) -> Template:
        tab, filters, params = self._query(request, actor)
        return list_page(
            request, actor, reader, "learner_record_changes.html", params,
            lambda conn, p: list_all_record_changes(conn, actor, p, filters), shape=_summarised,
            tabs=TABS, tab=tab, statuses=STATUSES,
            tab_counts=tab_counts(reader, TABS, lambda c, p, f: list_all_record_changes(c, actor, p, f)),
        )

    @get("/export.xlsx", sync_to_thread=True)
    def export(self, request: Req, actor: Actor, reader: Connection) -> Response[bytes]:
        _, filters, _ = self._query(request, actor)
        return export_response(
            request, reader, "学籍信息变更申请", "record_changes", EXPORT_COLUMNS,
            lambda conn, p: list_all_record_changes(conn, actor, p, filters), _summarised,
        )

    def _show(self, request: Req, actor: Actor, reader: Connection, request_id: uuid.UUID, status_code: int = 200,
              **context: Any) -> Template:
        learner_id = learner_of(reader, request_id)
        r = get_record_change(reader, actor, learner_id, request_id)
        learner = get_learner(reader, actor, learner_id)
        pending = r["status"] == RequestStatus.PENDING_REVIEW.value
        return page(
            request, "learner_record_change.html", actor, status_code=status_code, r=r, learner=learner,
            may_review=pending and actor.has(Role.ACADEMIC_AFFAIRS), history=audit_tab(reader, request_id),
            **context,
        )

    @get("/{request_id:uuid}", sync_to_thread=True)
    def show(self, request: Req, actor: Actor, reader: Connection, request_id: uuid.UUID) -> Template:
        return self._show(request, actor, reader, request_id, review={})

    @get("/{request_id:uuid}/attachments/{index:int}", sync_to_thread=True)
    def attachment(
        self, actor: Actor, services: Container, reader: Connection, request_id: uuid.UUID, index: int
    ) -> Response[bytes]:
        ref = record_change_attachment(reader, actor, learner_of(reader, request_id), request_id, index)["ref"]
        return stored_file_response(services, ref)

    def _review(
        self, request: Req, actor: Actor, services: Container, reader: Connection, request_id: uuid.UUID,
        data: dict[str, Any], approve: bool,
    ) -> Response[Any]:
        learner_id = learner_of(reader, request_id)
        records = services.learner_records
        try:
            if approve:
                records.approve(actor, learner_id, request_id, str(data.get("comment") or "").strip() or None)
            else:
                records.reject(actor, learner_id, request_id, str(data.get("reason") or "").strip() or None)
        except DomainError as exc:
            if exc.kind in ("forbidden", "not_found"):
                raise
            return self._show(request, actor, reader, request_id, refusal_status(exc), error=exc.message, review=data)
        message = "审核通过，学籍信息已变更" if approve else "已驳回学籍信息变更申请"
        return after_decision(request, reader, actor, "record-changes", request_id, QUEUE + "/{id}", message)

    @post("/{request_id:uuid}/approval", sync_to_thread=True)
    def approve(
        self, request: Req, actor: Actor, services: Container, reader: Connection, request_id: uuid.UUID, data: Form
    ) -> Response[Any]:
        return self._review(request, actor, services, reader, request_id, data, approve=True)

    @post("/{request_id:uuid}/rejection", sync_to_thread=True)
    def reject(
        self, request: Req, actor: Actor, services: Container, reader: Connection, request_id: uuid.UUID, data: Form
    ) -> Response[Any]:
        return self._review(request, actor, services, reader, request_id, data, approve=False)
