"""Query results as the response structs the OpenAPI document promises."""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

from application.common.queries import Page, PageOf
from interfaces.http.api.common.schemas import AmountListing, Listing

T = TypeVar("T")


def out(value: Any, kind: type[T]) -> T:
    """A query's dict (or list of dicts) as the response struct it is documented as. Read-model
    rows carry SQLAlchemy's `str` subclasses as keys, which `convert` refuses; going through
    builtins first costs under a millisecond for a 100-row page."""
    return msgspec.convert(msgspec.to_builtins(value), kind)


def page_of(page: int, page_size: int) -> Page:
    return Page(number=page, size=page_size)


def listing(result: PageOf, item: type[T]) -> Listing[T]:
    """The page as typed items (one conversion over the whole list)."""
    return Listing(
        items=out(result.items, list[item]),  # type: ignore[valid-type]
        total=result.total, page=result.page, page_size=result.size,
    )


def amount_listing(result: PageOf, item: type[T]) -> AmountListing[T]:
    """The page as typed items, with the amount (fen) of everything the filters match."""
    return AmountListing(
        items=out(result.items, list[item]),  # type: ignore[valid-type]
        total=result.total, page=result.page, page_size=result.size,
        total_amount_fen=result.extra.get("total_amount_fen", 0),
    )
