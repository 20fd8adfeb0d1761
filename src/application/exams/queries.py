"""Read side of exam registrations: per exam batch, filterable as the seed's screens are."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.common.queries import Page, PageOf, paged
from application.curriculum.projection import courses, exam_batches
from application.curriculum.queries import shape
from application.enrolment.queries import STAFF_READERS, joined, roster, scoped
from application.exams.projection import exam_registrations
from application.learners.projection import learners
from domains.exams.registration import RegistrationKind, RegistrationStatus


def _registration(row: Any) -> dict[str, Any]:
    r = shape(row)
    r["status_label"] = RegistrationStatus(r["status"]).label
    r["kind_label"] = RegistrationKind(r["kind"]).label
    return r


def _query() -> Any:
    return joined(exam_registrations, exam_batches.c.name.label("exam_batch_name")).join(
        exam_batches, exam_batches.c.id == exam_registrations.c.exam_batch_id
    )


def list_exam_registrations(
    conn: Connection,
    actor: Actor,
    page: Page,
    filters: RosterFilter,
    *,
    exam_batch_id: uuid.UUID | None = None,
    course_id: uuid.UUID | None = None,
    learner_id: uuid.UUID | None = None,
    kind: str | None = None,
) -> PageOf:
    actor.require(*STAFF_READERS)
    query = roster(scoped(_query(), actor, exam_registrations), filters, exam_registrations)
    if exam_batch_id:
        query = query.where(exam_registrations.c.exam_batch_id == exam_batch_id)
    if course_id:
        query = query.where(exam_registrations.c.course_id == course_id)
    if learner_id:
        query = query.where(exam_registrations.c.learner_id == learner_id)
    if kind:
        query = query.where(exam_registrations.c.kind == kind)
    result = paged(conn, query, page, [learners.c.student_number, courses.c.code, exam_registrations.c.id])
    result.items = [_registration(r) for r in result.items]
    return result
