"""Review queues as tabs over one list (退课申请, 学籍异动): each role's own work first, then
everything the viewer may read; a tab of one status replaces the status filter."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from litestar import Request
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.common.queries import Page, PageOf
from interfaces.admin.common.lists import list_filters


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    status: str | None = None  # a tab of one status has no status filter of its own


def tabbed_filters(
    request: Request[Any, Any, Any], actor: Actor, tabs: list[Tab], id_keys: Sequence[str] = (), text_keys: Sequence[str] = ()
) -> tuple[Tab, RosterFilter, dict[str, Any], dict[str, str]]:
    """The chosen tab (the first when none or an unknown one is asked for) and the list filters under it."""
    tab = next((t for t in tabs if t.key == request.query_params.get("tab")), tabs[0])
    filters, extra, params = list_filters(request, actor, id_keys, text_keys)
    if tab.status is not None:
        params.pop("status", None)
        filters = replace(filters, status=tab.status)
    params["tab"] = tab.key
    return tab, filters, extra, params


def tab_counts(
    reader: Connection, tabs: list[Tab], fetch: Callable[[Connection, Page, RosterFilter], PageOf]
) -> dict[str, int]:
    """How many items each tab holds (its status alone, whatever other filters are in force)."""
    return {t.key: fetch(reader, Page(size=1), RosterFilter(status=t.status)).total for t in tabs}
