"""Event metadata: who acted, in which role, for which teaching point, and why.

The application layer opens an `acting(...)` block around each domain call; every event
created inside it carries the same metadata. Domain code never reads it.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

SYSTEM_META: dict[str, Any] = {
    "actor_id": None,
    "actor_name": "system",
    "role": "system",
    "teaching_point_id": None,
    "correlation_id": None,
    "causation_id": None,
    "reason": None,
}

_current: contextvars.ContextVar[dict[str, Any]] = contextvars.ContextVar(
    "eduledger_event_meta", default=SYSTEM_META
)


def current_meta() -> dict[str, Any]:
    return _current.get()


@contextlib.contextmanager
def acting(meta: dict[str, Any]) -> Iterator[dict[str, Any]]:
    token = _current.set({**SYSTEM_META, **meta})
    try:
        yield _current.get()
    finally:
        _current.reset(token)
