"""Auditors' pages: the audit-chain check over every stored event, and any record's history
with its metadata and its state replayed as of a version or a time. Auditor only: other roles
get the 403 page. Auditors change nothing: the admin router refuses their form posts."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.response import Redirect, Template

from application.audit.queries import history, state_of, version_at
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.values import Role
from infrastructure import audit_checkpoints
from infrastructure.clock import SHANGHAI
from interfaces.admin.common.rendering import page
from interfaces.admin.common.session import admin_actor
from interfaces.http.context import container_of

BREAK_KINDS = {"altered": "内容被修改", "removed": "事件被删除", "inserted": "链外插入", "checkpoint": "检查点无效"}
LATEST_CHECKPOINTS = 10


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str, indent=1)


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


def _checkpoint_rows(engine: Any, key: Any, breaks: list[Any]) -> list[dict[str, Any]]:
    """The latest signed checkpoints; one holds while its signature verifies and nothing at or
    before its position is broken (the log still extends it)."""
    rows = []
    for cp in audit_checkpoints.stored(engine, limit=LATEST_CHECKPOINTS):
        if key is None or cp.key_id != audit_checkpoints.key_id(key):
            status = "unverifiable"
        elif audit_checkpoints.signature_valid(cp, key) and not any(b.notification_id <= cp.position for b in breaks):
            status = "holds"
        else:
            status = "broken"
        rows.append({"position": cp.position, "taken_at": cp.taken_at, "link": cp.link[:16], "key_id": cp.key_id, "status": status})
    return rows


class AuditPages(Controller):
    path = "/admin/audit"

    @get("/chain", sync_to_thread=True)
    def chain(self, request: Request[Any, Any, Any]) -> Template:
        actor = admin_actor(request)
        actor.require(Role.AUDITOR)
        c = container_of(request)
        key, key_error = None, None
        if c.settings.checkpoint_public_key:
            try:
                key = audit_checkpoints.load_public_key(c.settings.checkpoint_public_key)
            except audit_checkpoints.CheckpointError as exc:
                key_error = str(exc)
        checked, breaks = audit_checkpoints.verify_all(c.engine, key)
        return page(
            request, "audit_chain.html", actor, checked=checked, breaks=breaks, kinds=BREAK_KINDS,
            checked_at=c.clock.now(), checkpoints=_checkpoint_rows(c.engine, key, breaks), has_key=key is not None,
            key_error=key_error,
        )

    @get("/aggregates", sync_to_thread=True)
    def find(self, request: Request[Any, Any, Any]) -> Response[Any]:
        """The record-id search box: goes to that record's history."""
        actor = admin_actor(request)
        actor.require(Role.AUDITOR)
        raw = (request.query_params.get("aggregate_id") or "").strip()
        if raw:
            try:
                return Redirect(f"/admin/audit/aggregates/{uuid.UUID(raw)}")
            except ValueError:
                return page(request, "audit_find.html", actor, status_code=422, error="记录ID格式不正确", aggregate_id=raw)
        return page(request, "audit_find.html", actor, aggregate_id="")

    @get("/aggregates/{aggregate_id:uuid}", sync_to_thread=True)
    def aggregate(self, request: Request[Any, Any, Any], aggregate_id: uuid.UUID) -> Template:
        actor = admin_actor(request)
        actor.require(Role.AUDITOR)
        c = container_of(request)
        with c.engine.connect() as conn:
            events = history(conn, aggregate_id)  # 404 when the record has no history
        latest = events[-1]["version"]
        raw_version = request.query_params.get("version")
        raw_at = (request.query_params.get("at") or "").strip()
        error = None
        state = None
        try:
            version = _parse_version(raw_version)
            if raw_at:
                with c.engine.connect() as conn:
                    version = version_at(conn, aggregate_id, _parse_time(raw_at))
            if version is not None and version > latest:
                raise InvalidInput("audit.version_beyond", f"该记录只有 {latest} 个版本", field="version")
            replay = state_of(c.store, aggregate_id, version)
            state = {**replay, "fields": [(k, _shown(v)) for k, v in sorted(replay["state"].items())]}
        except DomainError as exc:
            error = exc.message
        except Exception:  # noqa: BLE001  (a hand-edited event row may not even decode)
            error = "无法重放该记录：其存储事件无法解析，可能已被篡改，请运行审计链校验"
        return page(
            request, "audit_aggregate.html", actor, status_code=422 if error else 200, aggregate_id=aggregate_id,
            events=events, latest=latest, state=state, error=error,
            form={"version": raw_version or "", "at": raw_at},
        )
