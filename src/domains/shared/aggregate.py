"""Base aggregate: every event carries the metadata of the `acting` block it was made in."""

from __future__ import annotations

import uuid
from typing import Any, Self

from eventsourcing.domain import Aggregate, CanInitAggregate, CanMutateAggregate, event

from domains.shared.metadata import current_meta


class DomainAggregate(Aggregate):
    class Event(Aggregate.Event):
        meta: dict[str, Any]

    class Created(Event, Aggregate.Created):
        pass

    def trigger_event(self, event_class: type[CanMutateAggregate[uuid.UUID]], **kwargs: Any) -> None:
        kwargs.setdefault("meta", current_meta())
        super().trigger_event(event_class, **kwargs)

    @classmethod
    def _create(
        cls, event_class: type[CanInitAggregate[uuid.UUID]], *, id: uuid.UUID | None = None, **kwargs: Any
    ) -> Self:
        kwargs.setdefault("meta", current_meta())
        return super()._create(event_class, id=id, **kwargs)


NAMESPACE = uuid.UUID("5b7f0f3e-2f5d-4d55-9d1c-7a3b2d7e6c10")


def key_id(kind: str, key: str) -> uuid.UUID:
    """The id of the index aggregate that guards uniqueness of a natural key."""
    return uuid.uuid5(NAMESPACE, f"{kind}:{key}")


class UniqueKey(DomainAggregate):
    """Claims a natural key (a username, an ID number, a code). A second claim of the same key
    is a new aggregate with an existing id, so the atomic save fails with a version conflict."""

    @staticmethod
    def create_id(kind: str, key: str) -> uuid.UUID:
        return key_id(kind, key)

    def __init__(self, kind: str, key: str, owner_id: uuid.UUID) -> None:
        self.kind = kind
        self.owner_id = owner_id


class RecordIndex(DomainAggregate):
    """The ids of one owner's records of one kind (a learner's resits of a course, …), saved in
    the same atomic save as each record it gains. A use case finds the records through it and
    then loads them, instead of asking a read model that may lag behind the log (ADR 0016)."""

    @staticmethod
    def create_id(kind: str, key: str) -> uuid.UUID:
        return key_id(f"index:{kind}", key)

    def __init__(self, kind: str, key: str) -> None:
        self.kind = kind
        self.key = key
        self.ids: list[uuid.UUID] = []

    def add(self, *ids: uuid.UUID) -> None:
        new = [i for i in dict.fromkeys(ids) if i not in self.ids]
        if new:
            self._added(new)

    @event("Added")
    def _added(self, ids: list[uuid.UUID]) -> None:
        self.ids = [*self.ids, *ids]
