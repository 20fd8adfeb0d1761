"""Online payments through UnionPay: the payer starts one, the gateway calls back (signed, no
bearer token), and the embedded simulator stands in for the gateway where it is enabled."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, MediaType, Request, Response, get, post
from sqlalchemy import Connection

from application.common.actor import Actor
from application.finance.queries import get_online_payment, online_payment_status
from domains.finance.payments import PaymentStatus
from domains.shared.errors import NotFound
from infrastructure.container import Container
from interfaces.http.api.common import out
from interfaces.http.api.finance.schemas import (
    GatewayForm,
    OnlinePaymentIn,
    OnlinePaymentOut,
    OnlinePaymentStartedOut,
    SimulatedPaymentOut,
)


class OnlinePaymentController(Controller):
    path = "/online-payments"
    tags = ["finance"]

    @post("/", sync_to_thread=True)
    def create(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        data: OnlinePaymentIn,
    ) -> Response[OnlinePaymentStartedOut]:
        """Starts a UnionPay payment of these bills; send an `Idempotency-Key` header (8-64
        letters, digits, `_` or `-`). The same key and bills again return the same payment
        (200, `replayed`), never a second one."""
        key = request.headers.get("idempotency-key") or data.idempotency_key
        started = services.finance.pay_online(actor, key, data.bill_ids)
        payment = get_online_payment(reader, actor, started.payment_id)
        order = started.order
        payment["gateway"] = (
            {"name": services.finance.gateway.name, "order_id": order.order_id, "pay_url": order.pay_url,
             "fields": order.fields}
            if order is not None else None
        )
        payment["replayed"] = started.replayed
        return Response(out(payment, OnlinePaymentStartedOut), status_code=200 if started.replayed else 201)

    @get("/{payment_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, reader: Connection, payment_id: uuid.UUID) -> OnlinePaymentOut:
        return out(get_online_payment(reader, actor, payment_id), OnlinePaymentOut)


class UnionPayController(Controller):
    """The gateway's side: no bearer token here, the signature is the authentication."""

    path = "/payments/unionpay"
    tags = ["finance"]

    @post("/notify", sync_to_thread=True, status_code=200, media_type=MediaType.TEXT)
    def notify(self, services: Container, data: GatewayForm) -> str:
        """UnionPay's back-channel notification (backUrl), form-encoded and signed. Answers
        200 "ok" once handled; a repeated notification is handled again harmlessly."""
        services.finance.gateway_notice({str(k): str(v) for k, v in data.items()})
        return "ok"

    @post("/simulator", sync_to_thread=True, status_code=200)
    def simulate(
        self, services: Container, reader: Connection, data: GatewayForm, result: str = "success"
    ) -> SimulatedPaymentOut:
        """The embedded gateway simulator (absent with a live gateway): the payer's browser
        posts the signed order form; the simulator pays (or, with `result=failure`, fails) and
        delivers its signed notification through the same handling as the real callback."""
        finance = services.finance
        simulator = finance.gateway
        if not getattr(simulator, "simulated", False):
            raise NotFound("not_found", "支付模拟器未启用")
        notice = simulator.pay(  # type: ignore[attr-defined]
            {str(k): str(v) for k, v in data.items()}, succeed=result != "failure", at=services.clock.now()
        )
        payment_id = finance.gateway_notice(notice)
        status = online_payment_status(reader, payment_id)
        return SimulatedPaymentOut(
            order_id=notice["orderId"], resp_code=notice["respCode"], status=PaymentStatus(status) if status else None
        )
