"""The whole path in the domain alone, composed the way the application layer will compose it:
select -> bills -> remit -> finance confirms -> drop -> academic affairs -> finance -> refunded."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from domains.curriculum.batches import ExamBatch, SelectionBatch
from domains.curriculum.course import Course
from domains.curriculum.fees import FeeStandard, course_fees
from domains.curriculum.levels import EducationLevel
from domains.curriculum.period import SHANGHAI, Period
from domains.curriculum.programme_curriculum import ProgrammeCurriculum
from domains.enrolment.enrollment import Enrollment, EnrollmentStatus
from domains.enrolment.policy import CourseOffer, Window
from domains.exams.registration import ExamRegistration, RegistrationStatus
from domains.finance.bill import Bill, BillStatus, FeeType
from domains.finance.payments import confirm_remittance, remit
from domains.finance.refund import Refund, RefundStatus
from domains.shared.money import Money
from domains.shared.values import Role

NOW = datetime(2026, 9, 15, 10, 0, tzinfo=SHANGHAI)
LEARNER, TP, PROGRAMME = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def catalogue():
    course = Course.register("01234", "管理会计", "4", ["本科"])
    course.publish()
    course.add_version("2026版")
    course.use_version("2026版")
    course.submit_assessment(True, "形考30%，终考70%")
    course.approve_assessment()
    listing = ProgrammeCurriculum.start(PROGRAMME, "专升本")
    listing.add_course(course, 1)
    selection = SelectionBatch.register(
        "X2026F", "2026秋季选课", Period.of_days(date(2026, 9, 1), date(2026, 9, 30)), course_ids=[course.id]
    )
    exams = ExamBatch.register("K2027S", "2027年1月考试", Period.of_days(date(2026, 9, 1), date(2026, 10, 15)), [course.id])
    standards = {"undergraduate": FeeStandard.set(EducationLevel.UNDERGRADUATE, Money(15900), Money(4000), Role.FINANCE)}
    return course, listing, selection, exams, standards


def offer_of(course, listing, selection, exams, standards) -> CourseOffer:
    """What the application gathers from curriculum for the enrolment policy."""
    def window(batch, period):
        return Window(batch.id, batch.name, period.starts_at, period.ends_at)

    return CourseOffer(
        course_id=course.id,
        course_name=course.name,
        published=course.is_published,
        version_in_use=course.version_in_use,
        assessment_approved=course.has_approved_assessment,
        includes_final_exam=course.includes_final_exam,
        course_levels=tuple(course.levels),
        fee_standard_levels=frozenset(standards),
        selection_windows=(window(selection, selection.selection_period),) if selection.offers(course.id) else (),
        exam_registration_windows=(window(exams, exams.registration_period),) if exams.offers(course.id) else (),
        in_programme=listing.includes(course.id),
    )


def test_select_pay_by_remittance_drop_and_refund():
    course, listing, selection, exams, standards = catalogue()
    offer = offer_of(course, listing, selection, exams, standards)

    # Selection: bills per the fee standard, the final exam registered with it.
    fees = course_fees(course.name, course.credit_tenths, course.levels, course.includes_final_exam, standards)
    enrollment_id = Enrollment.create_id(LEARNER, course.id)
    credit = Bill.issue(LEARNER, TP, course.id, FeeType.CREDIT_FEE, fees.credit_fee, NOW, enrollment_id=enrollment_id)
    exam = Bill.issue(LEARNER, TP, course.id, FeeType.EXAM_FEE, fees.exam_fee, NOW, enrollment_id=enrollment_id)
    enrollment = Enrollment.select(LEARNER, TP, PROGRAMME, offer, [credit.id, exam.id], NOW)
    registration = ExamRegistration.register_final(LEARNER, course.id, enrollment.exam_batch_id, TP, enrollment.id, NOW)
    assert enrollment.id == enrollment_id and (credit.amount, exam.amount) == (Money(63600), Money(4000))
    assert enrollment.exam_batch_id == exams.id and not enrollment.may_study

    # Remittance, confirmed by finance: the selection succeeds, the exam registration too.
    slip = remit("HK20260916001", TP, [credit, exam], None, NOW + timedelta(days=1))
    confirm_remittance(slip, [credit, exam], Role.FINANCE, NOW + timedelta(days=3))
    for bill in (credit, exam):
        enrollment.record_payment(bill.id, bill.paid_at)
    registration.confirm(enrollment.paid_at)
    assert enrollment.enrollment_status is EnrollmentStatus.PAID and enrollment.may_study
    assert registration.registration_status is RegistrationStatus.CONFIRMED

    # A drop inside the drop period goes through the chain.
    asked = NOW + timedelta(days=20)
    selection.check_drop_open(course.id, course.name, asked)
    refund = Refund.request(enrollment.id, LEARNER, course.id, TP, [credit, exam], Role.TEACHING_POINT_ADMIN, "错选", asked)
    enrollment.request_drop(refund.id, asked)
    assert refund.amount == Money(67600) and refund.may_study and enrollment.may_study
    refund.approve_by_academic_affairs(Role.ACADEMIC_AFFAIRS, None, asked)
    assert not refund.may_study  # study stops while finance reviews
    refund.approve_by_finance(Role.FINANCE, None, asked)
    refund.mark_refunded(Role.FINANCE, "TK001", asked)
    enrollment.complete_drop(refund.id, asked)
    registration.cancel("course_dropped", asked)

    assert refund.refund_status is RefundStatus.REFUNDED
    assert enrollment.enrollment_status is EnrollmentStatus.DROPPED and not enrollment.may_study
    assert registration.registration_status is RegistrationStatus.CANCELLED
    assert credit.bill_status is BillStatus.PAID  # the bill stays paid; the refund records the money going back


def test_an_unpaid_drop_voids_the_bills():
    course, listing, selection, exams, standards = catalogue()
    enrollment_id = Enrollment.create_id(LEARNER, course.id)
    credit = Bill.issue(LEARNER, TP, course.id, FeeType.CREDIT_FEE, Money(63600), NOW, enrollment_id=enrollment_id)
    enrollment = Enrollment.select(
        LEARNER, TP, PROGRAMME, offer_of(course, listing, selection, exams, standards), [credit.id], NOW
    )
    enrollment.drop_unpaid(NOW + timedelta(days=1))
    credit.void("未缴费退课", NOW + timedelta(days=1))
    assert enrollment.enrollment_status is EnrollmentStatus.DROPPED and credit.bill_status is BillStatus.VOIDED
