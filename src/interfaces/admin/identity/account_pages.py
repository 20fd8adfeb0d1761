"""Signing in and out of the admin UI, the home page, and each staff member's own settings
(个人信息, 头像, 修改密码)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from application.identity.queries import get_account
from application.identity.service import AVATAR_MAX_BYTES
from domains.shared.errors import DomainError
from domains.shared.values import Role
from interfaces.admin.common.forms import Form, done
from interfaces.admin.common.rendering import page
from interfaces.admin.common.session import (
    COOKIE,
    admin_actor,
    expired_cookie,
    session_cookie,
)
from interfaces.http.avatars import avatar_response
from interfaces.http.context import client_address, container_of, login


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

        container_of(request).sessions.close(request.cookies.get(COOKIE))
        response = Redirect("/admin/login")
        response.set_cookie(expired_cookie(request))
        return response


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
