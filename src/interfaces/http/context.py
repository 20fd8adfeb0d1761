"""Per-request plumbing: the container, the acting user, the correlation id and log context."""

from __future__ import annotations

import contextlib
import time
import uuid
from typing import Any

import anyio
import structlog
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send

from application.common.actor import Actor
from application.common.context import correlation_id, last_position
from application.identity.queries import actor_for
from application.training.learning_queries import with_training_school
from domains.shared.errors import InvalidInput
from domains.shared.values import TRAINING_ROLES
from infrastructure.container import Container
from interfaces.http.errors import TooManyAttempts, Unauthenticated

log = structlog.get_logger("eduledger.http")

ANONYMOUS = Actor(user_id=None, username="anonymous", name="访客")


def container_of(request: Request[Any, Any, Any]) -> Container:
    return request.app.state.container  # type: ignore[no-any-return]


def bearer_token(request: Request[Any, Any, Any]) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def resolve_actor(container: Container, token: str | None, kind: str) -> Actor | None:
    account_id = container.sessions.resolve(token, kind)
    if account_id is None:
        return None
    with container.engine.connect() as conn:
        actor = actor_for(conn, account_id)
        actor = with_training_school(conn, actor) if actor else None
    structlog.contextvars.bind_contextvars(actor=actor.username if actor else None)
    return actor


_ACTOR = "api_actor"


def api_actor(request: Request[Any, Any, Any] | ASGIConnection[Any, Any, Any, Any]) -> Actor:
    """The API authenticates by bearer token only, so cookies can never forge an API call."""
    actor: Actor | None = request.state.get(_ACTOR)
    if actor is not None:
        structlog.contextvars.bind_contextvars(actor=actor.username)
        return actor
    actor = resolve_actor(container_of(request), bearer_token(request), "api")  # type: ignore[arg-type]
    if actor is None:
        raise Unauthenticated("auth.required", "请先登录（缺少或无效的访问令牌）")
    request.state[_ACTOR] = actor
    return actor


async def authenticated(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    """`api_actor` for async code (guards, dependencies): the token is resolved off the event
    loop, once per request; the cached actor is then bound to this request's log context."""
    if connection.state.get(_ACTOR) is None:
        await anyio.to_thread.run_sync(api_actor, connection)
    return api_actor(connection)


async def require_login(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Guard of the whole API: an operation not declared public (`contract.PUBLIC_OPERATIONS`)
    answers 401 without a valid token, before its body or parameters are even read, so the
    published security of each operation is what the server does."""
    # OPTIONS is Litestar's own answer listing the allowed methods (a CORS preflight has no token).
    if not handler.opt.get("public") and connection.scope["method"] != "OPTIONS":
        await authenticated(connection)


def client_address(request: Request[Any, Any, Any]) -> str:
    """The client's address for the login throttle, SMS limits and the campus check alike: the
    TCP peer, or what a trusted proxy forwarded (`TrustedProxyMiddleware` decides, once)."""
    return request.client.host if request.client else "unknown"


def login(container: Container, username: str, password: str, address: str, kind: str) -> tuple[Actor, str, Any]:
    """Shared by the API and the admin login form: throttled, and silent about which part was wrong."""
    if container.throttle.locked(username, address):
        raise TooManyAttempts("auth.throttled", "登录失败次数过多，请15分钟后再试")
    from application.identity.queries import authenticate

    with container.engine.connect() as conn:
        actor = authenticate(conn, container.hasher, username, password)
        actor = with_training_school(conn, actor) if actor else None
    if actor is None:
        container.throttle.failed(username, address)
        raise Unauthenticated("auth.invalid_credentials", "用户名或密码不正确")
    container.throttle.succeeded(username, address)
    assert actor.user_id is not None
    if actor.roles & TRAINING_ROLES:
        container.training.trainees.record_account_login(actor)  # WeChat / SMS binding needs it
    token, expires = container.sessions.open(actor.user_id, kind)
    return actor, token, expires


_FORM_TYPES = ("application/json", "application/x-www-form-urlencoded")


async def reject_nul_characters(request: Request[Any, Any, Any]) -> None:
    """A NUL character is never meaningful input, and PostgreSQL refuses it in text columns:
    let through, it would fail the request with a 500 or, once stored in an event, stop every
    projection at that event. Refused here for query strings, JSON and form bodies (uploads are
    checked by their own readers)."""
    if b"%00" in request.scope.get("query_string", b"") or "\x00" in request.scope.get("path", ""):
        raise InvalidInput("request.nul_character", "请求中不能包含空字符（\\0）")
    if request.method in ("POST", "PUT", "PATCH") and request.headers.get("content-type", "").startswith(_FORM_TYPES):
        body = await request.body()
        if b"\x00" in body or b"%00" in body or b"\\u0000" in body:
            raise InvalidInput("request.nul_character", "请求中不能包含空字符（\\0）")


INT64 = range(-(2**63), 2**63)


def _integer_query_names(request: Request[Any, Any, Any]) -> list[str]:
    names = []
    for name, field in request.route_handler.parsed_fn_signature.parameters.items():
        kwarg = field.kwarg_definition
        alias = getattr(kwarg, "query", None) or name
        if name not in request.path_params and any(
            t is int for t in (field.annotation, *(i.annotation for i in field.inner_types))
        ):
            names.append(alias)
    return names


def reject_out_of_range_integers(request: Request[Any, Any, Any]) -> None:
    """Integers in the path or the query must fit 64 bits: a larger one (a semester of 20 digits)
    would otherwise reach the database driver and fail there with a 500. The published document
    states the same bounds (`contract.INT_MIN`/`INT_MAX`); narrower domain ranges stay with the
    handlers and use cases (an audit version, a page number)."""
    values = [(k, v) for k, v in request.path_params.items() if isinstance(v, int) and not isinstance(v, bool)]
    for name in _integer_query_names(request):
        for raw in request.query_params.getall(name, []):
            # Not a number at all: Litestar's own validation answers 422.
            with contextlib.suppress(ValueError):
                values.append((name, int(raw)))
    for name, value in values:
        if value not in INT64:
            raise InvalidInput("request.out_of_range", f"参数 {name} 超出允许的范围", field=name)


async def screen_request(request: Request[Any, Any, Any]) -> None:
    """Checks every API request passes before its handler runs."""
    reject_out_of_range_integers(request)
    await reject_nul_characters(request)


class CorrelationMiddleware:
    """Gives each request a correlation id (or takes the client's X-Correlation-ID)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-correlation-id", b"").decode("latin-1")[:64]
        cid = given if given and given.replace("-", "").isalnum() else str(uuid.uuid4())
        token = correlation_id.set(cid)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=cid, path=scope.get("path"), method=scope.get("method"))

        saved: list[int] = []
        position = last_position.set(saved)
        started = time.perf_counter()
        status: list[int] = []

        async def send_with_id(message: Any) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
                extra = [(b"x-correlation-id", cid.encode())]
                if saved:
                    extra.append((b"x-eduledger-position", str(max(saved)).encode()))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            # Paths hold only ids; query strings may hold names, so they are not logged.
            log.info(
                "request",
                status=status[0] if status else None,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
            )
            last_position.reset(position)
            correlation_id.reset(token)
