"""Auditors replay histories: events with metadata, and state as of a version or a time."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from litestar import Controller, Request, get

from application.audit.queries import history, state_of, version_at
from domains.shared.errors import InvalidInput
from domains.shared.values import Role
from interfaces.http.api.audit_out import (
    AggregateStateOut,
    AuditEventOut,
    AuditHistoryOut,
)
from interfaces.http.api.common import out
from interfaces.http.context import api_actor, container_of


class AuditController(Controller):
    path = "/audit"
    tags = ["audit"]

    @get("/aggregates/{aggregate_id:uuid}/events", sync_to_thread=True)
    def events(self, request: Request[Any, Any, Any], aggregate_id: uuid.UUID) -> AuditHistoryOut:
        api_actor(request).require(Role.AUDITOR)
        with container_of(request).engine.connect() as conn:
            return AuditHistoryOut(aggregate_id=aggregate_id, events=out(history(conn, aggregate_id), list[AuditEventOut]))

    @get("/aggregates/{aggregate_id:uuid}/state", sync_to_thread=True)
    def state(
        self, request: Request[Any, Any, Any], aggregate_id: uuid.UUID, version: int | None = None, at: str | None = None
    ) -> AggregateStateOut:
        api_actor(request).require(Role.AUDITOR)
        c = container_of(request)
        if at is not None:
            try:
                when = datetime.fromisoformat(at)
            except ValueError:
                raise InvalidInput("audit.at_invalid", "时间格式须为 ISO 8601，例如 2026-09-01T08:00:00+08:00", field="at") from None
            if when.tzinfo is None:
                raise InvalidInput("audit.at_needs_zone", "时间须带时区，例如 +08:00", field="at")
            with c.engine.connect() as conn:
                version = version_at(conn, aggregate_id, when)
        # Built directly: the state holds the aggregate's own values, which the encoder renders.
        return AggregateStateOut(**state_of(c.store, aggregate_id, version))
