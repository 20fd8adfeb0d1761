"""Read side of teaching support: learners with their academic mentor or default exam site (the
"未分配学务导师" filter finds learners without one, including those whose assignment was made
by another teaching point before a transfer), the teaching point's mentors, and course classes
with their members and the learners still to be grouped.

Teaching-point staff see their own teaching point; school staff and auditors see all.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, Table, and_, func, or_, select

from application.admissions.projection import programmes, study_batches
from application.admissions.queries import PROGRAMME_COLUMNS
from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.common.queries import Page, PageOf, in_scope, paged
from application.curriculum.projection import courses
from application.curriculum.queries import aware, shape
from application.enrolment.projection import enrollments
from application.identity.projection import accounts
from application.learners.projection import learners
from application.organisation.projection import teaching_points
from application.teaching.projection import (
    course_class_members,
    course_classes,
    exam_site_assignments,
    mentor_assignments,
)
from domains.enrolment.enrollment import EnrollmentStatus
from domains.learners.learner import LearnerStatus
from domains.shared.errors import InvalidInput, NotFound
from domains.shared.values import Role, mask_phone

READERS = (
    Role.TEACHING_POINT_ADMIN, Role.ACADEMIC_AFFAIRS, Role.FINANCE, Role.AUDITOR, Role.SYSTEM_ADMIN,
    Role.ACADEMIC_MENTOR, Role.HEAD_TEACHER,
)
ASSIGNED, UNASSIGNED = "assigned", "unassigned"
EXPORT_LIMIT = 100_000

mentors = accounts.alias("mentor")
tutors = accounts.alias("tutor")

LEARNER_COLUMNS = [
    learners.c.id.label("learner_id"),
    learners.c.student_number,
    learners.c.name,
    learners.c.gender,
    learners.c.status,
    learners.c.teaching_point_id,
    learners.c.study_batch_id,
    learners.c.programme_id,
    *PROGRAMME_COLUMNS,
    teaching_points.c.name.label("teaching_point_name"),
    study_batches.c.name.label("study_batch_name"),
]


def _roster(*columns: Any, join: Any = None) -> Select[Any]:
    base = (
        learners.join(programmes, programmes.c.id == learners.c.programme_id)
        .join(teaching_points, teaching_points.c.id == learners.c.teaching_point_id)
        .join(study_batches, study_batches.c.id == learners.c.study_batch_id)
    )
    return select(*LEARNER_COLUMNS, *columns).select_from(join(base) if join else base)


def _scoped(query: Select[Any], actor: Actor, filters: RosterFilter) -> Select[Any]:
    actor.require(*READERS)
    return filters.apply(in_scope(query, actor, learners.c.teaching_point_id), learners)


def _learner_row(row: Any) -> dict[str, Any]:
    r = shape(row)
    r["status_label"] = LearnerStatus(r["status"]).label
    return r


def _state(query: Select[Any], table: Table, assignment: str | None) -> Select[Any]:
    """assigned: an assignment made for the learner's present teaching point; unassigned: none,
    or one another teaching point made before a transfer."""
    valid = and_(table.c.learner_id.is_not(None), table.c.teaching_point_id == learners.c.teaching_point_id)
    if assignment == ASSIGNED:
        return query.where(valid)
    if assignment == UNASSIGNED:
        return query.where(or_(table.c.learner_id.is_(None), table.c.teaching_point_id != learners.c.teaching_point_id))
    if assignment:
        raise InvalidInput("filter.invalid", "分配状态须为 assigned（已分配）或 unassigned（未分配）", field="assignment")
    return query


def _assignment(row: Any, table_prefix: str, fields: tuple[str, ...]) -> dict[str, Any]:
    """The learner's assignment if it was made for the learner's present teaching point; one
    made by another teaching point (before a transfer) is shown as needing a new one."""
    r = _learner_row(row)
    assigned_for = r.pop(f"{table_prefix}_teaching_point_id")
    transferred = assigned_for is not None and assigned_for != r["teaching_point_id"]
    valid = assigned_for is not None and not transferred
    if not valid:
        for f in fields:
            r[f] = None
    r[f"needs_{table_prefix}"] = not valid
    r[f"{table_prefix}_state_label"] = "已分配" if valid else ("转教学点后需重新分配" if transferred else "未分配")
    return r


# -- 学务导师分配 ------------------------------------------------------------------------------

MENTOR_FIELDS = ("mentor_id", "mentor_username", "mentor_name", "mentor_mobile", "mentor_status", "mentor_assigned_at")


def _mentor_query() -> Select[Any]:
    return _roster(
        mentor_assignments.c.teaching_point_id.label("mentor_teaching_point_id"),
        mentor_assignments.c.mentor_id,
        mentor_assignments.c.assigned_at.label("mentor_assigned_at"),
        mentors.c.username.label("mentor_username"),
        mentors.c.name.label("mentor_name"),
        mentors.c.mobile.label("mentor_mobile"),
        mentors.c.status.label("mentor_status"),
        join=lambda base: base.outerjoin(mentor_assignments, mentor_assignments.c.learner_id == learners.c.id)
        .outerjoin(mentors, mentors.c.id == mentor_assignments.c.mentor_id),
    )


def _mentor_row(row: Any) -> dict[str, Any]:
    r = _assignment(row, "mentor", MENTOR_FIELDS)
    if r["mentor_mobile"]:
        r["mentor_mobile"] = mask_phone(r["mentor_mobile"])
    return r


def _mentor_filtered(actor: Actor, filters: RosterFilter, assignment: str | None, mentor_id: uuid.UUID | None) -> Select[Any]:
    query = _state(_scoped(_mentor_query(), actor, filters), mentor_assignments, assignment)
    if mentor_id:
        query = query.where(
            mentor_assignments.c.mentor_id == mentor_id,
            mentor_assignments.c.teaching_point_id == learners.c.teaching_point_id,
        )
    return query


def list_mentor_assignments(
    conn: Connection, actor: Actor, page: Page, filters: RosterFilter, *, assignment: str | None = None,
    mentor_id: uuid.UUID | None = None,
) -> PageOf:
    """Learners with their academic mentor; `assignment="unassigned"` is 未分配学务导师."""
    result = paged(conn, _mentor_filtered(actor, filters, assignment, mentor_id), page, [learners.c.student_number])
    result.items = [_mentor_row(r) for r in result.items]
    return result


def export_mentor_assignments(
    conn: Connection, actor: Actor, filters: RosterFilter, *, assignment: str | None = None, mentor_id: uuid.UUID | None = None
) -> list[dict[str, Any]]:
    query = _mentor_filtered(actor, filters, assignment, mentor_id).order_by(learners.c.student_number).limit(EXPORT_LIMIT)
    return [_mentor_row(r) for r in conn.execute(query).mappings()]


def _one(conn: Connection, actor: Actor, query: Select[Any], learner_id: uuid.UUID) -> Any:
    actor.require(*READERS)
    row = conn.execute(query.where(learners.c.id == learner_id)).mappings().first()
    if row is None or not actor.can_see_teaching_point(row["teaching_point_id"]):
        raise NotFound("not_found", "学生不存在或不属于您的教学点")
    return row


def get_mentor_assignment(conn: Connection, actor: Actor, learner_id: uuid.UUID) -> dict[str, Any]:
    return _mentor_row(_one(conn, actor, _mentor_query(), learner_id))


def list_mentors(conn: Connection, actor: Actor, teaching_point_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    """A teaching point's academic mentors as the assignment screen lists them: 用户名, 姓名, 性别,
    手机号码 (masked), status and 分配状态 (已用 once a learner of theirs is assigned)."""
    actor.require(*READERS)
    scope = actor.visible_teaching_point()
    where = scope if scope is not None else teaching_point_id
    valid = and_(
        mentor_assignments.c.mentor_id == accounts.c.id,
        mentor_assignments.c.learner_id == learners.c.id,
        mentor_assignments.c.teaching_point_id == learners.c.teaching_point_id,
    )
    counted = select(func.count()).select_from(
        mentor_assignments.join(learners, learners.c.id == mentor_assignments.c.learner_id)
    )
    query = (
        select(
            accounts.c.id, accounts.c.username, accounts.c.name, accounts.c.gender, accounts.c.mobile, accounts.c.status,
            accounts.c.teaching_point_id, teaching_points.c.name.label("teaching_point_name"),
            counted.where(valid).scalar_subquery().label("learner_count"),
        )
        .select_from(accounts.join(teaching_points, teaching_points.c.id == accounts.c.teaching_point_id))
        .where(accounts.c.roles.contains(Role.ACADEMIC_MENTOR.value), accounts.c.status != "deleted")
        .order_by(accounts.c.username)
    )
    if where is not None:
        query = query.where(accounts.c.teaching_point_id == where)
    out = []
    for row in conn.execute(query).mappings():
        r = dict(row)
        r["mobile"] = mask_phone(r["mobile"])
        r["status_label"] = {"enabled": "启用", "disabled": "停用"}.get(r["status"], r["status"])
        r["assignment_label"] = "已用" if r["learner_count"] else "未用"
        out.append(r)
    return out


# -- 为学生分配考点 ------------------------------------------------------------------------------

SITE_FIELDS = ("site_code", "site_name", "site_assigned_at")


def _site_query() -> Select[Any]:
    return _roster(
        exam_site_assignments.c.teaching_point_id.label("site_teaching_point_id"),
        exam_site_assignments.c.site_code,
        exam_site_assignments.c.site_name,
        exam_site_assignments.c.assigned_at.label("site_assigned_at"),
        join=lambda base: base.outerjoin(exam_site_assignments, exam_site_assignments.c.learner_id == learners.c.id),
    )


def _site_row(row: Any) -> dict[str, Any]:
    return _assignment(row, "site", SITE_FIELDS)


def _site_filtered(actor: Actor, filters: RosterFilter, assignment: str | None, site_code: str | None) -> Select[Any]:
    query = _state(_scoped(_site_query(), actor, filters), exam_site_assignments, assignment)
    if site_code:
        query = query.where(
            exam_site_assignments.c.site_code == site_code.strip(),
            exam_site_assignments.c.teaching_point_id == learners.c.teaching_point_id,
        )
    return query


def list_exam_site_assignments(
    conn: Connection, actor: Actor, page: Page, filters: RosterFilter, *, assignment: str | None = None,
    site_code: str | None = None,
) -> PageOf:
    """Learners with their default exam site (常用考点); `assignment="unassigned"` finds those without."""
    result = paged(conn, _site_filtered(actor, filters, assignment, site_code), page, [learners.c.student_number])
    result.items = [_site_row(r) for r in result.items]
    return result


def export_exam_site_assignments(
    conn: Connection, actor: Actor, filters: RosterFilter, *, assignment: str | None = None, site_code: str | None = None
) -> list[dict[str, Any]]:
    query = _site_filtered(actor, filters, assignment, site_code).order_by(learners.c.student_number).limit(EXPORT_LIMIT)
    return [_site_row(r) for r in conn.execute(query).mappings()]


def get_exam_site_assignment(conn: Connection, actor: Actor, learner_id: uuid.UUID) -> dict[str, Any]:
    return _site_row(_one(conn, actor, _site_query(), learner_id))


# -- 班级管理 -----------------------------------------------------------------------------------

_members = (
    select(course_class_members.c.class_id, func.count().label("member_count"))
    .group_by(course_class_members.c.class_id)
    .subquery()
)


def _class_query() -> Select[Any]:
    return select(
        course_classes,
        courses.c.code.label("course_code"),
        courses.c.name.label("course_name"),
        teaching_points.c.name.label("teaching_point_name"),
        tutors.c.name.label("tutor_name"),
        tutors.c.username.label("tutor_username"),
        func.coalesce(_members.c.member_count, 0).label("member_count"),
    ).select_from(
        course_classes.join(courses, courses.c.id == course_classes.c.course_id)
        .join(teaching_points, teaching_points.c.id == course_classes.c.teaching_point_id)
        .outerjoin(tutors, tutors.c.id == course_classes.c.tutor_id)
        .outerjoin(_members, _members.c.class_id == course_classes.c.id)
    )


def _class_row(row: Any, now: datetime) -> dict[str, Any]:
    r = shape(row)
    r["grouping_open"] = now <= aware(r["grouping_deadline"])
    r["grouping_label"] = "分班中" if r["grouping_open"] else "已截止"
    return r


def list_course_classes(
    conn: Connection, actor: Actor, page: Page, now: datetime, *, course_id: uuid.UUID | None = None,
    name: str | None = None, teaching_point_id: uuid.UUID | None = None,
) -> PageOf:
    """功能首页: the existing classes matching the query."""
    actor.require(*READERS)
    query = _class_query()
    query = in_scope(query, actor, course_classes.c.teaching_point_id, teaching_point_id)
    if course_id:
        query = query.where(course_classes.c.course_id == course_id)
    if name:
        query = query.where(course_classes.c.name.contains(name.strip()))
    result = paged(conn, query, page, [courses.c.code, course_classes.c.name, course_classes.c.id])
    result.items = [_class_row(r, now) for r in result.items]
    return result


def get_course_class(conn: Connection, actor: Actor, class_id: uuid.UUID, now: datetime) -> dict[str, Any]:
    actor.require(*READERS)
    row = conn.execute(_class_query().where(course_classes.c.id == class_id)).mappings().first()
    if row is None or not actor.can_see_teaching_point(row["teaching_point_id"]):
        raise NotFound("not_found", "班级不存在或不属于您的教学点")
    return _class_row(row, now)


def class_members(conn: Connection, actor: Actor, class_id: uuid.UUID, page: Page, filters: RosterFilter) -> PageOf:
    """已选学生列表: the class's learners, with the roster filters. (A member keeps their place
    after a transfer, so members are not limited to the viewer's teaching point: the class is.)"""
    course_class = _visible_class(conn, actor, class_id)
    query = _roster(
        course_class_members.c.joined_at,
        join=lambda base: base.join(course_class_members, course_class_members.c.learner_id == learners.c.id),
    ).where(course_class_members.c.class_id == course_class["id"])
    result = paged(conn, filters.apply(query, learners), page, [learners.c.student_number])
    result.items = [_learner_row(r) for r in result.items]
    return result


def _visible_class(conn: Connection, actor: Actor, class_id: uuid.UUID) -> Any:
    actor.require(*READERS)
    row = conn.execute(select(course_classes).where(course_classes.c.id == class_id)).mappings().first()
    if row is None or not actor.can_see_teaching_point(row["teaching_point_id"]):
        raise NotFound("not_found", "班级不存在或不属于您的教学点")
    return row


def class_candidates(conn: Connection, actor: Actor, class_id: uuid.UUID, page: Page, filters: RosterFilter) -> PageOf:
    """未选学生列表: learners of the class's teaching point whose selection of its course
    succeeded (paid) and who are in no class of that course yet."""
    course_class = _visible_class(conn, actor, class_id)
    placed = select(course_class_members.c.learner_id).where(course_class_members.c.course_id == course_class["course_id"])
    query = _roster(
        enrollments.c.paid_at,
        join=lambda base: base.join(
            enrollments,
            and_(enrollments.c.learner_id == learners.c.id, enrollments.c.course_id == course_class["course_id"]),
        ),
    ).where(
        enrollments.c.status == EnrollmentStatus.PAID.value,
        learners.c.teaching_point_id == course_class["teaching_point_id"],
        learners.c.status == LearnerStatus.ENROLLED.value,
        learners.c.id.not_in(placed),
    )
    result = paged(conn, filters.apply(query, learners), page, [learners.c.student_number])
    result.items = [_learner_row(r) for r in result.items]
    return result
