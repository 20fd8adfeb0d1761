"""补考报考 (requirements/exams.md §3 【代学生报考】): a teaching point enters a learner's full student
number, picks an exam batch and a course among the learner's studied courses that open exam
batches hold, and registers the resit (报考) through `Exams.register_resit`; the resit comes with
an exam-fee bill awaiting payment, linked from the page. An unpaid resit is withdrawn (撤销补考)
through `Exams.withdraw_resit`, its bill voided; a paid one never.

The student number travels in the URL (never an ID number or a phone).
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Template
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.common.queries import Page
from application.exams.queries import get_exam_registration, resit_options
from application.learners.queries import get_learner, list_learners
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.values import Role
from infrastructure.container import Container
from interfaces.admin.common.forms import Form, done, refusal_status, uuid_param, yuan
from interfaces.admin.common.guards import requires_role
from interfaces.admin.common.rendering import page

NEW = "/admin/exam-registrations/resits/new"
LIST = "/admin/exam-registrations"


def _sitting(raw: Any) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """The picked (exam batch, course), sent as one radio value "batch:course"."""
    batch, _, course = str(raw or "").partition(":")
    return uuid_param(batch), uuid_param(course)


def _back(raw: Any) -> str:
    """Where a withdrawal returns: a page of 报考管理 only (no open redirect)."""
    back = str(raw or "")
    return back if back.startswith(LIST) and "//" not in back and "\\" not in back else LIST


def _resit_page(
    request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, number: str,
    status_code: int = 200, **context: Any,
) -> Template:
    """The page for one full student number: the learner, the sittings a resit may be
    registered for, and their registrations and bills."""
    learner, options, just = None, [], None
    if number:
        found = list_learners(reader, actor, Page(size=20), RosterFilter(student_number=number)).items
        exact = next((row for row in found if row["student_number"] == number), None)
        if exact is not None:
            learner = get_learner(reader, actor, exact["id"])
            options = resit_options(reader, actor, exact["id"], services.clock.now())
        if learner is None:
            context.setdefault("error", f"没有找到学号为{number}的本教学点学生，请输入完整的学号")
        registered = uuid_param(request.query_params.get("registered"))
        just = next((o for o in options if o["registration"] and o["registration"]["id"] == registered), None)
    return page(
        request, "resits_new.html", actor, status_code=status_code, number=number, learner=learner, options=options,
        just=just, yuan=yuan, back=f"{NEW}?student_number={number}", **context,
    )


class ResitPages(Controller):
    """Registering and withdrawing resits is the teaching point's work (on behalf of its learners)."""

    path = LIST
    guards = [requires_role(Role.TEACHING_POINT_ADMIN)]

    @get("/resits/new", sync_to_thread=True)
    def new(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection) -> Template:
        number = str(request.query_params.get("student_number") or "").strip()
        return _resit_page(request, actor, services, reader, number, chosen="")

    @post("/resits/new", sync_to_thread=True)
    def register(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Form,
    ) -> Response[Any]:
        number = str(data.get("student_number") or "").strip()
        batch_id, course_id = _sitting(data.get("sitting"))
        try:
            if batch_id is None or course_id is None:
                raise InvalidInput("exam_registration.sitting_required", "请选择要报考的考试批次和课程", field="sitting")
            registered = services.exams.register_resit(actor, course_id, batch_id, student_number=number)
        except DomainError as exc:
            if exc.kind == "forbidden":
                raise
            status = 404 if exc.kind == "not_found" else refusal_status(exc)
            return _resit_page(request, actor, services, reader, number, status, error=exc.message,
                               chosen=str(data.get("sitting") or ""))
        reg = get_exam_registration(reader, actor, registered.registration_id)
        return done(
            request, f"{NEW}?student_number={number}&registered={reg['id']}",
            f"补考报考成功：{reg['learner_name']}（{reg['student_number']}）报考考试批次“{reg['exam_batch_name']}”的课程"
            f"“{reg['course_name']}”，已生成待缴费的考试费缴费单，缴费成功后报考成功",
        )

    @post("/{registration_id:uuid}/withdrawal", sync_to_thread=True)
    def withdraw(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        registration_id: uuid.UUID, data: Form,
    ) -> Response[Any]:
        """撤销补考: back to the list (or the 补考报考 page it was sent from)."""
        reg = get_exam_registration(reader, actor, registration_id)
        try:
            services.exams.withdraw_resit(actor, registration_id, str(data.get("reason") or "").strip() or None)
        except DomainError as exc:
            if exc.kind in ("forbidden", "not_found"):
                raise
            return _resit_page(request, actor, services, reader, reg["student_number"], refusal_status(exc),
                               error=exc.message, chosen="")
        return done(
            request, _back(data.get("back")),
            f"已撤销补考报考：{reg['learner_name']}（{reg['student_number']}）考试批次“{reg['exam_batch_name']}”的课程"
            f"“{reg['course_name']}”，考试费缴费单已作废",
        )
