"""The audit log: every event of every aggregate with its metadata, for history tabs."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Column, Connection, DateTime, Integer, String, Table, Text, Uuid, insert

from application.common.projection import Projection, read_models

audit_log = Table(
    "rm_audit_log",
    read_models,
    Column("originator_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("aggregate_type", String(80), nullable=False),
    Column("event_type", String(80), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("actor_id", String(36)),
    Column("actor_name", String(60)),
    Column("role", String(40)),
    Column("teaching_point_id", String(36)),
    Column("correlation_id", String(64), index=True),
    Column("reason", String(500)),
    Column("data", Text, nullable=False),
)

# Secrets stay out of every history view, however privileged the reader.
REDACTED_FIELDS = frozenset({"password_hash"})
_BASE_FIELDS = frozenset({"originator_id", "originator_version", "timestamp", "originator_topic", "meta"})


def event_data(event: Any) -> dict[str, Any]:
    return {
        k: ("***" if k in REDACTED_FIELDS else v)
        for k, v in event.__dict__.items()
        if k not in _BASE_FIELDS
    }


class AuditLogProjection(Projection):
    name = "audit_log"
    all_events = True
    tables = (audit_log,)

    def on_any(self, conn: Connection, event: Any) -> None:
        meta = getattr(event, "meta", None) or {}
        qualname = type(event).__qualname__
        aggregate_type, _, event_type = qualname.rpartition(".")
        conn.execute(
            insert(audit_log).values(
                originator_id=event.originator_id,
                version=event.originator_version,
                aggregate_type=aggregate_type,
                event_type=event_type,
                recorded_at=event.timestamp,
                actor_id=meta.get("actor_id"),
                actor_name=meta.get("actor_name"),
                role=meta.get("role"),
                teaching_point_id=meta.get("teaching_point_id"),
                correlation_id=meta.get("correlation_id"),
                reason=meta.get("reason"),
                data=json.dumps(event_data(event), ensure_ascii=False, default=str),
            )
        )
