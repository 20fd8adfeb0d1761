"""Read model of exam registrations (报考): per exam batch, their status and kind."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, String, Table, Uuid, update

from application.common.instant import Instant
from application.common.projection import Projection, handles, read_models
from application.curriculum.projection import utc
from domains.exams.registration import ExamRegistration, RegistrationStatus

exam_registrations = Table(
    "rm_exam_registrations",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("learner_id", Uuid, nullable=False, index=True),
    Column("course_id", Uuid, nullable=False),
    Column("exam_batch_id", Uuid, nullable=False, index=True),
    Column("teaching_point_id", Uuid, nullable=False, index=True),
    Column("kind", String(10), nullable=False),
    Column("status", String(20), nullable=False),
    Column("enrollment_id", Uuid),
    Column("cancel_reason", String(20)),
    Column("registered_at", Instant(), nullable=False),
    Column("confirmed_at", Instant()),
    Column("cancelled_at", Instant()),
    Column("updated_at", Instant(), nullable=False),
)


class ExamsProjection(Projection):
    name = "exams"
    tables = (exam_registrations,)

    def _set(self, conn: Any, e: Any, **values: Any) -> None:
        conn.execute(
            update(exam_registrations)
            .where(exam_registrations.c.id == e.originator_id)
            .values(updated_at=utc(e.timestamp), **values)
        )

    @handles(ExamRegistration.Registered)
    def _registered(self, conn: Any, e: Any) -> None:
        conn.insert(exam_registrations, dict(
            id=e.originator_id,
            learner_id=e.learner_id,
            course_id=e.course_id,
            exam_batch_id=e.exam_batch_id,
            teaching_point_id=e.teaching_point_id,
            kind=e.kind,
            status=RegistrationStatus.PENDING.value,
            enrollment_id=e.enrollment_id,
            registered_at=utc(e.registered_at),
            updated_at=utc(e.timestamp),
        ))

    @handles(ExamRegistration.Confirmed)
    def _confirmed(self, conn: Any, e: Any) -> None:
        self._set(conn, e, status=RegistrationStatus.CONFIRMED.value, confirmed_at=utc(e.confirmed_at))

    @handles(ExamRegistration.Cancelled)
    def _cancelled(self, conn: Any, e: Any) -> None:
        self._set(conn, e, status=RegistrationStatus.CANCELLED.value, cancelled_at=utc(e.cancelled_at), cancel_reason=e.reason)

    @handles(ExamRegistration.RegisteredAgain)
    def _again(self, conn: Any, e: Any) -> None:
        self._set(
            conn, e, status=RegistrationStatus.PENDING.value, enrollment_id=e.enrollment_id,
            kind=getattr(e, "kind", None) or exam_registrations.c.kind,
            registered_at=utc(e.registered_at), confirmed_at=None, cancelled_at=None, cancel_reason=None,
        )
