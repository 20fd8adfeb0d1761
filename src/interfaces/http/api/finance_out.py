"""Response bodies of the finance API: bills, remittance slips, online payments and refunds.
Amounts are integer fen; `*_label` fields carry the Chinese name of the code beside them."""

from __future__ import annotations

import uuid
from datetime import datetime

from domains.finance.bill import BillStatus, FeeType, PaymentMethod
from domains.finance.payments import PaymentStatus, SlipStatus
from domains.finance.refund import RefundStatus
from domains.shared.values import Role
from interfaces.http.api.common import Out, RosterColumns


class BillOut(RosterColumns):
    id: uuid.UUID
    learner_id: uuid.UUID
    teaching_point_id: uuid.UUID
    course_id: uuid.UUID
    fee_type: FeeType
    amount_fen: int
    status: BillStatus
    method: PaymentMethod | None
    enrollment_id: uuid.UUID | None  # a course selection's credit fee
    exam_registration_id: uuid.UUID | None  # an exam registration's fee
    remittance_slip_id: uuid.UUID | None
    payment_id: uuid.UUID | None
    gateway_transaction_id: str | None
    void_reason: str | None
    refund_id: uuid.UUID | None  # the course's latest drop request covering this bill
    refunded_fen: int | None  # paid back, once the bill is refunded
    refunded_at: datetime | None
    issued_at: datetime
    paid_at: datetime | None
    updated_at: datetime
    course_code: str
    course_name: str
    credit_tenths: int
    status_label: str
    fee_type_label: str
    method_label: str | None


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


class RefundOut(RosterColumns):
    id: uuid.UUID
    enrollment_id: uuid.UUID
    learner_id: uuid.UUID
    course_id: uuid.UUID
    teaching_point_id: uuid.UUID
    amount_fen: int
    bill_count: int
    status: RefundStatus
    requested_by_role: Role
    requested_by: str
    reason: str | None
    academic_comment: str | None
    finance_comment: str | None
    reject_reason: str | None
    refund_reference: str | None
    requested_at: datetime
    closed_at: datetime | None
    updated_at: datetime
    course_code: str
    course_name: str
    credit_tenths: int
    status_label: str
    may_study: bool
    cancellable: bool
    requested_by_role_label: str


class RefundDetailOut(RefundOut):
    bills: list[BillOut]
