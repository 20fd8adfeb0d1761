"""A course drop of a paid course and its refund (退课退费), requirements/finance.md §3.

  status                     Chinese        who moves it on                 cancel?  may study?
  pending_academic_review    待审核          academic affairs approve/reject  yes      yes
  rejected_by_academic_affairs 教务审核驳回   final                           no       yes
  pending_finance_review     待财务审核       finance approves/rejects        no       no
  rejected_by_finance        财务审核驳回     final                           no       yes
  approved_awaiting_refund   财务审核通过     finance marks it refunded       no       no
  refunded                   已处理退费       final                           no       no
  cancelled                  已撤销          final                           no       yes

One refund per dropped course; a request for several courses is several refunds saved together,
so each course's study access follows its own review. The acting role is passed in and checked
here: the chain is the domain's rule, not a screen's.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from functools import partial

from eventsourcing.domain import event

from domains.finance.bill import Bill
from domains.shared.aggregate import DomainAggregate
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.money import Money
from domains.shared.values import Role, check_role, optional_text, require_aware


class RefundStatus(StrEnum):
    PENDING_ACADEMIC_REVIEW = "pending_academic_review"
    REJECTED_BY_ACADEMIC_AFFAIRS = "rejected_by_academic_affairs"
    PENDING_FINANCE_REVIEW = "pending_finance_review"
    REJECTED_BY_FINANCE = "rejected_by_finance"
    APPROVED_AWAITING_REFUND = "approved_awaiting_refund"
    REFUNDED = "refunded"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _RULES[self][0]

    @property
    def may_study(self) -> bool:
        return _RULES[self][1]

    @property
    def cancellable(self) -> bool:
        return self is RefundStatus.PENDING_ACADEMIC_REVIEW

    @property
    def is_final(self) -> bool:
        return self in _FINAL

    @property
    def is_open(self) -> bool:
        """Still under review or awaiting its payout: the course has an open drop request."""
        return not self.is_final

    @classmethod
    def open_statuses(cls) -> frozenset[RefundStatus]:
        return frozenset(s for s in cls if s.is_open)

    @property
    def awaits(self) -> Role | None:
        """The role that moves a refund in this status on (its queue); None once final."""
        return _AWAITS.get(self)


S = RefundStatus
# The table of requirements/finance.md §3.3: label, may the learner still study.
_RULES = {
    S.PENDING_ACADEMIC_REVIEW: ("待审核", True),
    S.REJECTED_BY_ACADEMIC_AFFAIRS: ("教务审核驳回", True),
    S.PENDING_FINANCE_REVIEW: ("待财务审核", False),
    S.REJECTED_BY_FINANCE: ("财务审核驳回", True),
    S.APPROVED_AWAITING_REFUND: ("财务审核通过", False),
    S.REFUNDED: ("已处理退费", False),
    S.CANCELLED: ("已撤销", True),
}
_FINAL = frozenset({S.REJECTED_BY_ACADEMIC_AFFAIRS, S.REJECTED_BY_FINANCE, S.REFUNDED, S.CANCELLED})
_AWAITS = {
    S.PENDING_ACADEMIC_REVIEW: Role.ACADEMIC_AFFAIRS,
    S.PENDING_FINANCE_REVIEW: Role.FINANCE,
    S.APPROVED_AWAITING_REFUND: Role.FINANCE,
}

# The teaching point or the learner asks for a drop, and may withdraw the request (requirements/finance.md §3).
REQUESTER_ROLES = frozenset({Role.TEACHING_POINT_ADMIN, Role.LEARNER})


_check_role = partial(check_role, code="refund.role_not_allowed")


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("refund.reason_required", "驳回须填写原因", field="reason")
    if len(text) > 200:
        raise InvalidInput("field.too_long", "驳回原因不能超过200个字符", field="reason")
    return text


class Refund(DomainAggregate):
    @event("DropRequested")
    def __init__(
        self,
        enrollment_id: uuid.UUID,
        learner_id: uuid.UUID,
        course_id: uuid.UUID,
        teaching_point_id: uuid.UUID,
        bill_ids: list[uuid.UUID],
        amount_fen: int,
        requested_by_role: str,
        reason: str | None,
        requested_at: datetime,
    ) -> None:
        self.enrollment_id = enrollment_id
        self.learner_id = learner_id
        self.course_id = course_id
        self.teaching_point_id = teaching_point_id
        self.bill_ids = list(bill_ids)
        self.amount_fen = amount_fen
        self.requested_by_role = requested_by_role
        self.reason = reason
        self.requested_at = requested_at
        self.status = RefundStatus.PENDING_ACADEMIC_REVIEW.value
        self.academic_comment: str | None = None
        self.finance_comment: str | None = None
        self.reject_reason: str | None = None
        self.refund_reference: str | None = None
        self.closed_at: datetime | None = None

    @classmethod
    def request(
        cls,
        enrollment_id: uuid.UUID,
        learner_id: uuid.UUID,
        course_id: uuid.UUID,
        teaching_point_id: uuid.UUID,
        paid_bills: Sequence[Bill],
        role: Role,
        reason: str | None,
        at: datetime,
    ) -> Refund:
        """The amount is what was paid for this course: its paid bills, nothing else."""
        _check_role(role, REQUESTER_ROLES, "申请退课")
        if not paid_bills:
            raise InvalidInput("refund.bills_required", "退课退费须对应已缴费的缴费单", field="bill_ids")
        for bill in paid_bills:
            bill.check_teaching_point(teaching_point_id)
            if bill.enrollment_id != enrollment_id or bill.learner_id != learner_id:
                raise DomainError("refund.bill_of_other_course", "缴费单不属于该学生的这门课程")
            if not bill.is_paid:
                raise DomainError("refund.bill_not_paid", "只有已缴费的缴费单可以退费")
        return cls(
            enrollment_id=enrollment_id,
            learner_id=learner_id,
            course_id=course_id,
            teaching_point_id=teaching_point_id,
            bill_ids=list(dict.fromkeys(b.id for b in paid_bills)),
            amount_fen=Money.total({b.id: b.amount for b in paid_bills}.values()).fen,
            requested_by_role=role.value,
            reason=optional_text(reason, "reason", "退课原因", 200),
            requested_at=require_aware(at),
        )

    @property
    def refund_status(self) -> RefundStatus:
        return RefundStatus(self.status)

    @property
    def may_study(self) -> bool:
        """Derived from the status, never stored beside it."""
        return self.refund_status.may_study

    @property
    def amount(self) -> Money:
        return Money(self.amount_fen)

    def _check_status(self, expected: RefundStatus, code: str, action: str) -> None:
        if self.refund_status is not expected:
            raise DomainError(code, f"退课申请当前状态为“{self.refund_status.label}”，不能{action}")

    # -- academic affairs (教务) ------------------------------------------------------------------

    def approve_by_academic_affairs(self, role: Role, comment: str | None, at: datetime) -> None:
        _check_role(role, Role.ACADEMIC_AFFAIRS, "教务审核退课申请")
        self._check_status(S.PENDING_ACADEMIC_REVIEW, "refund.not_pending_academic_review", "教务审核")
        self._academic_approved(
            comment=optional_text(comment, "comment", "审核意见", 200), approved_at=require_aware(at)
        )

    @event("DropApprovedByAcademicAffairs")
    def _academic_approved(self, comment: str | None, approved_at: datetime) -> None:
        self.academic_comment = comment
        self.status = S.PENDING_FINANCE_REVIEW.value

    def reject_by_academic_affairs(self, role: Role, reason: str, at: datetime) -> None:
        _check_role(role, Role.ACADEMIC_AFFAIRS, "教务审核退课申请")
        self._check_status(S.PENDING_ACADEMIC_REVIEW, "refund.not_pending_academic_review", "教务审核")
        self._academic_rejected(reason=_reason(reason), rejected_at=require_aware(at))

    @event("DropRejectedByAcademicAffairs")
    def _academic_rejected(self, reason: str, rejected_at: datetime) -> None:
        self.reject_reason = reason
        self.closed_at = rejected_at
        self.status = S.REJECTED_BY_ACADEMIC_AFFAIRS.value

    # -- finance (财务) ---------------------------------------------------------------------------

    def approve_by_finance(self, role: Role, comment: str | None, at: datetime) -> None:
        _check_role(role, Role.FINANCE, "财务审核退费")
        self._check_status(S.PENDING_FINANCE_REVIEW, "refund.not_pending_finance_review", "财务审核")
        self._finance_approved(
            comment=optional_text(comment, "comment", "审核意见", 200), approved_at=require_aware(at)
        )

    @event("RefundApprovedByFinance")
    def _finance_approved(self, comment: str | None, approved_at: datetime) -> None:
        self.finance_comment = comment
        self.status = S.APPROVED_AWAITING_REFUND.value

    def reject_by_finance(self, role: Role, reason: str, at: datetime) -> None:
        _check_role(role, Role.FINANCE, "财务审核退费")
        self._check_status(S.PENDING_FINANCE_REVIEW, "refund.not_pending_finance_review", "财务审核")
        self._finance_rejected(reason=_reason(reason), rejected_at=require_aware(at))

    @event("RefundRejectedByFinance")
    def _finance_rejected(self, reason: str, rejected_at: datetime) -> None:
        self.reject_reason = reason
        self.closed_at = rejected_at
        self.status = S.REJECTED_BY_FINANCE.value

    def check_refund_may_be_marked(self, role: Role) -> None:
        _check_role(role, Role.FINANCE, "处理退费")
        self._check_status(S.APPROVED_AWAITING_REFUND, "refund.not_awaiting_refund", "处理退费")

    def mark_refunded(self, role: Role, reference: str | None, at: datetime) -> None:
        """Finance marks the refund processed once the money is paid out (requirements/finance.md §3.5).
        `refund_paid` does it together with the bills it covers."""
        self.check_refund_may_be_marked(role)
        self._paid(reference=optional_text(reference, "reference", "退费凭证号", 64), refunded_at=require_aware(at))

    @event("RefundPaid")
    def _paid(self, reference: str | None, refunded_at: datetime) -> None:
        self.refund_reference = reference
        self.closed_at = refunded_at
        self.status = S.REFUNDED.value

    # -- the requester withdraws ------------------------------------------------------------------

    def cancel(self, role: Role, at: datetime) -> None:
        """Only while academic affairs has not decided (待审核: 可撤销)."""
        _check_role(role, REQUESTER_ROLES, "撤销退课申请")
        if not self.refund_status.cancellable:
            raise DomainError(
                "refund.not_cancellable", f"退课申请当前状态为“{self.refund_status.label}”，不可撤销"
            )
        self._cancelled(cancelled_at=require_aware(at))

    @event("DropCancelled")
    def _cancelled(self, cancelled_at: datetime) -> None:
        self.closed_at = cancelled_at
        self.status = S.CANCELLED.value


def refund_paid(refund: Refund, bills: Sequence[Bill], role: Role, reference: str | None, at: datetime) -> None:
    """Finance paid the money back: the refund is processed and each bill it covers reads
    已退费 (it leaves the paid totals, requirements/finance.md §1.6), saved together. The bills
    are exactly the refund's."""
    refund.check_refund_may_be_marked(role)
    if sorted(b.id for b in bills) != sorted(refund.bill_ids):
        raise DomainError("refund.bills_mismatch", "缴费单与退课申请不符")
    for bill in bills:
        bill.check_refundable()
    refund.mark_refunded(role, reference, at)
    for bill in bills:
        bill.refund(refund.id, at)
