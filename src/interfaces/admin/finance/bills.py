"""批量缴费汇款 (requirements/finance.md §1.1, §2): the bills selection generated, with the roster
filters (requirements/common.md §2.1) and columns, totals per teaching point by status, and an Excel
export of the current query. A teaching point ticks awaiting-payment bills and pays them together, either by
remittance (a slip; the bills are 汇款中 until school finance confirms the money) or online
through UnionPay (银联在线缴费); or it remits for every bill of the current query awaiting
payment, over all pages, after confirming their count and total. A refunded bill reads 已退费
with the amount paid back beside it, and links to its drop request.

Online payment: the list's form carries a fresh idempotency key, so submitting it twice starts
one payment, never two. The payment page hands the signed order to the gateway; with the
embedded simulator the browser goes to the simulator's cashier page, which posts the order to
the API's simulator endpoint (the gateway's signed notification then goes through the same
callback handling as a real one) and comes back to the payment page.

Every action goes through `application.finance.service.Finance`; pages read
`application.finance.queries`. A teaching point sees its own bills, school staff all."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template
from sqlalchemy import Connection

from application.admissions.queries import filter_choices, list_study_batches
from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.common.queries import Page
from application.enrolment.queries import STAFF_READERS
from application.finance.queries import (
    bill_totals,
    get_bill,
    get_online_payment,
    get_remittance_slip,
    list_bills,
    payable_bills,
)
from application.organisation.queries import list_teaching_points
from domains.finance.bill import BillStatus, FeeType
from domains.finance.payments import PaymentStatus
from domains.shared.errors import DomainError, InvalidInput, NotFound
from domains.shared.money import Money
from domains.shared.values import Role
from infrastructure.container import Container
from interfaces.admin.common.forms import (
    Form,
    as_list,
    done,
    page_number,
    parse_id,
    status_of,
    yuan,
)
from interfaces.admin.common.guards import requires_role
from interfaces.admin.common.lists import ELEMENTS, export_response
from interfaces.admin.common.rendering import audit_tab, page

STATUSES = [(s.value, s.label) for s in BillStatus]
FEE_TYPES = [(f.value, f.label) for f in FeeType]
METHODS = {"remittance": "汇款", "unionpay": "银联在线缴费"}
LIST_KEYS = (
    "study_batch_id", "level", "learner_type", "learner_source", "major", "length_of_schooling",
    "teaching_point_id", "student_number", "name", "status", "fee_type",
)
EXPORT_COLUMNS = (
    ("learner_name", "姓名"), ("student_number", "学号"), ("study_batch_name", "学习批次"), ("level", "层次"),
    ("learner_type", "学生类型"), ("major", "专业"), ("length_of_schooling", "学制"),
    ("teaching_point_name", "教学点"), ("course_code", "课程代码"), ("course_name", "课程"),
    ("amount_yuan", "金额（元）"), ("fee_type_label", "缴费类型"), ("method_label", "缴费方式"),
    ("status_label", "缴费状态"), ("issued_at", "生成时间"), ("paid_at", "缴费时间"),
    ("refunded_yuan", "退费金额（元）"), ("refunded_at", "退费时间"),
)

def finance_page(request: Request[Any, Any, Any], template: str, actor: Actor, status_code: int = 200,
                 **context: Any) -> Template:
    return page(request, template, actor, status_code=status_code, yuan=yuan, **context)


# -- the list -------------------------------------------------------------------------------------


def list_params(actor: Actor, source: Any) -> tuple[RosterFilter, str | None, dict[str, str]]:
    """The roster filter, the fee type and the cleaned parameters (only filter fields: what the
    export link and the pager carry)."""
    params = {k: str(v).strip() for k in LIST_KEYS if (v := source.get(k)) not in (None, "")}
    if not actor.is_school_staff:
        params.pop("teaching_point_id", None)
    fee_type = params.get("fee_type") if params.get("fee_type") in {f.value for f in FeeType} else None
    if fee_type is None:
        params.pop("fee_type", None)
    return RosterFilter.from_params(params), fee_type, params


def _batch_names(conn: Connection) -> dict[Any, str]:
    return {b["id"]: b["name"] for b in list_study_batches(conn)}


def _row(bill: dict[str, Any], names: dict[Any, str]) -> dict[str, Any]:
    return {
        **bill, "study_batch_name": names.get(bill["study_batch_id"], ""), "amount_yuan": yuan(bill["amount_fen"]),
        "refunded_yuan": yuan(bill["refunded_fen"]),
    }


def _rows(conn: Connection, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = _batch_names(conn)
    return [_row(b, names) for b in items]


def point_options(conn: Connection, actor: Actor) -> list[tuple[str, str]]:
    """教学点 choices: school staff only (a teaching point sees its own anyway)."""
    if not actor.is_school_staff:
        return []
    return [(str(p["id"]), f"{p['code']} {p['name']}") for p in list_teaching_points(conn, actor, Page(size=200)).items]


def filter_options(conn: Connection, actor: Actor) -> dict[str, Any]:
    """(value, text) choices of the roster filter's drop-downs."""
    choices = filter_choices(conn)
    return {
        "batches": [(str(b["id"]), b["name"]) for b in list_study_batches(conn)],
        "elements": [(key, label, [(v, v) for v in choices.get(key, [])]) for key, label in ELEMENTS],
        "points": point_options(conn, actor),
    }


def confirmed_figures(data: Form) -> tuple[int, Money]:
    """The count and total (fen) the payer saw and confirmed on the page."""
    count, fen = str(data.get("count") or ""), str(data.get("amount_fen") or "")
    if not all(v.isascii() and v.isdigit() for v in (count, fen)):
        raise InvalidInput("payment.confirmation_invalid", "请核对本查询的缴费单张数与合计金额后重新确认", field="count")
    return int(count), Money(int(fen))


def can_pay(actor: Actor) -> bool:
    return actor.has(Role.TEACHING_POINT_ADMIN) and actor.teaching_point_id is not None


class BillPages(Controller):
    path = "/admin/bills"
    guards = [requires_role(*STAFF_READERS)]

    def _list(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, source: Any, number: int,
              status_code: int = 200, **context: Any) -> Template:
        filters, fee_type, params = list_params(actor, source)
        result = list_bills(reader, actor, Page(number=number), filters, fee_type=fee_type)
        result.items = _rows(reader, result.items)
        totals = bill_totals(reader, actor, replace(filters, status=None, student_number=None, name=None), fee_type)
        payable = None
        if can_pay(actor):  # what paying the whole query would cover, every page of it
            count, amount_fen = payable_bills(reader, actor, filters, fee_type)
            payable = {"count": count, "amount_fen": amount_fen}
        return finance_page(
            request, "bills_list.html", actor, status_code, result=result, totals=totals, payable=payable,
            **filter_options(reader, actor),
            statuses=STATUSES, fee_types=FEE_TYPES, params=params, payer=can_pay(actor), idempotency_key=secrets.token_hex(16),
            back=urlencode(params), **context,
        )

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        return self._list(request, actor, reader, request.query_params, page_number(request))

    @get("/export.xlsx", sync_to_thread=True)
    def export(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Response[bytes]:
        filters, fee_type, _ = list_params(actor, request.query_params)
        names = _batch_names(reader)  # once, not once per page of the export
        return export_response(
            request, reader, "缴费单", "bills", EXPORT_COLUMNS,
            lambda conn, p: list_bills(conn, actor, p, filters, fee_type=fee_type), lambda b: _row(b, names),
        )

    @get("/payments", sync_to_thread=True)
    def payments(self, request: Request[Any, Any, Any]) -> Response[Any]:
        """Links on a refused payment's page (the pager) lead back to the list."""
        return Redirect("/admin/bills" + (f"?{request.url.query}" if request.url.query else ""))

    @post("/payments", sync_to_thread=True, guards=[requires_role(Role.TEACHING_POINT_ADMIN)])
    def pay(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Form,
    ) -> Response[Any]:
        """The ticked bills paid together by the chosen method."""
        back = dict(parse_qsl(str(data.get("back") or "")))
        back_url = "/admin/bills" + (f"?{urlencode(list_params(actor, back)[2])}" if back else "")
        finance = services.finance
        method = str(data.get("method") or "")
        try:
            bill_ids = [
                parse_id(raw, "payment.bill_invalid", "所选缴费单无效", "bill_ids") for raw in as_list(data.get("bill_ids"))
            ]
            if not bill_ids:
                raise InvalidInput("payment.bills_required", "请先勾选待缴费的缴费单", field="bill_ids")
            if method == "remittance":
                slip_id = finance.remit(actor, bill_ids, str(data.get("bank_reference") or "").strip() or None)
            elif method == "unionpay":
                started = finance.pay_online(actor, str(data.get("idempotency_key") or ""), bill_ids)
            else:
                raise InvalidInput("payment.method_required", "请选择缴费方式：汇款或银联在线缴费", field="method")
        except DomainError as exc:
            if exc.kind in ("forbidden", "not_found"):
                raise
            return self._list(request, actor, reader, back, 1, status_of(exc), error=exc.message,
                              ticked=as_list(data.get("bill_ids")))
        if method == "remittance":
            return self._remitted(request, actor, reader, slip_id, back_url)
        to = f"/admin/bills/online-payments/{started.payment_id}"
        if started.replayed:
            return done(request, to, "该缴费请求已提交过，未重复发起支付")
        return Redirect(to)

    @post("/payments/query", sync_to_thread=True, guards=[requires_role(Role.TEACHING_POINT_ADMIN)])
    def pay_query(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Form,
    ) -> Response[Any]:
        """批量缴费汇款 of every bill the list's query finds (all pages) on one slip. The form
        carries the query, not the bills: the use case runs it again, and pays only if it still
        finds the count and total the payer confirmed."""
        back = dict(parse_qsl(str(data.get("back") or "")))
        filters, fee_type, params = list_params(actor, back)
        try:
            count, amount = confirmed_figures(data)
            bank_reference = str(data.get("bank_reference") or "").strip() or None
            slip_id = services.finance.remit_query(actor, filters, fee_type, bank_reference, count, amount)
        except DomainError as exc:
            if exc.kind in ("forbidden", "not_found"):
                raise
            return self._list(request, actor, reader, back, 1, status_of(exc), error=exc.message)
        return self._remitted(request, actor, reader, slip_id, "/admin/bills" + (f"?{urlencode(params)}" if params else ""))

    def _remitted(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, slip_id: uuid.UUID,
                  to: str) -> Response[Any]:
        slip = get_remittance_slip(reader, actor, slip_id)
        return done(
            request, to,
            f"已生成汇款单 {slip['slip_number']}：{slip['bill_count']} 张缴费单，合计 {yuan(slip['amount_fen'])} 元，"
            "缴费状态变更为“汇款中”，待学校财务确认到账",
        )

    # -- one bill ---------------------------------------------------------------------------------

    @get("/{bill_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, bill_id: uuid.UUID) -> Template:
        bill = _rows(reader, [get_bill(reader, actor, bill_id)])[0]
        return finance_page(request, "bills_show.html", actor, b=bill, history=audit_tab(reader, bill_id))

    # -- online payment: our page, and the embedded simulator's cashier page ---------------------

    @get("/online-payments/{payment_id:uuid}", sync_to_thread=True)
    def payment(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, payment_id: uuid.UUID,
    ) -> Template:
        payment = get_online_payment(reader, actor, payment_id)
        payment["bills"] = _rows(reader, payment["bills"])
        gateway = services.finance.gateway
        order = None
        if payment["status"] == PaymentStatus.INITIATED.value and can_pay(actor):
            # The same signed order the use case handed out when the payment started.
            order = gateway.order(payment_id.hex, payment["amount_fen"], payment["initiated_at"])
        return finance_page(
            request, "bills_payment.html", actor, p=payment, order=order, simulated=gateway.simulated,
            history=audit_tab(reader, payment_id),
        )

    @post("/gateway-simulator", sync_to_thread=True)
    def cashier(self, request: Request[Any, Any, Any], actor: Actor, services: Container, data: Form) -> Template:
        """The embedded simulator's cashier page: the payer brings the signed order here and
        pays (or lets it fail); the page posts the order to the simulator and comes back."""
        gateway = services.finance.gateway
        if not gateway.simulated:
            raise NotFound("not_found", "支付模拟器未启用")
        fields = {str(k): str(v) for k, v in data.items() if k != "_csrf_token"}
        try:
            payment_id = uuid.UUID(hex=fields.get("orderId", ""))
        except ValueError:
            raise InvalidInput("payment.order_invalid", "支付订单无效", field="orderId") from None
        amount = fields.get("txnAmt", "")
        return page(
            request, "gateway_simulator.html", actor, fields=fields, pay_url=gateway.pay_url,  # type: ignore[attr-defined]
            amount=yuan(int(amount)) if amount.isdigit() else amount, back=f"/admin/bills/online-payments/{payment_id}",
        )
