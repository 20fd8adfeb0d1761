"""Small helpers the read side of every context shares: paging and row shaping."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Select, func, select

from application.common.actor import Actor

MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class Page:
    number: int = 1
    size: int = 20

    def __post_init__(self) -> None:
        # Capped: a page number of 10**20 would overflow the database's OFFSET (a 500, not a list).
        object.__setattr__(self, "number", min(MAX_PAGE, max(1, int(self.number))))
        object.__setattr__(self, "size", min(200, max(1, int(self.size))))


@dataclass
class PageOf:
    items: list[dict[str, Any]]
    total: int
    page: int
    size: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def paged(conn: Connection, query: Select[Any], page: Page, order_by: Any) -> PageOf:
    total = conn.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    rows = conn.execute(
        query.order_by(*order_by).limit(page.size).offset((page.number - 1) * page.size)
    ).mappings()
    return PageOf(items=[dict(r) for r in rows], total=total, page=page.number, size=page.size)


def split_list(text: str | None) -> list[str]:
    return [x for x in (text or "").split(",") if x]


def in_scope(query: Select[Any], actor: Actor, column: Any, chosen: uuid.UUID | None = None) -> Select[Any]:
    """Rows of the actor's own teaching point; school staff see every one, or the one `chosen`."""
    scope = actor.visible_teaching_point()
    if scope is not None:
        return query.where(column == scope)
    if chosen is not None:
        return query.where(column == chosen)
    return query
