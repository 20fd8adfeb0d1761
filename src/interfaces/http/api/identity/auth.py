"""Login, logout, learner account activation and the actor's own account."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, patch, post, put
from sqlalchemy import Connection

from application.common.actor import Actor
from application.identity.queries import get_account
from application.identity.service import AVATAR_MAX_BYTES
from infrastructure.container import Container
from interfaces.http.api.common import (
    AccountOut,
    RegisteredOut,
    SessionOut,
    one_file,
    out,
)
from interfaces.http.api.identity.schemas import (
    ActivationIn,
    AvatarOut,
    AvatarUpload,
    LoginIn,
    PasswordIn,
    PersonalInfoIn,
)
from interfaces.http.avatars import avatar_response
from interfaces.http.context import bearer_token, client_address, login


def _own_account(reader: Connection, actor: Actor) -> AccountOut:
    return out(get_account(reader, actor, actor.user_id), AccountOut)  # type: ignore[arg-type]


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post("/login", sync_to_thread=True, status_code=200)
    def login(
        self, request: Request[Any, Any, Any], services: Container, reader: Connection, data: LoginIn
    ) -> SessionOut:
        actor, token, expires = login(services, data.username, data.password, client_address(request), "api")
        return SessionOut(token=token, expires_at=expires, account=_own_account(reader, actor))

    @post("/logout", sync_to_thread=True, status_code=204)
    def logout(self, request: Request[Any, Any, Any], services: Container) -> None:
        services.sessions.close(bearer_token(request))

    @post("/learner-activation", sync_to_thread=True, status_code=201)
    def activate(self, services: Container, data: ActivationIn) -> RegisteredOut:
        account_id = services.identity.activate_learner_account(
            data.student_number, data.id_number, data.password, data.confirm_password
        )
        return RegisteredOut(account_id=account_id, username=data.student_number.strip())


class MeController(Controller):
    path = "/me"
    tags = ["auth"]

    @get("/", sync_to_thread=True)
    def me(self, actor: Actor, reader: Connection) -> AccountOut:
        return _own_account(reader, actor)

    @patch("/", sync_to_thread=True)
    def edit(self, actor: Actor, services: Container, reader: Connection, data: PersonalInfoIn) -> AccountOut:
        services.identity.edit_personal_info(
            actor, name=data.name, gender=data.gender, id_number=data.id_number, mobile=data.mobile, email=data.email
        )
        return _own_account(reader, actor)

    @put("/avatar", sync_to_thread=True, status_code=200)
    def upload_avatar(self, actor: Actor, services: Container, data: AvatarUpload) -> AvatarOut:
        _, content = one_file(data, AVATAR_MAX_BYTES, "upload.file_required", "请选择要上传的头像图片（一次一个）")
        return AvatarOut(avatar_ref=services.identity.change_avatar(actor, content))

    @get("/avatar", sync_to_thread=True, media_type="image/*")
    def avatar(self, actor: Actor, services: Container) -> Response[bytes]:
        return avatar_response(services, actor)

    @post("/password", sync_to_thread=True, status_code=204)
    def password(self, actor: Actor, services: Container, data: PasswordIn) -> None:
        services.identity.change_password(actor, data.current_password, data.new_password, data.confirm_password)
