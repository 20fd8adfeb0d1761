"""Read side of organisation: teaching points as lists and as one record."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, or_, select

from application.common.actor import Actor
from application.common.queries import Page, PageOf, in_scope, paged, split_list
from application.organisation.projection import schools, teaching_points
from domains.shared.errors import NotFound


def _shape(row: dict[str, Any]) -> dict[str, Any]:
    row["recruiters"] = split_list(row["recruiters"])
    row["phones"] = split_list(row["phones"])
    return row


def list_teaching_points(
    conn: Connection, actor: Actor, page: Page, q: str | None = None, enabled: bool | None = None
) -> PageOf:
    query = select(teaching_points)
    query = in_scope(query, actor, teaching_points.c.id)
    if q:
        query = query.where(or_(teaching_points.c.code.contains(q), teaching_points.c.name.contains(q)))
    if enabled is not None:
        query = query.where(teaching_points.c.enabled == enabled)
    result = paged(conn, query, page, [teaching_points.c.code])
    result.items = [_shape(r) for r in result.items]
    return result


def get_teaching_point(conn: Connection, actor: Actor, teaching_point_id: uuid.UUID) -> dict[str, Any]:
    actor.check_teaching_point(teaching_point_id, "教学点")
    row = conn.execute(select(teaching_points).where(teaching_points.c.id == teaching_point_id)).mappings().first()
    if row is None:
        raise NotFound("not_found", "教学点不存在")
    return _shape(dict(row))


def teaching_point_choices(conn: Connection) -> list[dict[str, Any]]:
    """Every enabled teaching point, for pickers (public: names and codes only)."""
    rows = conn.execute(
        select(teaching_points.c.id, teaching_points.c.code, teaching_points.c.name, teaching_points.c.address)
        .where(teaching_points.c.enabled.is_(True))
        .order_by(teaching_points.c.code)
    ).mappings()
    return [dict(r) for r in rows]


def the_school(conn: Connection) -> dict[str, Any] | None:
    row = conn.execute(select(schools)).mappings().first()
    return dict(row) if row else None
