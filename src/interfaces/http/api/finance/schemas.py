"""Request and response bodies of the finance API: bills, remittance slips, online payments and
refunds. Amounts are integer fen; `*_label` fields carry the Chinese name of the code beside
them. A bill and a refund themselves (`BillOut`, `RefundOut`) are shared records in api.common."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar.enums import RequestEncodingType
from litestar.params import Body

from domains.finance.payments import PaymentStatus, SlipStatus
from interfaces.http.api.common import BillOut, Out, RefundOut

# The payment gateway posts form-encoded fields named by its own protocol.
GatewayForm = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


class RemittanceIn(msgspec.Struct):
    bill_ids: list[uuid.UUID]
    bank_reference: str | None = None


class ReferenceIn(msgspec.Struct):
    reference: str | None = None


class OnlinePaymentIn(msgspec.Struct):
    bill_ids: list[uuid.UUID]
    idempotency_key: str | None = None  # or the Idempotency-Key header



class StatusTotal(Out):
    label: str
    count: int
    amount_fen: int


class BillTotalsByStatus(Out):
    awaiting_payment: StatusTotal
    remittance_in_transit: StatusTotal
    paid: StatusTotal
    refunded: StatusTotal
    voided: StatusTotal


class BillTotalsOut(Out):
    """One teaching point's bills: counts and amounts by status, and in all."""

    teaching_point_id: uuid.UUID
    teaching_point_name: str
    by_status: BillTotalsByStatus
    count: int
    amount_fen: int


class RemittanceSlipOut(Out):
    id: uuid.UUID
    slip_number: str
    teaching_point_id: uuid.UUID
    amount_fen: int
    bill_count: int
    bank_reference: str | None
    status: SlipStatus
    reject_reason: str | None
    submitted_at: datetime
    decided_at: datetime | None
    teaching_point_name: str
    status_label: str


class RemittanceSlipDetailOut(RemittanceSlipOut):
    bills: list[BillOut]


class OnlinePaymentOut(Out):
    id: uuid.UUID
    teaching_point_id: uuid.UUID
    amount_fen: int
    bill_count: int
    status: PaymentStatus
    gateway_transaction_id: str | None
    failure_reason: str | None
    initiated_at: datetime
    paid_at: datetime | None
    updated_at: datetime
    status_label: str
    bills: list[BillOut]


class GatewayOrderOut(Out):
    """What the payer's browser posts to the gateway: its address and the signed form fields
    (named by the gateway's protocol, hence a map)."""

    name: str
    order_id: str
    pay_url: str
    fields: dict[str, str]


class OnlinePaymentStartedOut(OnlinePaymentOut):
    gateway: GatewayOrderOut | None  # none once the payment is no longer awaiting the gateway
    replayed: bool  # the same Idempotency-Key and bills again: the payment started before


class SimulatedPaymentOut(Out):
    order_id: str
    resp_code: str  # the gateway's answer code, "00" for success
    status: PaymentStatus | None


class RefundDetailOut(RefundOut):
    bills: list[BillOut]
