"""Getting onto the training platform: registration (the first login, inside the school's campus
ranges), SMS and WeChat login with their simulators, and binding them to an account."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, get, post
from sqlalchemy import Connection

from application.common.actor import Actor
from application.identity.queries import actor_for, get_account
from application.training import learning_queries as q
from domains.shared.errors import NotFound
from infrastructure.container import Container
from interfaces.http.api.common import (
    AccountOut,
    RegisteredOut,
    SessionOut,
    out,
)
from interfaces.http.api.training.schemas import (
    MobileIn,
    RegistrationIn,
    SchoolChoiceOut,
    SmsLoginIn,
    SmsSentOut,
    WeChatAuthorizeIn,
    WeChatCodeIn,
    WeChatCodeOut,
)
from interfaces.http.context import client_address
from interfaces.http.errors import Unauthenticated


def _session(services: Container, reader: Connection, account_id: uuid.UUID) -> SessionOut:
    """A session for the account the code proved, unless it has been disabled meanwhile."""
    actor = actor_for(reader, account_id)
    if actor is None:
        raise Unauthenticated("auth.account_disabled", "该账号已停用")
    token, expires = services.sessions.open(account_id, "api")
    return SessionOut(token=token, expires_at=expires, account=out(get_account(reader, actor, account_id), AccountOut))


class TrainingAccessController(Controller):
    """Registration (the first login, inside the campus ranges) and WeChat / SMS login."""

    path = "/training"
    tags = ["training"]

    @get("/public/schools", sync_to_thread=True)
    def school_choices(self, reader: Connection) -> list[SchoolChoiceOut]:
        return out(q.school_choices(reader), list[SchoolChoiceOut])

    @post("/registrations", sync_to_thread=True, status_code=201)
    def register(self, request: Request[Any, Any, Any], services: Container, data: RegistrationIn) -> RegisteredOut:
        account_id = services.training.trainees.register(
            school_id=data.school_id, address=client_address(request), unit_name=data.unit_name,
            username=data.username, name=data.name, password=data.password, confirm_password=data.confirm_password,
            mobile=data.mobile,
        )
        return RegisteredOut(account_id=account_id, username=data.username.strip())

    @post("/auth/sms-codes", sync_to_thread=True, status_code=202)
    def sms_code(self, request: Request[Any, Any, Any], services: Container, data: MobileIn) -> SmsSentOut:
        services.training.trainees.request_sms_code(data.mobile, client_address(request))
        return SmsSentOut(sent=True)

    @post("/auth/sms-login", sync_to_thread=True, status_code=200)
    def sms_login(self, services: Container, reader: Connection, data: SmsLoginIn) -> SessionOut:
        return _session(services, reader, services.training.trainees.sms_login(data.mobile, data.code))

    @post("/auth/wechat-login", sync_to_thread=True, status_code=200)
    def wechat_login(self, services: Container, reader: Connection, data: WeChatCodeIn) -> SessionOut:
        return _session(services, reader, services.training.trainees.wechat_login(data.code))

    @post("/simulators/wechat/authorize", sync_to_thread=True, status_code=200)
    def wechat_simulator(self, services: Container, data: WeChatAuthorizeIn) -> WeChatCodeOut:
        """The embedded WeChat OAuth simulator: an authorisation code for a named WeChat user."""
        wechat = services.training.wechat
        if not hasattr(wechat, "authorize"):
            raise NotFound("not_found", "未启用微信登录模拟器")
        return WeChatCodeOut(code=wechat.authorize(data.wechat_user.strip()[:64] or "wechat-user"))

    @post("/me/bindings/wechat", sync_to_thread=True, status_code=204)
    def bind_wechat(self, actor: Actor, services: Container, data: WeChatCodeIn) -> None:
        services.training.trainees.bind_wechat(actor, data.code)

    @post("/me/bindings/mobile", sync_to_thread=True, status_code=204)
    def bind_mobile(self, actor: Actor, services: Container, data: SmsLoginIn) -> None:
        services.training.trainees.bind_mobile(actor, data.mobile, data.code)
