"""Admin UI routes shared by every role: login, home, personal settings, teaching points."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, Router, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from application.common.queries import Page
from application.identity.queries import get_account
from application.identity.service import AVATAR_MAX_BYTES
from application.organisation.queries import get_teaching_point, list_teaching_points
from domains.shared.errors import DomainError
from interfaces.admin.rendering import audit_tab, error_page, login_redirect, page
from interfaces.admin.session import (
    LoginRequired,
    admin_actor,
    expired_cookie,
    flash,
    session_cookie,
)
from interfaces.http.avatars import avatar_response
from interfaces.http.context import client_address, container_of, login

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def as_list(value: Any) -> list[str]:
    """A form field that may be sent once or several times (check boxes)."""
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def done(request: Request[Any, Any, Any], to: str, message: str) -> Response[Any]:
    return flash(request, Redirect(to), message)


class SessionController(Controller):
    path = "/admin"

    @get("/login", sync_to_thread=True)
    def login_form(self, request: Request[Any, Any, Any]) -> Template:
        return page(request, "login.html", None)

    @post("/login", sync_to_thread=True)
    def login(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        c = container_of(request)
        username = str(data.get("username", ""))
        try:
            actor, token, _ = login(c, username, str(data.get("password", "")), client_address(request), "admin")
        except DomainError as exc:
            return page(request, "login.html", None, status_code=200, error=exc.message, username=username)
        if not actor.is_staff:
            c.sessions.close(token)
            return page(request, "login.html", None, error="学生请使用学习平台登录", username=username)
        response = Redirect("/admin/")
        response.set_cookie(session_cookie(request, token, c.settings.session_minutes * 60))
        return response

    @post("/logout", sync_to_thread=True)
    def logout(self, request: Request[Any, Any, Any]) -> Response[Any]:
        from interfaces.admin.session import COOKIE

        container_of(request).sessions.close(request.cookies.get(COOKIE))
        response = Redirect("/admin/login")
        response.set_cookie(expired_cookie(request))
        return response

    @get("/", sync_to_thread=True)
    def home(self, request: Request[Any, Any, Any]) -> Template:
        return page(request, "home.html", admin_actor(request))


class MeController(Controller):
    path = "/admin/me"

    def _account(self, request: Request[Any, Any, Any]) -> tuple[Any, dict[str, Any]]:
        actor = admin_actor(request)
        with container_of(request).engine.connect() as conn:
            return actor, get_account(conn, actor, actor.user_id)  # type: ignore[arg-type]

    @get("/", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any]) -> Template:
        actor, account = self._account(request)
        return page(request, "me.html", actor, account=account, form=account)

    @post("/", sync_to_thread=True)
    def edit(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        actor, account = self._account(request)
        try:
            container_of(request).identity.edit_personal_info(
                actor, name=data.get("name", ""), gender=data.get("gender") or None,
                id_number=data.get("id_number") or None, mobile=data.get("mobile") or None, email=data.get("email") or None,
            )
        except DomainError as exc:
            return page(request, "me.html", actor, status_code=422, account=account, form=data, error=exc.message)
        return done(request, "/admin/me", "个人信息已保存")

    @get("/avatar", sync_to_thread=True)
    def avatar(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        return avatar_response(container_of(request), admin_actor(request))

    @post("/avatar", sync_to_thread=True)
    def upload_avatar(
        self, request: Request[Any, Any, Any], data: Annotated[UploadFile, Body(media_type=RequestEncodingType.MULTI_PART)]
    ) -> Response[Any]:
        actor, account = self._account(request)
        try:
            container_of(request).identity.change_avatar(actor, data.file.read(AVATAR_MAX_BYTES + 1))
        except DomainError as exc:
            return page(request, "me.html", actor, status_code=422, account=account, form=account, error=exc.message)
        return done(request, "/admin/me", "头像已更新")

    @get("/password", sync_to_thread=True)
    def password_form(self, request: Request[Any, Any, Any]) -> Template:
        return page(request, "password.html", admin_actor(request))

    @post("/password", sync_to_thread=True)
    def password(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        actor = admin_actor(request)
        try:
            container_of(request).identity.change_password(
                actor, data.get("current_password", ""), data.get("new_password", ""), data.get("confirm_password", "")
            )
        except DomainError as exc:
            return page(request, "password.html", actor, status_code=422, error=exc.message)
        return done(request, "/admin/me", "密码已修改")


class TeachingPointPages(Controller):
    path = "/admin/teaching-points"

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], q: str | None = None) -> Template:
        actor = admin_actor(request)
        number = int(request.query_params.get("page", 1) or 1)
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


# Each admin page module appends its controllers here.
ADMIN_CONTROLLERS: list[Any] = [SessionController, MeController, TeachingPointPages]


def admin_router() -> Router:
    from interfaces.admin import pages  # noqa: F401  (registers the remaining page controllers)

    return Router(
        path="/",
        route_handlers=ADMIN_CONTROLLERS,
        exception_handlers={LoginRequired: login_redirect, DomainError: error_page},
        include_in_schema=False,
    )
