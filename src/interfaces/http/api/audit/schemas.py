"""Response bodies of the audit API. An event's `data` and an aggregate's `state` carry the
fields of that event or aggregate type, so they are maps here; the envelope around them is fixed."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from interfaces.http.api.common import Out


class AuditEventOut(Out):
    originator_id: uuid.UUID
    version: int
    aggregate_type: str
    event_type: str
    recorded_at: datetime
    # From the event's metadata as recorded (ids as text): who acted, in which role and where.
    actor_id: str | None
    actor_name: str | None
    role: str | None
    teaching_point_id: str | None
    correlation_id: str | None
    reason: str | None
    data: dict[str, Any]  # the event's own fields (secrets redacted)
    event_label: str


class AuditHistoryOut(Out):
    aggregate_id: uuid.UUID
    events: list[AuditEventOut]


class AggregateStateOut(Out):
    id: uuid.UUID
    type: str
    version: int
    created_on: datetime
    modified_on: datetime
    state: dict[str, Any]  # the aggregate's attributes at that version (secrets redacted)
