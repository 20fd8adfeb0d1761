"""Loading an aggregate of an expected type; anything else is reported as not found."""

from __future__ import annotations

import uuid
from typing import TypeVar

from application.common.ports import EventStore
from domains.shared.errors import NotFound

T = TypeVar("T")


def load(store: EventStore, aggregate_id: uuid.UUID, cls: type[T], what: str = "记录") -> T:
    aggregate = store.find(aggregate_id)
    if not isinstance(aggregate, cls):
        raise NotFound("not_found", f"{what}不存在")
    return aggregate
