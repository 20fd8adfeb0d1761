"""Every event an aggregate records has a Chinese name on audit tabs and the replay page."""

from __future__ import annotations

import importlib
import pkgutil

import domains
from application.audit.labels import EVENT_LABELS
from eventsourcing.domain import CanMutateAggregate


def _event_classes() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(domains.__path__, "domains."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if not isinstance(value, type):
                continue
            for attr in vars(value).values():
                if isinstance(attr, type) and issubclass(attr, CanMutateAggregate):
                    aggregate, _, event = attr.__qualname__.rpartition(".")
                    # The library's base classes of every aggregate, never recorded as such
                    # (an aggregate created without a named event records "Created").
                    if aggregate in ("Aggregate", "DomainAggregate") or event == "Event":
                        continue
                    if event == "Created" and attr.__qualname__ != "UniqueKey.Created":
                        continue
                    found.add(f"{aggregate}.{event}")
    return found


def test_every_recorded_event_has_a_label():
    events = _event_classes()
    assert len(events) > 50
    assert sorted(e for e in events if e not in EVENT_LABELS) == []
