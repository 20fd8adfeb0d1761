"""Auditors' reads: the history of any aggregate, and its state as of a version or a time."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from application.audit.labels import event_label
from application.audit.projection import REDACTED_FIELDS, audit_log
from application.common.ports import EventStore
from domains.shared.errors import InvalidInput, NotFound


def history(conn: Connection, aggregate_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(audit_log).where(audit_log.c.originator_id == aggregate_id).order_by(audit_log.c.version)
    ).mappings()
    out = []
    for r in rows:
        item = dict(r)
        item["data"] = json.loads(item["data"])
        item["recorded_at"] = _utc(item["recorded_at"])
        item["event_label"] = event_label(item["aggregate_type"], item["event_type"])
        out.append(item)
    if not out:
        raise NotFound("not_found", "该记录没有事件历史")
    return out


def _utc(value: datetime) -> datetime:
    """SQLite keeps timestamps as naive UTC text; PostgreSQL returns them aware."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def version_at(conn: Connection, aggregate_id: uuid.UUID, at: datetime) -> int:
    # Compared in UTC: SQLite would otherwise compare the wall-clock digits of another zone.
    version = conn.execute(
        select(func.max(audit_log.c.version)).where(
            audit_log.c.originator_id == aggregate_id, audit_log.c.recorded_at <= at.astimezone(UTC)
        )
    ).scalar()
    if version is None:
        raise NotFound("audit.not_yet_existing", "该时间点时记录尚不存在")
    return int(version)


MAX_VERSION = 2**31 - 1


def state_of(store: EventStore, aggregate_id: uuid.UUID, version: int | None) -> dict[str, Any]:
    """Replays the aggregate's own events from the event store up to `version`."""
    # Bounded too: a number past the database's integers would fail the query, not the reader.
    if version is not None and not 1 <= version <= MAX_VERSION:
        raise InvalidInput("audit.version_invalid", f"版本号须为1到{MAX_VERSION}之间的整数", field="version")
    aggregate = store.get(aggregate_id, version=version)
    state = {
        k: ("***" if k in REDACTED_FIELDS else v)
        for k, v in vars(aggregate).items()
        if not k.startswith("_")
    }
    return {
        "id": aggregate.id,
        "type": type(aggregate).__name__,
        "version": aggregate.version,
        "created_on": aggregate.created_on,
        "modified_on": aggregate.modified_on,
        "state": state,
    }
