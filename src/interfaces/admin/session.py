"""Admin UI sessions: an HttpOnly cookie bound to a server-side session, and flash messages."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.exceptions import HTTPException

from application.common.actor import Actor
from interfaces.http.context import container_of, resolve_actor

COOKIE = "eduledger_admin"
FLASH = "eduledger_flash"


class LoginRequired(HTTPException):
    status_code = 303


def cookie_secure(request: Request[Any, Any, Any]) -> bool:
    return container_of(request).settings.cookie_secure


def admin_actor(request: Request[Any, Any, Any]) -> Actor:
    actor = resolve_actor(container_of(request), request.cookies.get(COOKIE), "admin")
    if actor is None or not (actor.is_staff or actor.is_training_admin):
        raise LoginRequired(detail="请先登录")
    return actor


def session_cookie(request: Request[Any, Any, Any], token: str, max_age: int) -> Cookie:
    return Cookie(
        key=COOKIE, value=token, max_age=max_age, httponly=True, secure=cookie_secure(request), samesite="lax", path="/"
    )


def expired_cookie(request: Request[Any, Any, Any]) -> Cookie:
    return Cookie(key=COOKIE, value="", max_age=0, httponly=True, secure=cookie_secure(request), samesite="lax", path="/")


def flash(request: Request[Any, Any, Any], response: Response[Any], message: str) -> Response[Any]:
    """A one-time message shown on the next page (kept in a short-lived cookie)."""
    response.set_cookie(
        key=FLASH, value=message.encode().hex(), max_age=60, httponly=True, secure=cookie_secure(request),
        samesite="lax", path="/admin",
    )
    return response


def take_flash(request: Request[Any, Any, Any]) -> str | None:
    raw = request.cookies.get(FLASH)
    if not raw:
        return None
    try:
        return bytes.fromhex(raw).decode()
    except ValueError:
        return None
