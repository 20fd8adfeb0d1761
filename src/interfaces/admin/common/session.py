"""Admin UI sessions: an HttpOnly cookie bound to a server-side session, and flash messages."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import HTTPException

from application.common.actor import Actor
from interfaces.http.context import container_of, resolve_actor

COOKIE = "eduledger_admin"
FLASH = "eduledger_flash"
_ACTOR_KEY = "eduledger_admin_actor"


class LoginRequired(HTTPException):
    status_code = 303


def cookie_secure(request: Request[Any, Any, Any]) -> bool:
    return container_of(request).settings.cookie_secure


def admin_actor(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    """The signed-in staff member, resolved once per request (guards, dependencies and the error
    page ask again); no staff session is a redirect to the login page."""
    cached = connection.scope.get("state", {}).get(_ACTOR_KEY)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    actor = resolve_actor(container_of(connection), connection.cookies.get(COOKIE), "admin")  # type: ignore[arg-type]
    if actor is None or not (actor.is_staff or actor.is_training_admin):
        raise LoginRequired(detail="请先登录")
    connection.scope.setdefault("state", {})[_ACTOR_KEY] = actor
    return actor


async def current_actor(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    """`admin_actor` off the event loop (the session lookup reads the database)."""
    return await anyio.to_thread.run_sync(admin_actor, connection)


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
