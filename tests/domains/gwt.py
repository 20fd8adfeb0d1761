"""Given / when / then over eventsourcing aggregates, with no I/O.

    tp = given(TeachingPoint, ("Registered", {...}), ("Disabled", {}))
    events = when(tp, lambda a: a.enable())
    then(events, ("Enabled", {}))
    refused(tp, lambda a: a.enable(), "teaching_point.already_enabled")

`given` builds each stored event the way the repository would replay it (originator id,
consecutive versions, a timestamp, metadata) and folds them with `Event.mutate`, so the state a
command sees comes from events alone, never from a constructor call.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pytest
from eventsourcing.domain import CanInitAggregate
from eventsourcing.utils import get_topic

from domains.shared.errors import DomainError
from domains.shared.metadata import SYSTEM_META

A = TypeVar("A")
T0 = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)

EventSpec = tuple[str, dict[str, Any]]


def given(cls: type[A], *events: EventSpec, id: uuid.UUID | None = None) -> A:
    """A fresh aggregate of `cls` rebuilt from these (event name, event fields) pairs."""
    assert events, "an aggregate needs at least its creation event"
    originator_id = id or uuid.uuid4()
    aggregate: Any = None
    for version, (name, data) in enumerate(events, start=1):
        event_class = getattr(cls, name)
        fields: dict[str, Any] = {
            "originator_id": originator_id,
            "originator_version": version,
            "timestamp": T0 + timedelta(seconds=version),
            "meta": dict(SYSTEM_META),
            **data,
        }
        if issubclass(event_class, CanInitAggregate):
            fields["originator_topic"] = get_topic(cls)
        aggregate = event_class(**fields).mutate(aggregate)
    assert not aggregate.collect_events(), "replaying must not produce new events"
    return aggregate


def created(factory: Callable[[], A]) -> tuple[A, list[Any]]:
    """When a factory creates an aggregate: the aggregate and the events it produced."""
    aggregate = factory()
    return aggregate, list(aggregate.collect_events())  # type: ignore[attr-defined]


def when(aggregate: A, command: Callable[[A], Any]) -> list[Any]:
    """Run the command against the aggregate; the new events it produced."""
    command(aggregate)
    return list(aggregate.collect_events())  # type: ignore[attr-defined]


def then(events: list[Any], *expected: EventSpec) -> None:
    """The events are exactly these types, in order, and carry (at least) these fields."""
    assert [type(e).__name__ for e in events] == [name for name, _ in expected]
    for event, (name, fields) in zip(events, expected, strict=True):
        for key, value in fields.items():
            assert getattr(event, key) == value, f"{name}.{key}: {getattr(event, key)!r} != {value!r}"


def refused(aggregate: Any, command: Callable[[Any], Any], code: str, kind: str | None = None) -> DomainError:
    """The command is refused with this error code and no event is produced."""
    before = aggregate.version
    with pytest.raises(DomainError) as info:
        command(aggregate)
    assert info.value.code == code, f"{info.value.code}: {info.value.message}"
    if kind is not None:
        assert info.value.kind == kind
    assert aggregate.collect_events() == []
    assert aggregate.version == before
    return info.value


def error_code(fn: Callable[[], Any]) -> str:
    """The code of the domain error `fn` raises (it must raise one)."""
    with pytest.raises(DomainError) as info:
        fn()
    return info.value.code
