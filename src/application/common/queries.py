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
    """The page of a list asked for; `sort` names one of the list's columns to order by first
    (an unknown name is ignored, so a crafted parameter never reaches SQL)."""

    number: int = 1
    size: int = 20
    sort: str | None = None
    descending: bool = False

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


# Personal numbers are shown masked to most viewers; sorting by them would reveal their order.
UNSORTABLE = frozenset({"id_number", "mobile", "phone"})


def sorted_by(query: Select[Any], page: Page, order_by: Any) -> Select[Any]:
    """The list's own order, after the column the viewer sorted by (when the list has it)."""
    chosen = query.selected_columns.get(page.sort) if page.sort and page.sort not in UNSORTABLE else None
    first = [] if chosen is None else [chosen.desc() if page.descending else chosen.asc()]
    return query.order_by(*first, *order_by)


def paged(conn: Connection, query: Select[Any], page: Page, order_by: Any) -> PageOf:
    """One page of the query; a page past the last shows the last (never "第 2/1 页")."""
    total = conn.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    number = min(page.number, max(1, -(-total // page.size)))
    rows = conn.execute(
        sorted_by(query, page, order_by).limit(page.size).offset((number - 1) * page.size)
    ).mappings()
    return PageOf(items=[dict(r) for r in rows], total=total, page=number, size=page.size)


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
