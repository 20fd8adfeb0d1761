"""Read side of exam registrations: per exam batch, filterable by the roster filters
(requirements/common.md §2.1)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.common.queries import Page, PageOf, paged, split_list
from application.curriculum.projection import batch_courses, courses, exam_batches
from application.curriculum.queries import (
    QuotedStandard,
    last_day,
    shape,
    standards_for_quotes,
)
from application.enrolment.projection import enrollments
from application.enrolment.queries import STAFF_READERS, joined, roster, scoped, visible
from application.exams.projection import exam_registrations
from application.finance.projection import bills
from application.learners.projection import learners
from domains.curriculum.fees import course_fees
from domains.enrolment.enrollment import EnrollmentStatus
from domains.exams.registration import (
    ExamRegistration,
    RegistrationKind,
    RegistrationStatus,
)
from domains.finance.bill import BillStatus
from domains.finance.refund import RefundStatus
from domains.shared.errors import DomainError, NotFound


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


# -- resits (补考报考) ----------------------------------------------------------------------------


def exam_registrations_by_id(conn: Connection, actor: Actor, ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    if not ids:
        return []
    rows = conn.execute(_query().where(exam_registrations.c.id.in_(ids))).mappings()
    found = {r["id"]: _registration(r) for r in rows if visible(actor, r)}
    return [found[i] for i in ids if i in found]


def get_exam_registration(conn: Connection, actor: Actor, registration_id: uuid.UUID) -> dict[str, Any]:
    found = exam_registrations_by_id(conn, actor, [registration_id])
    if not found:
        raise NotFound("not_found", "报考记录不存在或不属于您的教学点")
    return found[0]



def resit_options(conn: Connection, actor: Actor, learner_id: uuid.UUID, now: datetime) -> list[dict[str, Any]]:
    """What 补考报考 offers a learner: each course the learner studied (selection paid) whose
    assessment has a final exam, in each exam batch holding it that is inside its registration
    period now; with the sitting's registration (if any), its resit bill still in force, and
    whether a drop of the course is under review (no resit then)."""
    query = (
        select(
            enrollments.c.course_id, enrollments.c.refund_status, courses.c.code.label("course_code"),
            courses.c.name.label("course_name"), courses.c.levels, exam_batches.c.id.label("exam_batch_id"),
            exam_batches.c.name.label("exam_batch_name"), exam_batches.c.registration_starts_at,
            exam_batches.c.registration_ends_at,
        )
        .select_from(
            enrollments.join(courses, courses.c.id == enrollments.c.course_id)
            .join(batch_courses, (batch_courses.c.course_id == enrollments.c.course_id) & (batch_courses.c.kind == "exam"))
            .join(exam_batches, exam_batches.c.id == batch_courses.c.batch_id)
        )
        .where(
            enrollments.c.learner_id == learner_id,
            enrollments.c.status == EnrollmentStatus.PAID.value,
            courses.c.includes_final_exam.is_(True),
            exam_batches.c.registration_starts_at <= now,
            exam_batches.c.registration_ends_at > now,
        )
        .order_by(exam_batches.c.registration_starts_at, exam_batches.c.name, courses.c.code)
    )
    rows = [shape(r) for r in conn.execute(scoped(query, actor, enrollments)).mappings()]
    wanted = {ExamRegistration.create_id(learner_id, r["course_id"], r["exam_batch_id"]): r for r in rows}
    registered = {r["id"]: r for r in exam_registrations_by_id(conn, actor, list(wanted))}
    resit_bills: dict[uuid.UUID, dict[str, Any]] = {}
    if registered:
        for bill in conn.execute(
            select(bills.c.id, bills.c.exam_registration_id, bills.c.amount_fen, bills.c.status)
            .where(bills.c.exam_registration_id.in_(list(registered)), bills.c.enrollment_id.is_(None),
                   bills.c.status != BillStatus.VOIDED.value)
            .order_by(bills.c.issued_at)
        ).mappings():
            resit_bills[bill["exam_registration_id"]] = {**bill, "status_label": BillStatus(bill["status"]).label}
    standards = standards_for_quotes(conn)
    for registration_id, row in wanted.items():
        row["exam_fee_fen"] = _exam_fee_quote(row["course_name"], split_list(row.pop("levels")), standards)
        row["drop_pending"] = bool(row["refund_status"]) and RefundStatus(row["refund_status"]).is_open
        row["registration_ends_on"] = last_day(row["registration_ends_at"])
        row["registration"] = registered.get(registration_id)
        row["bill"] = resit_bills.get(registration_id)
    return rows


def _exam_fee_quote(course_name: str, levels: list[str], standards: dict[str, QuotedStandard]) -> int | None:
    """The exam fee (fen) the resit is billed, by the domain's fee rule (of two levels the lower,
    requirements/curriculum.md §4.2); None while a level has no standard."""
    try:
        fees = course_fees(course_name, 0, levels, True, standards)  # type: ignore[arg-type]
    except DomainError:
        return None
    return fees.exam_fee.fen if fees.exam_fee is not None else None
