"""Role checks of whole API operations as Litestar guards: a controller or handler declares who
may call it (`guards=[requires_role(Role.AUDITOR)]`). They refuse with the same 403 problem as
the use cases' own check (`Actor.require`); the use cases still decide scope and state."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from domains.shared.errors import Forbidden
from domains.shared.values import Role
from interfaces.http.context import authenticated

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Coroutine[Any, Any, None]]


def requires_role(*roles: Role) -> Guard:
    """Only an actor holding one of `roles` may call the operation (403 `auth.role_not_allowed`)."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        (await authenticated(connection)).require(*roles)

    return guard


async def staff_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Headquarters and teaching-point staff only: learners and the training platform's people
    get 403 `auth.role_not_allowed`."""
    if not (await authenticated(connection)).is_staff:
        raise Forbidden("auth.role_not_allowed", "学生无权查看该信息")
