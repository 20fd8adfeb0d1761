"""审计链校验: the audit chain checked over every stored event, and the latest signed checkpoints.
Auditors only."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template

from application.common.actor import Actor
from domains.shared.values import Role
from infrastructure import audit_checkpoints
from infrastructure.container import Container
from interfaces.admin.common.guards import requires_role
from interfaces.admin.common.rendering import page

BREAK_KINDS = {"altered": "内容被修改", "removed": "事件被删除", "inserted": "链外插入", "checkpoint": "检查点无效"}
LATEST_CHECKPOINTS = 10


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
        rows.append({"position": cp.position, "taken_at": cp.taken_at,
                     "link": cp.link[:16], "key_id": cp.key_id, "status": status})
    return rows


class AuditChainPages(Controller):
    path = "/admin/audit/chain"
    guards = [requires_role(Role.AUDITOR)]

    @get("/", sync_to_thread=True)
    def chain(self, request: Request[Any, Any, Any], actor: Actor, services: Container) -> Template:
        key, key_error = None, None
        if services.settings.checkpoint_public_key:
            try:
                key = audit_checkpoints.load_public_key(services.settings.checkpoint_public_key)
            except audit_checkpoints.CheckpointError as exc:
                key_error = str(exc)
        checked, breaks = audit_checkpoints.verify_all(services.engine, key)
        return page(
            request, "audit_chain.html", actor, checked=checked, breaks=breaks, kinds=BREAK_KINDS,
            checked_at=services.clock.now(), checkpoints=_checkpoint_rows(services.engine, key, breaks),
            has_key=key is not None, key_error=key_error,
        )
