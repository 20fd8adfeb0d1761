"""审计日志: every event of every record, newest first, filtered by user, role, teaching point,
kind of event and Beijing dates, paged, and exported to Excel (every matching row, read in
batches and written to a temporary file that is streamed out). Auditors only: the log spans
every teaching point's records, and teaching-point staff read their own records' audit tabs."""

from __future__ import annotations

import os
import tempfile
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.response import Template
from sqlalchemy import Connection

from application.audit.log import (
    FILTER_KEYS,
    LogFilter,
    kind_choices,
    log_page,
    log_rows,
    parse_filter,
    role_choices,
    teaching_point_choices,
)
from application.common.actor import Actor
from application.common.queries import Page
from domains.shared.errors import DomainError
from infrastructure.clock import SHANGHAI
from infrastructure.container import Container
from interfaces.admin.common.exports import write_workbook, xlsx_file_response
from interfaces.admin.common.forms import error_field, page_number
from interfaces.admin.common.guards import requires_role
from interfaces.admin.common.rendering import REPLAY_ROLES, page

EXPORT_COLUMNS = (
    ("recorded_at", "时间（北京时间）"), ("actor_label", "操作人"), ("role_label", "角色"),
    ("teaching_point_name", "操作教学点"), ("aggregate_label", "记录类型"), ("event_label", "事件"),
    ("originator_id", "记录ID"), ("version", "版本"), ("reason", "原因/意见"), ("correlation_id", "关联号"),
    ("content", "内容"),
)


PAGE_SIZES = ("20", "50", "100", "200")


def _params(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {k: str(v).strip() for k in FILTER_KEYS if (v := request.query_params.get(k)) not in (None, "")}


def _page(request: Request[Any, Any, Any], params: dict[str, str]) -> Page:
    """The page asked for, newest first; a chosen page size stays in the pager's links."""
    size = str(request.query_params.get("page_size") or "")
    if size in PAGE_SIZES:
        params["page_size"] = size
    return Page(number=page_number(request), size=int(size) if size in PAGE_SIZES else int(PAGE_SIZES[0]))


class AuditLogPages(Controller):
    path = "/admin/audit/log"
    guards = [requires_role(*REPLAY_ROLES)]

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        params = _params(request)
        choices = {
            "roles": role_choices(), "kinds": kind_choices(), "points": teaching_point_choices(reader),
        }
        try:
            filters = parse_filter(reader, params)
        except DomainError as exc:
            if exc.kind != "invalid":
                raise
            return page(request, "audit_log.html", actor, status_code=422, params=params, result=None,
                        error=exc.message, error_field=next(iter(error_field(exc)), None), **choices)
        query = dict(params)
        result = log_page(reader, filters, _page(request, query))
        unknown_user = filters.actor_ids == () and "user" in params
        return page(request, "audit_log.html", actor, params=params, query=query, result=result,
                    unknown_user=unknown_user, **choices)

    @get("/export.xlsx", sync_to_thread=True)
    def export(self, request: Request[Any, Any, Any], services: Container, reader: Connection) -> Response[Any]:
        filters: LogFilter = parse_filter(reader, _params(request))  # a bad filter is the 422 page
        handle, path = tempfile.mkstemp(prefix="eduledger-audit-log-", suffix=".xlsx")
        try:
            with os.fdopen(handle, "wb") as out:
                write_workbook(out, "审计日志", EXPORT_COLUMNS, log_rows(reader, filters))
        except BaseException:
            os.unlink(path)
            raise
        stamp = services.clock.now().astimezone(SHANGHAI).strftime("%Y%m%d%H%M")
        return xlsx_file_response(path, f"审计日志_{stamp}.xlsx", f"audit_log_{stamp}.xlsx")
