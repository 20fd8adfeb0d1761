"""Read side of the curriculum: the course catalogue, programme course lists, batches, fees."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, select

from application.common.actor import Actor
from application.common.queries import Page, PageOf, paged
from application.curriculum.projection import (
    batch_courses,
    course_versions,
    courses,
    exam_batches,
    fee_standards,
    programme_courses,
    programme_curricula,
    selection_batches,
)
from domains.curriculum.course import AssessmentStatus, CourseStatus
from domains.curriculum.levels import EducationLevel
from domains.shared.errors import Forbidden, NotFound
from domains.shared.money import Money
from domains.shared.values import Role

SHANGHAI = ZoneInfo("Asia/Shanghai")


def aware(value: Any) -> Any:
    """SQLite gives stored UTC times back without their zone; every time leaves as UTC-aware."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def shape(row: Any) -> dict[str, Any]:
    return {k: aware(v) for k, v in dict(row).items()}


def last_day(ends_at: datetime) -> str:
    """A half-open period's last day as people name it (a period of whole days ends at 00:00)."""
    local = aware(ends_at).astimezone(SHANGHAI)
    return str((local - timedelta(days=1)).date() if local.time() == time() else local.date())


def first_day(starts_at: datetime) -> str:
    return str(aware(starts_at).astimezone(SHANGHAI).date())


def credits_label(tenths: int) -> str:
    whole, tenth = divmod(tenths, 10)
    return f"{whole}.{tenth}" if tenth else str(whole)


def require_staff(actor: Actor) -> None:
    if not actor.is_staff:
        raise Forbidden("auth.role_not_allowed", "学生无权查看该信息")


def require_academic_reader(actor: Actor) -> None:
    """Staff and learners read the academic calendar; the training platform's people read only
    their own platform."""
    if not (actor.is_staff or actor.has(Role.LEARNER)):
        raise Forbidden("auth.role_not_allowed", "您的角色无权查看教务信息")


# -- courses ---------------------------------------------------------------------------------


def _course(row: Any) -> dict[str, Any]:
    r = shape(row)
    r["levels"] = [lv for lv in r["levels"].split(",") if lv]
    r["level_labels"] = [EducationLevel(lv).label for lv in r["levels"]]
    r["credits"] = credits_label(r["credit_tenths"])
    r["status_label"] = CourseStatus(r["status"]).label
    r["assessment_status_label"] = AssessmentStatus(r["assessment_status"]).label if r["assessment_status"] else None
    return r


def list_courses(
    conn: Connection,
    actor: Actor,
    page: Page,
    *,
    code: str | None = None,
    name: str | None = None,
    status: str | None = None,
    level: str | None = None,
) -> PageOf:
    require_staff(actor)
    query = select(courses)
    if code:
        query = query.where(courses.c.code.startswith(code.strip()))
    if name:
        query = query.where(courses.c.name.contains(name.strip()))
    if status:
        query = query.where(courses.c.status == status)
    if level:
        query = query.where(courses.c.levels.contains(level.strip()))
    result = paged(conn, query, page, [courses.c.code])
    result.items = [_course(r) for r in result.items]
    return result


def get_course(conn: Connection, actor: Actor, course_id: uuid.UUID) -> dict[str, Any]:
    require_staff(actor)
    row = conn.execute(select(courses).where(courses.c.id == course_id)).mappings().first()
    if row is None:
        raise NotFound("not_found", "课程不存在")
    course = _course(row)
    course["versions"] = list(
        conn.execute(
            select(course_versions.c.version)
            .where(course_versions.c.course_id == course_id)
            .order_by(course_versions.c.added_at, course_versions.c.version)
        ).scalars()
    )
    held = conn.execute(select(batch_courses).where(batch_courses.c.course_id == course_id)).mappings().all()
    course["selection_batch_ids"] = sorted((r["batch_id"] for r in held if r["kind"] == "selection"), key=str)
    course["exam_batch_ids"] = sorted((r["batch_id"] for r in held if r["kind"] == "exam"), key=str)
    return course


# -- programme course lists ------------------------------------------------------------------


def list_programme_courses(
    conn: Connection, actor: Actor, programme_id: uuid.UUID, suggested_semester: int | None = None
) -> list[dict[str, Any]]:
    require_staff(actor)
    query = (
        select(courses, programme_courses.c.suggested_semester)
        .select_from(
            programme_curricula.join(programme_courses, programme_courses.c.curriculum_id == programme_curricula.c.id)
            .join(courses, courses.c.id == programme_courses.c.course_id)
        )
        .where(programme_curricula.c.programme_id == programme_id)
    )
    if suggested_semester is not None:
        query = query.where(programme_courses.c.suggested_semester == suggested_semester)
    rows = conn.execute(query.order_by(programme_courses.c.suggested_semester, courses.c.code)).mappings()
    return [_course(r) for r in rows]


# -- batches -----------------------------------------------------------------------------------


def _course_counts(conn: Connection, kind: str) -> dict[uuid.UUID, int]:
    rows = conn.execute(
        select(batch_courses.c.batch_id, func.count()).where(batch_courses.c.kind == kind).group_by(batch_courses.c.batch_id)
    ).tuples()
    return dict(rows.all())


def _selection_batch(row: Any, now: datetime | None = None) -> dict[str, Any]:
    r = shape(row)
    r["selection_starts_on"], r["selection_ends_on"] = first_day(r["selection_starts_at"]), last_day(r["selection_ends_at"])
    r["drop_starts_on"], r["drop_ends_on"] = first_day(r["drop_starts_at"]), last_day(r["drop_ends_at"])
    if now is not None:
        r["selection_open"] = r["selection_starts_at"] <= now < r["selection_ends_at"]
        r["drop_open"] = r["drop_starts_at"] <= now < r["drop_ends_at"]
    return r


def _exam_batch(row: Any, now: datetime | None = None) -> dict[str, Any]:
    r = shape(row)
    r["registration_starts_on"] = first_day(r["registration_starts_at"])
    r["registration_ends_on"] = last_day(r["registration_ends_at"])
    if now is not None:
        r["registration_open"] = r["registration_starts_at"] <= now < r["registration_ends_at"]
    return r


def list_selection_batches(conn: Connection, actor: Actor, now: datetime) -> list[dict[str, Any]]:
    require_academic_reader(actor)
    counts = _course_counts(conn, "selection")
    rows = conn.execute(select(selection_batches).order_by(selection_batches.c.selection_starts_at.desc())).mappings()
    return [{**_selection_batch(r, now), "course_count": counts.get(r["id"], 0)} for r in rows]


def _batch_course_rows(conn: Connection, batch_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(courses)
        .join(batch_courses, batch_courses.c.course_id == courses.c.id)
        .where(batch_courses.c.batch_id == batch_id)
        .order_by(courses.c.code)
    ).mappings()
    return [_course(r) for r in rows]


def get_selection_batch(conn: Connection, actor: Actor, batch_id: uuid.UUID, now: datetime) -> dict[str, Any]:
    require_academic_reader(actor)
    row = conn.execute(select(selection_batches).where(selection_batches.c.id == batch_id)).mappings().first()
    if row is None:
        raise NotFound("not_found", "选课批次不存在")
    return {**_selection_batch(row, now), "courses": _batch_course_rows(conn, batch_id)}


def list_exam_batches(conn: Connection, actor: Actor, now: datetime) -> list[dict[str, Any]]:
    require_academic_reader(actor)
    counts = _course_counts(conn, "exam")
    rows = conn.execute(select(exam_batches).order_by(exam_batches.c.registration_starts_at.desc())).mappings()
    return [{**_exam_batch(r, now), "course_count": counts.get(r["id"], 0)} for r in rows]


def get_exam_batch(conn: Connection, actor: Actor, batch_id: uuid.UUID, now: datetime) -> dict[str, Any]:
    require_academic_reader(actor)
    row = conn.execute(select(exam_batches).where(exam_batches.c.id == batch_id)).mappings().first()
    if row is None:
        raise NotFound("not_found", "考试批次不存在")
    return {**_exam_batch(row, now), "courses": _batch_course_rows(conn, batch_id)}


# -- fee standards -----------------------------------------------------------------------------


def list_fee_standards(conn: Connection, actor: Actor) -> list[dict[str, Any]]:
    require_staff(actor)
    found = {r["level"]: shape(r) for r in conn.execute(select(fee_standards)).mappings()}
    return [
        {"level": level.value, "level_label": level.label, "set": level.value in found,
         **{k: v for k, v in found.get(level.value, {}).items() if k != "level"}}
        for level in EducationLevel
    ]


@dataclass(frozen=True)
class QuotedStandard:
    """A fee standard as the read model holds it, in the shape `course_fees` reads: quotes on
    screens come from the domain's own fee rule, so they never differ from what is billed."""

    credit_fee_per_credit: Money
    exam_fee_per_course: Money


def standards_for_quotes(conn: Connection) -> dict[str, QuotedStandard]:
    """Every level's standard that is set (no scope: fee standards are public to the school)."""
    return {
        r["level"]: QuotedStandard(Money(r["credit_fee_per_credit_fen"]), Money(r["exam_fee_per_course_fen"]))
        for r in conn.execute(select(fee_standards)).mappings()
    }
