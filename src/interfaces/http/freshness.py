"""Read-your-writes when projections run in workers (ADR 0016).

A write's response carries `X-EduLedger-Position`, the log position of the events it saved. In
worker mode the read models reach it a moment later, so:

- the admin UI and the trainee portal hold a redirect that follows a write until the read models
  reached it (bounded by `EDULEDGER_READ_WAIT_SECONDS`); if they did not, the redirect leaves the
  position in a short-lived cookie, the next page waits for it once more and, still behind,
  renders with a notice that the list may not show the change yet. Every form is covered here,
  not per handler;
- API clients send the position back as `X-EduLedger-Wait-For` on a GET: the server waits
  (bounded) before reading, and answers a read that could not wait long enough with
  `X-EduLedger-Stale: 1` beside the data. A malformed position, or one beyond the log's head,
  is a 422 problem.

Inline mode reaches every position within the write itself: nothing waits there.
"""

from __future__ import annotations

import contextvars
import functools
from http.cookies import SimpleCookie
from typing import Any

import anyio.to_thread
import msgspec
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from application.common.context import last_position
from infrastructure.container import Container

# Declared once for the OpenAPI document (request header on reads, response headers on writes
# and reads); the values are documented in ADR 0016.
WAIT_FOR_HEADER = "X-EduLedger-Wait-For"
POSITION_HEADER = "X-EduLedger-Position"
STALE_HEADER = "X-EduLedger-Stale"
WAIT_COOKIE = "eduledger_wait"  # a log position only: no personal data
STALE_NOTICE = "列表可能尚未显示刚才的更改，请稍后刷新页面。"

# True while a page renders whose read models had not reached the user's last write.
stale_read: contextvars.ContextVar[bool] = contextvars.ContextVar("eduledger_stale_read", default=False)

_READS = ("GET", "HEAD")
_ASSETS = ("/admin/static/", "/schema")
_MAX_DIGITS = 18  # a bigint


class BadPosition(ValueError):
    pass


def parse_position(raw: str | None) -> int | None:
    """A log position as a client or cookie sends it; None when absent."""
    if raw is None:
        return None
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or len(text) > _MAX_DIGITS:
        raise BadPosition(raw)
    return int(text)


async def reached(container: Container, position: int) -> bool:
    """Whether the read models have (or, waiting bounded, get to) the position."""
    if container.settings.projections == "inline":
        return True
    wait = functools.partial(container.runner.wait_for, position, container.settings.read_wait_seconds)
    return await anyio.to_thread.run_sync(wait)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key == name:
            return value.decode("latin-1")
    return None


def _cookie(scope: Scope, name: str) -> str | None:
    raw = _header(scope, b"cookie")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # a malformed Cookie header is ignored, as Litestar does
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def _set_cookie(value: str, max_age: int, secure: bool) -> tuple[bytes, bytes]:
    flags = f"{WAIT_COOKIE}={value}; Max-Age={max_age}; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
    return b"set-cookie", flags.encode()


async def _problem(send: Send, code: str, detail: str) -> None:
    body = msgspec.json.encode({"type": "about:blank", "title": code, "status": 422, "code": code, "detail": detail})
    await send({
        "type": "http.response.start",
        "status": 422,
        "headers": [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())],
    })
    await send({"type": "http.response.body", "body": body})


class ReadYourWritesMiddleware:
    """Waits for the request's own writes before reading (see the module's docstring). Sits
    inside `CorrelationMiddleware`, which collects the positions a request saved."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        container: Container = scope["app"].state.container
        path = scope["path"]
        if path.startswith("/api/"):
            await self._api(container, scope, receive, send)
        elif path.startswith(_ASSETS):
            await self.app(scope, receive, send)
        else:
            await self._pages(container, scope, receive, send)

    async def _api(self, container: Container, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            position = parse_position(_header(scope, WAIT_FOR_HEADER.lower().encode()))
        except BadPosition:
            await _problem(send, "wait_for.invalid", f"{WAIT_FOR_HEADER} 须为写操作返回的 {POSITION_HEADER}（非负整数）")
            return
        if position is None or scope["method"] not in _READS:
            await self.app(scope, receive, send)
            return
        head = await anyio.to_thread.run_sync(container.log.recorder.max_notification_id)
        if position > (head or 0):
            await _problem(send, "wait_for.unknown_position", f"{WAIT_FOR_HEADER} 超出了事件日志的当前位置")
            return
        stale = not await reached(container, position)

        async def send_marked(message: Message) -> None:
            if message["type"] == "http.response.start" and stale:
                message["headers"] = [*message.get("headers", []), (STALE_HEADER.lower().encode(), b"1")]
            await send(message)

        await self.app(scope, receive, send_marked)

    async def _pages(self, container: Container, scope: Scope, receive: Receive, send: Send) -> None:
        secure = container.settings.cookie_secure
        try:
            pending = parse_position(_cookie(scope, WAIT_COOKIE))
        except BadPosition:
            pending = 0  # cleared below
        stale = pending is not None and scope["method"] in _READS and not await reached(container, pending)
        saved = last_position.get()

        async def send_waited(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = []
                if saved and 300 <= message["status"] < 400 and not await reached(container, max(saved)):
                    extra.append(_set_cookie(str(max(saved)), 60, secure))  # the next page waits again
                elif pending is not None:
                    extra.append(_set_cookie("", 0, secure))  # waited for once more: done
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        token = stale_read.set(stale)
        try:
            await self.app(scope, receive, send_waited)
        finally:
            stale_read.reset(token)
