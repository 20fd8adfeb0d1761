"""Public portal pages (no login): quick registration (快速报名, requirements/admissions.md §3) with name,
mobile, intended major and the teaching point. The form lands in that teaching point's
初审报名表 list. Posted like every other form, with the CSRF token."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template
from sqlalchemy import Connection

from application.organisation.queries import teaching_point_choices, the_school
from domains.shared.errors import DomainError
from infrastructure.container import Container
from interfaces.admin.common.forms import Form, error_field
from interfaces.admin.common.rendering import page
from interfaces.http.context import ANONYMOUS


def _school_name(reader: Connection) -> str:
    school = the_school(reader)
    return str(school["name"]) if school else "开放大学"


class PortalPages(Controller):
    """No staff actor here: the services and the read connection only."""

    path = "/register"

    def _form(self, request: Request[Any, Any, Any], reader: Connection, form: dict[str, Any], status_code: int = 200,
              **context: Any) -> Template:
        return page(request, "portal_register.html", None, status_code=status_code, form=form,
                    points=teaching_point_choices(reader), school_name=_school_name(reader), **context)

    @get("/", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], reader: Connection) -> Template:
        return self._form(request, reader, {})

    @post("/", sync_to_thread=True)
    def register(self, request: Request[Any, Any, Any], services: Container, reader: Connection, data: Form) -> Response[Any]:
        chosen = str(data.get("teaching_point_id") or "")
        known = chosen in {str(p["id"]) for p in teaching_point_choices(reader)}
        if not known:
            return self._form(request, reader, data, 422, error="请选择报名的教学点", error_field="teaching_point_id")
        try:
            services.admissions.quick_register(
                ANONYMOUS, str(data.get("name") or ""), str(data.get("mobile") or ""),
                str(data.get("intended_major") or ""), uuid.UUID(chosen),
            )
        except DomainError as exc:
            return self._form(request, reader, data, 422, error=exc.message, error_field=error_field(exc))
        # Only the teaching point's id travels in the URL: no personal data in URLs.
        return Redirect(f"/register/thanks?tp={chosen}")

    @get("/thanks", sync_to_thread=True)
    def thanks(self, request: Request[Any, Any, Any], reader: Connection) -> Template:
        chosen = str(request.query_params.get("tp") or "")
        point = next((p for p in teaching_point_choices(reader) if str(p["id"]) == chosen), None)
        return page(request, "portal_thanks.html", None, point=point, school_name=_school_name(reader))
