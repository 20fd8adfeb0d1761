"""Resits (补考报考, requirements/exams.md §3): registered by the learner or the teaching point with their
own exam-fee bill, withdrawn before payment."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post
from sqlalchemy import Connection

from application.common.actor import Actor
from application.exams.queries import get_exam_registration
from application.finance.queries import bills_by_id, get_bill
from infrastructure.container import Container
from interfaces.http.api.common import out
from interfaces.http.api.exams.schemas import (
    ExamRegistrationOut,
    ResitIn,
    ResitOut,
    ResitWithdrawalOut,
    WithdrawalIn,
)


class ResitController(Controller):
    path = "/exam-registrations"
    tags = ["exams"]

    @post("/resits", sync_to_thread=True)
    def register(self, actor: Actor, services: Container, reader: Connection, data: ResitIn) -> ResitOut:
        """A resit for a course the learner studied (selection paid, assessment with a final
        exam), in an exam batch holding the course inside its registration period: the
        registration (pending) and its exam-fee bill (awaiting payment), saved together."""
        done = services.exams.register_resit(
            actor, data.course_id, data.exam_batch_id, learner_id=data.learner_id, student_number=data.student_number
        )
        return out({
            "registration": get_exam_registration(reader, actor, done.registration_id),
            "bill": get_bill(reader, actor, done.bill_id),
        }, ResitOut)

    @get("/{registration_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, reader: Connection, registration_id: uuid.UUID) -> ExamRegistrationOut:
        return out(get_exam_registration(reader, actor, registration_id), ExamRegistrationOut)

    @post("/{registration_id:uuid}/withdrawal", sync_to_thread=True, status_code=200)
    def withdraw(
        self, actor: Actor, services: Container, reader: Connection, registration_id: uuid.UUID,
        data: WithdrawalIn | None = None,
    ) -> ResitWithdrawalOut:
        """撤销补考: an unpaid resit is cancelled and its bill voided (409
        `exam_registration.paid_resit_not_cancellable` once paid)."""
        done = services.exams.withdraw_resit(actor, registration_id, data.reason if data else None)
        return out({
            "registration": get_exam_registration(reader, actor, done.registration_id),
            "voided_bills": bills_by_id(reader, actor, done.voided_bill_ids),
        }, ResitWithdrawalOut)
