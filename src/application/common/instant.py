"""The column type of every stored moment: timezone-aware on every database.

PostgreSQL keeps a `timestamptz`; SQLite keeps no offset at all and gives back a naive value.
Times are stored in UTC (architecture: "stored in UTC, shown in Asia/Shanghai"), so a moment is
turned to UTC on the way in and read back as UTC on the way out: pages, API answers and exports
always get an aware datetime, whatever the database.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class Instant(TypeDecorator[datetime]):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(UTC)
        return value

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value
