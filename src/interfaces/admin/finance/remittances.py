"""汇款单确认 (requirements/finance.md §2): the remittance slips teaching points submitted, with a status
filter; school finance opens a slip (its bills, the total, the audit tab) and confirms the money
arrived (确认到账: the bills are paid, the selections succeed) or rejects it with a reason (驳回:
the bills await payment again). A teaching point sees its own slips, read-only.

Actions go through `Finance.confirm_remittance` / `Finance.reject_remittance`; pages read
`application.finance.queries`."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Template
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.queries import Page
from application.finance.queries import get_remittance_slip, list_remittance_slips
from domains.finance.payments import SlipStatus
from domains.shared.errors import DomainError
from domains.shared.values import Role
from infrastructure.container import Container
from interfaces.admin.common.forms import Form, done, page_number, status_of, uuid_param
from interfaces.admin.common.guards import requires_role
from interfaces.admin.common.rendering import audit_tab
from interfaces.admin.finance.bills import finance_page, point_options

SLIP_STATUSES = [(s.value, s.label) for s in SlipStatus]


class RemittanceSlipPages(Controller):
    path = "/admin/remittance-slips"
    guards = [requires_role(Role.TEACHING_POINT_ADMIN, Role.FINANCE, Role.AUDITOR, Role.SYSTEM_ADMIN)]

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        q = request.query_params
        status = q.get("status") if q.get("status") in {s.value for s in SlipStatus} else None
        point = uuid_param(q.get("teaching_point_id")) if actor.is_school_staff else None
        number = (q.get("slip_number") or "").strip() or None
        result = list_remittance_slips(
            reader, actor, Page(number=page_number(request)), status=status, teaching_point_id=point, slip_number=number,
        )
        return finance_page(
            request, "remittance_list.html", actor, result=result, statuses=SLIP_STATUSES, points=point_options(reader, actor),
        )

    def _show(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, slip_id: uuid.UUID,
              status_code: int = 200, **context: Any) -> Template:
        slip = get_remittance_slip(reader, actor, slip_id)
        deciding = actor.has(Role.FINANCE) and slip["status"] == SlipStatus.SUBMITTED.value
        return finance_page(
            request, "remittance_show.html", actor, status_code, s=slip, deciding=deciding,
            history=audit_tab(reader, slip_id), **{"review": {}, **context},
        )

    @get("/{slip_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, slip_id: uuid.UUID) -> Template:
        return self._show(request, actor, reader, slip_id)

    def _decide(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, slip_id: uuid.UUID,
                data: dict[str, Any], decide: Callable[[], None], message: str) -> Response[Any]:
        """One decision of finance; a refused one shows the slip again with the message."""
        try:
            decide()
        except DomainError as exc:
            if exc.kind in ("forbidden", "not_found"):
                raise
            return self._show(request, actor, reader, slip_id, status_of(exc), review=data, error=exc.message)
        return done(request, f"/admin/remittance-slips/{slip_id}", message)

    @post("/{slip_id:uuid}/confirmation", sync_to_thread=True, guards=[requires_role(Role.FINANCE)])
    def confirm(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        slip_id: uuid.UUID, data: Form,
    ) -> Response[Any]:
        comment = str(data.get("comment") or "").strip() or None
        return self._decide(request, actor, reader, slip_id, data,
                            lambda: services.finance.confirm_remittance(actor, slip_id, comment),
                            "已确认到账，汇款单中的缴费单状态变更为“已缴费”")

    @post("/{slip_id:uuid}/rejection", sync_to_thread=True, guards=[requires_role(Role.FINANCE)])
    def reject(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        slip_id: uuid.UUID, data: Form,
    ) -> Response[Any]:
        reason = str(data.get("reason") or "").strip()
        return self._decide(request, actor, reader, slip_id, data,
                            lambda: services.finance.reject_remittance(actor, slip_id, reason),
                            "汇款单已驳回，汇款单中的缴费单状态变更为“待缴费”")
