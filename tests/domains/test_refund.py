"""Course drop and refund (requirements/finance.md §3): seven statuses, who acts, may study."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domains.finance.bill import Bill, BillStatus
from domains.finance.refund import Refund, RefundStatus, refund_paid
from domains.shared.money import Money
from domains.shared.values import Role
from tests.domains.gwt import created, error_code, given, refused, then, when

AT = datetime(2026, 9, 20, 2, 0, tzinfo=UTC)
LATER = AT + timedelta(days=1)
LEARNER = uuid.UUID("00000000-0000-0000-0000-00000000e001")
COURSE = uuid.UUID("00000000-0000-0000-0000-0000000c0001")
TP, OTHER_TP = uuid.UUID(int=0x101), uuid.UUID(int=0x102)
ENROLLMENT = uuid.UUID(int=0xE1)
S = RefundStatus

REQUESTED = (
    "DropRequested",
    {
        "enrollment_id": ENROLLMENT,
        "learner_id": LEARNER,
        "course_id": COURSE,
        "teaching_point_id": TP,
        "bill_ids": [uuid.UUID(int=0xB1)],
        "amount_fen": 22000,
        "requested_by_role": "teaching_point_admin",
        "reason": "错选",
        "requested_at": AT,
    },
)
ACADEMIC_OK = ("DropApprovedByAcademicAffairs", {"comment": None, "approved_at": AT})
ACADEMIC_NO = ("DropRejectedByAcademicAffairs", {"reason": "已开始学习", "rejected_at": AT})
FINANCE_OK = ("RefundApprovedByFinance", {"comment": None, "approved_at": AT})
FINANCE_NO = ("RefundRejectedByFinance", {"reason": "款项未入账", "rejected_at": AT})
PAID_OUT = ("RefundPaid", {"reference": "TK001", "refunded_at": AT})
CANCELLED = ("DropCancelled", {"cancelled_at": AT})

HISTORY = {
    S.PENDING_ACADEMIC_REVIEW: [],
    S.REJECTED_BY_ACADEMIC_AFFAIRS: [ACADEMIC_NO],
    S.PENDING_FINANCE_REVIEW: [ACADEMIC_OK],
    S.REJECTED_BY_FINANCE: [ACADEMIC_OK, FINANCE_NO],
    S.APPROVED_AWAITING_REFUND: [ACADEMIC_OK, FINANCE_OK],
    S.REFUNDED: [ACADEMIC_OK, FINANCE_OK, PAID_OUT],
    S.CANCELLED: [CANCELLED],
}


def refund(status: RefundStatus = S.PENDING_ACADEMIC_REVIEW) -> Refund:
    r = given(Refund, REQUESTED, *HISTORY[status])
    assert r.refund_status is status
    return r


def paid_bill(amount_fen=18000, enrollment=ENROLLMENT, teaching_point=TP, paid=True, bill_id=None):
    events = [
        (
            "Issued",
            {
                "learner_id": LEARNER,
                "teaching_point_id": teaching_point,
                "course_id": COURSE,
                "fee_type": "credit_fee",
                "amount_fen": amount_fen,
                "enrollment_id": enrollment,
                "exam_registration_id": None,
                "issued_at": AT,
            },
        )
    ]
    if paid:
        events.append(("PaidOnline", {"payment_id": uuid.uuid4(), "gateway_transaction_id": "UP", "paid_at": AT}))
    return given(Bill, *events, id=bill_id)


# -- the table of requirements/finance.md §3.3 ---------------------------------------------------


@pytest.mark.parametrize(
    ("status", "label", "may_study", "cancellable", "final"),
    [
        (S.PENDING_ACADEMIC_REVIEW, "待审核", True, True, False),
        (S.REJECTED_BY_ACADEMIC_AFFAIRS, "教务审核驳回", True, False, True),
        (S.PENDING_FINANCE_REVIEW, "待财务审核", False, False, False),
        (S.REJECTED_BY_FINANCE, "财务审核驳回", True, False, True),
        (S.APPROVED_AWAITING_REFUND, "财务审核通过", False, False, False),
        (S.REFUNDED, "已处理退费", False, False, True),
        (S.CANCELLED, "已撤销", True, False, True),
    ],
)
def test_the_seven_statuses(status, label, may_study, cancellable, final):
    r = refund(status)
    assert (r.refund_status.label, r.may_study, r.refund_status.cancellable, r.refund_status.is_final) == (
        label,
        may_study,
        cancellable,
        final,
    )
    assert "may_study" not in vars(r)  # derived from the status, never stored


def test_there_are_exactly_seven_statuses():
    assert len(RefundStatus) == 7


def test_a_refund_is_open_until_rejected_cancelled_or_paid_out():
    assert RefundStatus.open_statuses() == {S.PENDING_ACADEMIC_REVIEW, S.PENDING_FINANCE_REVIEW, S.APPROVED_AWAITING_REFUND}
    assert "pending_finance_review" in RefundStatus.open_statuses()  # as a read model stores it
    assert all(s.is_open is not s.is_final for s in RefundStatus)


def test_each_open_status_awaits_the_role_that_moves_it_on():
    assert {s: s.awaits for s in RefundStatus if s.awaits} == {
        S.PENDING_ACADEMIC_REVIEW: Role.ACADEMIC_AFFAIRS,
        S.PENDING_FINANCE_REVIEW: Role.FINANCE,
        S.APPROVED_AWAITING_REFUND: Role.FINANCE,
    }


# -- requesting ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.TEACHING_POINT_ADMIN, Role.LEARNER])
def test_the_teaching_point_or_the_learner_requests_a_drop_of_a_paid_course(role):
    credit, exam = paid_bill(18000), paid_bill(4000)
    r, events = created(lambda: Refund.request(ENROLLMENT, LEARNER, COURSE, TP, [credit, exam, credit], role, " 错选 ", AT))
    then(
        events,
        (
            "DropRequested",
            {
                "bill_ids": [credit.id, exam.id],
                "amount_fen": 22000,
                "requested_by_role": role.value,
                "reason": "错选",
                "requested_at": AT,
            },
        ),
    )
    assert r.refund_status is S.PENDING_ACADEMIC_REVIEW and r.may_study and r.amount == Money(22000)


@pytest.mark.parametrize("role", [Role.ACADEMIC_AFFAIRS, Role.FINANCE, Role.ACADEMIC_MENTOR, Role.SYSTEM_ADMIN, Role.AUDITOR])
def test_other_roles_do_not_request_drops(role):
    assert (
        error_code(lambda: Refund.request(ENROLLMENT, LEARNER, COURSE, TP, [paid_bill()], role, None, AT))
        == "refund.role_not_allowed"
    )


@pytest.mark.parametrize(
    ("bills", "code"),
    [
        (list, "refund.bills_required"),
        (lambda: [paid_bill(paid=False)], "refund.bill_not_paid"),
        (lambda: [paid_bill(enrollment=uuid.uuid4())], "refund.bill_of_other_course"),
        (lambda: [paid_bill(teaching_point=OTHER_TP)], "bill.other_teaching_point"),
    ],
)
def test_a_refund_covers_only_paid_bills_of_this_course(bills, code):
    assert error_code(lambda: Refund.request(ENROLLMENT, LEARNER, COURSE, TP, bills(), Role.LEARNER, None, AT)) == code


# -- the whole chain ----------------------------------------------------------------------------


def test_request_academic_approval_finance_approval_refund_paid():
    r = refund()
    then(
        when(r, lambda x: x.approve_by_academic_affairs(Role.ACADEMIC_AFFAIRS, "同意", LATER)),
        ("DropApprovedByAcademicAffairs", {"comment": "同意", "approved_at": LATER}),
    )
    assert r.refund_status is S.PENDING_FINANCE_REVIEW and not r.may_study
    then(
        when(r, lambda x: x.approve_by_finance(Role.FINANCE, None, LATER)),
        ("RefundApprovedByFinance", {"comment": None, "approved_at": LATER}),
    )
    assert r.refund_status is S.APPROVED_AWAITING_REFUND and not r.may_study
    then(
        when(r, lambda x: x.mark_refunded(Role.FINANCE, "TK20260921", LATER)),
        ("RefundPaid", {"reference": "TK20260921", "refunded_at": LATER}),
    )
    assert r.refund_status is S.REFUNDED and not r.may_study and r.closed_at == LATER


def covered_bills(r: Refund, **kw) -> list[Bill]:
    return [paid_bill(bill_id=bill_id, **kw) for bill_id in r.bill_ids]


def test_the_refund_paid_out_marks_each_bill_it_covers_refunded():
    r = refund(S.APPROVED_AWAITING_REFUND)
    bills = covered_bills(r)
    refund_paid(r, bills, Role.FINANCE, "TK20260921", LATER)
    then(r.collect_events(), ("RefundPaid", {"reference": "TK20260921", "refunded_at": LATER}))
    for b in bills:
        then(b.collect_events(), ("Refunded", {"refund_id": r.id, "amount_fen": 18000, "refunded_at": LATER}))
        assert b.bill_status is BillStatus.REFUNDED


@pytest.mark.parametrize(
    ("status", "role", "bills", "code"),
    [
        (S.APPROVED_AWAITING_REFUND, Role.ACADEMIC_AFFAIRS, "covered", "refund.role_not_allowed"),
        (S.PENDING_FINANCE_REVIEW, Role.FINANCE, "covered", "refund.not_awaiting_refund"),
        (S.REFUNDED, Role.FINANCE, "covered", "refund.not_awaiting_refund"),
        (S.APPROVED_AWAITING_REFUND, Role.FINANCE, "other", "refund.bills_mismatch"),
        (S.APPROVED_AWAITING_REFUND, Role.FINANCE, "none", "refund.bills_mismatch"),
        (S.APPROVED_AWAITING_REFUND, Role.FINANCE, "unpaid", "bill.not_paid"),
    ],
)
def test_nothing_is_marked_refunded_unless_finance_pays_back_exactly_the_refunds_paid_bills(status, role, bills, code):
    r = refund(status)
    chosen = {
        "covered": lambda: covered_bills(r),
        "other": lambda: [paid_bill()],
        "none": list,
        "unpaid": lambda: covered_bills(r, paid=False),
    }[bills]()
    assert error_code(lambda: refund_paid(r, chosen, role, None, LATER)) == code
    assert r.collect_events() == [] and all(b.collect_events() == [] for b in chosen)


def test_academic_affairs_rejects_with_a_reason_and_the_learner_studies_on():
    r = refund()
    refused(
        r, lambda x: x.reject_by_academic_affairs(Role.ACADEMIC_AFFAIRS, "  ", LATER), "refund.reason_required", kind="invalid"
    )
    then(
        when(r, lambda x: x.reject_by_academic_affairs(Role.ACADEMIC_AFFAIRS, "已超过退课期", LATER)),
        ("DropRejectedByAcademicAffairs", {"reason": "已超过退课期", "rejected_at": LATER}),
    )
    assert r.refund_status is S.REJECTED_BY_ACADEMIC_AFFAIRS and r.may_study and r.reject_reason == "已超过退课期"


def test_finance_rejects_with_a_reason_and_study_resumes():
    r = refund(S.PENDING_FINANCE_REVIEW)
    refused(r, lambda x: x.reject_by_finance(Role.FINANCE, None, LATER), "refund.reason_required")
    then(
        when(r, lambda x: x.reject_by_finance(Role.FINANCE, "缴费未到账", LATER)),
        ("RefundRejectedByFinance", {"reason": "缴费未到账"}),
    )
    assert r.refund_status is S.REJECTED_BY_FINANCE and r.may_study


@pytest.mark.parametrize("role", [Role.TEACHING_POINT_ADMIN, Role.LEARNER])
def test_the_requester_cancels_while_academic_review_is_pending(role):
    r = refund()
    then(when(r, lambda x: x.cancel(role, LATER)), ("DropCancelled", {"cancelled_at": LATER}))
    assert r.refund_status is S.CANCELLED and r.may_study


@pytest.mark.parametrize("status", [s for s in RefundStatus if s is not S.PENDING_ACADEMIC_REVIEW])
def test_nothing_else_is_cancellable(status):
    err = refused(refund(status), lambda x: x.cancel(Role.TEACHING_POINT_ADMIN, LATER), "refund.not_cancellable", kind="conflict")
    assert status.label in err.message


# -- every action against every status: one status allows it -----------------------------------

ACTIONS = {
    "approve_by_academic_affairs": (
        lambda r: r.approve_by_academic_affairs(Role.ACADEMIC_AFFAIRS, None, LATER),
        S.PENDING_ACADEMIC_REVIEW,
        "refund.not_pending_academic_review",
    ),
    "reject_by_academic_affairs": (
        lambda r: r.reject_by_academic_affairs(Role.ACADEMIC_AFFAIRS, "原因", LATER),
        S.PENDING_ACADEMIC_REVIEW,
        "refund.not_pending_academic_review",
    ),
    "approve_by_finance": (
        lambda r: r.approve_by_finance(Role.FINANCE, None, LATER),
        S.PENDING_FINANCE_REVIEW,
        "refund.not_pending_finance_review",
    ),
    "reject_by_finance": (
        lambda r: r.reject_by_finance(Role.FINANCE, "原因", LATER),
        S.PENDING_FINANCE_REVIEW,
        "refund.not_pending_finance_review",
    ),
    "mark_refunded": (
        lambda r: r.mark_refunded(Role.FINANCE, None, LATER),
        S.APPROVED_AWAITING_REFUND,
        "refund.not_awaiting_refund",
    ),
    "cancel": (lambda r: r.cancel(Role.LEARNER, LATER), S.PENDING_ACADEMIC_REVIEW, "refund.not_cancellable"),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", list(RefundStatus))
def test_each_transition_is_allowed_from_exactly_one_status(action, status):
    command, allowed_from, code = ACTIONS[action]
    r = refund(status)
    if status is allowed_from:
        assert len(when(r, command)) == 1
    else:
        refused(r, command, code, kind="conflict")


# -- who may act at each step ---------------------------------------------------------------------

STEPS = {
    "approve_by_academic_affairs": (
        S.PENDING_ACADEMIC_REVIEW,
        lambda role: lambda r: r.approve_by_academic_affairs(role, None, LATER),
        {Role.ACADEMIC_AFFAIRS},
    ),
    "reject_by_academic_affairs": (
        S.PENDING_ACADEMIC_REVIEW,
        lambda role: lambda r: r.reject_by_academic_affairs(role, "原因", LATER),
        {Role.ACADEMIC_AFFAIRS},
    ),
    "approve_by_finance": (
        S.PENDING_FINANCE_REVIEW,
        lambda role: lambda r: r.approve_by_finance(role, None, LATER),
        {Role.FINANCE},
    ),
    "reject_by_finance": (
        S.PENDING_FINANCE_REVIEW,
        lambda role: lambda r: r.reject_by_finance(role, "原因", LATER),
        {Role.FINANCE},
    ),
    "mark_refunded": (S.APPROVED_AWAITING_REFUND, lambda role: lambda r: r.mark_refunded(role, None, LATER), {Role.FINANCE}),
    "cancel": (
        S.PENDING_ACADEMIC_REVIEW,
        lambda role: lambda r: r.cancel(role, LATER),
        {Role.TEACHING_POINT_ADMIN, Role.LEARNER},
    ),
}


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("role", list(Role))
def test_each_step_is_taken_only_by_its_role(step, role):
    status, command, allowed = STEPS[step]
    r = refund(status)
    if role in allowed:
        assert len(when(r, command(role))) == 1
    else:
        refused(r, command(role), "refund.role_not_allowed", kind="forbidden")


def test_the_role_is_checked_before_the_status():
    refused(
        refund(S.REFUNDED), lambda r: r.approve_by_finance(Role.LEARNER, None, LATER), "refund.role_not_allowed", kind="forbidden"
    )


def test_times_must_carry_a_time_zone():
    refused(refund(), lambda r: r.cancel(Role.LEARNER, datetime(2026, 9, 21, 10)), "time.naive")
