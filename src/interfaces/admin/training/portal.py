"""What the trainee portal's pages (/training/…) share: the signed-in trainee, supplied by
injection to the handlers that name `trainee` (no trainee session is a redirect to the portal's
login page), the portal's own page rendering and its one-time messages."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.di import Provide
from litestar.response import Redirect, Template

from application.common.actor import Actor
from domains.shared.values import Role
from interfaces.admin.common.session import COOKIE, LoginRequired, cookie_secure
from interfaces.http.context import container_of, resolve_actor

BASE = "/training"
FLASH = "eduledger_training_flash"


class TraineeLoginRequired(LoginRequired):
    pass


def provide_trainee(request: Request[Any, Any, Any]) -> Actor:
    actor = resolve_actor(container_of(request), request.cookies.get(COOKIE), "admin")
    if actor is None or not actor.has(Role.TRAINEE):
        raise TraineeLoginRequired(detail="请先登录")
    return actor


def to_login(request: Request[Any, Any, Any], _: Exception) -> Response[Any]:
    return Redirect(f"{BASE}/login")


# Declared by every controller of trainee pages: `trainee: Actor` in a handler's signature.
TRAINEE_DEPENDENCIES = {"trainee": Provide(provide_trainee, sync_to_thread=True)}
TRAINEE_EXCEPTIONS: dict[int | type[Exception], Any] = {TraineeLoginRequired: to_login}


def portal(request: Request[Any, Any, Any], template: str, actor: Actor | None, status_code: int = 200,
           **context: Any) -> Template:
    raw = request.cookies.get(FLASH)
    try:
        message = bytes.fromhex(raw).decode() if raw else None
    except ValueError:
        message = None
    response = Template(template_name=template, status_code=status_code, context={
        "actor": actor, "flash": message, "path": request.url.path, "query": dict(request.query_params), **context,
    })
    if raw:
        response.delete_cookie(FLASH, path=BASE)
    return response


def done(request: Request[Any, Any, Any], to: str, message: str) -> Response[Any]:
    response = Redirect(to)
    response.set_cookie(key=FLASH, value=message.encode().hex(), max_age=60, httponly=True,
                        secure=cookie_secure(request), samesite="lax", path=BASE)
    return response
