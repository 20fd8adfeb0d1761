"""退课申请 (requirements/finance.md §3): the refund review chain of paid courses' drops.

The list has one tab per role's work: the teaching point sees every request of its own (and
adds one: 【添加退课申请】 >> 【精确查找学生】 >> 【申请退课】 on the learner's courses); academic
affairs the requests pending its review; finance those pending finance review and those
approved awaiting the refund; school staff (auditors too) every request. Filters, paging and an
Excel export of the current filter. The record page shows a request in every status, the steps
the viewer's role may take (each through the Finance use cases, which decide), and its audit
tab with every step's actor and reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Template
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.curriculum.queries import credits_label
from application.finance.queries import get_refund, list_refunds
from application.finance.service import Finance
from domains.finance.refund import RefundStatus
from domains.shared.errors import DomainError, NotFound
from domains.shared.values import Role
from infrastructure.container import Container
from interfaces.admin.common.forms import Form, refusal_status, yes_no, yuan
from interfaces.admin.common.guards import requires_role
from interfaces.admin.common.lists import export_response, find_learners, list_page
from interfaces.admin.common.queues import Tab, tab_counts, tabbed_filters
from interfaces.admin.common.rendering import audit_tab, page
from interfaces.admin.common.worklist import after_decision

S = RefundStatus
STATUSES = [(s.value, s.label) for s in RefundStatus]
# 审核状态说明 (requirements/finance.md §3.3), from the domain's own table.
STATUS_NOTES = [
    {"label": s.label, "may_study": s.may_study, "cancellable": s.cancellable, "final": s.is_final} for s in RefundStatus
]

EXPORT_COLUMNS = (
    ("requested_at", "申请时间"), ("student_number", "学号"), ("learner_name", "姓名"),
    ("teaching_point_name", "教学点"), ("level", "层次"), ("major", "专业"), ("course_code", "课程代码"),
    ("course_name", "课程名称"), ("amount_yuan", "退费金额（元）"), ("status_label", "审核状态"),
    ("may_study_label", "学生可否学习"), ("requested_by", "申请人"), ("reason", "退课原因"),
    ("academic_comment", "教务审核意见"), ("finance_comment", "财务审核意见"), ("reject_reason", "驳回原因"),
    ("refund_reference", "退费凭证号"), ("closed_at", "办结时间"),
)


def tabs_for(actor: Actor) -> list[Tab]:
    """The role queues first (the viewer's own work), then every request the viewer may read."""
    tabs = []
    if actor.has(Role.TEACHING_POINT_ADMIN) and not actor.is_school_staff:
        tabs.append(Tab("mine", "本教学点退课申请"))
    if actor.has(Role.ACADEMIC_AFFAIRS):
        tabs.append(Tab("academic", "待教务审核", S.PENDING_ACADEMIC_REVIEW.value))
    if actor.has(Role.FINANCE):
        tabs.append(Tab("finance", "待财务审核", S.PENDING_FINANCE_REVIEW.value))
        tabs.append(Tab("refund", "待退费", S.APPROVED_AWAITING_REFUND.value))
    if actor.is_school_staff:
        tabs.append(Tab("all", "全部退课申请"))
    if not tabs:
        tabs.append(Tab("mine", "退课申请"))
    return tabs


@dataclass(frozen=True)
class Step:
    """One review step of the chain: the use case it calls and the form field it takes."""

    call: Callable[[Finance, Actor, uuid.UUID, str | None], None]
    field: str
    done: str
    queue: str | None = None  # the to-do queue the step works through (its next item opens after)


STEPS: dict[str, Step] = {
    "academic-approval": Step(
        lambda f, a, r, t: f.approve_drop(a, r, t), "comment", "教务审核通过，退课申请已转学校财务审核", "refunds-academic"
    ),
    "academic-rejection": Step(
        lambda f, a, r, t: f.reject_drop(a, r, t), "reason", "已驳回退课申请（教务审核驳回）", "refunds-academic"
    ),
    "finance-approval": Step(
        lambda f, a, r, t: f.approve_refund(a, r, t), "comment", "财务审核通过，等待退费", "refunds-finance"
    ),
    "finance-rejection": Step(
        lambda f, a, r, t: f.reject_refund(a, r, t), "reason", "已驳回退课申请（财务审核驳回）", "refunds-finance"
    ),
    "refund-payment": Step(lambda f, a, r, t: f.mark_refunded(a, r, t), "reference", "已处理退费，退课完成", "refunds-to-pay"),
    "cancellation": Step(lambda f, a, r, t: f.cancel_drop(a, r, t), "reason", "退课申请已撤销"),
}


def steps_for(actor: Actor, refund: dict[str, Any]) -> set[str]:
    """The buttons the record page offers the viewer (the use cases still decide on a post)."""
    status = refund["status"]
    offered = set()
    if status == S.PENDING_ACADEMIC_REVIEW.value and actor.has(Role.ACADEMIC_AFFAIRS):
        offered |= {"academic-approval", "academic-rejection"}
    if status == S.PENDING_FINANCE_REVIEW.value and actor.has(Role.FINANCE):
        offered |= {"finance-approval", "finance-rejection"}
    if status == S.APPROVED_AWAITING_REFUND.value and actor.has(Role.FINANCE):
        offered.add("refund-payment")
    if refund["cancellable"] and actor.has(Role.TEACHING_POINT_ADMIN):
        offered.add("cancellation")
    return offered


class RefundPages(Controller):
    path = "/admin/refunds"

    def _query(self, request: Request[Any, Any, Any], actor: Actor) -> tuple[Tab, RosterFilter, dict[str, Any], dict[str, str]]:
        return tabbed_filters(request, actor, tabs_for(actor), id_keys=("course_id",))

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        tab, filters, extra, params = self._query(request, actor)
        return list_page(
            request,
            actor,
            reader,
            "refunds_list.html",
            params,
            lambda conn, p: list_refunds(conn, actor, p, filters, **extra),
            tabs=tabs_for(actor),
            tab=tab,
            tab_counts=tab_counts(reader, tabs_for(actor), lambda c, p, f: list_refunds(c, actor, p, f)),
            statuses=STATUSES,
            status_notes=STATUS_NOTES,
            yuan=yuan,
            may_request=actor.has(Role.TEACHING_POINT_ADMIN),
        )

    @get("/export.xlsx", sync_to_thread=True)
    def export(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Response[bytes]:
        _, filters, extra, _ = self._query(request, actor)
        return export_response(
            request, reader, "退课申请", "refunds", EXPORT_COLUMNS,
            lambda conn, p: list_refunds(conn, actor, p, filters, **extra),
            lambda r: {**r, "amount_yuan": yuan(r["amount_fen"]), "may_study_label": yes_no(r["may_study"])},
        )

    # -- 添加退课申请: find the learner, then ask for the drop on the learner's courses ---------

    @get("/new", sync_to_thread=True, guards=[requires_role(Role.TEACHING_POINT_ADMIN)])
    def new(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        lookup, found = find_learners(reader, actor, request)
        return page(
            request, "refunds_new.html", actor, lookup=lookup, found=found,
            pick=lambda row: f"/admin/learners/{row['id']}/courses", finder_action="/admin/refunds/new",
        )

    # -- one request ---------------------------------------------------------------------------

    def _show(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, refund_id: uuid.UUID,
              status_code: int = 200, **context: Any) -> Template:
        refund = get_refund(reader, actor, refund_id)
        refund["credits"] = credits_label(refund["credit_tenths"])
        history = audit_tab(reader, refund_id)
        return page(
            request, "refunds_show.html", actor, status_code=status_code, r=refund, steps=steps_for(actor, refund),
            history=history, yuan=yuan, **context,
        )

    @get("/{refund_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, refund_id: uuid.UUID) -> Template:
        return self._show(request, actor, reader, refund_id, form={})

    @post("/{refund_id:uuid}/{step:str}", sync_to_thread=True)
    def act(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        refund_id: uuid.UUID, step: str, data: Form,
    ) -> Response[Any]:
        chosen = STEPS.get(step)
        if chosen is None:
            raise NotFound("not_found", "页面不存在")
        text = str(data.get(chosen.field) or "").strip() or None
        try:
            chosen.call(services.finance, actor, refund_id, text)
        except DomainError as exc:
            if exc.kind in ("forbidden", "not_found"):
                raise
            return self._show(request, actor, reader, refund_id, refusal_status(exc), error=exc.message, form=data, failed=step)
        return after_decision(request, reader, actor, chosen.queue, refund_id, "/admin/refunds/{id}", chosen.done)
