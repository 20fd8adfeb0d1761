"""Bills, remittance slips, online payments with the UnionPay callback, and the refund chain.
Amounts are integer fen on the wire (fields ending in `_fen`)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Controller, MediaType, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from application.common.filters import RosterFilter
from application.finance.queries import (
    bill_totals,
    get_bill,
    get_online_payment,
    get_refund,
    get_remittance_slip,
    list_bills,
    list_refunds,
    list_remittance_slips,
    online_payment_status,
)
from application.finance.service import OnlinePaymentStarted
from domains.finance.payments import PaymentStatus
from domains.shared.errors import NotFound
from interfaces.http.api.common import ROSTER, AmountListing, T, out, page_of
from interfaces.http.api.finance_out import (
    BillOut,
    BillTotalsOut,
    OnlinePaymentOut,
    OnlinePaymentStartedOut,
    RefundDetailOut,
    RefundOut,
    RemittanceSlipDetailOut,
    RemittanceSlipOut,
    SimulatedPaymentOut,
)
from interfaces.http.context import api_actor, container_of


def amount_list(result: Any, item: type[T]) -> AmountListing[T]:
    return AmountListing(
        items=out(result.items, list[item]),  # type: ignore[valid-type]
        total=result.total, page=result.page, page_size=result.size,
        total_amount_fen=result.extra.get("total_amount_fen", 0),
    )


class RemittanceIn(msgspec.Struct):
    bill_ids: list[uuid.UUID]
    bank_reference: str | None = None


class CommentIn(msgspec.Struct):
    comment: str | None = None


class ReasonIn(msgspec.Struct):
    reason: str | None = None


class ReferenceIn(msgspec.Struct):
    reference: str | None = None


class OnlinePaymentIn(msgspec.Struct):
    bill_ids: list[uuid.UUID]
    idempotency_key: str | None = None  # or the Idempotency-Key header


Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


class BillController(Controller):
    path = "/bills"
    tags = ["finance"]
    dependencies = ROSTER

    @get("/", sync_to_thread=True)
    def index(
        self,
        request: Request[Any, Any, Any],
        roster: RosterFilter,
        page: int = 1,
        page_size: int = 20,
        fee_type: str | None = None,
        course_id: uuid.UUID | None = None,
        learner_id: uuid.UUID | None = None,
        enrollment_id: uuid.UUID | None = None,
    ) -> AmountListing[BillOut]:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return amount_list(list_bills(
                conn, actor, page_of(page, page_size), roster, fee_type=fee_type, course_id=course_id,
                learner_id=learner_id, enrollment_id=enrollment_id,
            ), BillOut)

    @get("/totals", sync_to_thread=True)
    def totals(
        self,
        request: Request[Any, Any, Any],
        roster: RosterFilter,
        fee_type: str | None = None,
    ) -> list[BillTotalsOut]:
        """Per teaching point: bill counts and amounts (fen) by status."""
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return out(bill_totals(conn, actor, roster, fee_type), list[BillTotalsOut])

    @get("/{bill_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], bill_id: uuid.UUID) -> BillOut:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return out(get_bill(conn, actor, bill_id), BillOut)


class RemittanceSlipController(Controller):
    path = "/remittance-slips"
    tags = ["finance"]

    def _show(self, request: Request[Any, Any, Any], slip_id: uuid.UUID) -> RemittanceSlipDetailOut:
        with container_of(request).engine.connect() as conn:
            return out(get_remittance_slip(conn, api_actor(request), slip_id), RemittanceSlipDetailOut)

    @get("/", sync_to_thread=True)
    def index(
        self,
        request: Request[Any, Any, Any],
        page: int = 1,
        page_size: int = 20,
        status: str | None = None,
        teaching_point_id: uuid.UUID | None = None,
        slip_number: str | None = None,
    ) -> AmountListing[RemittanceSlipOut]:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            result = list_remittance_slips(
                conn, actor, page_of(page, page_size), status=status, teaching_point_id=teaching_point_id,
                slip_number=slip_number,
            )
        result.extra = {"total_amount_fen": sum(r["amount_fen"] for r in result.items)}
        return amount_list(result, RemittanceSlipOut)

    @post("/", sync_to_thread=True)
    def create(self, request: Request[Any, Any, Any], data: RemittanceIn) -> RemittanceSlipDetailOut:
        """The teaching point remits for many bills at once: a slip, the bills in transit."""
        slip_id = container_of(request).finance.remit(api_actor(request), data.bill_ids, data.bank_reference)
        return self._show(request, slip_id)

    @get("/{slip_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], slip_id: uuid.UUID) -> RemittanceSlipDetailOut:
        return self._show(request, slip_id)

    @post("/{slip_id:uuid}/confirmation", sync_to_thread=True, status_code=200)
    def confirm(self, request: Request[Any, Any, Any], slip_id: uuid.UUID, data: CommentIn) -> RemittanceSlipDetailOut:
        container_of(request).finance.confirm_remittance(api_actor(request), slip_id, data.comment)
        return self._show(request, slip_id)

    @post("/{slip_id:uuid}/rejection", sync_to_thread=True, status_code=200)
    def reject(self, request: Request[Any, Any, Any], slip_id: uuid.UUID, data: ReasonIn) -> RemittanceSlipDetailOut:
        container_of(request).finance.reject_remittance(api_actor(request), slip_id, data.reason)
        return self._show(request, slip_id)


def _started(request: Request[Any, Any, Any], started: OnlinePaymentStarted) -> Response[OnlinePaymentStartedOut]:
    with container_of(request).engine.connect() as conn:
        payment = get_online_payment(conn, api_actor(request), started.payment_id)
    order = started.order
    payment["gateway"] = (
        {"name": container_of(request).finance.gateway.name, "order_id": order.order_id, "pay_url": order.pay_url,
         "fields": order.fields}
        if order is not None else None
    )
    payment["replayed"] = started.replayed
    return Response(out(payment, OnlinePaymentStartedOut), status_code=200 if started.replayed else 201)


class OnlinePaymentController(Controller):
    path = "/online-payments"
    tags = ["finance"]

    @post("/", sync_to_thread=True)
    def create(self, request: Request[Any, Any, Any], data: OnlinePaymentIn) -> Response[OnlinePaymentStartedOut]:
        """Starts a UnionPay payment of these bills; send an `Idempotency-Key` header (8-64
        letters, digits, `_` or `-`). The same key and bills again return the same payment
        (200, `replayed`), never a second one."""
        key = request.headers.get("idempotency-key") or data.idempotency_key
        started = container_of(request).finance.pay_online(api_actor(request), key, data.bill_ids)
        return _started(request, started)

    @get("/{payment_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], payment_id: uuid.UUID) -> OnlinePaymentOut:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return out(get_online_payment(conn, actor, payment_id), OnlinePaymentOut)


class UnionPayController(Controller):
    """The gateway's side: no bearer token here, the signature is the authentication."""

    path = "/payments/unionpay"
    tags = ["finance"]

    @post("/notify", sync_to_thread=True, status_code=200, media_type=MediaType.TEXT)
    def notify(self, request: Request[Any, Any, Any], data: Form) -> str:
        """UnionPay's back-channel notification (backUrl), form-encoded and signed. Answers
        200 "ok" once handled; a repeated notification is handled again harmlessly."""
        container_of(request).finance.gateway_notice({str(k): str(v) for k, v in data.items()})
        return "ok"

    @post("/simulator", sync_to_thread=True, status_code=200)
    def simulate(self, request: Request[Any, Any, Any], data: Form, result: str = "success") -> SimulatedPaymentOut:
        """The embedded gateway simulator (absent with a live gateway): the payer's browser
        posts the signed order form; the simulator pays (or, with `result=failure`, fails) and
        delivers its signed notification through the same handling as the real callback."""
        finance = container_of(request).finance
        simulator = finance.gateway
        if not getattr(simulator, "simulated", False):
            raise NotFound("not_found", "支付模拟器未启用")
        notice = simulator.pay(  # type: ignore[attr-defined]
            {str(k): str(v) for k, v in data.items()}, succeed=result != "failure", at=container_of(request).clock.now()
        )
        payment_id = finance.gateway_notice(notice)
        with container_of(request).engine.connect() as conn:
            status = online_payment_status(conn, payment_id)
        return SimulatedPaymentOut(order_id=notice["orderId"], resp_code=notice["respCode"], status=PaymentStatus(status) if status else None)


class RefundController(Controller):
    path = "/refunds"
    tags = ["finance"]
    dependencies = ROSTER

    def _show(self, request: Request[Any, Any, Any], refund_id: uuid.UUID) -> RefundDetailOut:
        with container_of(request).engine.connect() as conn:
            return out(get_refund(conn, api_actor(request), refund_id), RefundDetailOut)

    def _list(
        self, request: Request[Any, Any, Any], queue: bool, page: int, page_size: int, roster: RosterFilter,
        course_id: uuid.UUID | None = None, learner_id: uuid.UUID | None = None,
    ) -> AmountListing[RefundOut]:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return amount_list(list_refunds(
                conn, actor, page_of(page, page_size), roster, queue=queue, course_id=course_id, learner_id=learner_id
            ), RefundOut)

    @get("/", sync_to_thread=True)
    def index(
        self,
        request: Request[Any, Any, Any],
        roster: RosterFilter,
        page: int = 1,
        page_size: int = 20,
        course_id: uuid.UUID | None = None,
        learner_id: uuid.UUID | None = None,
    ) -> AmountListing[RefundOut]:
        return self._list(request, False, page, page_size, roster, course_id, learner_id)

    @get("/queue", sync_to_thread=True)
    def queue(
        self,
        request: Request[Any, Any, Any],
        roster: RosterFilter,
        page: int = 1,
        page_size: int = 20,
    ) -> AmountListing[RefundOut]:
        """The acting role's own queue: academic affairs, pending its review; finance, pending
        finance review and approved awaiting the refund; a teaching point, its requests."""
        return self._list(request, True, page, page_size, roster)

    @get("/{refund_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], refund_id: uuid.UUID) -> RefundDetailOut:
        return self._show(request, refund_id)

    @post("/{refund_id:uuid}/academic-approval", sync_to_thread=True, status_code=200)
    def academic_approve(self, request: Request[Any, Any, Any], refund_id: uuid.UUID, data: CommentIn) -> RefundDetailOut:
        container_of(request).finance.approve_drop(api_actor(request), refund_id, data.comment)
        return self._show(request, refund_id)

    @post("/{refund_id:uuid}/academic-rejection", sync_to_thread=True, status_code=200)
    def academic_reject(self, request: Request[Any, Any, Any], refund_id: uuid.UUID, data: ReasonIn) -> RefundDetailOut:
        container_of(request).finance.reject_drop(api_actor(request), refund_id, data.reason)
        return self._show(request, refund_id)

    @post("/{refund_id:uuid}/finance-approval", sync_to_thread=True, status_code=200)
    def finance_approve(self, request: Request[Any, Any, Any], refund_id: uuid.UUID, data: CommentIn) -> RefundDetailOut:
        container_of(request).finance.approve_refund(api_actor(request), refund_id, data.comment)
        return self._show(request, refund_id)

    @post("/{refund_id:uuid}/finance-rejection", sync_to_thread=True, status_code=200)
    def finance_reject(self, request: Request[Any, Any, Any], refund_id: uuid.UUID, data: ReasonIn) -> RefundDetailOut:
        container_of(request).finance.reject_refund(api_actor(request), refund_id, data.reason)
        return self._show(request, refund_id)

    @post("/{refund_id:uuid}/refund-payment", sync_to_thread=True, status_code=200)
    def refunded(self, request: Request[Any, Any, Any], refund_id: uuid.UUID, data: ReferenceIn) -> RefundDetailOut:
        """Finance records the money paid back: the drop completes."""
        container_of(request).finance.mark_refunded(api_actor(request), refund_id, data.reference)
        return self._show(request, refund_id)

    @post("/{refund_id:uuid}/cancellation", sync_to_thread=True, status_code=200)
    def cancel(self, request: Request[Any, Any, Any], refund_id: uuid.UUID, data: ReasonIn) -> RefundDetailOut:
        container_of(request).finance.cancel_drop(api_actor(request), refund_id, data.reason)
        return self._show(request, refund_id)


FINANCE_CONTROLLERS = [
    BillController,
    RemittanceSlipController,
    OnlinePaymentController,
    UnionPayController,
    RefundController,
]
