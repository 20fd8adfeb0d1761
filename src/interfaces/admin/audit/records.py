"""记录历史查询 and 回放: find a record's history by 学号, 姓名, 身份证号, 汇款单号 or 证书编号 (the
record id still works), then read any record's history with its metadata and its state replayed
as of a version or a time, field names in Chinese, amounts in yuan, times in Beijing time.

身份证号 is posted, never sent in a URL (the results page is the post's answer; each result
links by the record's opaque id). Auditors only; they change nothing (this search is the one
post they may make besides their own settings)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Template
from sqlalchemy import Connection

from application.audit.fields import fields_of
from application.audit.labels import aggregate_label
from application.audit.queries import history, state_of, version_at
from application.audit.search import POSTED_KINDS, SEARCH_KINDS, search
from application.common.actor import Actor
from domains.shared.errors import DomainError, InvalidInput
from infrastructure.clock import SHANGHAI
from infrastructure.container import Container
from interfaces.admin.common.forms import Form, error_field, status_of
from interfaces.admin.common.guards import requires_role
from interfaces.admin.common.rendering import REPLAY_ROLES, page

# The kinds the page's query-string form offers; 身份证号 has a form of its own that posts.
LINKABLE_KINDS = [(k, label) for k, label in SEARCH_KINDS.items() if k not in POSTED_KINDS]


def _parse_version(raw: str | None) -> int | None:
    if raw in (None, ""):
        return None
    try:
        return int(str(raw).strip())
    except ValueError:
        raise InvalidInput("audit.version_invalid", "版本号须为正整数", field="version") from None


def _parse_time(raw: str) -> datetime:
    """A time typed on the page (datetime-local, Beijing time) or ISO 8601 with its zone."""
    try:
        when = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidInput("audit.at_invalid", "时间格式须为 2026-09-01T08:00", field="at") from None
    return when if when.tzinfo else when.replace(tzinfo=SHANGHAI)


class AuditRecordPages(Controller):
    path = "/admin/audit/aggregates"
    guards = [requires_role(*REPLAY_ROLES)]

    def _search_page(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, by: str, q: str,
                     posted: bool) -> Template:
        context: dict[str, Any] = {"kinds": LINKABLE_KINDS, "form": {"by": by, "q": "" if posted else q}}
        if not (by or q):
            return page(request, "audit_find.html", actor, **context)
        try:
            if not posted and by in POSTED_KINDS:
                raise InvalidInput("audit.search_posted_only", "身份证号请在下方表单中查询", field="by")
            result = search(reader, by, q)
        except DomainError as exc:
            if exc.kind != "invalid":
                raise
            field = "id_number" if posted else next(iter(error_field(exc)), None)
            return page(request, "audit_find.html", actor, status_code=status_of(exc), error=exc.message,
                        error_field=field, **context)
        return page(request, "audit_find.html", actor, result=result, searched=SEARCH_KINDS[result.by], **context)

    @get("/", sync_to_thread=True)
    def find(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        """The search box (and its results, for every kind but 身份证号)."""
        params = request.query_params
        by = str(params.get("by") or "").strip()
        q = str(params.get("q") or "").strip()
        if not by and params.get("aggregate_id"):  # the former record-id box
            by, q = "record_id", str(params.get("aggregate_id")).strip()
        return self._search_page(request, actor, reader, by, q, posted=False)

    @post("/", sync_to_thread=True, status_code=200)
    def find_by_id_number(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, data: Form) -> Template:
        """身份证号, posted so that it stays out of URLs, logs and the browser's history."""
        return self._search_page(request, actor, reader, "id_number", str(data.get("id_number") or ""), posted=True)

    @get("/{aggregate_id:uuid}", sync_to_thread=True)
    def aggregate(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        aggregate_id: uuid.UUID,
    ) -> Template:
        events = history(reader, aggregate_id)  # 404 when the record has no history
        latest = events[-1]["version"]
        raw_version = request.query_params.get("version")
        raw_at = (request.query_params.get("at") or "").strip()
        error = None
        state = None
        try:
            version = _parse_version(raw_version)
            if raw_at:
                version = version_at(reader, aggregate_id, _parse_time(raw_at))
            if version is not None and version > latest:
                raise InvalidInput("audit.version_beyond", f"该记录只有 {latest} 个版本", field="version")
            replay = state_of(services.store, aggregate_id, version)
            state = {**replay, "fields": fields_of(dict(sorted(replay["state"].items())), replay["type"])}
        except DomainError as exc:
            error = exc.message
        except Exception:  # a hand-edited event row may not even decode
            error = "无法重放该记录：其存储事件无法解析，可能已被篡改，请运行审计链校验"
        return page(
            request, "audit_aggregate.html", actor, status_code=422 if error else 200, aggregate_id=aggregate_id,
            events=events, latest=latest, state=state, error=error, kind_label=aggregate_label(events[0]["aggregate_type"]),
            form={"version": raw_version or "", "at": raw_at},
        )
