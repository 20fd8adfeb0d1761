"""Loading an aggregate of an expected type; anything else is reported as not found."""

from __future__ import annotations

import uuid
from typing import TypeVar

from application.common.ports import EventStore
from domains.shared.aggregate import RecordIndex
from domains.shared.errors import NotFound

T = TypeVar("T")


def load(store: EventStore, aggregate_id: uuid.UUID, cls: type[T], what: str = "记录") -> T:
    return _expect(store.find(aggregate_id), cls, what)


def load_many(store: EventStore, aggregate_ids: list[uuid.UUID], cls: type[T], what: str = "记录") -> list[T]:
    """`load` for many ids with one read: in the order asked, NotFound for the first missing."""
    found = store.find_many(aggregate_ids)
    return [_expect(found.get(aggregate_id), cls, what) for aggregate_id in aggregate_ids]


def _expect(aggregate: object, cls: type[T], what: str) -> T:
    if not isinstance(aggregate, cls):
        raise NotFound("not_found", f"{what}不存在")
    return aggregate


def record_index(store: EventStore, kind: str, key: str) -> RecordIndex:
    """The owner's index of records of one kind, or a new empty one (saved with its first record)."""
    found = store.find(RecordIndex.create_id(kind, key))
    return found if isinstance(found, RecordIndex) else RecordIndex(kind=kind, key=key)


def indexed(store: EventStore, kind: str, key: str) -> dict[uuid.UUID, object]:
    """The records an index lists, read in one go (the index kept with them, never a read model)."""
    found = store.find(RecordIndex.create_id(kind, key))
    return store.find_many(found.ids) if isinstance(found, RecordIndex) and found.ids else {}


def listing_in(store: EventStore, kind: str, keys: list[str], record_id: uuid.UUID) -> list[RecordIndex]:
    """The owners' indexes with `record_id` added (those that gain it), to be saved with the record."""
    found = store.find_many([RecordIndex.create_id(kind, key) for key in keys])
    changed = []
    for key in dict.fromkeys(keys):
        index = found.get(RecordIndex.create_id(kind, key))
        index = index if isinstance(index, RecordIndex) else RecordIndex(kind=kind, key=key)
        if record_id not in index.ids:
            index.add(record_id)
            changed.append(index)
    return changed
