"""Use cases of exam registration (requirements/exams.md §2): resits (补考) registered by the learner or
by the teaching point for one of its learners (found by the full student number), and taken back
before they are paid.

A resit is registered with its own exam-fee bill in one atomic save: the ExamRegistration (kind
resit, pending, 待缴费) and the bill (awaiting payment), whose amount is the exam fee of the
course's level (the lower one for a course of both levels, requirements/curriculum.md §4.2). Paying the bill
confirms the registration (see finance). An unpaid resit may be withdrawn, its bill voided in
the same save; a paid one never (补考一旦缴费成功后不允许取消报考).

The learner is found by the full student number through its claim (ADR 0016); the learner,
course, selection, exam batch and registration are then loaded and their own state decides; a
learner's resits of a course are found through their index, never a read model.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.loading import indexed, load, record_index
from application.common.ports import Clock, EventStore
from application.common.recording import recording
from application.curriculum.service import note
from application.enrolment.service import (
    RESITS,
    SELECTORS,
    check_own,
    fee_standards,
    learner_for,
    resit_key,
    void_unpaid,
)
from application.learners.numbers import learner_id_by_number
from domains.curriculum.batches import ExamBatch
from domains.curriculum.course import Course
from domains.curriculum.fees import course_fees
from domains.enrolment.enrollment import Enrollment, EnrollmentStatus
from domains.exams.registration import ExamRegistration
from domains.exams.resits import ResitFacts, check_resit, check_sitting_free
from domains.finance.bill import Bill, BillStatus, FeeType
from domains.shared.errors import InvalidInput
from domains.shared.money import Money
from domains.shared.values import Role


@dataclass(frozen=True)
class ResitRegistered:
    registration_id: uuid.UUID
    bill_id: uuid.UUID


@dataclass(frozen=True)
class ResitWithdrawn:
    registration_id: uuid.UUID
    voided_bill_ids: list[uuid.UUID]


class Exams:
    def __init__(self, store: EventStore, clock: Clock, read: Callable[[], Connection]) -> None:
        self.store = store
        self.clock = clock
        self.read = read

    def _learner_id(self, role: Role, learner_id: uuid.UUID | None, student_number: str | None) -> uuid.UUID | None:
        """补考报考 finds the learner by the full student number (or takes the chosen learner)."""
        number = (student_number or "").strip()
        if not number:
            if learner_id is None and role is not Role.LEARNER:
                raise InvalidInput("exam_registration.learner_required", "请输入学生的完整学号", field="student_number")
            return learner_id
        return learner_id_by_number(self.store, number, learner_id)

    def register_resit(
        self,
        actor: Actor,
        course_id: uuid.UUID,
        exam_batch_id: uuid.UUID,
        *,
        learner_id: uuid.UUID | None = None,
        student_number: str | None = None,
    ) -> ResitRegistered:
        """By the learner for themselves, or by a teaching point for its own learner (anyone
        else's is not found). The registration and its exam-fee bill are saved together."""
        role = actor.require(*SELECTORS)
        learner = learner_for(self.store, actor, role, self._learner_id(role, learner_id, student_number))
        course = load(self.store, course_id, Course, "课程")
        batch = load(self.store, exam_batch_id, ExamBatch, "考试批次")
        enrollment = self.store.find(Enrollment.create_id(learner.id, course.id))
        studied = isinstance(enrollment, Enrollment)
        registration_id = ExamRegistration.create_id(learner.id, course.id, batch.id)
        found = self.store.find(registration_id)
        previous = found if isinstance(found, ExamRegistration) else None
        now = self.clock.now()
        with recording(actor, role):
            check_resit(ResitFacts(
                course_name=course.name,
                learner_may_study=learner.may_study,
                includes_final_exam=course.includes_final_exam,
                course_paid=studied and enrollment.enrollment_status is EnrollmentStatus.PAID,
                drop_requested=studied and enrollment.drop_request_id is not None,
            ))
            batch.check_registration_open(course.id, course.name, now)
            check_sitting_free(previous, course.name, batch.name)
            # The exam fee of the course's level; of two levels, the lower (requirements/curriculum.md §4.2).
            exam_fee = cast(Money, course_fees(
                course.name, course.credit_tenths, course.levels, True, fee_standards(self.store)
            ).exam_fee)
            if previous is not None:
                registration = previous
                registration.register_again(None, now)
            else:
                registration = ExamRegistration.register_resit(learner.id, course.id, batch.id, learner.teaching_point_id, now)
            bill = Bill.issue(
                learner.id, learner.teaching_point_id, course.id, FeeType.EXAM_FEE, exam_fee, now,
                exam_registration_id=registration.id,
            )
            index = record_index(self.store, RESITS, resit_key(learner.id, course.id))
            index.add(registration.id, bill.id)
        self.store.save(registration, bill, index)
        return ResitRegistered(registration.id, bill.id)

    def _unpaid_resit_bills(self, registration: ExamRegistration) -> list[Bill]:
        """The resit's own exam-fee bills not yet paid (a selection's bills carry its enrollment)."""
        found = indexed(self.store, RESITS, resit_key(registration.learner_id, registration.course_id))
        return [
            b for b in found.values()
            if isinstance(b, Bill) and b.exam_registration_id == registration.id and b.enrollment_id is None
            and b.bill_status in (BillStatus.AWAITING_PAYMENT, BillStatus.REMITTANCE_IN_TRANSIT)
        ]

    def withdraw_resit(self, actor: Actor, registration_id: uuid.UUID, reason: str | None = None) -> ResitWithdrawn:
        """撤销补考: an unpaid resit is cancelled and its bill voided; a paid resit is refused, and
        so is one whose remittance is in transit (the money may yet arrive)."""
        role = actor.require(*SELECTORS)
        registration = load(self.store, registration_id, ExamRegistration, "报考记录")
        check_own(actor, role, registration.learner_id, registration.teaching_point_id, "报考记录")
        unpaid = self._unpaid_resit_bills(registration)
        now = self.clock.now()
        with recording(actor, role, note(reason)):
            registration.cancel("withdrawn", now)
            voided = void_unpaid(unpaid, "撤销补考报考", now)
        self.store.save(registration, *voided)
        return ResitWithdrawn(registration.id, [b.id for b in voided])
