"""Read side of learners: the roster with the roster filters (requirements/common.md §2.1), ID
numbers masked in lists."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, select

from application.admissions.projection import programmes, study_batches
from application.admissions.queries import PROGRAMME_COLUMNS
from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.common.queries import Page, PageOf, in_scope, paged
from application.learners.projection import learners
from application.organisation.projection import teaching_points
from domains.learners.learner import LearnerStatus
from domains.shared.errors import InvalidInput, NotFound
from domains.shared.values import Role, mask_id_number, mask_phone


def roster_query() -> Any:
    return select(
        learners,
        *PROGRAMME_COLUMNS,
        teaching_points.c.name.label("teaching_point_name"),
        study_batches.c.name.label("study_batch_name"),
    ).select_from(
        learners.join(programmes, programmes.c.id == learners.c.programme_id)
        .join(teaching_points, teaching_points.c.id == learners.c.teaching_point_id)
        .join(study_batches, study_batches.c.id == learners.c.study_batch_id)
    )


def roster_row(row: dict[str, Any], masked: bool) -> dict[str, Any]:
    row["status_label"] = LearnerStatus(row["status"]).label
    if masked:
        row["id_number"] = mask_id_number(row["id_number"])
        row["mobile"] = mask_phone(row["mobile"])
    return row


def list_learners(conn: Connection, actor: Actor, page: Page, filters: RosterFilter) -> PageOf:
    actor.require(
        Role.TEACHING_POINT_ADMIN, Role.ACADEMIC_AFFAIRS, Role.FINANCE, Role.AUDITOR, Role.SYSTEM_ADMIN,
        Role.ACADEMIC_MENTOR, Role.HEAD_TEACHER,
    )
    query = roster_query()
    query = filters.apply(in_scope(query, actor, learners.c.teaching_point_id), learners)
    result = paged(conn, query, page, [learners.c.student_number])
    result.items = [roster_row(r, masked=True) for r in result.items]
    return result


def get_learner(conn: Connection, actor: Actor, learner_id: uuid.UUID) -> dict[str, Any]:
    row = conn.execute(roster_query().where(learners.c.id == learner_id)).mappings().first()
    own = actor.learner_id is not None and actor.learner_id == learner_id
    if row is None or not (own or (Role.LEARNER not in actor.roles and actor.can_see_teaching_point(row["teaching_point_id"]))):
        raise NotFound("not_found", "学生不存在或不属于您的教学点")
    return roster_row(dict(row), masked=False)


EXPORT_LIMIT = 100_000


def export_learners(conn: Connection, actor: Actor, filters: RosterFilter) -> Iterator[dict[str, Any]]:
    """Every learner the roster query finds (all pages), for a spreadsheet export. ID numbers and
    mobiles are masked unless the actor is school staff (教务、财务、系统管理员、审计), who need
    the full numbers for filing with CHSI; teaching-point staff get the list's masked numbers."""
    actor.require(
        Role.TEACHING_POINT_ADMIN, Role.ACADEMIC_AFFAIRS, Role.FINANCE, Role.AUDITOR, Role.SYSTEM_ADMIN,
        Role.ACADEMIC_MENTOR, Role.HEAD_TEACHER,
    )
    query = roster_query()
    query = (
        filters.apply(in_scope(query, actor, learners.c.teaching_point_id), learners)
        .order_by(learners.c.student_number)
        .limit(EXPORT_LIMIT)
    )
    masked = not actor.is_school_staff
    for row in conn.execute(query).mappings():
        yield roster_row(dict(row), masked=masked)


def learner_id_by_number(conn: Connection, student_number: str, learner_id: uuid.UUID | None = None) -> uuid.UUID:
    """The learner with exactly this student number (staff acting for a learner enter the full
    number); when a learner was also chosen, the number must be theirs."""
    found = conn.execute(select(learners.c.id).where(learners.c.student_number == student_number)).scalar_one_or_none()
    if found is None:
        raise NotFound("not_found", f"没有学号为{student_number}的学生，请输入完整的学号")
    if learner_id is not None and learner_id != found:
        raise InvalidInput("learner.number_mismatch", "学号与所选学生不一致", field="student_number")
    return found
