"""Rendering admin pages: the shared context every template gets, and Chinese error pages."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import structlog
from litestar import Request, Response
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.exceptions import HTTPException
from litestar.response import Redirect, Template
from litestar.template.config import TemplateConfig
from sqlalchemy import Connection

from application.audit.fields import fields_of
from application.audit.queries import history
from application.common.actor import Actor
from domains.shared.errors import DomainError
from domains.shared.values import ROLE_LABELS, Role
from infrastructure.clock import SHANGHAI
from interfaces.admin.common.forms import PAGE_SIZES, field_message
from interfaces.admin.common.menu import can_open, menu_for, page_label
from interfaces.admin.common.session import FLASH, LoginRequired, take_flash
from interfaces.http.errors import TOO_LARGE
from interfaces.http.freshness import STALE_NOTICE, stale_read

log = structlog.get_logger(__name__)

TEMPLATES = Path(__file__).parent.parent / "templates"


def shanghai(value: Any) -> str:
    """Times are stored in UTC and shown in Asia/Shanghai."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def role_label(value: str) -> str:
    try:
        return ROLE_LABELS[Role(value)]
    except ValueError:
        return {"system": "系统", "public": "公众（门户）"}.get(value, value)


def _engine_callback(engine: JinjaTemplateEngine) -> None:
    engine.engine.filters["cst"] = shanghai
    engine.engine.filters["role_label"] = role_label
    engine.engine.filters["audit_fields"] = fields_of
    engine.engine.globals["GENDER"] = {"male": "男", "female": "女"}
    engine.engine.globals["qs"] = query_string
    engine.engine.globals["PAGE_SIZES"] = PAGE_SIZES
    engine.engine.globals["can_open"] = can_open
    engine.engine.globals["field_message"] = field_message
    engine.engine.globals["page_label"] = page_label
    # Worker mode: a page read before the read models reached the user's write says so.
    engine.engine.globals["stale_read"] = stale_read
    engine.engine.globals["STALE_NOTICE"] = STALE_NOTICE


template_config = TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine, engine_callback=_engine_callback)


def page(request: Request[Any, Any, Any], template: str, actor: Actor | None, status_code: int = 200, **context: Any) -> Template:
    message = take_flash(request)
    response = Template(
        template_name=template,
        context={
            "actor": actor,
            "menu": menu_for(actor) if actor else [],
            "flash": message,
            "path": request.url.path,
            "query": dict(request.query_params),
            **context,
        },
        status_code=status_code,
    )
    if message:
        response.delete_cookie(FLASH, path="/admin")
    if actor is not None and actor.has(*REPLAY_ROLES):
        for value in context.values():
            if isinstance(value, AuditHistory):
                value.replay_url = replay_path(value.aggregate_id)
    return response


# Who may open the auditors' replay page of any record; every audit tab links to it for them.
REPLAY_ROLES = (Role.AUDITOR,)


def replay_path(aggregate_id: uuid.UUID) -> str:
    return f"/admin/audit/aggregates/{aggregate_id}"


class AuditHistory(list[dict[str, Any]]):
    """A record's events for its audit tab. `page` sets `replay_url` when the viewer may open the
    record's replay page, so the tab's "查看回放" link shows only to them."""

    def __init__(self, events: list[dict[str, Any]], aggregate_id: uuid.UUID) -> None:
        super().__init__(events)
        self.aggregate_id = aggregate_id
        self.replay_url: str | None = None


def audit_tab(reader: Connection, aggregate_id: uuid.UUID) -> AuditHistory:
    """The event history of a record the actor was already allowed to see."""
    try:
        return AuditHistory(history(reader, aggregate_id), aggregate_id)
    except DomainError:
        return AuditHistory([], aggregate_id)


def query_string(params: dict[str, Any], **changes: Any) -> str:
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return urlencode(merged)


def login_redirect(request: Request[Any, Any, Any], _: LoginRequired) -> Response[Any]:
    return Redirect("/admin/login")


def error_page(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    status = {"not_found": 404, "forbidden": 403, "invalid": 422, "unavailable": 503}.get(exc.kind, 409)
    return _error(request, status, exc.message, exc.code)


# What Litestar itself refuses before a page runs (an upload over the request limit, a form body
# it cannot read), said in Chinese on the admin error page rather than as JSON.
HTTP_ERRORS = {
    400: ("request.invalid", "提交的内容无法识别，请检查后重新提交"),
    404: ("not_found", "页面不存在"),
    405: ("method_not_allowed", "不支持此操作方式"),
    413: ("request.too_large", TOO_LARGE),
}


def http_error_page(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    code, message = HTTP_ERRORS.get(exc.status_code, ("http.error", "请求未能完成，请稍后重试"))
    return _error(request, exc.status_code, message, code)


def _error(request: Request[Any, Any, Any], status: int, message: str, code: str) -> Response[Any]:
    from interfaces.admin.common.session import admin_actor

    try:
        actor: Actor | None = admin_actor(request)
    except LoginRequired:
        actor = None
    except Exception:  # the error page must render even when the session lookup fails
        log.exception("admin.error_page_actor_failed")
        actor = None
    return page(request, "error.html", actor, status_code=status, message=message, code=code)  # type: ignore[return-value]
