"""Admin UI routes shared by every role: login, home, personal settings, teaching points."""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any

import anyio.to_thread
from litestar import Controller, Request, Response, Router, get, post
from litestar.connection import ASGIConnection
from litestar.exceptions import HTTPException
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Redirect, Template

from application.common.queries import Page
from application.identity.queries import get_account
from application.identity.service import AVATAR_MAX_BYTES
from application.organisation.queries import get_teaching_point, list_teaching_points
from domains.shared.errors import DomainError, Forbidden
from domains.shared.values import Role
from interfaces.admin.rendering import audit_tab, error_page, http_error_page, login_redirect, page
from interfaces.admin.session import (
    COOKIE,
    LoginRequired,
    admin_actor,
    expired_cookie,
    flash,
    session_cookie,
)
from interfaces.http.avatars import avatar_response
from interfaces.http.context import client_address, container_of, login, resolve_actor

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
        if not (actor.is_staff or actor.is_training_admin):
            c.sessions.close(token)
            message = "参训教师请从教师培训平台登录" if actor.has(Role.TRAINEE) else "学生请使用学习平台登录"
            return page(request, "login.html", None, error=message, username=username)
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


# Posts an auditor may still make: signing in and out, and their own personal settings.
AUDITOR_MAY_POST = re.compile(r"^/admin/(login|logout|me(/.*)?)/?$")


async def auditors_read_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Auditors read every history and change nothing: any other form post is refused (403),
    whatever other role the account also holds."""
    if connection.scope.get("method") in ("GET", "HEAD", "OPTIONS") or AUDITOR_MAY_POST.match(connection.url.path):
        return
    token = connection.cookies.get(COOKIE)
    if not token:
        return
    actor = await anyio.to_thread.run_sync(resolve_actor, container_of(connection), token, "admin")  # type: ignore[arg-type]
    if actor is not None and Role.AUDITOR in actor.roles:
        raise Forbidden("audit.read_only", "审计角色只能查看，不能修改任何数据")


# Each admin page module appends its controllers here.
ADMIN_CONTROLLERS: list[Any] = [SessionController, MeController, TeachingPointPages]


def admin_router() -> Router:
    from interfaces.admin import pages  # noqa: F401  (registers the remaining page controllers)

    return Router(
        path="/",
        route_handlers=ADMIN_CONTROLLERS,
        exception_handlers={LoginRequired: login_redirect, DomainError: error_page, HTTPException: http_error_page},
        guards=[auditors_read_only],
        include_in_schema=False,
    )
