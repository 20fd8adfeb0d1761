"""Read models of finance: bills, remittance slips, online payments and refunds (the queues)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Integer, String, Table, Uuid, insert, update

from application.common.instant import Instant
from application.common.projection import Projection, handles, read_models
from application.curriculum.projection import utc
from domains.finance.bill import Bill, BillStatus, PaymentMethod
from domains.finance.payments import (
    OnlinePayment,
    PaymentStatus,
    RemittanceSlip,
    SlipStatus,
)
from domains.finance.refund import Refund, RefundStatus

bills = Table(
    "rm_bills",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("learner_id", Uuid, nullable=False, index=True),
    Column("teaching_point_id", Uuid, nullable=False, index=True),
    Column("course_id", Uuid, nullable=False),
    Column("fee_type", String(20), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("status", String(30), nullable=False, index=True),
    Column("method", String(20)),
    Column("enrollment_id", Uuid, index=True),
    Column("exam_registration_id", Uuid),
    Column("remittance_slip_id", Uuid),
    Column("payment_id", Uuid),
    Column("gateway_transaction_id", String(64)),
    Column("void_reason", String(200)),
    # The course's latest drop request covering the bill (any status), and once it is refunded
    # the amount paid back (None otherwise: the bill's money is still received).
    Column("refund_id", Uuid, index=True),
    Column("refunded_fen", BigInteger),
    Column("refunded_at", Instant()),
    Column("issued_at", Instant(), nullable=False),
    Column("paid_at", Instant()),
    Column("updated_at", Instant(), nullable=False),
)

remittance_slips = Table(
    "rm_remittance_slips",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("slip_number", String(40), nullable=False, unique=True),
    Column("teaching_point_id", Uuid, nullable=False, index=True),
    Column("amount_fen", BigInteger, nullable=False),
    Column("bill_count", Integer, nullable=False),
    Column("bank_reference", String(64)),
    Column("status", String(20), nullable=False, index=True),
    Column("reject_reason", String(200)),
    Column("submitted_at", Instant(), nullable=False),
    Column("decided_at", Instant()),
)

online_payments = Table(
    "rm_online_payments",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("teaching_point_id", Uuid, nullable=False, index=True),
    Column("amount_fen", BigInteger, nullable=False),
    Column("bill_count", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("gateway_transaction_id", String(64)),
    Column("failure_reason", String(200)),
    Column("initiated_at", Instant(), nullable=False),
    Column("paid_at", Instant()),
    Column("updated_at", Instant(), nullable=False),
)

# The bills a slip or a payment was made for (a rejected slip's bills leave it, this stays).
payment_bills = Table(
    "rm_payment_bills",
    read_models,
    Column("payment_id", Uuid, primary_key=True),  # a remittance slip's or an online payment's id
    Column("bill_id", Uuid, primary_key=True, index=True),
)

refunds = Table(
    "rm_refunds",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("enrollment_id", Uuid, nullable=False, index=True),
    Column("learner_id", Uuid, nullable=False, index=True),
    Column("course_id", Uuid, nullable=False),
    Column("teaching_point_id", Uuid, nullable=False, index=True),
    Column("amount_fen", BigInteger, nullable=False),
    Column("bill_count", Integer, nullable=False),
    Column("status", String(40), nullable=False, index=True),
    Column("requested_by_role", String(40), nullable=False),
    Column("requested_by", String(60)),
    Column("reason", String(200)),
    Column("academic_comment", String(200)),
    Column("finance_comment", String(200)),
    Column("reject_reason", String(200)),
    Column("refund_reference", String(64)),
    Column("requested_at", Instant(), nullable=False),
    Column("closed_at", Instant()),
    Column("updated_at", Instant(), nullable=False),
)


def _set(conn: Any, table: Table, e: Any, **values: Any) -> None:
    if "updated_at" in table.c:
        values["updated_at"] = utc(e.timestamp)
    conn.execute(update(table).where(table.c.id == e.originator_id).values(**values))


class FinanceProjection(Projection):
    name = "finance"
    tables = (bills, remittance_slips, online_payments, payment_bills, refunds)

    # -- bills ----------------------------------------------------------------------------------

    @handles(Bill.Issued)
    def _issued(self, conn: Any, e: Any) -> None:
        conn.insert(bills, dict(
            id=e.originator_id,
            learner_id=e.learner_id,
            teaching_point_id=e.teaching_point_id,
            course_id=e.course_id,
            fee_type=e.fee_type,
            amount_fen=e.amount_fen,
            status=BillStatus.AWAITING_PAYMENT.value,
            enrollment_id=e.enrollment_id,
            exam_registration_id=e.exam_registration_id,
            issued_at=utc(e.issued_at),
            updated_at=utc(e.timestamp),
        ))

    @handles(Bill.PaidOnline)
    def _paid_online(self, conn: Any, e: Any) -> None:
        _set(
            conn, bills, e, status=BillStatus.PAID.value, method=PaymentMethod.UNIONPAY.value, payment_id=e.payment_id,
            gateway_transaction_id=e.gateway_transaction_id, paid_at=utc(e.paid_at),
        )

    @handles(Bill.RemittanceStarted)
    def _in_transit(self, conn: Any, e: Any) -> None:
        _set(
            conn, bills, e, status=BillStatus.REMITTANCE_IN_TRANSIT.value, method=PaymentMethod.REMITTANCE.value,
            remittance_slip_id=e.slip_id,
        )

    @handles(Bill.PaidByRemittance)
    def _paid_by_remittance(self, conn: Any, e: Any) -> None:
        _set(conn, bills, e, status=BillStatus.PAID.value, paid_at=utc(e.paid_at))

    @handles(Bill.RemittanceRejected)
    def _remittance_rejected(self, conn: Any, e: Any) -> None:
        _set(conn, bills, e, status=BillStatus.AWAITING_PAYMENT.value, method=None, remittance_slip_id=None)

    @handles(Bill.Voided)
    def _voided(self, conn: Any, e: Any) -> None:
        _set(conn, bills, e, status=BillStatus.VOIDED.value, void_reason=e.reason)

    @handles(Bill.Refunded)
    def _bill_refunded(self, conn: Any, e: Any) -> None:
        _set(
            conn, bills, e, status=BillStatus.REFUNDED.value, refund_id=e.refund_id, refunded_fen=e.amount_fen,
            refunded_at=utc(e.refunded_at),
        )

    # -- remittance slips ---------------------------------------------------------------------

    @handles(RemittanceSlip.Submitted)
    def _slip(self, conn: Any, e: Any) -> None:
        conn.execute(
            insert(remittance_slips).values(
                id=e.originator_id,
                slip_number=e.slip_number,
                teaching_point_id=e.teaching_point_id,
                amount_fen=e.amount_fen,
                bill_count=len(e.bill_ids),
                bank_reference=e.bank_reference,
                status=SlipStatus.SUBMITTED.value,
                submitted_at=utc(e.submitted_at),
            )
        )
        conn.execute(insert(payment_bills), [{"payment_id": e.originator_id, "bill_id": b} for b in e.bill_ids])

    @handles(RemittanceSlip.Confirmed)
    def _slip_confirmed(self, conn: Any, e: Any) -> None:
        _set(conn, remittance_slips, e, status=SlipStatus.CONFIRMED.value, decided_at=utc(e.confirmed_at))

    @handles(RemittanceSlip.Rejected)
    def _slip_rejected(self, conn: Any, e: Any) -> None:
        _set(
            conn, remittance_slips, e, status=SlipStatus.REJECTED.value, decided_at=utc(e.rejected_at),
            reject_reason=e.reason,
        )

    # -- online payments ----------------------------------------------------------------------

    @handles(OnlinePayment.Initiated)
    def _initiated(self, conn: Any, e: Any) -> None:
        conn.execute(
            insert(online_payments).values(
                id=e.originator_id,
                teaching_point_id=e.teaching_point_id,
                amount_fen=e.amount_fen,
                bill_count=len(e.bill_ids),
                status=PaymentStatus.INITIATED.value,
                initiated_at=utc(e.initiated_at),
                updated_at=utc(e.timestamp),
            )
        )
        conn.execute(insert(payment_bills), [{"payment_id": e.originator_id, "bill_id": b} for b in e.bill_ids])

    @handles(OnlinePayment.Succeeded)
    def _succeeded(self, conn: Any, e: Any) -> None:
        _set(
            conn, online_payments, e, status=PaymentStatus.SUCCEEDED.value,
            gateway_transaction_id=e.gateway_transaction_id, paid_at=utc(e.paid_at),
        )

    @handles(OnlinePayment.Failed)
    def _failed(self, conn: Any, e: Any) -> None:
        _set(conn, online_payments, e, status=PaymentStatus.FAILED.value, failure_reason=e.reason)

    # -- refunds --------------------------------------------------------------------------------

    @handles(Refund.DropRequested)
    def _requested(self, conn: Any, e: Any) -> None:
        conn.execute(
            insert(refunds).values(
                id=e.originator_id,
                enrollment_id=e.enrollment_id,
                learner_id=e.learner_id,
                course_id=e.course_id,
                teaching_point_id=e.teaching_point_id,
                amount_fen=e.amount_fen,
                bill_count=len(e.bill_ids),
                status=RefundStatus.PENDING_ACADEMIC_REVIEW.value,
                requested_by_role=e.requested_by_role,
                requested_by=(e.meta or {}).get("actor_name"),
                reason=e.reason,
                requested_at=utc(e.requested_at),
                updated_at=utc(e.timestamp),
            )
        )
        # Each bill links to the request that would refund it.
        conn.execute(update(bills).where(bills.c.id.in_(e.bill_ids)).values(refund_id=e.originator_id))

    @handles(Refund.DropApprovedByAcademicAffairs)
    def _academic_ok(self, conn: Any, e: Any) -> None:
        _set(conn, refunds, e, status=RefundStatus.PENDING_FINANCE_REVIEW.value, academic_comment=e.comment)

    @handles(Refund.DropRejectedByAcademicAffairs)
    def _academic_no(self, conn: Any, e: Any) -> None:
        _set(
            conn, refunds, e, status=RefundStatus.REJECTED_BY_ACADEMIC_AFFAIRS.value, reject_reason=e.reason,
            closed_at=utc(e.rejected_at),
        )

    @handles(Refund.RefundApprovedByFinance)
    def _finance_ok(self, conn: Any, e: Any) -> None:
        _set(conn, refunds, e, status=RefundStatus.APPROVED_AWAITING_REFUND.value, finance_comment=e.comment)

    @handles(Refund.RefundRejectedByFinance)
    def _finance_no(self, conn: Any, e: Any) -> None:
        _set(
            conn, refunds, e, status=RefundStatus.REJECTED_BY_FINANCE.value, reject_reason=e.reason,
            closed_at=utc(e.rejected_at),
        )

    @handles(Refund.RefundPaid)
    def _refunded(self, conn: Any, e: Any) -> None:
        _set(
            conn, refunds, e, status=RefundStatus.REFUNDED.value, refund_reference=e.reference,
            closed_at=utc(e.refunded_at),
        )

    @handles(Refund.DropCancelled)
    def _cancelled(self, conn: Any, e: Any) -> None:
        _set(conn, refunds, e, status=RefundStatus.CANCELLED.value, closed_at=utc(e.cancelled_at))
