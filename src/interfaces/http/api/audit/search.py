"""Auditors' search for records by what people know of them, and the audit log across records.

The search is posted (`POST /audit/record-searches`): an ID number never travels in a URL. The
log (`GET /audit/log`) lists every event of every record, newest first, filtered by user, role,
teaching point (the one recorded with the action), kind of event and Beijing dates. Auditors
only, like the rest of the audit API: the log spans every teaching point's records."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

import msgspec
from litestar import Controller, get, post
from sqlalchemy import Connection

from application.audit.log import log_page, parse_filter
from application.audit.search import Match, search
from application.common.queries import PageOf
from domains.shared.values import Role
from interfaces.http.api.common import Listing, Out, page_of, requires_role

SearchKind = Literal["student_number", "name", "id_number", "slip_number", "certificate_serial", "record_id"]


class RecordSearchIn(msgspec.Struct, forbid_unknown_fields=True):
    by: SearchKind  # 学号, 姓名, 身份证号, 汇款单号, 证书编号 or 记录ID
    q: str


class FieldOut(Out):
    name: str  # as stored
    label: str  # in Chinese
    text: str  # as shown: amounts in yuan, times in Beijing time


class DetailOut(Out):
    label: str
    value: str  # an ID number comes masked


class AuditRecordOut(Out):
    id: uuid.UUID  # the record's id, for /audit/aggregates/{id}/events and /state
    aggregate_type: str
    kind_label: str
    summary: str  # what the record's first event says of it
    created_label: str
    created_at: datetime
    last_label: str
    updated_at: datetime
    versions: int


class RecordMatchOut(Out):
    kind: Literal["learner", "applicant", "account", "slip", "certificate", "record"]
    title: str
    details: list[DetailOut]
    records: list[AuditRecordOut]


class RecordSearchOut(Out):
    by: SearchKind
    matches: list[RecordMatchOut]
    truncated: bool  # more matched than are listed: narrow the term


class AuditLogEntryOut(Out):
    originator_id: uuid.UUID
    version: int
    aggregate_type: str
    aggregate_label: str
    event_type: str
    event_label: str
    recorded_at: datetime
    actor_id: str | None
    actor_name: str | None  # the username recorded with the event
    actor_label: str  # the account's name now, with its username
    role: str | None
    role_label: str
    teaching_point_id: str | None  # recorded with the action: the actor's teaching point, if any
    teaching_point_name: str
    correlation_id: str | None
    reason: str | None
    fields: list[FieldOut]
    content: str  # the fields on one line


def _match(match: Match) -> RecordMatchOut:
    return RecordMatchOut(
        kind=match.kind,  # type: ignore[arg-type]
        title=match.title,
        details=[DetailOut(label=label, value=value) for label, value in match.details],
        records=msgspec.convert(msgspec.to_builtins(match.records), list[AuditRecordOut]),
    )


class AuditLogController(Controller):
    path = "/audit"
    tags = ["audit"]
    guards = [requires_role(Role.AUDITOR)]

    @post("/record-searches", sync_to_thread=True, status_code=200)
    def record_search(self, reader: Connection, data: RecordSearchIn) -> RecordSearchOut:
        """Records by 学号, 姓名, 身份证号, 汇款单号, 证书编号 or record id: each matching person
        (learner, applicant never admitted, account), slip or certificate with its records."""
        result = search(reader, data.by, data.q)
        return RecordSearchOut(by=data.by, truncated=result.truncated, matches=[_match(m) for m in result.matches])

    @get("/log", sync_to_thread=True)
    def log(
        self,
        reader: Connection,
        actor_id: uuid.UUID | None = None,
        user: str | None = None,
        role: str | None = None,
        teaching_point_id: uuid.UUID | None = None,
        kind: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        page: int = 1,
        page_size: int = 20,
    ) -> Listing[AuditLogEntryOut]:
        """Every event of every record, newest first. `user` is a username or a name; `kind` is
        "Aggregate.Event" (e.g. "Bill.Voided"); `date_from` and `date_to` are Beijing dates, both
        included."""
        params = {
            "actor_id": actor_id, "user": user, "role": role, "teaching_point_id": teaching_point_id, "kind": kind,
            "date_from": date_from.isoformat() if date_from else None, "date_to": date_to.isoformat() if date_to else None,
        }
        result: PageOf = log_page(reader, parse_filter(reader, params), page_of(page, page_size))
        return Listing(
            items=msgspec.convert(msgspec.to_builtins(result.items), list[AuditLogEntryOut]),
            total=result.total, page=result.page, page_size=result.size,
        )
