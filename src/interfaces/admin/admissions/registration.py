"""Public portal pages (no login): quick registration (快速报名, requirements/admissions.md §3) with name,
mobile, intended major and the teaching point. The form lands in that teaching point's
初审报名表 list. Posted like every other form, with the CSRF token."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template

from application.organisation.queries import teaching_point_choices, the_school
from domains.shared.errors import DomainError
from interfaces.admin.common.forms import Form
from interfaces.admin.common.rendering import page
from interfaces.http.context import ANONYMOUS, container_of


def _points(request: Request[Any, Any, Any]) -> list[dict[str, Any]]:
    with container_of(request).engine.connect() as conn:
        return teaching_point_choices(conn)


def _school_name(request: Request[Any, Any, Any]) -> str:
    with container_of(request).engine.connect() as conn:
        school = the_school(conn)
    return str(school["name"]) if school else "开放大学"


class PortalPages(Controller):
    path = "/register"

    def _form(self, request: Request[Any, Any, Any], form: dict[str, Any], status_code: int = 200,
              **context: Any) -> Template:
        return page(request, "portal_register.html", None, status_code=status_code, form=form,
                    points=_points(request), school_name=_school_name(request), **context)

    @get("/", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any]) -> Template:
        return self._form(request, {})

    @post("/", sync_to_thread=True)
    def register(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        points = {str(p["id"]): p for p in _points(request)}
        chosen = str(data.get("teaching_point_id") or "")
        if chosen not in points:
            return self._form(request, data, 422, error="请选择报名的教学点", error_field="teaching_point_id")
        try:
            container_of(request).admissions.quick_register(
                ANONYMOUS, str(data.get("name") or ""), str(data.get("mobile") or ""),
                str(data.get("intended_major") or ""), uuid.UUID(chosen),
            )
        except DomainError as exc:
            field = exc.details.get("field")
            return self._form(request, data, 422, error=exc.message, error_field=str(field) if field else None)
        # Only the teaching point's id travels in the URL: no personal data in URLs.
        return Redirect(f"/register/thanks?tp={chosen}")

    @get("/thanks", sync_to_thread=True)
    def thanks(self, request: Request[Any, Any, Any]) -> Template:
        chosen = str(request.query_params.get("tp") or "")
        point = next((p for p in _points(request) if str(p["id"]) == chosen), None)
        return page(request, "portal_thanks.html", None, point=point, school_name=_school_name(request))
