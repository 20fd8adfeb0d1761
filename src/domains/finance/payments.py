"""Paying bills in batch (requirements/finance.md §2): online through UnionPay, or by remittance (汇款).

An online payment is keyed by the client's idempotency key: a retried request finds the same
payment instead of starting another, and a retried gateway callback pays nothing twice. A
remittance slip (汇款单) groups the bills of one transfer; its number is the platform's own,
distinct from the bank's. The functions at the bottom move a payment or a slip together with its
bills, so the application saves them in one atomic write.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from eventsourcing.domain import event

from domains.finance.bill import Bill, BillStatus
from domains.shared.aggregate import DomainAggregate, key_id
from domains.shared.errors import DomainError, Forbidden, InvalidInput
from domains.shared.money import Money
from domains.shared.values import Role, optional_text, require_aware, require_text

_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def _check_bills(teaching_point_id: uuid.UUID, bills: Sequence[Bill]) -> list[uuid.UUID]:
    """Bills paid together: at least one, each once, all of this teaching point, all awaiting payment."""
    ids = [b.id for b in bills]
    if not ids:
        raise InvalidInput("payment.bills_required", "请选择待缴费的缴费单", field="bill_ids")
    if len(set(ids)) != len(ids):
        raise InvalidInput("payment.duplicate_bills", "同一缴费单不能重复选择", field="bill_ids")
    for bill in bills:
        bill.check_teaching_point(teaching_point_id)
        bill.check_awaiting_payment()
    return ids


def _check_same_bills(expected: list[uuid.UUID], bills: Sequence[Bill]) -> None:
    if sorted(b.id for b in bills) != sorted(expected):
        raise DomainError("payment.bills_mismatch", "缴费单与支付记录不符")


def _check_finance(role: Role, what: str) -> None:
    if role is not Role.FINANCE:
        raise Forbidden("remittance.finance_only", f"只有学校财务可以{what}汇款单")


class PaymentStatus(StrEnum):
    INITIATED = "initiated"
    SUCCEEDED = "succeeded"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"initiated": "待支付", "succeeded": "支付成功", "failed": "支付失败"}[self.value]


class OnlinePayment(DomainAggregate):
    """One UnionPay payment of several bills, from the redirect to the gateway's answer."""

    @staticmethod
    def create_id(idempotency_key: str) -> uuid.UUID:
        return key_id("online_payment", idempotency_key)

    @event("Initiated")
    def __init__(
        self,
        idempotency_key: str,
        teaching_point_id: uuid.UUID,
        bill_ids: list[uuid.UUID],
        amount_fen: int,
        initiated_at: datetime,
    ) -> None:
        self.idempotency_key = idempotency_key
        self.teaching_point_id = teaching_point_id
        self.bill_ids = list(bill_ids)
        self.amount_fen = amount_fen
        self.initiated_at = initiated_at
        self.status = PaymentStatus.INITIATED.value
        self.gateway_transaction_id: str | None = None
        self.paid_at: datetime | None = None

    @classmethod
    def initiate(
        cls, idempotency_key: str, teaching_point_id: uuid.UUID, bills: Sequence[Bill], at: datetime
    ) -> OnlinePayment:
        if not _KEY.match(idempotency_key or ""):
            raise InvalidInput(
                "payment.idempotency_key_invalid", "幂等键须为8-64位字母、数字、下划线或连字符", field="idempotency_key"
            )
        ids = _check_bills(teaching_point_id, bills)
        return cls(
            idempotency_key=idempotency_key,
            teaching_point_id=teaching_point_id,
            bill_ids=ids,
            amount_fen=Money.total(b.amount for b in bills).fen,
            initiated_at=require_aware(at),
        )

    @property
    def payment_status(self) -> PaymentStatus:
        return PaymentStatus(self.status)

    def check_same_request(self, teaching_point_id: uuid.UUID, bill_ids: Sequence[uuid.UUID]) -> None:
        """A retried request carries the same key *and* asks for the same thing; a key reused for
        another request is a client bug, refused rather than answered with the wrong payment."""
        if teaching_point_id != self.teaching_point_id or sorted(bill_ids) != sorted(self.bill_ids):
            raise DomainError("payment.idempotency_key_reused", "该幂等键已用于另一笔缴费请求")

    def succeed(self, gateway_transaction_id: str, amount: Money, at: datetime) -> bool:
        """The gateway reports success; returns False when it reports the same success again."""
        transaction = require_text(gateway_transaction_id, "gateway_transaction_id", "支付流水号", 64)
        if self.payment_status is PaymentStatus.SUCCEEDED:
            if transaction == self.gateway_transaction_id:
                return False
            raise DomainError("payment.already_succeeded", "该笔缴费已支付成功，不能重复支付")
        if self.payment_status is PaymentStatus.FAILED:
            raise DomainError("payment.not_pending", "该笔缴费已失败，请重新发起缴费")
        if amount.fen != self.amount_fen:
            raise DomainError("payment.amount_mismatch", f"支付金额{amount}与应缴金额{Money(self.amount_fen)}不符")
        self._succeeded(gateway_transaction_id=transaction, paid_at=require_aware(at))
        return True

    @event("Succeeded")
    def _succeeded(self, gateway_transaction_id: str, paid_at: datetime) -> None:
        self.gateway_transaction_id = gateway_transaction_id
        self.paid_at = paid_at
        self.status = PaymentStatus.SUCCEEDED.value

    def fail(self, reason: str, at: datetime) -> None:
        if self.payment_status is not PaymentStatus.INITIATED:
            raise DomainError("payment.not_pending", f"该笔缴费已{self.payment_status.label}")
        self._failed(reason=require_text(reason, "reason", "失败原因", 200), failed_at=require_aware(at))

    @event("Failed")
    def _failed(self, reason: str, failed_at: datetime) -> None:
        self.status = PaymentStatus.FAILED.value


class SlipStatus(StrEnum):
    SUBMITTED = "submitted"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {"submitted": "待确认", "confirmed": "已到账", "rejected": "已驳回"}[self.value]


class RemittanceSlip(DomainAggregate):
    @event("Submitted")
    def __init__(
        self,
        slip_number: str,
        teaching_point_id: uuid.UUID,
        bill_ids: list[uuid.UUID],
        amount_fen: int,
        bank_reference: str | None,
        submitted_at: datetime,
    ) -> None:
        self.slip_number = slip_number
        self.teaching_point_id = teaching_point_id
        self.bill_ids = list(bill_ids)
        self.amount_fen = amount_fen
        self.bank_reference = bank_reference
        self.submitted_at = submitted_at
        self.status = SlipStatus.SUBMITTED.value
        self.decided_at: datetime | None = None
        self.reject_reason: str | None = None

    @property
    def slip_status(self) -> SlipStatus:
        return SlipStatus(self.status)

    def _check_submitted(self) -> None:
        if self.slip_status is not SlipStatus.SUBMITTED:
            raise DomainError("remittance.not_awaiting_confirmation", f"该汇款单已{self.slip_status.label}")

    def confirm(self, role: Role, at: datetime) -> None:
        """School finance saw the money arrive."""
        _check_finance(role, "确认")
        self._check_submitted()
        self._confirmed(confirmed_at=require_aware(at))

    @event("Confirmed")
    def _confirmed(self, confirmed_at: datetime) -> None:
        self.decided_at = confirmed_at
        self.status = SlipStatus.CONFIRMED.value

    def reject(self, role: Role, reason: str, at: datetime) -> None:
        _check_finance(role, "驳回")
        self._check_submitted()
        self._rejected(reason=require_text(reason, "reason", "驳回原因", 200), rejected_at=require_aware(at))

    @event("Rejected")
    def _rejected(self, reason: str, rejected_at: datetime) -> None:
        self.decided_at = rejected_at
        self.reject_reason = reason
        self.status = SlipStatus.REJECTED.value


# -- moving a payment or a slip together with its bills -----------------------------------------


def remit(
    slip_number: str,
    teaching_point_id: uuid.UUID,
    bills: Sequence[Bill],
    bank_reference: str | None,
    at: datetime,
) -> RemittanceSlip:
    """The teaching point remits for these bills: a slip, and every bill in transit on it."""
    ids = _check_bills(teaching_point_id, bills)
    slip = RemittanceSlip(
        slip_number=require_text(slip_number, "slip_number", "汇款单号", 40),
        teaching_point_id=teaching_point_id,
        bill_ids=ids,
        amount_fen=Money.total(b.amount for b in bills).fen,
        bank_reference=optional_text(bank_reference, "bank_reference", "银行汇款流水号", 64),
        submitted_at=require_aware(at),
    )
    for bill in bills:
        bill.start_remittance(slip.id, at)
    return slip


def payable(bills: Sequence[Bill]) -> list[Bill]:
    """Of the bills a list query found, those still awaiting payment: a bill remitted, paid,
    refunded or voided since the query was shown is left out, never paid twice."""
    return [b for b in bills if b.bill_status is BillStatus.AWAITING_PAYMENT]


def check_as_confirmed(bills: Sequence[Bill], count: int, amount: Money) -> None:
    """The payer confirmed paying `count` bills for `amount` (what the page showed); the bills
    paid now must be exactly that many for exactly that much, or the payer confirms again."""
    if not bills:
        raise InvalidInput("payment.query_empty", "当前查询没有待缴费的缴费单", field="bill_ids")
    total = Money.total(b.amount for b in bills)
    if len(bills) != count or total != amount:
        raise DomainError(
            "payment.query_changed",
            f"当前查询的待缴费缴费单已变化：现为 {len(bills)} 张，合计 {total.yuan} 元，请核对后重新确认",
        )


def confirm_remittance(slip: RemittanceSlip, bills: Sequence[Bill], role: Role, at: datetime) -> None:
    _check_same_bills(slip.bill_ids, bills)
    slip.confirm(role, at)
    for bill in bills:
        bill.confirm_remittance(slip.id, at)


def reject_remittance(slip: RemittanceSlip, bills: Sequence[Bill], role: Role, reason: str, at: datetime) -> None:
    _check_same_bills(slip.bill_ids, bills)
    slip.reject(role, reason, at)
    for bill in bills:
        bill.reject_remittance(slip.id, at)


def settle_online(
    payment: OnlinePayment, bills: Sequence[Bill], gateway_transaction_id: str, amount: Money, at: datetime
) -> list[Bill]:
    """The gateway's success callback: the payment succeeds and its bills are paid. A repeated
    callback returns no bills and records nothing."""
    _check_same_bills(payment.bill_ids, bills)
    for bill in bills:  # every bill checked before anything changes
        if not (bill.is_paid and bill.payment_id == payment.id):
            bill.check_awaiting_payment()
    if not payment.succeed(gateway_transaction_id, amount, at):
        return []
    return [b for b in bills if b.pay_online(payment.id, gateway_transaction_id, at)]
