"""Projections: one handler per event type, writing read-model tables through SQLAlchemy.

A projection is deterministic: it reads only the event (its data, its time, its metadata).
The runner in infrastructure feeds it every new event once and records its position in the
same transaction as its writes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from sqlalchemy import Connection, MetaData, Table

# Every read-model table lives on this metadata, so a projection can be dropped and rebuilt.
read_models = MetaData()


def handles(*event_classes: type) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def mark(fn: Callable[..., None]) -> Callable[..., None]:
        fn._handles = event_classes  # type: ignore[attr-defined]
        return fn

    return mark


class Projection:
    name: ClassVar[str]
    all_events: ClassVar[bool] = False  # the audit log reads every event through `on_any`
    tables: ClassVar[tuple[Table, ...]]
    _handlers: ClassVar[dict[type, Callable[..., None]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        handlers: dict[type, Callable[..., None]] = {}
        for klass in reversed(cls.__mro__):
            for attr in vars(klass).values():
                for event_class in getattr(attr, "_handles", ()):
                    handlers[event_class] = attr
        cls._handlers = handlers

    @classmethod
    def topics(cls) -> list[str]:
        return [f"{c.__module__}:{c.__qualname__}" for c in cls._handlers]

    def wants(self, event: Any) -> bool:
        return self.all_events or type(event) in self._handlers

    def process(self, conn: Connection, event: Any) -> None:
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(self, conn, event)
        elif self.all_events:
            self.on_any(conn, event)

    def on_any(self, conn: Connection, event: Any) -> None:
        """Called for events without their own handler when `all_events` is set."""
