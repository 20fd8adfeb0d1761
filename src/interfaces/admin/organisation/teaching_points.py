"""教学点 pages: the list of teaching points, one point's details with its contact details and
audit tab, and the system administrator's new / enable / disable."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Template
from sqlalchemy import Connection

from application.common.actor import Actor
from application.organisation.queries import get_teaching_point, list_teaching_points
from domains.shared.errors import DomainError
from domains.shared.values import Role
from infrastructure.container import Container
from interfaces.admin.common.forms import Form, done, page_of, status_of
from interfaces.admin.common.guards import requires_role
from interfaces.admin.common.rendering import audit_tab, page


class TeachingPointPages(Controller):
    path = "/admin/teaching-points"

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, q: str | None = None) -> Template:
        result = list_teaching_points(reader, actor, page_of(request), q)
        return page(request, "teaching_points.html", actor, result=result)

    def _show(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, teaching_point_id: uuid.UUID,
              status_code: int = 200, **context: Any) -> Template:
        point = get_teaching_point(reader, actor, teaching_point_id)
        context.setdefault("form", point)
        return page(request, "teaching_point.html", actor, status_code=status_code, point=point,
                    history=audit_tab(reader, teaching_point_id), **context)

    @get("/{teaching_point_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, teaching_point_id: uuid.UUID) -> Template:
        return self._show(request, actor, reader, teaching_point_id)

    @post("/{teaching_point_id:uuid}/contact-details", sync_to_thread=True)
    def edit_contact(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        teaching_point_id: uuid.UUID, data: Form,
    ) -> Response[Any]:
        try:
            services.organisation.edit_contact_details(
                actor, teaching_point_id, data.get("address"), data.get("recruiters", ""), data.get("phones", ""),
                data.get("reason") or None,
            )
        except DomainError as exc:
            return self._show(request, actor, reader, teaching_point_id, 422, form=data, error=exc.message)
        return done(request, f"/admin/teaching-points/{teaching_point_id}", "教学点信息已保存")

    # -- the system administrator: new teaching points, enabling and disabling ------------------

    @get("/new", sync_to_thread=True, guards=[requires_role(Role.SYSTEM_ADMIN)])
    def new(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        return page(request, "teaching_point_new.html", actor, form={})

    @post("/new", sync_to_thread=True)
    def create(self, request: Request[Any, Any, Any], actor: Actor, services: Container, data: Form) -> Response[Any]:
        try:
            tp_id = services.organisation.register_teaching_point(
                actor, str(data.get("code", "")), str(data.get("name", "")), data.get("address") or None,
                str(data.get("recruiters", "")), str(data.get("phones", "")),
            )
        except DomainError as exc:
            return page(request, "teaching_point_new.html", actor, status_code=status_of(exc), form=data, error=exc.message)
        return done(request, f"/admin/teaching-points/{tp_id}", "教学点已创建")

    @post("/{teaching_point_id:uuid}/enable", sync_to_thread=True)
    def enable(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        teaching_point_id: uuid.UUID, data: Form,
    ) -> Response[Any]:
        return self._set_enabled(request, actor, services, reader, teaching_point_id, True, data)

    @post("/{teaching_point_id:uuid}/disable", sync_to_thread=True)
    def disable(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        teaching_point_id: uuid.UUID, data: Form,
    ) -> Response[Any]:
        return self._set_enabled(request, actor, services, reader, teaching_point_id, False, data)

    def _set_enabled(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        teaching_point_id: uuid.UUID, enabled: bool, data: dict[str, Any],
    ) -> Response[Any]:
        try:
            services.organisation.set_enabled(actor, teaching_point_id, enabled, data.get("reason") or None)
        except DomainError as exc:
            if exc.kind == "not_found":
                raise
            return self._show(request, actor, reader, teaching_point_id, 403 if exc.kind == "forbidden" else 409,
                              error=exc.message)
        return done(request, f"/admin/teaching-points/{teaching_point_id}", "教学点已启用" if enabled else "教学点已停用")
