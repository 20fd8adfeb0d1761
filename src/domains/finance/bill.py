"""A bill (缴费单): one fee of one course for one learner (requirements/finance.md §1.1, §2).

  awaiting_payment (待缴费) -> paid (已缴费)                      online (UnionPay)
  awaiting_payment -> remittance_in_transit (汇款中) -> paid     finance confirms the remittance
                      remittance_in_transit -> awaiting_payment  finance rejects it
  awaiting_payment -> voided (已作废)                             an unpaid course is dropped
  paid -> refunded (已退费)                                      the paid course is dropped and
                                                                its fees paid back (退费)

A refunded bill no longer counts as money received: it leaves the paid totals and reports the
amount paid back instead (requirements/finance.md §1.6).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from eventsourcing.domain import event

from domains.shared.aggregate import DomainAggregate
from domains.shared.errors import DomainError, Forbidden, InvalidInput
from domains.shared.money import Money
from domains.shared.values import require_aware, require_text


class FeeType(StrEnum):
    CREDIT_FEE = "credit_fee"
    EXAM_FEE = "exam_fee"

    @property
    def label(self) -> str:
        return {"credit_fee": "学分费", "exam_fee": "考试费"}[self.value]


class PaymentMethod(StrEnum):
    UNIONPAY = "unionpay"
    REMITTANCE = "remittance"

    @property
    def label(self) -> str:
        return {"unionpay": "银联缴费", "remittance": "汇款"}[self.value]


class BillStatus(StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    REMITTANCE_IN_TRANSIT = "remittance_in_transit"
    PAID = "paid"
    REFUNDED = "refunded"
    VOIDED = "voided"

    @property
    def label(self) -> str:
        return BILL_STATUS_LABELS[self]


BILL_STATUS_LABELS = {
    BillStatus.AWAITING_PAYMENT: "待缴费",
    BillStatus.REMITTANCE_IN_TRANSIT: "汇款中",
    BillStatus.PAID: "已缴费",
    BillStatus.REFUNDED: "已退费",
    BillStatus.VOIDED: "已作废",
}

# Why a bill that is not awaiting payment cannot be paid, remitted or voided.
_NOT_AWAITING = {
    BillStatus.PAID: ("bill.already_paid", "该缴费单已缴费，不能重复缴费"),
    BillStatus.REMITTANCE_IN_TRANSIT: ("bill.remittance_in_transit", "该缴费单汇款在途，待学校财务确认"),
    BillStatus.VOIDED: ("bill.voided", "该缴费单已作废"),
    BillStatus.REFUNDED: ("bill.refunded", "该缴费单已退费"),
}


class Bill(DomainAggregate):
    @event("Issued")
    def __init__(
        self,
        learner_id: uuid.UUID,
        teaching_point_id: uuid.UUID,
        course_id: uuid.UUID,
        fee_type: str,
        amount_fen: int,
        enrollment_id: uuid.UUID | None,
        exam_registration_id: uuid.UUID | None,
        issued_at: datetime,
    ) -> None:
        self.learner_id = learner_id
        self.teaching_point_id = teaching_point_id
        self.course_id = course_id
        self.fee_type = fee_type
        self.amount_fen = amount_fen
        self.enrollment_id = enrollment_id
        self.exam_registration_id = exam_registration_id
        self.issued_at = issued_at
        self.status = BillStatus.AWAITING_PAYMENT.value
        self.method: str | None = None
        self.remittance_slip_id: uuid.UUID | None = None
        self.payment_id: uuid.UUID | None = None
        self.gateway_transaction_id: str | None = None
        self.paid_at: datetime | None = None
        self.refund_id: uuid.UUID | None = None
        self.refunded_at: datetime | None = None

    @classmethod
    def issue(
        cls,
        learner_id: uuid.UUID,
        teaching_point_id: uuid.UUID,
        course_id: uuid.UUID,
        fee_type: FeeType,
        amount: Money,
        issued_at: datetime,
        enrollment_id: uuid.UUID | None = None,
        exam_registration_id: uuid.UUID | None = None,
    ) -> Bill:
        """A bill is for a selection (credit and exam fee) or for a resit registration (exam fee)."""
        if enrollment_id is None and exam_registration_id is None:
            raise InvalidInput("bill.subject_required", "缴费单须对应选课或报考", field="enrollment_id")
        return cls(
            learner_id=learner_id,
            teaching_point_id=teaching_point_id,
            course_id=course_id,
            fee_type=FeeType(fee_type).value,
            amount_fen=amount.fen,
            enrollment_id=enrollment_id,
            exam_registration_id=exam_registration_id,
            issued_at=require_aware(issued_at, "issued_at"),
        )

    @property
    def bill_status(self) -> BillStatus:
        return BillStatus(self.status)

    @property
    def amount(self) -> Money:
        return Money(self.amount_fen)

    @property
    def is_paid(self) -> bool:
        return self.bill_status is BillStatus.PAID

    @property
    def refunded_amount(self) -> Money:
        """What was paid back for this bill: all of it once refunded (a refund covers whole
        bills), nothing before."""
        return self.amount if self.bill_status is BillStatus.REFUNDED else Money.zero()

    def check_teaching_point(self, teaching_point_id: uuid.UUID) -> None:
        """A teaching point pays its own learners' bills only."""
        if self.teaching_point_id != teaching_point_id:
            raise Forbidden("bill.other_teaching_point", "该缴费单属于其他教学点")

    def check_awaiting_payment(self) -> None:
        if self.bill_status is not BillStatus.AWAITING_PAYMENT:
            code, message = _NOT_AWAITING[self.bill_status]
            raise DomainError(code, message)

    # -- online (UnionPay) ------------------------------------------------------------------------

    def pay_online(self, payment_id: uuid.UUID, gateway_transaction_id: str, at: datetime) -> bool:
        """Paid through the gateway. The same payment told again (a retried callback) is a
        no-op and returns False; any other second payment is refused."""
        if self.is_paid and self.payment_id == payment_id:
            return False
        self.check_awaiting_payment()
        self._paid_online(
            payment_id=payment_id,
            gateway_transaction_id=require_text(gateway_transaction_id, "gateway_transaction_id", "支付流水号", 64),
            paid_at=require_aware(at),
        )
        return True

    @event("PaidOnline")
    def _paid_online(self, payment_id: uuid.UUID, gateway_transaction_id: str, paid_at: datetime) -> None:
        self.payment_id = payment_id
        self.gateway_transaction_id = gateway_transaction_id
        self.method = PaymentMethod.UNIONPAY.value
        self.paid_at = paid_at
        self.status = BillStatus.PAID.value

    # -- remittance ----------------------------------------------------------------------------

    def start_remittance(self, slip_id: uuid.UUID, at: datetime) -> None:
        self.check_awaiting_payment()
        self._remittance_started(slip_id=slip_id, started_at=require_aware(at))

    @event("RemittanceStarted")
    def _remittance_started(self, slip_id: uuid.UUID, started_at: datetime) -> None:
        self.remittance_slip_id = slip_id
        self.method = PaymentMethod.REMITTANCE.value
        self.status = BillStatus.REMITTANCE_IN_TRANSIT.value

    def _check_in_transit_on(self, slip_id: uuid.UUID) -> None:
        if self.bill_status is not BillStatus.REMITTANCE_IN_TRANSIT or self.remittance_slip_id != slip_id:
            raise DomainError("bill.not_on_this_slip", "该缴费单不在此汇款单的在途款项中")

    def confirm_remittance(self, slip_id: uuid.UUID, at: datetime) -> None:
        self._check_in_transit_on(slip_id)
        self._paid_by_remittance(slip_id=slip_id, paid_at=require_aware(at))

    @event("PaidByRemittance")
    def _paid_by_remittance(self, slip_id: uuid.UUID, paid_at: datetime) -> None:
        self.paid_at = paid_at
        self.status = BillStatus.PAID.value

    def reject_remittance(self, slip_id: uuid.UUID, at: datetime) -> None:
        """The money did not arrive: the bill waits for payment again (requirements/finance.md §2)."""
        self._check_in_transit_on(slip_id)
        self._remittance_rejected(slip_id=slip_id, rejected_at=require_aware(at))

    @event("RemittanceRejected")
    def _remittance_rejected(self, slip_id: uuid.UUID, rejected_at: datetime) -> None:
        self.remittance_slip_id = None
        self.method = None
        self.status = BillStatus.AWAITING_PAYMENT.value

    # -- void ----------------------------------------------------------------------------------

    def void(self, reason: str, at: datetime) -> None:
        """Only an unpaid bill is voided; money received is returned through a refund."""
        self.check_awaiting_payment()
        self._voided(reason=require_text(reason, "reason", "作废原因", 200), voided_at=require_aware(at))

    @event("Voided")
    def _voided(self, reason: str, voided_at: datetime) -> None:
        self.status = BillStatus.VOIDED.value

    # -- refund ----------------------------------------------------------------------------------

    def check_refundable(self) -> None:
        """Only money received is paid back; a bill is refunded once."""
        if self.bill_status is BillStatus.REFUNDED:
            raise DomainError("bill.refunded", "该缴费单已退费")
        if not self.is_paid:
            raise DomainError("bill.not_paid", "只有已缴费的缴费单可以退费")

    def refund(self, refund_id: uuid.UUID, at: datetime) -> None:
        """The course's drop was refunded: the whole amount of the bill went back."""
        self.check_refundable()
        self._refunded(refund_id=refund_id, amount_fen=self.amount_fen, refunded_at=require_aware(at))

    @event("Refunded")
    def _refunded(self, refund_id: uuid.UUID, amount_fen: int, refunded_at: datetime) -> None:
        self.refund_id = refund_id
        self.refunded_at = refunded_at
        self.status = BillStatus.REFUNDED.value
