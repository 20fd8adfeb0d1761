"""Batch payment (requirements/finance.md §2): UnionPay online with an idempotency key, remittance slips."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domains.finance.bill import Bill, BillStatus
from domains.finance.payments import (
    OnlinePayment,
    PaymentStatus,
    RemittanceSlip,
    SlipStatus,
    check_as_confirmed,
    confirm_remittance,
    payable,
    reject_remittance,
    remit,
    settle_online,
)
from domains.shared.errors import DomainError
from domains.shared.money import Money
from domains.shared.values import Role
from tests.domains.gwt import created, error_code, given, refused, then, when

AT = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)
LATER = AT + timedelta(days=2)
TP, OTHER_TP = uuid.UUID(int=0x101), uuid.UUID(int=0x102)
KEY = "pay-2026-09-15-0001"


def bill(amount_fen=18000, teaching_point=TP, *more):
    return given(
        Bill,
        (
            "Issued",
            {
                "learner_id": uuid.uuid4(),
                "teaching_point_id": teaching_point,
                "course_id": uuid.uuid4(),
                "fee_type": "credit_fee",
                "amount_fen": amount_fen,
                "enrollment_id": uuid.uuid4(),
                "exam_registration_id": None,
                "issued_at": AT,
            },
        ),
        *more,
    )


def bills():
    return [bill(18000), bill(4000), bill(63600)]


def events_of(*aggregates):
    return [type(e).__name__ for a in aggregates for e in a.collect_events()]


# -- online payment (银联缴费) --------------------------------------------------------------------


def test_an_online_payment_covers_several_bills_of_one_teaching_point():
    bs = bills()
    payment, events = created(lambda: OnlinePayment.initiate(KEY, TP, bs, AT))
    then(events, ("Initiated", {"idempotency_key": KEY, "bill_ids": [b.id for b in bs], "amount_fen": 85600, "initiated_at": AT}))
    assert payment.payment_status is PaymentStatus.INITIATED
    assert payment.id == OnlinePayment.create_id(KEY)  # a retried request finds it by its key


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: OnlinePayment.initiate(KEY, TP, [], AT), "payment.bills_required"),
        (lambda: OnlinePayment.initiate("short", TP, bills(), AT), "payment.idempotency_key_invalid"),
        (lambda: OnlinePayment.initiate("键" * 10, TP, bills(), AT), "payment.idempotency_key_invalid"),
        (lambda: OnlinePayment.initiate(KEY, TP, [bill(), bill(teaching_point=OTHER_TP)], AT), "bill.other_teaching_point"),
        (
            lambda: OnlinePayment.initiate(KEY, TP, [bill(1, TP, ("Voided", {"reason": "退课", "voided_at": AT}))], AT),
            "bill.voided",
        ),
    ],
)
def test_what_cannot_be_paid_online(make, code):
    assert error_code(make) == code


def test_a_bill_chosen_twice_is_refused():
    b = bill()
    assert error_code(lambda: OnlinePayment.initiate(KEY, TP, [b, b], AT)) == "payment.duplicate_bills"


def test_a_retried_request_must_ask_for_the_same_payment():
    bs = bills()
    payment = OnlinePayment.initiate(KEY, TP, bs, AT)
    payment.check_same_request(TP, [b.id for b in reversed(bs)])
    with pytest.raises(DomainError) as info:
        payment.check_same_request(TP, [bs[0].id])
    assert info.value.code == "payment.idempotency_key_reused"
    with pytest.raises(DomainError):
        payment.check_same_request(OTHER_TP, [b.id for b in bs])


def test_the_gateway_success_pays_every_bill_once():
    bs = bills()
    payment = OnlinePayment.initiate(KEY, TP, bs, AT)
    payment.collect_events()
    newly_paid = settle_online(payment, bs, "UP202609170001", Money(85600), LATER)
    assert newly_paid == bs and all(b.bill_status is BillStatus.PAID and b.payment_id == payment.id for b in bs)
    assert events_of(payment, *bs) == ["Succeeded", "PaidOnline", "PaidOnline", "PaidOnline"]
    # The gateway calls back again: nothing is paid twice, nothing recorded.
    assert settle_online(payment, bs, "UP202609170001", Money(85600), LATER) == []
    assert events_of(payment, *bs) == []


def test_a_second_success_with_another_transaction_is_refused():
    bs = bills()
    payment = OnlinePayment.initiate(KEY, TP, bs, AT)
    settle_online(payment, bs, "UP1", Money(85600), LATER)
    with pytest.raises(DomainError) as info:
        settle_online(payment, bs, "UP2", Money(85600), LATER)
    assert info.value.code == "payment.already_succeeded"


def test_the_amount_paid_must_be_the_amount_due():
    bs = bills()
    payment = OnlinePayment.initiate(KEY, TP, bs, AT)
    payment.collect_events()
    with pytest.raises(DomainError) as info:
        settle_online(payment, bs, "UP1", Money(85599), LATER)
    assert info.value.code == "payment.amount_mismatch" and "856.00" in info.value.message


def test_nothing_changes_when_one_bill_is_no_longer_payable():
    bs = bills()
    payment = OnlinePayment.initiate(KEY, TP, bs, AT)
    payment.collect_events()
    bs[1].start_remittance(uuid.uuid4(), AT)  # remitted meanwhile
    bs[1].collect_events()
    with pytest.raises(DomainError) as info:
        settle_online(payment, bs, "UP1", Money(85600), LATER)
    assert info.value.code == "bill.remittance_in_transit"
    assert events_of(payment, *bs) == [] and payment.payment_status is PaymentStatus.INITIATED


def test_the_gateway_must_report_the_bills_of_the_payment():
    bs = bills()
    payment = OnlinePayment.initiate(KEY, TP, bs, AT)
    with pytest.raises(DomainError) as info:
        settle_online(payment, bs[:2], "UP1", Money(85600), LATER)
    assert info.value.code == "payment.bills_mismatch"


def test_a_failed_payment_stays_failed():
    payment = given(
        OnlinePayment,
        (
            "Initiated",
            {"idempotency_key": KEY, "teaching_point_id": TP, "bill_ids": [uuid.uuid4()], "amount_fen": 100, "initiated_at": AT},
        ),
    )
    then(when(payment, lambda p: p.fail("用户取消支付", LATER)), ("Failed", {"reason": "用户取消支付"}))
    refused(payment, lambda p: p.succeed("UP1", Money(100), LATER), "payment.not_pending")
    refused(payment, lambda p: p.fail("again", LATER), "payment.not_pending")


# -- remittance (汇款) ----------------------------------------------------------------------------


def test_remitting_makes_a_slip_and_puts_every_bill_in_transit():
    bs = bills()
    slip = remit("HK20260915001", TP, bs, " 6222 0001 ", AT)
    then(
        slip.collect_events(),
        (
            "Submitted",
            {"slip_number": "HK20260915001", "bill_ids": [b.id for b in bs], "amount_fen": 85600, "bank_reference": "6222 0001"},
        ),
    )
    assert all(b.bill_status is BillStatus.REMITTANCE_IN_TRANSIT and b.remittance_slip_id == slip.id for b in bs)
    assert slip.slip_status is SlipStatus.SUBMITTED


def test_a_bill_already_paid_or_of_another_teaching_point_cannot_be_remitted():
    paid = bill(100, TP, ("PaidOnline", {"payment_id": uuid.uuid4(), "gateway_transaction_id": "UP", "paid_at": AT}))
    assert error_code(lambda: remit("HK1", TP, [bill(), paid], None, AT)) == "bill.already_paid"
    assert error_code(lambda: remit("HK1", TP, [bill(100, OTHER_TP)], None, AT)) == "bill.other_teaching_point"


def test_finance_confirms_the_arrival_and_the_bills_are_paid():
    bs = bills()
    slip = remit("HK1", TP, bs, None, AT)
    events_of(slip, *bs)
    confirm_remittance(slip, bs, Role.FINANCE, LATER)
    assert events_of(slip, *bs) == ["Confirmed", "PaidByRemittance", "PaidByRemittance", "PaidByRemittance"]
    assert slip.slip_status is SlipStatus.CONFIRMED and all(b.is_paid and b.paid_at == LATER for b in bs)


def test_finance_rejects_a_failed_remittance_and_the_bills_await_payment_again():
    bs = bills()
    slip = remit("HK1", TP, bs, None, AT)
    events_of(slip, *bs)
    reject_remittance(slip, bs, Role.FINANCE, "款项未到账", LATER)
    assert events_of(slip, *bs) == ["Rejected", "RemittanceRejected", "RemittanceRejected", "RemittanceRejected"]
    assert slip.reject_reason == "款项未到账" and all(b.bill_status is BillStatus.AWAITING_PAYMENT for b in bs)


SUBMITTED = (
    "Submitted",
    {"slip_number": "HK1", "teaching_point_id": TP, "bill_ids": [], "amount_fen": 0, "bank_reference": None, "submitted_at": AT},
)


@pytest.mark.parametrize("role", [Role.TEACHING_POINT_ADMIN, Role.ACADEMIC_AFFAIRS, Role.LEARNER, Role.AUDITOR])
def test_only_finance_decides_a_slip(role):
    slip = given(RemittanceSlip, SUBMITTED)
    refused(slip, lambda s: s.confirm(role, LATER), "remittance.finance_only", kind="forbidden")
    refused(slip, lambda s: s.reject(role, "未到账", LATER), "remittance.finance_only", kind="forbidden")


def test_a_decided_slip_is_not_decided_again():
    confirmed = given(RemittanceSlip, SUBMITTED, ("Confirmed", {"confirmed_at": AT}))
    rejected = given(RemittanceSlip, SUBMITTED, ("Rejected", {"reason": "未到账", "rejected_at": AT}))
    for slip in (confirmed, rejected):
        refused(slip, lambda s: s.confirm(Role.FINANCE, LATER), "remittance.not_awaiting_confirmation")
        refused(slip, lambda s: s.reject(Role.FINANCE, "x", LATER), "remittance.not_awaiting_confirmation")


def test_a_rejection_needs_a_reason():
    refused(given(RemittanceSlip, SUBMITTED), lambda s: s.reject(Role.FINANCE, "", LATER), "field.required", kind="invalid")


def test_a_slip_is_decided_with_exactly_its_bills():
    bs = bills()
    slip = remit("HK1", TP, bs, None, AT)
    with pytest.raises(DomainError) as info:
        confirm_remittance(slip, bs[:1], Role.FINANCE, LATER)
    assert info.value.code == "payment.bills_mismatch"


# -- 批量缴费汇款 of a whole list query ------------------------------------------------------------

IN_TRANSIT = ("RemittanceStarted", {"slip_id": uuid.UUID(int=0x51), "started_at": AT})
PAID = ("PaidOnline", {"payment_id": uuid.UUID(int=0xA1), "gateway_transaction_id": "UP1", "paid_at": AT})
VOIDED = ("Voided", {"reason": "退课", "voided_at": AT})
REFUNDED = ("Refunded", {"refund_id": uuid.UUID(int=0xF1), "amount_fen": 4000, "refunded_at": AT})


def test_of_the_bills_a_query_found_only_those_still_awaiting_payment_are_paid():
    awaiting = bills()
    others = [bill(5000, TP, IN_TRANSIT), bill(5000, TP, PAID), bill(5000, TP, VOIDED), bill(4000, TP, PAID, REFUNDED)]
    assert payable([others[0], *awaiting, *others[1:]]) == awaiting


def test_the_bills_paid_are_exactly_the_count_and_amount_the_payer_confirmed():
    found = bills()  # 3 bills, 856.00 元
    check_as_confirmed(found, 3, Money(85600))
    for count, fen in ((2, 85600), (3, 85500), (4, 90600)):
        with pytest.raises(DomainError) as info:
            check_as_confirmed(found, count, Money(fen))
        assert info.value.code == "payment.query_changed"
        assert info.value.message == "当前查询的待缴费缴费单已变化：现为 3 张，合计 856.00 元，请核对后重新确认"


def test_a_query_with_nothing_awaiting_payment_pays_nothing():
    assert error_code(lambda: check_as_confirmed([], 0, Money(0))) == "payment.query_empty"

