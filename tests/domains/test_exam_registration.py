"""Exam registrations (requirements/exams.md §2): final exams with selection, resits, payment, drops."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domains.exams.registration import ExamRegistration, RegistrationKind, RegistrationStatus
from tests.domains.gwt import created, given, refused, then, when

AT = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)
LATER = AT + timedelta(days=2)
LEARNER = uuid.UUID("00000000-0000-0000-0000-00000000e001")
COURSE = uuid.UUID("00000000-0000-0000-0000-0000000c0001")
BATCH = uuid.UUID(int=2)
TP = uuid.UUID(int=0x101)
ENROLLMENT = uuid.UUID(int=0xE1)


def registered(kind="final"):
    return (
        "Registered",
        {
            "learner_id": LEARNER,
            "course_id": COURSE,
            "exam_batch_id": BATCH,
            "teaching_point_id": TP,
            "kind": kind,
            "enrollment_id": ENROLLMENT if kind == "final" else None,
            "registered_at": AT,
        },
    )


CONFIRMED = ("Confirmed", {"confirmed_at": AT})
DROPPED = ("Cancelled", {"reason": "course_dropped", "cancelled_at": AT})


def final(*more):
    return given(ExamRegistration, registered("final"), *more)


def resit(*more):
    return given(ExamRegistration, registered("resit"), *more)


def test_a_final_exam_is_registered_with_the_selection_pending_payment():
    reg, events = created(lambda: ExamRegistration.register_final(LEARNER, COURSE, BATCH, TP, ENROLLMENT, AT))
    then(events, registered("final"))
    assert reg.registration_status is RegistrationStatus.PENDING and reg.registration_kind is RegistrationKind.FINAL
    assert reg.id == ExamRegistration.create_id(LEARNER, COURSE, BATCH)  # one registration per sitting


def test_a_resit_is_registered_on_its_own():
    reg, events = created(lambda: ExamRegistration.register_resit(LEARNER, COURSE, BATCH, TP, AT))
    then(events, registered("resit"))
    assert reg.registration_status.label == "待缴费" and reg.registration_kind.label == "补考"


@pytest.mark.parametrize("factory", [final, resit])
def test_payment_confirms_the_registration(factory):
    reg = factory()
    then(when(reg, lambda r: r.confirm(LATER)), ("Confirmed", {"confirmed_at": LATER}))
    assert reg.registration_status is RegistrationStatus.CONFIRMED
    refused(reg, lambda r: r.confirm(LATER), "exam_registration.already_confirmed")


def test_a_cancelled_registration_is_not_confirmed():
    refused(final(DROPPED), lambda r: r.confirm(LATER), "exam_registration.cancelled")


@pytest.mark.parametrize("state", [[], [CONFIRMED]])
def test_a_drop_cancels_the_final_exam_paid_or_not(state):
    reg = final(*state)
    then(
        when(reg, lambda r: r.cancel("course_dropped", LATER)), ("Cancelled", {"reason": "course_dropped", "cancelled_at": LATER})
    )
    assert reg.registration_status is RegistrationStatus.CANCELLED


def test_a_paid_resit_cannot_be_cancelled():
    reg = resit(CONFIRMED)
    assert not reg.cancellable and reg.is_paid_resit
    refused(reg, lambda r: r.cancel("withdrawn", LATER), "exam_registration.paid_resit_not_cancellable")
    refused(reg, lambda r: r.cancel("course_dropped", LATER), "exam_registration.paid_resit_not_cancellable")


def test_an_unpaid_resit_can_be_withdrawn():
    reg = resit()
    assert reg.cancellable
    then(when(reg, lambda r: r.cancel("withdrawn", LATER)), ("Cancelled", {"reason": "withdrawn"}))


def test_a_final_exam_is_withdrawn_only_by_dropping_the_course():
    refused(final(), lambda r: r.cancel("withdrawn", LATER), "exam_registration.final_follows_selection")


def test_cancel_rules():
    refused(final(DROPPED), lambda r: r.cancel("course_dropped", LATER), "exam_registration.already_cancelled")
    refused(final(), lambda r: r.cancel("changed my mind", LATER), "exam_registration.cancel_reason_invalid", kind="invalid")
    assert not final(DROPPED).cancellable and final(CONFIRMED).cancellable


def test_a_cancelled_registration_revives_when_the_course_is_selected_again():
    reg = final(CONFIRMED, DROPPED)
    new_enrollment = uuid.uuid4()
    then(
        when(reg, lambda r: r.register_again(new_enrollment, LATER)),
        ("RegisteredAgain", {"enrollment_id": new_enrollment, "registered_at": LATER}),
    )
    assert reg.registration_status is RegistrationStatus.PENDING and reg.confirmed_at is None
    refused(reg, lambda r: r.register_again(new_enrollment, LATER), "exam_registration.already_registered")


def test_times_must_carry_a_time_zone():
    refused(final(), lambda r: r.confirm(datetime(2026, 9, 15, 10)), "time.naive")
