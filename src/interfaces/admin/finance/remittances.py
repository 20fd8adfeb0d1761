"""汇款单确认 (requirements/finance.md §2): the remittance slips teaching points submitted, with a status
filter; school finance opens a slip (its bills, the total, the audit tab) and confirms the money
arrived (确认到账: the bills are paid, the selections succeed) or rejects it with a reason (驳回:
the bills await payment again). A teaching point sees its own slips, read-only.

Actions go through `Finance.confirm_remittance` / `Finance.reject_remittance`; pages read
`application.finance.queries`."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Template

from application.common.actor import Actor
from application.common.queries import Page
from application.finance.queries import get_remittance_slip, list_remittance_slips
from domains.finance.payments import SlipStatus
from domains.shared.errors import DomainError
from domains.shared.values import Role
from interfaces.admin.common.forms import Form, done, page_number, status_of, uuid_param
from interfaces.admin.common.rendering import audit_tab
from interfaces.admin.common.session import admin_actor
from interfaces.admin.finance.bills import finance_page, point_options
from interfaces.http.context import container_of

SLIP_STATUSES = [(s.value, s.label) for s in SlipStatus]


class RemittanceSlipPages(Controller):
    path = "/admin/remittance-slips"

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any]) -> Template:
        actor = admin_actor(request)
        q = request.query_params
        status = q.get("status") if q.get("status") in {s.value for s in SlipStatus} else None
        point = uuid_param(q.get("teaching_point_id")) if actor.is_school_staff else None
        number = (q.get("slip_number") or "").strip() or None
        with container_of(request).engine.connect() as conn:
            result = list_remittance_slips(
                conn, actor, Page(number=page_number(request)), status=status, teaching_point_id=point, slip_number=number,
            )
            points = point_options(conn, actor)
        return finance_page(request, "remittance_list.html", actor, result=result, statuses=SLIP_STATUSES, points=points)

    def _show(self, request: Request[Any, Any, Any], actor: Actor, slip_id: uuid.UUID, status_code: int = 200,
              **context: Any) -> Template:
        with container_of(request).engine.connect() as conn:
            slip = get_remittance_slip(conn, actor, slip_id)
        deciding = actor.has(Role.FINANCE) and slip["status"] == SlipStatus.SUBMITTED.value
        return finance_page(
            request, "remittance_show.html", actor, status_code, s=slip, deciding=deciding,
            history=audit_tab(request, slip_id), **{"review": {}, **context},
        )

    @get("/{slip_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], slip_id: uuid.UUID) -> Template:
        return self._show(request, admin_actor(request), slip_id)

    def _decide(self, request: Request[Any, Any, Any], slip_id: uuid.UUID, data: dict[str, Any], decide: Any,
                message: str) -> Response[Any]:
        """One decision of finance; a refused one shows the slip again with the message."""
        actor = admin_actor(request)
        try:
            decide(actor)
        except DomainError as exc:
            if exc.kind in ("forbidden", "not_found"):
                raise
            return self._show(request, actor, slip_id, status_of(exc), review=data, error=exc.message)
        return done(request, f"/admin/remittance-slips/{slip_id}", message)

    @post("/{slip_id:uuid}/confirmation", sync_to_thread=True)
    def confirm(self, request: Request[Any, Any, Any], slip_id: uuid.UUID, data: Form) -> Response[Any]:
        finance = container_of(request).finance
        comment = str(data.get("comment") or "").strip() or None
        return self._decide(request, slip_id, data, lambda actor: finance.confirm_remittance(actor, slip_id, comment),
                            "已确认到账，汇款单中的缴费单状态变更为“已缴费”")

    @post("/{slip_id:uuid}/rejection", sync_to_thread=True)
    def reject(self, request: Request[Any, Any, Any], slip_id: uuid.UUID, data: Form) -> Response[Any]:
        finance = container_of(request).finance
        reason = str(data.get("reason") or "").strip()
        return self._decide(request, slip_id, data, lambda actor: finance.reject_remittance(actor, slip_id, reason),
                            "汇款单已驳回，汇款单中的缴费单状态变更为“待缴费”")
