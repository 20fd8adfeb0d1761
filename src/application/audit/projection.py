"""The audit log: every event of every aggregate with its metadata, for history tabs."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import Column, Integer, String, Table, Text, Uuid

from application.common.instant import Instant
from application.common.projection import Projection, Writes, read_models

audit_log = Table(
    "rm_audit_log",
    read_models,
    Column("originator_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("aggregate_type", String(80), nullable=False),
    Column("event_type", String(80), nullable=False),
    Column("recorded_at", Instant(), nullable=False),
    Column("actor_id", String(36)),
    Column("actor_name", String(60)),
    Column("role", String(40)),
    Column("teaching_point_id", String(36)),
    Column("correlation_id", String(64), index=True),
    Column("reason", String(500)),
    Column("data", Text, nullable=False),
)

# JSON of the event's own data; types JSON lacks are written as str() (like json's default=str).
_JSON = msgspec.json.Encoder(enc_hook=str)

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

    def on_any(self, conn: Writes, event: Any) -> None:
        meta = getattr(event, "meta", None) or {}
        qualname = type(event).__qualname__
        aggregate_type, _, event_type = qualname.rpartition(".")
        conn.insert(
            audit_log,
            {
                "originator_id": event.originator_id,
                "version": event.originator_version,
                "aggregate_type": aggregate_type,
                "event_type": event_type,
                "recorded_at": event.timestamp,
                "actor_id": meta.get("actor_id"),
                "actor_name": meta.get("actor_name"),
                "role": meta.get("role"),
                "teaching_point_id": meta.get("teaching_point_id"),
                "correlation_id": meta.get("correlation_id"),
                "reason": meta.get("reason"),
                "data": _JSON.encode(event_data(event)).decode(),
            },
        )
