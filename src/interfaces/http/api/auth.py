"""Login, logout, learner account activation and the actor's own account."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, patch, post, put

from application.identity.queries import get_account
from application.identity.service import AVATAR_MAX_BYTES
from interfaces.http.api.common import one_file, out, upload_body
from interfaces.http.api.organisation_out import (
    AccountOut,
    AvatarOut,
    RegisteredOut,
    SessionOut,
)
from interfaces.http.avatars import avatar_response
from interfaces.http.context import (
    api_actor,
    bearer_token,
    client_address,
    container_of,
    login,
)

AvatarUpload = upload_body("头像图片（JPEG 或 PNG）")


class LoginIn(msgspec.Struct):
    username: str = msgspec.field()
    password: str


class ActivationIn(msgspec.Struct):
    student_number: str
    id_number: str
    password: str
    confirm_password: str


class PersonalInfoIn(msgspec.Struct):
    name: str
    gender: str | None = None
    id_number: str | None = None
    mobile: str | None = None
    email: str | None = None


class PasswordIn(msgspec.Struct):
    current_password: str
    new_password: str
    confirm_password: str


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post("/login", sync_to_thread=True, status_code=200)
    def login(self, request: Request[Any, Any, Any], data: LoginIn) -> SessionOut:
        c = container_of(request)
        actor, token, expires = login(c, data.username, data.password, client_address(request), "api")
        with c.engine.connect() as conn:
            account = get_account(conn, actor, actor.user_id)  # type: ignore[arg-type]
        return SessionOut(token=token, expires_at=expires, account=out(account, AccountOut))

    @post("/logout", sync_to_thread=True, status_code=204)
    def logout(self, request: Request[Any, Any, Any]) -> None:
        api_actor(request)
        container_of(request).sessions.close(bearer_token(request))

    @post("/learner-activation", sync_to_thread=True, status_code=201)
    def activate(self, request: Request[Any, Any, Any], data: ActivationIn) -> RegisteredOut:
        account_id = container_of(request).identity.activate_learner_account(
            data.student_number, data.id_number, data.password, data.confirm_password
        )
        return RegisteredOut(account_id=account_id, username=data.student_number.strip())


class MeController(Controller):
    path = "/me"
    tags = ["auth"]

    @get("/", sync_to_thread=True)
    def me(self, request: Request[Any, Any, Any]) -> AccountOut:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return out(get_account(conn, actor, actor.user_id), AccountOut)  # type: ignore[arg-type]

    @patch("/", sync_to_thread=True)
    def edit(self, request: Request[Any, Any, Any], data: PersonalInfoIn) -> AccountOut:
        actor = api_actor(request)
        c = container_of(request)
        c.identity.edit_personal_info(
            actor, name=data.name, gender=data.gender, id_number=data.id_number, mobile=data.mobile, email=data.email
        )
        with c.engine.connect() as conn:
            return out(get_account(conn, actor, actor.user_id), AccountOut)  # type: ignore[arg-type]

    @put("/avatar", sync_to_thread=True, status_code=200)
    def upload_avatar(
        self, request: Request[Any, Any, Any], data: AvatarUpload
    ) -> AvatarOut:
        actor = api_actor(request)
        _, content = one_file(data, AVATAR_MAX_BYTES, "upload.file_required", "请选择要上传的头像图片（一次一个）")
        ref = container_of(request).identity.change_avatar(actor, content)
        return AvatarOut(avatar_ref=ref)

    @get("/avatar", sync_to_thread=True, media_type="image/*")
    def avatar(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        actor = api_actor(request)
        return avatar_response(container_of(request), actor)

    @post("/password", sync_to_thread=True, status_code=204)
    def password(self, request: Request[Any, Any, Any], data: PasswordIn) -> None:
        actor = api_actor(request)
        container_of(request).identity.change_password(
            actor, data.current_password, data.new_password, data.confirm_password
        )
