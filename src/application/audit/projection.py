"""The audit log: every event of every aggregate with its metadata, for history tabs, the
auditors' log across records and their search by person.

`rm_audit_log` is indexed for the log's filters (who acted, in which role, at which teaching
point, which kind of event, when), each with the time so that a filtered page reads newest first
from the index. `rm_audit_subjects` ties each record to the person it belongs to (a learner, a
trainee, an account), taken from the event that created the record, so a person's records are
found without reading every context's tables."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from sqlalchemy import Column, Index, Integer, String, Table, Text, Uuid

from application.common.instant import Instant
from application.common.projection import Projection, Writes, read_models

audit_log = Table(
    "rm_audit_log",
    read_models,
    Column("originator_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("aggregate_type", String(80), nullable=False),
    Column("event_type", String(80), nullable=False),
    Column("recorded_at", Instant(), nullable=False, index=True),
    Column("actor_id", String(36)),
    Column("actor_name", String(60)),
    Column("role", String(40)),
    Column("teaching_point_id", String(36)),
    Column("correlation_id", String(64), index=True),
    Column("reason", String(500)),
    Column("data", Text, nullable=False),
    Index("ix_rm_audit_log_actor", "actor_id", "recorded_at"),
    Index("ix_rm_audit_log_role", "role", "recorded_at"),
    Index("ix_rm_audit_log_teaching_point", "teaching_point_id", "recorded_at"),
    Index("ix_rm_audit_log_kind", "aggregate_type", "event_type", "recorded_at"),
)

audit_subjects = Table(
    "rm_audit_subjects",
    read_models,
    Column("subject_id", Uuid, primary_key=True),  # the learner, trainee or account
    Column("originator_id", Uuid, primary_key=True, index=True),  # one of their records
    Column("aggregate_type", String(80), nullable=False),
)

# JSON of the event's own data; types JSON lacks are written as str() (like json's default=str).
_JSON = msgspec.json.Encoder(enc_hook=str)

# Secrets stay out of every history view, however privileged the reader.
REDACTED_FIELDS = frozenset({"password_hash"})
_BASE_FIELDS = frozenset({"originator_id", "originator_version", "timestamp", "originator_topic", "meta"})

# Records that are a person themselves; every other record names its person in the event that
# creates it (learner_id, trainee_id, or a training member's account_id).
_PERSONS = frozenset({"Learner", "Account"})
_PERSON_FIELDS = ("learner_id", "trainee_id", "account_id")


def event_data(event: Any) -> dict[str, Any]:
    return {
        k: ("***" if k in REDACTED_FIELDS else v)
        for k, v in event.__dict__.items()
        if k not in _BASE_FIELDS
    }


def subjects_of(aggregate_type: str, event: Any) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(person, record) pairs a creating event establishes: the record's own person, and the
    application form a learner was admitted from (created before the learner existed)."""
    if event.originator_version != 1:
        return []
    record = event.originator_id
    found: list[tuple[uuid.UUID, uuid.UUID]] = []
    if aggregate_type in _PERSONS:
        found.append((record, record))
    for name in _PERSON_FIELDS:
        person = getattr(event, name, None)
        if isinstance(person, uuid.UUID) and person != record:
            found.append((person, record))
    form = getattr(event, "application_form_id", None)
    if aggregate_type == "Learner" and isinstance(form, uuid.UUID):
        found.append((record, form))
    return found


class AuditLogProjection(Projection):
    name = "audit_log"
    all_events = True
    tables = (audit_log, audit_subjects)

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
        for person, record in subjects_of(aggregate_type, event):
            record_type = aggregate_type if record == event.originator_id else "ApplicationForm"
            conn.insert(audit_subjects, {"subject_id": person, "originator_id": record, "aggregate_type": record_type})
