"""Enrollment: selected -> awaiting payment -> paid (may study) -> dropped (requirements/enrolment.md)."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domains.enrolment.enrollment import Enrollment, EnrollmentStatus, may_still_be_dropped, may_study_course
from domains.enrolment.policy import CourseNotSelectable, CourseOffer, Window
from domains.finance.refund import RefundStatus
from domains.shared.errors import InvalidInput
from tests.domains.gwt import created, given, refused, then, when

AT = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)
LATER = AT + timedelta(days=3)
LEARNER = uuid.UUID("00000000-0000-0000-0000-00000000e001")
COURSE = uuid.UUID("00000000-0000-0000-0000-0000000c0001")
TP = uuid.UUID("00000000-0000-0000-0000-000000000101")
PROGRAMME = uuid.UUID("00000000-0000-0000-0000-0000000a0001")
CREDIT_BILL, EXAM_BILL = uuid.UUID(int=0xB1), uuid.UUID(int=0xB2)
REFUND, OTHER_REFUND = uuid.UUID(int=0xF1), uuid.UUID(int=0xF2)
SELECTION = Window(uuid.UUID(int=1), "2026秋季选课", AT - timedelta(days=14), AT + timedelta(days=16))
EXAMS = Window(uuid.UUID(int=2), "2027年1月考试", AT - timedelta(days=20), AT + timedelta(days=30))

OFFER = CourseOffer(
    course_id=COURSE,
    course_name="管理会计",
    published=True,
    version_in_use="2026版",
    assessment_approved=True,
    includes_final_exam=True,
    course_levels=("undergraduate",),
    fee_standard_levels=frozenset({"undergraduate"}),
    selection_windows=(SELECTION,),
    exam_registration_windows=(EXAMS,),
)

SELECTED = (
    "CourseSelected",
    {
        "learner_id": LEARNER,
        "course_id": COURSE,
        "teaching_point_id": TP,
        "programme_id": PROGRAMME,
        "selection_batch_id": SELECTION.batch_id,
        "exam_batch_id": EXAMS.batch_id,
        "includes_final_exam": True,
        "bill_ids": [CREDIT_BILL, EXAM_BILL],
        "selected_at": AT,
    },
)
PAID = [
    ("FeePaid", {"bill_id": CREDIT_BILL, "paid_at": AT}),
    ("FeePaid", {"bill_id": EXAM_BILL, "paid_at": AT}),
    ("SelectionSucceeded", {"paid_at": AT}),
]


def enrollment(*more):
    return given(Enrollment, SELECTED, *more, id=Enrollment.create_id(LEARNER, COURSE))


def paid(*more):
    return enrollment(*PAID, *more)


# -- selection ------------------------------------------------------------------------------------


def test_selecting_a_selectable_course_awaits_payment_in_the_open_batches():
    e, events = created(lambda: Enrollment.select(LEARNER, TP, PROGRAMME, OFFER, [CREDIT_BILL, EXAM_BILL, CREDIT_BILL], AT))
    then(events, SELECTED)  # the duplicate bill id is dropped
    assert e.enrollment_status is EnrollmentStatus.AWAITING_PAYMENT and not e.may_study


def test_a_course_already_selected_is_the_same_aggregate():
    """The id is derived from (learner, course): a second selection cannot be saved."""
    first = Enrollment.select(LEARNER, TP, PROGRAMME, OFFER, [CREDIT_BILL], AT)
    second = Enrollment.select(LEARNER, TP, PROGRAMME, OFFER, [EXAM_BILL], LATER)
    assert first.id == second.id == Enrollment.create_id(LEARNER, COURSE)
    assert Enrollment.create_id(LEARNER, uuid.uuid4()) != first.id


def test_selection_is_refused_when_a_precondition_is_unmet():
    with pytest.raises(CourseNotSelectable) as info:
        Enrollment.select(LEARNER, TP, PROGRAMME, dataclasses.replace(OFFER, version_in_use=None), [CREDIT_BILL], AT)
    assert info.value.code == "selection.no_version_in_use"
    with pytest.raises(CourseNotSelectable) as info:
        Enrollment.select(LEARNER, TP, PROGRAMME, OFFER, [CREDIT_BILL], SELECTION.ends_at)
    assert info.value.code == "selection.not_in_selection_period"


def test_a_selection_without_bills_is_refused():
    with pytest.raises(InvalidInput) as info:
        Enrollment.select(LEARNER, TP, PROGRAMME, OFFER, [], AT)
    assert info.value.code == "enrollment.bills_required"


def test_selecting_again_a_course_not_dropped_is_refused():
    for e in (enrollment(), paid()):
        assert e.holds_course
        err = refused(e, lambda x: x.reselect(TP, PROGRAMME, OFFER, [uuid.uuid4()], LATER), "enrollment.already_selected")
        assert err.message == "该学生已选课程“管理会计”，不再重复选课"
        assert err.details["unmet"] == [{"code": "enrollment.already_selected", "message": err.message}]
    assert not enrollment(("CourseDropped", {"refund_id": None, "dropped_at": AT})).holds_course


def test_a_dropped_course_may_be_selected_again_with_new_bills():
    e = enrollment(("CourseDropped", {"refund_id": None, "dropped_at": AT}))
    new_bill = uuid.UUID(int=0xB3)
    then(
        when(e, lambda x: x.reselect(TP, PROGRAMME, OFFER, [new_bill], LATER)),
        ("CourseReselected", {"bill_ids": [new_bill], "selected_at": LATER, "selection_batch_id": SELECTION.batch_id}),
    )
    assert e.enrollment_status is EnrollmentStatus.AWAITING_PAYMENT and e.paid_bill_ids == [] and e.bill_ids == [new_bill]


def test_selecting_again_still_checks_the_preconditions_and_the_course():
    e = enrollment(("CourseDropped", {"refund_id": None, "dropped_at": AT}))
    refused(
        e,
        lambda x: x.reselect(TP, PROGRAMME, dataclasses.replace(OFFER, published=False), [uuid.uuid4()], LATER),
        "selection.course_not_published",
    )
    refused(
        e,
        lambda x: x.reselect(TP, PROGRAMME, dataclasses.replace(OFFER, course_id=uuid.uuid4()), [uuid.uuid4()], LATER),
        "enrollment.other_course",
    )


# -- payment ------------------------------------------------------------------------------------


def test_the_selection_succeeds_and_learning_unlocks_when_the_last_bill_is_paid():
    e = enrollment()
    then(when(e, lambda x: x.record_payment(EXAM_BILL, LATER)), ("FeePaid", {"bill_id": EXAM_BILL, "paid_at": LATER}))
    assert e.enrollment_status is EnrollmentStatus.AWAITING_PAYMENT and not e.may_study
    then(
        when(e, lambda x: x.record_payment(CREDIT_BILL, LATER)),
        ("FeePaid", {"bill_id": CREDIT_BILL}),
        ("SelectionSucceeded", {"paid_at": LATER}),
    )
    assert e.enrollment_status is EnrollmentStatus.PAID and e.may_study and e.paid_at == LATER


def test_a_payment_told_twice_records_nothing_the_second_time():
    e = paid()
    assert when(e, lambda x: x.record_payment(CREDIT_BILL, LATER)) == []
    e = enrollment(PAID[0])
    assert when(e, lambda x: x.record_payment(CREDIT_BILL, LATER)) == []


def test_a_bill_of_another_selection_is_refused():
    refused(enrollment(), lambda x: x.record_payment(uuid.uuid4(), LATER), "enrollment.unknown_bill")


def test_a_dropped_course_takes_no_payment():
    e = enrollment(("CourseDropped", {"refund_id": None, "dropped_at": AT}))
    refused(e, lambda x: x.record_payment(CREDIT_BILL, LATER), "enrollment.dropped")


# -- drop ---------------------------------------------------------------------------------------


def test_an_unpaid_course_is_dropped_at_once():
    e = enrollment()
    then(when(e, lambda x: x.drop_unpaid(LATER)), ("CourseDropped", {"refund_id": None, "dropped_at": LATER}))
    assert e.enrollment_status is EnrollmentStatus.DROPPED and not e.may_study


@pytest.mark.parametrize("payments", [PAID, PAID[:1]])
def test_a_course_with_any_payment_drops_only_through_the_refund_chain(payments):
    e = enrollment(*payments)
    refused(e, lambda x: x.drop_unpaid(LATER), "enrollment.paid_drop_needs_refund")
    then(when(e, lambda x: x.request_drop(REFUND, LATER)), ("DropRequested", {"refund_id": REFUND, "requested_at": LATER}))


def test_an_unpaid_course_needs_no_refund():
    refused(enrollment(), lambda x: x.request_drop(REFUND, LATER), "enrollment.unpaid_drop_voids_bills")


def test_one_open_drop_request_per_course():
    e = paid(("DropRequested", {"refund_id": REFUND, "requested_at": AT}))
    refused(e, lambda x: x.request_drop(OTHER_REFUND, LATER), "enrollment.drop_already_requested")


def test_a_closed_request_lets_the_course_continue_and_a_new_request_follow():
    e = paid(("DropRequested", {"refund_id": REFUND, "requested_at": AT}))
    refused(e, lambda x: x.close_drop_request(OTHER_REFUND, LATER), "enrollment.no_such_drop_request")
    then(when(e, lambda x: x.close_drop_request(REFUND, LATER)), ("DropRequestClosed", {"refund_id": REFUND}))
    assert e.may_study and e.drop_request_id is None
    when(e, lambda x: x.request_drop(OTHER_REFUND, LATER))


def test_the_refund_paid_out_drops_the_course():
    e = paid(("DropRequested", {"refund_id": REFUND, "requested_at": AT}))
    refused(e, lambda x: x.complete_drop(OTHER_REFUND, LATER), "enrollment.no_such_drop_request")
    then(when(e, lambda x: x.complete_drop(REFUND, LATER)), ("CourseDropped", {"refund_id": REFUND, "dropped_at": LATER}))
    assert e.enrollment_status is EnrollmentStatus.DROPPED and not e.may_study


def test_a_course_dropped_after_its_refund_no_longer_counts_toward_graduation():
    e = paid(("DropRequested", {"refund_id": REFUND, "requested_at": AT}))
    assert e.counts_for_graduation  # still selected while the drop is under review
    when(e, lambda x: x.complete_drop(REFUND, LATER))
    assert not e.counts_for_graduation


def test_an_unpaid_course_dropped_at_once_no_longer_counts_toward_graduation():
    e = enrollment()
    when(e, lambda x: x.drop_unpaid(LATER))
    assert not e.counts_for_graduation


def test_a_dropped_course_listed_in_a_new_programme_still_does_not_count():
    assessed = (
        "AssessedForProgramme", {"status_change_id": uuid.uuid4(), "programme_id": PROGRAMME, "counts_for_graduation": True}
    )
    assert not enrollment(("CourseDropped", {"refund_id": None, "dropped_at": AT}), assessed).counts_for_graduation


def test_a_dropped_course_selected_again_counts_again():
    e = enrollment(("CourseDropped", {"refund_id": None, "dropped_at": AT}))
    when(e, lambda x: x.reselect(TP, PROGRAMME, OFFER, [uuid.UUID(int=0xB3)], LATER))
    assert e.counts_for_graduation


def test_a_refund_that_was_never_requested_cannot_drop_the_course():
    refused(paid(), lambda x: x.complete_drop(REFUND, LATER), "enrollment.no_such_drop_request")


def test_a_dropped_course_is_not_dropped_again():
    e = enrollment(("CourseDropped", {"refund_id": None, "dropped_at": AT}))
    refused(e, lambda x: x.drop_unpaid(LATER), "enrollment.dropped")
    refused(e, lambda x: x.request_drop(REFUND, LATER), "enrollment.dropped")


def test_times_must_carry_a_time_zone():
    refused(enrollment(), lambda x: x.drop_unpaid(datetime(2026, 9, 20, 10)), "time.naive", kind="invalid")


# -- may the learner study this course ------------------------------------------------------------


def test_only_a_paid_course_may_be_studied():
    assert [s for s in EnrollmentStatus if may_study_course(s)] == [EnrollmentStatus.PAID]


@pytest.mark.parametrize(
    ("review", "may_study"),
    [
        (RefundStatus.PENDING_ACADEMIC_REVIEW, True),
        (RefundStatus.REJECTED_BY_ACADEMIC_AFFAIRS, True),
        (RefundStatus.PENDING_FINANCE_REVIEW, False),
        (RefundStatus.REJECTED_BY_FINANCE, True),
        (RefundStatus.APPROVED_AWAITING_REFUND, False),
        (RefundStatus.REFUNDED, False),
        (RefundStatus.CANCELLED, True),
    ],
)
def test_a_drop_under_review_stops_study_once_academic_affairs_approves_it(review, may_study):
    assert may_study_course(EnrollmentStatus.PAID, review) is may_study
    assert not may_study_course(EnrollmentStatus.AWAITING_PAYMENT, review)


def test_a_learner_who_withdrew_studies_no_course():
    assert not may_study_course(EnrollmentStatus.PAID, None, learner_enrolled=False)
    assert not may_study_course(EnrollmentStatus.PAID, RefundStatus.CANCELLED, learner_enrolled=False)


def test_a_course_may_still_be_dropped_unless_dropped_or_already_asked_to_be():
    assert may_still_be_dropped(EnrollmentStatus.PAID, drop_requested=False)
    assert may_still_be_dropped(EnrollmentStatus.AWAITING_PAYMENT, drop_requested=False)
    assert not may_still_be_dropped(EnrollmentStatus.PAID, drop_requested=True)
    assert not may_still_be_dropped(EnrollmentStatus.DROPPED, drop_requested=False)
    assert not paid(("DropRequested", {"refund_id": REFUND, "requested_at": AT})).may_still_be_dropped
