"""Bills (缴费单): awaiting payment, remittance in transit, paid, voided (requirements/finance.md §1.1, §2)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domains.finance.bill import Bill, BillStatus, FeeType
from domains.shared.errors import InvalidInput
from domains.shared.money import Money
from tests.domains.gwt import created, given, refused, then, when

AT = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)
LATER = AT + timedelta(days=2)
LEARNER = uuid.UUID("00000000-0000-0000-0000-00000000e001")
TP, OTHER_TP = uuid.UUID(int=0x101), uuid.UUID(int=0x102)
COURSE = uuid.UUID("00000000-0000-0000-0000-0000000c0001")
ENROLLMENT = uuid.UUID(int=0xE1)
PAYMENT, OTHER_PAYMENT = uuid.UUID(int=0xA1), uuid.UUID(int=0xA2)
SLIP, OTHER_SLIP = uuid.UUID(int=0x51), uuid.UUID(int=0x52)

ISSUED = (
    "Issued",
    {
        "learner_id": LEARNER,
        "teaching_point_id": TP,
        "course_id": COURSE,
        "fee_type": "credit_fee",
        "amount_fen": 18000,
        "enrollment_id": ENROLLMENT,
        "exam_registration_id": None,
        "issued_at": AT,
    },
)
IN_TRANSIT = ("RemittanceStarted", {"slip_id": SLIP, "started_at": AT})
PAID_ONLINE = ("PaidOnline", {"payment_id": PAYMENT, "gateway_transaction_id": "UP202609150001", "paid_at": AT})
VOIDED = ("Voided", {"reason": "未缴费退课", "voided_at": AT})
REFUND = uuid.UUID(int=0xF1)
REFUNDED = ("Refunded", {"refund_id": REFUND, "amount_fen": 18000, "refunded_at": AT})


def bill(*more):
    return given(Bill, ISSUED, *more)


def test_a_bill_is_issued_awaiting_payment():
    b, events = created(lambda: Bill.issue(LEARNER, TP, COURSE, FeeType.CREDIT_FEE, Money(18000), AT, enrollment_id=ENROLLMENT))
    then(events, ISSUED)
    assert b.bill_status is BillStatus.AWAITING_PAYMENT and b.bill_status.label == "待缴费" and b.amount == Money(18000)


def test_a_bill_for_a_resit_has_no_enrollment():
    reg = uuid.uuid4()
    _, events = created(lambda: Bill.issue(LEARNER, TP, COURSE, FeeType.EXAM_FEE, Money(4000), AT, exam_registration_id=reg))
    then(events, ("Issued", {"fee_type": "exam_fee", "enrollment_id": None, "exam_registration_id": reg}))


def test_a_bill_is_for_something():
    with pytest.raises(InvalidInput) as info:
        Bill.issue(LEARNER, TP, COURSE, FeeType.EXAM_FEE, Money(4000), AT)
    assert info.value.code == "bill.subject_required"


def test_fee_types_and_labels():
    assert [(t.value, t.label) for t in FeeType] == [("credit_fee", "学分费"), ("exam_fee", "考试费")]
    assert [s.label for s in BillStatus] == ["待缴费", "汇款中", "已缴费", "已退费", "已作废"]


# -- online payment -----------------------------------------------------------------------------


def test_paying_online_records_the_gateway_transaction():
    b = bill()
    then(
        when(b, lambda x: x.pay_online(PAYMENT, "UP202609150001", LATER)),
        ("PaidOnline", {"payment_id": PAYMENT, "gateway_transaction_id": "UP202609150001", "paid_at": LATER}),
    )
    assert b.is_paid and b.method == "unionpay" and b.paid_at == LATER


def test_the_same_payment_told_again_pays_nothing_twice():
    b = bill(PAID_ONLINE)
    assert when(b, lambda x: x.pay_online(PAYMENT, "UP202609150001", LATER)) == []


@pytest.mark.parametrize(
    ("state", "code"),
    [([PAID_ONLINE], "bill.already_paid"), ([IN_TRANSIT], "bill.remittance_in_transit"), ([VOIDED], "bill.voided")],
)
def test_only_a_bill_awaiting_payment_is_paid(state, code):
    refused(bill(*state), lambda x: x.pay_online(OTHER_PAYMENT, "UP2", LATER), code)


def test_a_bill_paid_by_remittance_is_not_paid_online():
    b = bill(IN_TRANSIT, ("PaidByRemittance", {"slip_id": SLIP, "paid_at": AT}))
    refused(b, lambda x: x.pay_online(PAYMENT, "UP3", LATER), "bill.already_paid")


def test_a_teaching_point_pays_only_its_own_bills():
    b = bill()
    b.check_teaching_point(TP)
    refused(b, lambda x: x.check_teaching_point(OTHER_TP), "bill.other_teaching_point", kind="forbidden")


# -- remittance ---------------------------------------------------------------------------------


def test_a_remitted_bill_is_in_transit_until_finance_confirms():
    b = bill()
    then(when(b, lambda x: x.start_remittance(SLIP, LATER)), ("RemittanceStarted", {"slip_id": SLIP}))
    assert b.bill_status is BillStatus.REMITTANCE_IN_TRANSIT and not b.is_paid
    then(when(b, lambda x: x.confirm_remittance(SLIP, LATER)), ("PaidByRemittance", {"slip_id": SLIP, "paid_at": LATER}))
    assert b.is_paid and b.method == "remittance"


def test_a_rejected_remittance_returns_the_bill_to_awaiting_payment():
    b = bill(IN_TRANSIT)
    then(when(b, lambda x: x.reject_remittance(SLIP, LATER)), ("RemittanceRejected", {"slip_id": SLIP}))
    assert b.bill_status is BillStatus.AWAITING_PAYMENT and b.method is None and b.remittance_slip_id is None
    when(b, lambda x: x.pay_online(PAYMENT, "UP4", LATER))  # payable again


def test_a_bill_in_transit_or_paid_is_not_remitted_again():
    refused(bill(IN_TRANSIT), lambda x: x.start_remittance(OTHER_SLIP, LATER), "bill.remittance_in_transit")
    refused(bill(PAID_ONLINE), lambda x: x.start_remittance(SLIP, LATER), "bill.already_paid")


def test_only_the_slip_carrying_the_bill_confirms_or_rejects_it():
    refused(bill(IN_TRANSIT), lambda x: x.confirm_remittance(OTHER_SLIP, LATER), "bill.not_on_this_slip")
    refused(bill(IN_TRANSIT), lambda x: x.reject_remittance(OTHER_SLIP, LATER), "bill.not_on_this_slip")
    refused(bill(), lambda x: x.confirm_remittance(SLIP, LATER), "bill.not_on_this_slip")


# -- void ---------------------------------------------------------------------------------------


def test_an_unpaid_bill_is_voided_with_a_reason():
    b = bill()
    refused(b, lambda x: x.void(" ", LATER), "field.required")
    then(when(b, lambda x: x.void("未缴费退课", LATER)), ("Voided", {"reason": "未缴费退课", "voided_at": LATER}))
    assert b.bill_status is BillStatus.VOIDED


@pytest.mark.parametrize(
    ("state", "code"),
    [([PAID_ONLINE], "bill.already_paid"), ([IN_TRANSIT], "bill.remittance_in_transit"), ([VOIDED], "bill.voided")],
)
def test_money_received_or_on_its_way_is_never_voided(state, code):
    refused(bill(*state), lambda x: x.void("退课", LATER), code)


# -- refund -------------------------------------------------------------------------------------


def test_a_paid_bill_of_a_refunded_drop_reads_refunded_and_is_no_longer_money_received():
    b = bill(PAID_ONLINE)
    assert b.refunded_amount == Money(0)
    then(
        when(b, lambda x: x.refund(REFUND, LATER)),
        ("Refunded", {"refund_id": REFUND, "amount_fen": 18000, "refunded_at": LATER}),
    )
    assert b.bill_status is BillStatus.REFUNDED and b.bill_status.label == "已退费"
    assert not b.is_paid and b.refunded_amount == Money(18000) and b.refund_id == REFUND


@pytest.mark.parametrize(
    ("state", "code"),
    [([], "bill.not_paid"), ([IN_TRANSIT], "bill.not_paid"), ([VOIDED], "bill.not_paid"),
     ([PAID_ONLINE, REFUNDED], "bill.refunded")],
)
def test_only_money_received_is_refunded_and_only_once(state, code):
    refused(bill(*state), lambda x: x.refund(REFUND, LATER), code)


def test_a_refunded_bill_is_neither_paid_again_nor_voided():
    refused(bill(PAID_ONLINE, REFUNDED), lambda x: x.pay_online(OTHER_PAYMENT, "UP6", LATER), "bill.refunded")
    refused(bill(PAID_ONLINE, REFUNDED), lambda x: x.void("退课", LATER), "bill.refunded")


def test_times_must_carry_a_time_zone():
    refused(bill(), lambda x: x.pay_online(PAYMENT, "UP5", datetime(2026, 9, 15, 10)), "time.naive")
