"""Use cases of finance (requirements/finance.md §1.1, §2, §3): paying bills by remittance or online
through the gateway, finance confirming or rejecting remittances, and the refund review chain
of a paid course's drop (teaching point / learner -> academic affairs -> finance -> refunded).

Payment unlocks the course and confirms its exam registration in the same save as the bills:
every aggregate a step touches is saved in one atomic write.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.common.loading import load
from application.common.ports import Clock, EventStore
from application.common.recording import recording
from application.curriculum.service import note
from application.enrolment.service import (
    check_own,
    final_registration,
    registrations_dropped,
    void_unpaid,
)
from application.finance.gateway import GatewayOrder, PaymentGateway
from application.finance.queries import payable_bill_ids
from domains.enrolment.enrollment import Enrollment, EnrollmentStatus
from domains.exams.registration import ExamRegistration, RegistrationStatus
from domains.finance.bill import Bill
from domains.finance.payments import (
    OnlinePayment,
    PaymentStatus,
    RemittanceSlip,
    check_as_confirmed,
    confirm_remittance,
    payable,
    reject_remittance,
    remit,
    settle_online,
)
from domains.finance.refund import REQUESTER_ROLES, Refund, refund_paid
from domains.shared.aggregate import UniqueKey, key_id
from domains.shared.errors import DomainError, Forbidden, NotFound
from domains.shared.money import Money
from domains.shared.values import Role

SHANGHAI = ZoneInfo("Asia/Shanghai")
CONFLICT = "concurrency.conflict"
T = TypeVar("T")

# The gateway's notifications are recorded under its own name, not a person's.
GATEWAY_ACTOR = Actor(user_id=None, username="unionpay", name="银联支付网关")


@dataclass
class OnlinePaymentStarted:
    payment_id: uuid.UUID
    amount_fen: int
    status: str
    order: GatewayOrder | None  # None once the payment is no longer awaiting the payer
    replayed: bool  # the same idempotency key was seen before: nothing new was started


class Finance:
    def __init__(
        self, store: EventStore, clock: Clock, gateway: PaymentGateway, read: Callable[[], Connection]
    ) -> None:
        self.store = store
        self.clock = clock
        self.gateway = gateway
        self.read = read

    # -- helpers --------------------------------------------------------------------------------

    def _bills(self, actor: Actor, role: Role, bill_ids: Sequence[uuid.UUID]) -> list[Bill]:
        """The bills asked for, in order (a duplicate stays, so the domain can refuse it); one
        that is not the actor's to see is reported as not found."""
        loaded: dict[uuid.UUID, Bill] = {}
        for bill_id in dict.fromkeys(bill_ids):
            bill = load(self.store, bill_id, Bill, "缴费单")
            check_own(actor, role, bill.learner_id, bill.teaching_point_id, "缴费单")
            loaded[bill_id] = bill
        return [loaded[b] for b in bill_ids]

    def _paid(self, bills: Iterable[Bill], at: datetime) -> list[Any]:
        """A paid bill tells its selection; the selection succeeds with its last bill, which
        unlocks learning and confirms the course's final-exam registration. A resit bill
        confirms its registration."""
        touched: dict[uuid.UUID, Any] = {}
        for bill in bills:
            if bill.enrollment_id is not None:
                enrollment = touched.get(bill.enrollment_id) or load(self.store, bill.enrollment_id, Enrollment, "选课记录")
                enrollment.record_payment(bill.id, at)
                touched[enrollment.id] = enrollment
                if enrollment.enrollment_status is EnrollmentStatus.PAID:
                    registration = touched.get(
                        ExamRegistration.create_id(enrollment.learner_id, enrollment.course_id, enrollment.exam_batch_id)
                    ) or final_registration(self.store, enrollment)
                    if registration is not None and registration.registration_status is RegistrationStatus.PENDING:
                        registration.confirm(at)
                        touched[registration.id] = registration
            elif bill.exam_registration_id is not None:
                registration = touched.get(bill.exam_registration_id) or load(
                    self.store, bill.exam_registration_id, ExamRegistration, "报考记录"
                )
                if registration.registration_status is RegistrationStatus.PENDING:
                    registration.confirm(at)
                touched[registration.id] = registration
        return list(touched.values())

    # -- remittance (teaching point remits, school finance confirms) --------------------------

    def _slip_number(self, at: datetime) -> str:
        """The platform's own number: date and random digits, claimed so it is never reused."""
        for _ in range(5):
            number = f"HK{at.astimezone(SHANGHAI):%Y%m%d}{secrets.randbelow(10**8):08d}"
            if self.store.find(key_id("remittance_slip_number", number)) is None:
                return number
        raise DomainError(CONFLICT, "汇款单号生成冲突，请重试")

    def remit(self, actor: Actor, bill_ids: Sequence[uuid.UUID], bank_reference: str | None = None) -> uuid.UUID:
        """One remittance for many bills of the teaching point (batch payment): a slip, and
        every bill in transit until finance sees the money."""
        role, point = self._remitter(actor)
        return self._remit(actor, role, point, self._bills(actor, role, bill_ids), bank_reference)

    def remit_query(
        self, actor: Actor, filters: RosterFilter, fee_type: str | None, bank_reference: str | None,
        count: int, amount: Money,
    ) -> uuid.UUID:
        """批量缴费汇款 of every bill a list query finds, over all its pages: the query runs again
        here, in the actor's scope, and the bills still awaiting payment go on one slip, provided
        they are the `count` bills for `amount` the payer confirmed."""
        role, point = self._remitter(actor)
        with self.read() as conn:
            ids = payable_bill_ids(conn, actor, filters, fee_type)
        bills = payable(self._bills(actor, role, ids))  # the read model may lag behind the bills
        check_as_confirmed(bills, count, amount)
        return self._remit(actor, role, point, bills, bank_reference)

    def _remitter(self, actor: Actor) -> tuple[Role, uuid.UUID]:
        """Only a teaching point remits, for its own bills."""
        role = actor.require(Role.TEACHING_POINT_ADMIN)
        if actor.teaching_point_id is None:
            raise Forbidden("remittance.teaching_point_only", "只有教学点可以提交汇款")
        return role, actor.teaching_point_id

    def _remit(
        self, actor: Actor, role: Role, teaching_point_id: uuid.UUID, bills: list[Bill], bank_reference: str | None,
    ) -> uuid.UUID:
        now = self.clock.now()
        number = self._slip_number(now)
        with recording(actor, role):
            slip = remit(number, teaching_point_id, bills, bank_reference, now)
            claim = UniqueKey(kind="remittance_slip_number", key=number, owner_id=slip.id)
        self.store.save(slip, claim, *bills)
        return slip.id

    def _slip(self, slip_id: uuid.UUID) -> tuple[RemittanceSlip, list[Bill]]:
        slip = load(self.store, slip_id, RemittanceSlip, "汇款单")
        return slip, [load(self.store, b, Bill, "缴费单") for b in slip.bill_ids]

    def confirm_remittance(self, actor: Actor, slip_id: uuid.UUID, comment: str | None = None) -> None:
        role = actor.require(Role.FINANCE)
        slip, bills = self._slip(slip_id)
        now = self.clock.now()
        with recording(actor, role, note(comment, "comment")):
            confirm_remittance(slip, bills, role, now)
            effects = self._paid(bills, now)
        self.store.save(slip, *bills, *effects)

    def reject_remittance(self, actor: Actor, slip_id: uuid.UUID, reason: str | None) -> None:
        """The money did not arrive: the bills await payment again."""
        role = actor.require(Role.FINANCE)
        slip, bills = self._slip(slip_id)
        with recording(actor, role, note(reason)):
            reject_remittance(slip, bills, role, reason or "", self.clock.now())
        self.store.save(slip, *bills)

    # -- online payment through the gateway ---------------------------------------------------

    def pay_online(self, actor: Actor, idempotency_key: str | None, bill_ids: Sequence[uuid.UUID]) -> OnlinePaymentStarted:
        """Starts a payment of these bills and returns the signed order for the gateway. The
        same idempotency key again, asking for the same bills, returns the same payment; it
        never starts a second one (so a retried request cannot pay twice)."""
        role = actor.require(Role.TEACHING_POINT_ADMIN, Role.LEARNER)
        key = (idempotency_key or "").strip()
        bills = self._bills(actor, role, bill_ids)
        if role is Role.LEARNER:
            teaching_point_id = bills[0].teaching_point_id if bills else actor.teaching_point_id
        else:
            teaching_point_id = actor.teaching_point_id
        if teaching_point_id is None:
            raise Forbidden("payment.teaching_point_only", "只有教学点或学生本人可以缴费")

        def replay() -> OnlinePaymentStarted | None:
            found = self.store.find(OnlinePayment.create_id(key)) if key else None
            if found is None:
                return None
            if not isinstance(found, OnlinePayment):
                raise DomainError("payment.idempotency_key_reused", "该幂等键已用于另一笔缴费请求")
            found.check_same_request(teaching_point_id, [b.id for b in bills])
            return self._started(found, replayed=True)

        earlier = replay()
        if earlier is not None:
            return earlier
        with recording(actor, role):
            payment = OnlinePayment.initiate(key, teaching_point_id, bills, self.clock.now())
        try:
            self.store.save(payment)
        except DomainError as exc:
            if exc.code != CONFLICT:
                raise
            earlier = replay()  # the same key, sent twice at once: the other request won
            if earlier is None:
                raise
            return earlier
        return self._started(payment, replayed=False)

    def _started(self, payment: OnlinePayment, replayed: bool) -> OnlinePaymentStarted:
        waiting = payment.payment_status is PaymentStatus.INITIATED
        order = self.gateway.order(payment.id.hex, payment.amount_fen, payment.initiated_at) if waiting else None
        return OnlinePaymentStarted(payment.id, payment.amount_fen, payment.status, order, replayed)

    def gateway_notice(self, params: Mapping[str, str]) -> uuid.UUID:
        """The gateway's signed notification (its back-channel callback). A success pays every
        bill of the payment once; the same notification again changes nothing. Returns the
        payment's id."""
        notice = self.gateway.verify(params)
        try:
            payment_id = uuid.UUID(hex=notice.order_id)
        except ValueError:
            raise NotFound("not_found", "支付订单不存在") from None
        payment = load(self.store, payment_id, OnlinePayment, "支付订单")
        bills = [load(self.store, b, Bill, "缴费单") for b in payment.bill_ids]
        now = self.clock.now()
        touched: list[Any] = [payment]
        with recording(GATEWAY_ACTOR, "payment_gateway", (notice.message or "")[:200] or None):
            if notice.succeeded:
                paid = settle_online(payment, bills, notice.transaction_id or "", Money(notice.amount_fen), now)
                touched += [*paid, *self._paid(paid, now)]
            elif payment.payment_status is PaymentStatus.INITIATED:
                payment.fail(notice.message or "支付失败", now)
            elif payment.payment_status is PaymentStatus.SUCCEEDED:
                raise DomainError("payment.already_succeeded", "该笔缴费已支付成功")
        self.store.save(*touched)
        return payment.id

    # -- the refund review chain ------------------------------------------------------------------

    def _refund(self, refund_id: uuid.UUID) -> Refund:
        return load(self.store, refund_id, Refund, "退课申请")

    def _decide(self, actor: Actor, refund_id: uuid.UUID, role_needed: Role, reason: str | None,
                decide: Callable[[Refund, Role, datetime], None], closes: bool) -> None:
        """One review step; a rejection also closes the selection's drop request (the course
        stays selected and may be asked for again)."""
        role = actor.require(role_needed)
        refund = self._refund(refund_id)
        now = self.clock.now()
        touched: list[Any] = [refund]
        with recording(actor, role, note(reason)):
            decide(refund, role, now)
            if closes:
                enrollment = load(self.store, refund.enrollment_id, Enrollment, "选课记录")
                enrollment.close_drop_request(refund.id, now)
                touched.append(enrollment)
        self.store.save(*touched)

    def approve_drop(self, actor: Actor, refund_id: uuid.UUID, comment: str | None = None) -> None:
        """Academic affairs approves: the request goes to finance, and study stops."""
        self._decide(actor, refund_id, Role.ACADEMIC_AFFAIRS, comment,
                     lambda r, role, at: r.approve_by_academic_affairs(role, comment, at), closes=False)

    def reject_drop(self, actor: Actor, refund_id: uuid.UUID, reason: str | None) -> None:
        self._decide(actor, refund_id, Role.ACADEMIC_AFFAIRS, reason,
                     lambda r, role, at: r.reject_by_academic_affairs(role, reason or "", at), closes=True)

    def approve_refund(self, actor: Actor, refund_id: uuid.UUID, comment: str | None = None) -> None:
        self._decide(actor, refund_id, Role.FINANCE, comment,
                     lambda r, role, at: r.approve_by_finance(role, comment, at), closes=False)

    def reject_refund(self, actor: Actor, refund_id: uuid.UUID, reason: str | None) -> None:
        self._decide(actor, refund_id, Role.FINANCE, reason,
                     lambda r, role, at: r.reject_by_finance(role, reason or "", at), closes=True)

    def mark_refunded(self, actor: Actor, refund_id: uuid.UUID, reference: str | None = None) -> None:
        """Finance paid the money back: the refund is processed and the drop completes in the
        same save (the refunded bills read 已退费, the course dropped, its exam registrations
        cancelled but a paid resit, any bill still unpaid voided)."""
        role = actor.require(Role.FINANCE)
        refund = self._refund(refund_id)
        enrollment = load(self.store, refund.enrollment_id, Enrollment, "选课记录")
        refunded = [load(self.store, b, Bill, "缴费单") for b in refund.bill_ids]
        others = [load(self.store, b, Bill, "缴费单") for b in enrollment.bill_ids if b not in refund.bill_ids]
        now = self.clock.now()
        touched: list[Any] = [refund, enrollment, *refunded]
        with recording(actor, role, note(reference, "reference")):
            refund_paid(refund, refunded, role, reference, now)
            enrollment.complete_drop(refund.id, now)
            touched += void_unpaid(others, "退课退费", now)
            touched += registrations_dropped(self.store, enrollment, now)
        self.store.save(*touched)

    def cancel_drop(self, actor: Actor, refund_id: uuid.UUID, reason: str | None = None) -> None:
        """The requester (the teaching point or the learner) withdraws it while academic
        affairs has not decided."""
        role = actor.require(*sorted(REQUESTER_ROLES))
        refund = self._refund(refund_id)
        check_own(actor, role, refund.learner_id, refund.teaching_point_id, "退课申请")
        enrollment = load(self.store, refund.enrollment_id, Enrollment, "选课记录")
        now = self.clock.now()
        with recording(actor, role, note(reason)):
            refund.cancel(role, now)
            enrollment.close_drop_request(refund.id, now)
        self.store.save(refund, enrollment)

