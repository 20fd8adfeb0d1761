"""Signing in and out of the admin UI, the home page, and each staff member's own settings
(个人信息, 头像, 修改密码)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from sqlalchemy import Connection

from application.common.actor import Actor
from application.identity.queries import get_account
from application.identity.service import AVATAR_MAX_BYTES
from domains.shared.errors import DomainError
from domains.shared.values import Role
from infrastructure.container import Container
from interfaces.admin.common.forms import Form, done
from interfaces.admin.common.rendering import page
from interfaces.admin.common.session import COOKIE, expired_cookie, session_cookie
from interfaces.http.avatars import avatar_response
from interfaces.http.context import client_address, login


class SessionController(Controller):
    """Signing in and out: no staff actor yet (or any more), only the services."""

    path = "/admin"

    @get("/login", sync_to_thread=True)
    def login_form(self, request: Request[Any, Any, Any]) -> Template:
        return page(request, "login.html", None)

    @post("/login", sync_to_thread=True)
    def login(self, request: Request[Any, Any, Any], services: Container, data: Form) -> Response[Any]:
        username = str(data.get("username", ""))
        try:
            actor, token, _ = login(services, username, str(data.get("password", "")), client_address(request), "admin")
        except DomainError as exc:
            return page(request, "login.html", None, status_code=200, error=exc.message, username=username)
        if not (actor.is_staff or actor.is_training_admin):
            services.sessions.close(token)
            message = "参训教师请从教师培训平台登录" if actor.has(Role.TRAINEE) else "学生请使用学习平台登录"
            return page(request, "login.html", None, error=message, username=username)
        response = Redirect("/admin/")
        response.set_cookie(session_cookie(request, token, services.settings.session_minutes * 60))
        return response

    @post("/logout", sync_to_thread=True)
    def logout(self, request: Request[Any, Any, Any], services: Container) -> Response[Any]:
        services.sessions.close(request.cookies.get(COOKIE))
        response = Redirect("/admin/login")
        response.set_cookie(expired_cookie(request))
        return response


class MeController(Controller):
    path = "/admin/me"

    @get("/", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        account = get_account(reader, actor, actor.user_id)  # type: ignore[arg-type]
        return page(request, "me.html", actor, account=account, form=account)

    @post("/", sync_to_thread=True)
    def edit(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Form
    ) -> Response[Any]:
        try:
            services.identity.edit_personal_info(
                actor, name=data.get("name", ""), gender=data.get("gender") or None,
                id_number=data.get("id_number") or None, mobile=data.get("mobile") or None, email=data.get("email") or None,
            )
        except DomainError as exc:
            account = get_account(reader, actor, actor.user_id)  # type: ignore[arg-type]
            return page(request, "me.html", actor, status_code=422, account=account, form=data, error=exc.message)
        return done(request, "/admin/me", "个人信息已保存")

    @get("/avatar", sync_to_thread=True)
    def avatar(self, actor: Actor, services: Container) -> Response[bytes]:
        return avatar_response(services, actor)

    @post("/avatar", sync_to_thread=True)
    def upload_avatar(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        data: Annotated[UploadFile, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[Any]:
        try:
            services.identity.change_avatar(actor, data.file.read(AVATAR_MAX_BYTES + 1))
        except DomainError as exc:
            account = get_account(reader, actor, actor.user_id)  # type: ignore[arg-type]
            return page(request, "me.html", actor, status_code=422, account=account, form=account, error=exc.message)
        return done(request, "/admin/me", "头像已更新")

    @get("/password", sync_to_thread=True)
    def password_form(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        return page(request, "password.html", actor)

    @post("/password", sync_to_thread=True)
    def password(self, request: Request[Any, Any, Any], actor: Actor, services: Container, data: Form) -> Response[Any]:
        try:
            services.identity.change_password(
                actor, data.get("current_password", ""), data.get("new_password", ""), data.get("confirm_password", "")
            )
        except DomainError as exc:
            return page(request, "password.html", actor, status_code=422, error=exc.message)
        return done(request, "/admin/me", "密码已修改")
