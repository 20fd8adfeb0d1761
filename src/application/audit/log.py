"""The audit log across records (审计日志): every event of every record, newest first, filtered by
who acted (an account), in which role, at which teaching point (the one recorded with the
action: a teaching point's staff act at theirs, school staff at none), which kind of event, and
between which Beijing dates. Read from the audit-log read model, never the event store; each
filter is an index of it with the time, so a page reads newest first from the index. Auditors
only (the caller checks): the log spans every record of every teaching point."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Select, and_, false, or_, select

from application.audit.fields import BEIJING, fields_of
from application.audit.labels import EVENT_LABELS, aggregate_label, event_label
from application.audit.projection import audit_log
from application.common.queries import Page, PageOf, paged
from application.identity.projection import accounts
from application.organisation.projection import teaching_points
from domains.shared.errors import InvalidInput
from domains.shared.values import ROLE_LABELS, Role

# Recorded roles that are not a staff role: the platform itself and the public portal.
OTHER_ROLES = {"system": "系统", "public": "公众（门户）"}
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)
FILTER_KEYS = ("actor_id", "user", "role", "teaching_point_id", "kind", "date_from", "date_to")


def role_label(value: str | None) -> str:
    if not value:
        return ""
    try:
        return ROLE_LABELS[Role(value)]
    except ValueError:
        return OTHER_ROLES.get(value, value)


def role_choices() -> list[tuple[str, str]]:
    return [(r.value, ROLE_LABELS[r]) for r in Role] + list(OTHER_ROLES.items())


def kind_choices() -> list[tuple[str, str]]:
    """Every kind of event as 记录类型 · 事件, grouped by the kind of record."""
    options = [(key, f"{aggregate_label(key.rpartition('.')[0])} · {label}") for key, label in EVENT_LABELS.items()]
    return sorted(options, key=lambda o: o[1])


def teaching_point_choices(conn: Connection) -> list[tuple[str, str]]:
    return [(str(i), f"{code} {name}") for i, code, name in conn.execute(
        select(teaching_points.c.id, teaching_points.c.code, teaching_points.c.name).order_by(teaching_points.c.code)
    )]


@dataclass(frozen=True)
class LogFilter:
    actor_ids: tuple[str, ...] | None = None  # None: anyone; (): nobody matched the user asked for
    role: str | None = None
    teaching_point_id: uuid.UUID | None = None
    kind: tuple[str, str] | None = None  # (aggregate type, event type)
    since: datetime | None = None  # inclusive, UTC
    before: datetime | None = None  # exclusive, UTC

    def where(self) -> list[Any]:
        c = audit_log.c
        clauses: list[Any] = []
        if self.actor_ids is not None:
            clauses.append(c.actor_id.in_(self.actor_ids) if self.actor_ids else false())
        if self.role is not None:
            clauses.append(c.role == self.role)
        if self.teaching_point_id is not None:
            clauses.append(c.teaching_point_id == str(self.teaching_point_id))
        if self.kind is not None:
            clauses += [c.aggregate_type == self.kind[0], c.event_type == self.kind[1]]
        if self.since is not None:
            clauses.append(c.recorded_at >= self.since)
        if self.before is not None:
            clauses.append(c.recorded_at < self.before)
        return clauses


def _day(raw: str, field: str, label: str) -> date:
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput("audit.date_invalid", f"{label}格式须为 2026-09-01", field=field) from None
    if not FIRST_DAY <= day <= LAST_DAY:  # the ends of the calendar have no UTC midnight to compare with
        raise InvalidInput("audit.date_out_of_range", f"{label}须在 {FIRST_DAY.year} 至 {LAST_DAY.year} 年之间", field=field)
    return day


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), BEIJING).astimezone(UTC)


def parse_filter(conn: Connection, params: Mapping[str, Any]) -> LogFilter:
    """The log filter from query parameters: `actor_id` (an account id) or `user` (a username or
    a name, looked up among accounts), `role`, `teaching_point_id`, `kind` ("Bill.Voided"),
    `date_from` and `date_to` (Beijing dates, both included). An unknown value is refused."""
    text = {k: str(v).strip() for k in FILTER_KEYS if (v := params.get(k)) not in (None, "")}
    actor_ids: tuple[str, ...] | None = None
    if "actor_id" in text:
        try:
            actor_ids = (str(uuid.UUID(text["actor_id"])),)
        except ValueError:
            raise InvalidInput("audit.actor_invalid", "操作人编号格式不正确", field="actor_id") from None
    elif "user" in text:
        actor_ids = tuple(str(i) for i in conn.execute(
            select(accounts.c.id).where(or_(accounts.c.username == text["user"], accounts.c.name == text["user"]))
        ).scalars())
    role = text.get("role")
    if role is not None and role not in dict(role_choices()):
        raise InvalidInput("audit.role_invalid", "请选择角色", field="role")
    teaching_point_id = None
    if "teaching_point_id" in text:
        try:
            teaching_point_id = uuid.UUID(text["teaching_point_id"])
        except ValueError:
            raise InvalidInput("audit.teaching_point_invalid", "请选择教学点", field="teaching_point_id") from None
    kind = None
    if "kind" in text:
        if text["kind"] not in EVENT_LABELS or "." not in text["kind"]:
            raise InvalidInput("audit.kind_invalid", "请选择事件类型", field="kind")
        aggregate, _, event = text["kind"].rpartition(".")
        kind = (aggregate, event)
    since = before = None
    if "date_from" in text:
        since = _start_of(_day(text["date_from"], "date_from", "开始日期"))
    if "date_to" in text:
        last = _day(text["date_to"], "date_to", "结束日期")
        before = _start_of(last + timedelta(days=1))
    if since is not None and before is not None and before <= since:
        raise InvalidInput("audit.date_range_invalid", "结束日期不能早于开始日期", field="date_to")
    return LogFilter(actor_ids, role, teaching_point_id, kind, since, before)


_COLUMNS = (
    audit_log.c.originator_id, audit_log.c.version, audit_log.c.aggregate_type, audit_log.c.event_type,
    audit_log.c.recorded_at, audit_log.c.actor_id, audit_log.c.actor_name, audit_log.c.role,
    audit_log.c.teaching_point_id, audit_log.c.correlation_id, audit_log.c.reason,
)
_NEWEST_FIRST = (audit_log.c.recorded_at.desc(), audit_log.c.originator_id.desc(), audit_log.c.version.desc())


def _query(filters: LogFilter, with_data: bool) -> Select[Any]:
    columns = (*_COLUMNS, audit_log.c.data) if with_data else _COLUMNS
    return select(*columns).where(*filters.where())


def log_page(conn: Connection, filters: LogFilter, page: Page, with_data: bool = True) -> PageOf:
    """One page of the log, newest first; each row shaped for reading (labels, names, fields)."""
    result = paged(conn, _query(filters, with_data), page, _NEWEST_FIRST)
    result.items = _shape(conn, result.items)
    return result


def log_rows(conn: Connection, filters: LogFilter, batch: int = 1000) -> Iterator[dict[str, Any]]:
    """Every row the filter matches, newest first, read in batches that continue after the last
    row read (no OFFSET: the thousandth batch costs what the first does)."""
    after: tuple[datetime, uuid.UUID, int] | None = None
    c = audit_log.c
    while True:
        query = _query(filters, True)
        if after is not None:
            at, oid, version = after
            query = query.where(or_(
                c.recorded_at < at,
                and_(c.recorded_at == at, c.originator_id < oid),
                and_(c.recorded_at == at, c.originator_id == oid, c.version < version),
            ))
        rows = [dict(r) for r in conn.execute(query.order_by(*_NEWEST_FIRST).limit(batch)).mappings()]
        if not rows:
            return
        last = rows[-1]
        after = (last["recorded_at"], last["originator_id"], last["version"])
        yield from _shape(conn, rows)
        if len(rows) < batch:
            return


def _shape(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    actor_ids = {r["actor_id"] for r in rows if r["actor_id"]}
    names = _account_names(conn, actor_ids)
    points = {str(i): n for i, n in conn.execute(select(teaching_points.c.id, teaching_points.c.name))}
    out = []
    for r in rows:
        at = r["recorded_at"]
        item = {
            **r,
            "recorded_at": at.replace(tzinfo=UTC) if at.tzinfo is None else at,
            "aggregate_label": aggregate_label(r["aggregate_type"]),
            "event_label": event_label(r["aggregate_type"], r["event_type"]),
            "actor_label": names.get(r["actor_id"] or "", r["actor_name"] or ""),
            "role_label": role_label(r["role"]),
            "teaching_point_name": points.get(r["teaching_point_id"] or "", ""),
        }
        if "data" in r:
            item["fields"] = fields_of(json.loads(r["data"]), r["aggregate_type"])
            item["content"] = "；".join(f"{f.label}：{f.text}" for f in item["fields"])
            del item["data"]
        out.append(item)
    return out


def _account_names(conn: Connection, ids: set[str]) -> dict[str, str]:
    """Each acting account as 姓名（用户名）, or its username where the two are the same."""
    parsed = []
    for raw in ids:
        try:
            parsed.append(uuid.UUID(raw))
        except ValueError:
            continue
    if not parsed:
        return {}
    return {
        str(i): name if name == username else f"{name}（{username}）"
        for i, name, username in conn.execute(
            select(accounts.c.id, accounts.c.name, accounts.c.username).where(accounts.c.id.in_(parsed))
        )
    }
