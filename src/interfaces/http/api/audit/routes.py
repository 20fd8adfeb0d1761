"""Auditors replay histories: events with metadata, and state as of a version or a time."""

from __future__ import annotations

import uuid
from datetime import datetime

from litestar import Controller, get
from sqlalchemy import Connection

from application.audit.queries import history, state_of, version_at
from domains.shared.errors import InvalidInput
from domains.shared.values import Role
from infrastructure.container import Container
from interfaces.http.api.audit.schemas import (
    AggregateStateOut,
    AuditEventOut,
    AuditHistoryOut,
)
from interfaces.http.api.common import out, requires_role


class AuditController(Controller):
    path = "/audit"
    tags = ["audit"]
    guards = [requires_role(Role.AUDITOR)]

    @get("/aggregates/{aggregate_id:uuid}/events", sync_to_thread=True)
    def events(self, reader: Connection, aggregate_id: uuid.UUID) -> AuditHistoryOut:
        return AuditHistoryOut(aggregate_id=aggregate_id, events=out(history(reader, aggregate_id), list[AuditEventOut]))

    @get("/aggregates/{aggregate_id:uuid}/state", sync_to_thread=True)
    def state(
        self, services: Container, reader: Connection, aggregate_id: uuid.UUID, version: int | None = None,
        at: str | None = None,
    ) -> AggregateStateOut:
        if at is not None:
            try:
                when = datetime.fromisoformat(at)
            except ValueError:
                raise InvalidInput(
                    "audit.at_invalid", "时间格式须为 ISO 8601，例如 2026-09-01T08:00:00+08:00", field="at"
                ) from None
            if when.tzinfo is None:
                raise InvalidInput("audit.at_needs_zone", "时间须带时区，例如 +08:00", field="at")
            version = version_at(reader, aggregate_id, when)
        # Built directly: the state holds the aggregate's own values, which the encoder renders.
        return AggregateStateOut(**state_of(services.store, aggregate_id, version))
