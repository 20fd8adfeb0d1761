"""Role checks of the admin pages as Litestar guards: a controller or handler declares who may
open it (`guards=[requires_role(Role.FINANCE)]`), and the auditor's read-only rule holds for all."""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Any

import anyio.to_thread
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from domains.shared.errors import Forbidden
from domains.shared.values import Role
from interfaces.admin.common.session import COOKIE, current_actor
from interfaces.http.context import container_of, resolve_actor

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Coroutine[Any, Any, None]]


# Posts an auditor may still make: signing in and out, their own personal settings, and the
# record search by ID number (posted to keep the number out of URLs; it changes nothing).
AUDITOR_MAY_POST = re.compile(r"^/admin/(login|logout|me(/.*)?|audit/aggregates)/?$")


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


def requires_role(*roles: Role) -> Guard:
    """Only an actor holding one of `roles` may open the page; anyone else gets the 403 page,
    refused as the use cases refuse a role (naming the roles needed). The use cases still decide
    on every action (scope, state); a guard keeps a page a role has no business with from
    rendering at all."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        actor = await current_actor(connection)
        actor.require(*roles)

    return guard
