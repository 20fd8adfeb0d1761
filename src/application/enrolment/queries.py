"""Read side of course selection: learners' courses with study access, selectable courses.

Lists take the roster filters of requirements/common.md §2.1 (学习批次, 层次, 学生类型, 学生来源,
专业, 学制, 教学点, 学号, 姓名, status) plus their own (course, batch). A learner sees only their
own rows; teaching-point staff their point's; school staff everything.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, Table, select

from application.admissions.projection import programmes
from application.admissions.queries import PROGRAMME_COLUMNS
from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.common.queries import Page, PageOf, paged
from application.curriculum.projection import (
    batch_courses,
    courses,
    exam_batches,
    fee_standards,
    programme_courses,
    programme_curricula,
    selection_batches,
)
from application.curriculum.queries import aware, credits_label, shape
from application.enrolment.projection import enrollments
from application.learners.projection import learners
from application.organisation.projection import teaching_points
from domains.enrolment.enrollment import EnrollmentStatus
from domains.enrolment.policy import CourseOffer, Window, unmet_conditions
from domains.finance.refund import RefundStatus
from domains.shared.errors import NotFound
from domains.shared.values import Role

LEARNER_COLUMNS = [
    learners.c.student_number,
    learners.c.name.label("learner_name"),
    learners.c.study_batch_id,
]
COURSE_COLUMNS = [courses.c.code.label("course_code"), courses.c.name.label("course_name"), courses.c.credit_tenths]


def scoped(query: Select[Any], actor: Actor, table: Table) -> Select[Any]:
    """A learner's own rows; a teaching point's; or all for school staff. `table` has
    `learner_id` and `teaching_point_id`."""
    if not actor.is_staff:
        return query.where(table.c.learner_id == (actor.learner_id or uuid.UUID(int=0)))
    scope = actor.visible_teaching_point()
    return query if scope is None else query.where(table.c.teaching_point_id == scope)


def visible(actor: Actor, row: Any) -> bool:
    if not actor.is_staff:
        return actor.learner_id is not None and row["learner_id"] == actor.learner_id
    return actor.can_see_teaching_point(row["teaching_point_id"])


def roster(query: Select[Any], filters: RosterFilter, table: Table) -> Select[Any]:
    """The roster filters (requirements/common.md §2.1) on a learner-linked table joined with `rm_learners` and
    `rm_programmes`; status is the table's own."""
    if filters.study_batch_id:
        query = query.where(learners.c.study_batch_id == filters.study_batch_id)
    for element in ("level", "learner_type", "learner_source", "major", "length_of_schooling"):
        value = getattr(filters, element)
        if value:
            query = query.where(programmes.c[element] == value)
    if filters.teaching_point_id:
        query = query.where(table.c.teaching_point_id == filters.teaching_point_id)
    if filters.student_number:
        query = query.where(learners.c.student_number.startswith(filters.student_number))
    if filters.name:
        query = query.where(learners.c.name.contains(filters.name))
    if filters.status:
        query = query.where(table.c.status == filters.status)
    return query


def joined(table: Table, *columns: Any) -> Select[Any]:
    """`table` with its learner, programme, teaching point and course."""
    return select(
        table,
        *LEARNER_COLUMNS,
        *PROGRAMME_COLUMNS,
        teaching_points.c.name.label("teaching_point_name"),
        *COURSE_COLUMNS,
        *columns,
    ).select_from(
        table.join(learners, learners.c.id == table.c.learner_id)
        .join(programmes, programmes.c.id == learners.c.programme_id)
        .join(teaching_points, teaching_points.c.id == table.c.teaching_point_id)
        .join(courses, courses.c.id == table.c.course_id)
    )


def _enrollment(row: Any) -> dict[str, Any]:
    r = shape(row)
    r["status_label"] = EnrollmentStatus(r["status"]).label
    r["refund_status_label"] = RefundStatus(r["refund_status"]).label if r["refund_status"] else None
    r["credits"] = credits_label(r["credit_tenths"])
    dropped = r["status"] == EnrollmentStatus.DROPPED.value
    r["counts_for_graduation_label"] = "是" if r["counts_for_graduation"] else "否（已退课）" if dropped else "否（仅保留成绩）"
    return r


def _enrollment_query() -> Select[Any]:
    return joined(enrollments, selection_batches.c.name.label("selection_batch_name")).join(
        selection_batches, selection_batches.c.id == enrollments.c.selection_batch_id
    )


STAFF_READERS = (
    Role.TEACHING_POINT_ADMIN, Role.ACADEMIC_AFFAIRS, Role.FINANCE, Role.AUDITOR, Role.SYSTEM_ADMIN,
    Role.ACADEMIC_MENTOR, Role.HEAD_TEACHER, Role.LEARNER,
)


def list_enrollments(
    conn: Connection,
    actor: Actor,
    page: Page,
    filters: RosterFilter,
    *,
    learner_id: uuid.UUID | None = None,
    course_id: uuid.UUID | None = None,
    selection_batch_id: uuid.UUID | None = None,
    may_study: bool | None = None,
) -> PageOf:
    actor.require(*STAFF_READERS)
    query = roster(scoped(_enrollment_query(), actor, enrollments), filters, enrollments)
    if learner_id:
        query = query.where(enrollments.c.learner_id == learner_id)
    if course_id:
        query = query.where(enrollments.c.course_id == course_id)
    if selection_batch_id:
        query = query.where(enrollments.c.selection_batch_id == selection_batch_id)
    if may_study is not None:
        query = query.where(enrollments.c.may_study == may_study)
    result = paged(conn, query, page, [learners.c.student_number, courses.c.code, enrollments.c.id])
    result.items = [_enrollment(r) for r in result.items]
    return result


def get_enrollment(conn: Connection, actor: Actor, enrollment_id: uuid.UUID) -> dict[str, Any]:
    row = conn.execute(_enrollment_query().where(enrollments.c.id == enrollment_id)).mappings().first()
    if row is None or not visible(actor, row):
        raise NotFound("not_found", "选课记录不存在或不属于您的教学点")
    return _enrollment(row)


def enrollments_by_id(conn: Connection, actor: Actor, ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    rows = conn.execute(_enrollment_query().where(enrollments.c.id.in_(ids))).mappings()
    found = {r["id"]: _enrollment(r) for r in rows if visible(actor, r)}
    return [found[i] for i in ids if i in found]


def _learner_row(conn: Connection, actor: Actor, learner_id: uuid.UUID) -> dict[str, Any]:
    row = conn.execute(select(learners).where(learners.c.id == learner_id)).mappings().first()
    if row is None or not visible(actor, {"learner_id": row["id"], "teaching_point_id": row["teaching_point_id"]}):
        raise NotFound("not_found", "学生不存在或不属于您的教学点")
    return dict(row)


def learner_courses(conn: Connection, actor: Actor, learner_id: uuid.UUID) -> list[dict[str, Any]]:
    """Every course the learner selected (dropped ones included), with study access."""
    _learner_row(conn, actor, learner_id)
    rows = conn.execute(
        _enrollment_query().where(enrollments.c.learner_id == learner_id).order_by(courses.c.code)
    ).mappings()
    return [_enrollment(r) for r in rows]


def selectable_courses(conn: Connection, actor: Actor, learner_id: uuid.UUID, now: datetime) -> list[dict[str, Any]]:
    """The learner's programme courses, each with the six preconditions checked on the read
    models by the domain's own policy, and whether the learner already holds it. What the
    screen shows before the learner (or teaching point) selects; the selection itself checks
    the aggregates again."""
    learner = _learner_row(conn, actor, learner_id)
    rows = conn.execute(
        select(courses, programme_courses.c.suggested_semester)
        .select_from(
            programme_curricula.join(programme_courses, programme_courses.c.curriculum_id == programme_curricula.c.id)
            .join(courses, courses.c.id == programme_courses.c.course_id)
        )
        .where(programme_curricula.c.programme_id == learner["programme_id"])
        .order_by(programme_courses.c.suggested_semester, courses.c.code)
    ).mappings().all()
    ids = [r["id"] for r in rows]
    windows: dict[uuid.UUID, dict[str, list[Window]]] = {i: {"selection": [], "exam": []} for i in ids}
    for r in conn.execute(
        select(batch_courses.c.course_id, selection_batches)
        .join(selection_batches, selection_batches.c.id == batch_courses.c.batch_id)
        .where(batch_courses.c.course_id.in_(ids))
    ).mappings():
        windows[r["course_id"]]["selection"].append(
            Window(r["id"], r["name"], aware(r["selection_starts_at"]), aware(r["selection_ends_at"]))
        )
    for r in conn.execute(
        select(batch_courses.c.course_id, exam_batches)
        .join(exam_batches, exam_batches.c.id == batch_courses.c.batch_id)
        .where(batch_courses.c.course_id.in_(ids))
    ).mappings():
        windows[r["course_id"]]["exam"].append(
            Window(r["id"], r["name"], aware(r["registration_starts_at"]), aware(r["registration_ends_at"]))
        )
    standards = frozenset(conn.execute(select(fee_standards.c.level)).scalars())
    held = {
        r["course_id"]: r["status"]
        for r in conn.execute(
            select(enrollments.c.course_id, enrollments.c.status).where(enrollments.c.learner_id == learner_id)
        ).mappings()
    }
    out = []
    for r in rows:
        offer = CourseOffer(
            course_id=r["id"],
            course_name=r["name"],
            published=r["status"] == "published",
            version_in_use=r["version_in_use"],
            assessment_approved=r["assessment_approved"],
            includes_final_exam=r["includes_final_exam"],
            course_levels=tuple(lv for lv in r["levels"].split(",") if lv),
            fee_standard_levels=standards,
            selection_windows=tuple(windows[r["id"]]["selection"]),
            exam_registration_windows=tuple(windows[r["id"]]["exam"]),
        )
        unmet = [{"condition": u.number, "code": u.code, "message": u.message} for u in unmet_conditions(offer, now)]
        status = held.get(r["id"])
        selected = status is not None and EnrollmentStatus(status).holds_course
        out.append(
            {
                "course_id": r["id"],
                "course_code": r["code"],
                "course_name": r["name"],
                "credits": credits_label(r["credit_tenths"]),
                "suggested_semester": r["suggested_semester"],
                "includes_final_exam": r["includes_final_exam"],
                "already_selected": selected,
                "selectable": not unmet and not selected,
                "unmet": unmet,
            }
        )
    return out
