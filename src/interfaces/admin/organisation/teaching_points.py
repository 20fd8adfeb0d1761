"""教学点 pages: the list of teaching points, one point's details with its contact details and
audit tab, and the system administrator's new / enable / disable."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Template

from application.common.queries import Page
from application.organisation.queries import get_teaching_point, list_teaching_points
from domains.shared.errors import DomainError
from domains.shared.values import Role
from interfaces.admin.common.forms import Form, done
from interfaces.admin.common.rendering import audit_tab, page
from interfaces.admin.common.session import admin_actor
from interfaces.http.context import container_of


class TeachingPointPages(Controller):
    path = "/admin/teaching-points"

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], q: str | None = None) -> Template:
        actor = admin_actor(request)
        raw_page = str(request.query_params.get("page") or "1")
        number = int(raw_page) if raw_page.isdigit() else 1
        with container_of(request).engine.connect() as conn:
            result = list_teaching_points(conn, actor, Page(number=number), q)
        return page(request, "teaching_points.html", actor, result=result)

    @get("/{teaching_point_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], teaching_point_id: uuid.UUID) -> Template:
        actor = admin_actor(request)
        with container_of(request).engine.connect() as conn:
            point = get_teaching_point(conn, actor, teaching_point_id)
        return page(request, "teaching_point.html", actor, point=point, form=point, history=audit_tab(request, teaching_point_id))

    @post("/{teaching_point_id:uuid}/contact-details", sync_to_thread=True)
    def edit_contact(self, request: Request[Any, Any, Any], teaching_point_id: uuid.UUID, data: Form) -> Response[Any]:
        actor = admin_actor(request)
        try:
            container_of(request).organisation.edit_contact_details(
                actor, teaching_point_id, data.get("address"), data.get("recruiters", ""), data.get("phones", ""),
                data.get("reason") or None,
            )
        except DomainError as exc:
            with container_of(request).engine.connect() as conn:
                point = get_teaching_point(conn, actor, teaching_point_id)
            return page(
                request, "teaching_point.html", actor, status_code=422, point=point, form=data, error=exc.message,
                history=audit_tab(request, teaching_point_id),
            )
        return done(request, f"/admin/teaching-points/{teaching_point_id}", "教学点信息已保存")

    # -- the system administrator: new teaching points, enabling and disabling ------------------

    @get("/new", sync_to_thread=True)
    def new(self, request: Request[Any, Any, Any]) -> Template:
        actor = admin_actor(request)
        actor.require(Role.SYSTEM_ADMIN)
        return page(request, "teaching_point_new.html", actor, form={})

    @post("/new", sync_to_thread=True)
    def create(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        actor = admin_actor(request)
        try:
            tp_id = container_of(request).organisation.register_teaching_point(
                actor, str(data.get("code", "")), str(data.get("name", "")), data.get("address") or None,
                str(data.get("recruiters", "")), str(data.get("phones", "")),
            )
        except DomainError as exc:
            status = {"forbidden": 403, "invalid": 422}.get(exc.kind, 409)
            return page(request, "teaching_point_new.html", actor, status_code=status, form=data, error=exc.message)
        return done(request, f"/admin/teaching-points/{tp_id}", "教学点已创建")

    @post("/{teaching_point_id:uuid}/enable", sync_to_thread=True)
    def enable(self, request: Request[Any, Any, Any], teaching_point_id: uuid.UUID, data: Form) -> Response[Any]:
        return self._set_enabled(request, teaching_point_id, True, data)

    @post("/{teaching_point_id:uuid}/disable", sync_to_thread=True)
    def disable(self, request: Request[Any, Any, Any], teaching_point_id: uuid.UUID, data: Form) -> Response[Any]:
        return self._set_enabled(request, teaching_point_id, False, data)

    def _set_enabled(
        self, request: Request[Any, Any, Any], teaching_point_id: uuid.UUID, enabled: bool, data: dict[str, Any]
    ) -> Response[Any]:
        actor = admin_actor(request)
        try:
            container_of(request).organisation.set_enabled(actor, teaching_point_id, enabled, data.get("reason") or None)
        except DomainError as exc:
            if exc.kind == "not_found":
                raise
            with container_of(request).engine.connect() as conn:
                point = get_teaching_point(conn, actor, teaching_point_id)
            return page(
                request, "teaching_point.html", actor, status_code=403 if exc.kind == "forbidden" else 409, point=point,
                form=point, error=exc.message, history=audit_tab(request, teaching_point_id),
            )
        return done(request, f"/admin/teaching-points/{teaching_point_id}", "教学点已启用" if enabled else "教学点已停用")
