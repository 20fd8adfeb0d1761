"""Resits (补考报考, requirements/exams.md §3): registered by the learner or the teaching point with their
own exam-fee bill, withdrawn before payment. The list of exam registrations is with enrolment."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Controller, Request, get, post

from application.exams.queries import get_exam_registration
from application.finance.queries import bills_by_id, get_bill
from interfaces.http.api.common import out
from interfaces.http.api.enrolment_out import (
    ExamRegistrationOut,
    ResitOut,
    ResitWithdrawalOut,
)
from interfaces.http.context import api_actor, container_of


class ResitIn(msgspec.Struct):
    course_id: uuid.UUID
    exam_batch_id: uuid.UUID
    student_number: str | None = None  # the full student number, or
    learner_id: uuid.UUID | None = None  # the learner (a learner registering for themselves may leave both out)


class WithdrawalIn(msgspec.Struct):
    reason: str | None = None


class ResitController(Controller):
    path = "/exam-registrations"
    tags = ["exams"]

    @post("/resits", sync_to_thread=True)
    def register(self, request: Request[Any, Any, Any], data: ResitIn) -> ResitOut:
        """A resit for a course the learner studied (selection paid, assessment with a final
        exam), in an exam batch holding the course inside its registration period: the
        registration (pending) and its exam-fee bill (awaiting payment), saved together."""
        actor = api_actor(request)
        c = container_of(request)
        done = c.exams.register_resit(
            actor, data.course_id, data.exam_batch_id, learner_id=data.learner_id, student_number=data.student_number
        )
        with c.engine.connect() as conn:
            return out({
                "registration": get_exam_registration(conn, actor, done.registration_id),
                "bill": get_bill(conn, actor, done.bill_id),
            }, ResitOut)

    @get("/{registration_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], registration_id: uuid.UUID) -> ExamRegistrationOut:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return out(get_exam_registration(conn, actor, registration_id), ExamRegistrationOut)

    @post("/{registration_id:uuid}/withdrawal", sync_to_thread=True, status_code=200)
    def withdraw(self, request: Request[Any, Any, Any], registration_id: uuid.UUID, data: WithdrawalIn | None = None) -> ResitWithdrawalOut:
        """撤销补考: an unpaid resit is cancelled and its bill voided (409
        `exam_registration.paid_resit_not_cancellable` once paid)."""
        actor = api_actor(request)
        c = container_of(request)
        done = c.exams.withdraw_resit(actor, registration_id, data.reason if data else None)
        with c.engine.connect() as conn:
            return out({
                "registration": get_exam_registration(conn, actor, done.registration_id),
                "voided_bills": bills_by_id(conn, actor, done.voided_bill_ids),
            }, ResitWithdrawalOut)


EXAM_CONTROLLERS = [ResitController]
