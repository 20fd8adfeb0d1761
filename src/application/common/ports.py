"""What the use cases need from the outside world, implemented in infrastructure."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Protocol


class EventStore(Protocol):
    def get(self, aggregate_id: uuid.UUID, version: int | None = None) -> Any: ...

    def find(self, aggregate_id: uuid.UUID) -> Any | None: ...

    def find_many(self, aggregate_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Any]:
        """The aggregates that exist among the ids (absent ones are left out), read in bulk."""
        ...

    def save(self, *aggregates: Any) -> int:
        """Save every pending event of the aggregates in one atomic write; returns the last
        notification id (the position a client may wait for)."""
        ...


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date:
        """Today in Asia/Shanghai, the calendar every period is set in."""
        ...


class PasswordHasher(Protocol):
    # A hash of no one's password, verified against when a username is unknown or disabled so
    # that a failed login costs the same whether or not the account exists.
    dummy_hash: str

    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...


class FileStore(Protocol):
    """Uploaded files, kept by content digest. `put` checks the content itself (not the name)
    against the allowed types and size, raising InvalidInput with a message for people."""

    def put(self, content: bytes, allowed: frozenset[str], max_bytes: int, label: str) -> tuple[str, str]:
        """Returns (file reference, detected content type)."""
        ...

    def get(self, ref: str) -> tuple[str, bytes] | None: ...
