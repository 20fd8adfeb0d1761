"""Shared pieces of the API controllers: paging parameters and list envelopes."""

from __future__ import annotations

from typing import Any

import msgspec

from application.common.queries import Page, PageOf


class ListOut(msgspec.Struct):
    items: list[dict[str, Any]]
    total: int
    page: int
    page_size: int


def page_of(page: int, page_size: int) -> Page:
    return Page(number=page, size=page_size)


def list_out(result: PageOf) -> ListOut:
    return ListOut(items=result.items, total=result.total, page=result.page, page_size=result.size)


class Reason(msgspec.Struct):
    reason: str | None = None
