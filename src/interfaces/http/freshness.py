"""Read-your-writes when projections run in workers (ADR 0016).

A write's response carries `X-EduLedger-Position`, the log position of the events it saved. In
worker mode the read models reach it a moment later, so, for every request (not per handler):

- a request that saved waits, bounded by `EDULEDGER_READ_WAIT_SECONDS`, for the read models to
  reach its write before it reads them again (`application.common.context.ReadWait`, which the
  store's save calls): an API response and a page rendered after a write show it, and so does
  the page an admin or portal form redirects to;
- if the wait gives up, an API response says so with `X-EduLedger-Stale: 1`; a redirect leaves
  the position in a short-lived cookie, and the next page waits for it once more and, still
  behind, renders with a notice that the list may not show the change yet;
- API clients send a write's position back as `X-EduLedger-Wait-For` on a later request (a GET,
  or a write whose checks read), and the server waits the same way before handling it. A
  malformed position, or one beyond the log's head, is a 422 problem.

Inline mode reaches every position within the write itself: nothing waits there.
"""

from __future__ import annotations

import functools
from http.cookies import SimpleCookie

import anyio.to_thread
import msgspec
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from application.common.context import ReadWait, last_position, read_wait
from infrastructure.container import Container

# Declared once for the OpenAPI document (request header on reads, response headers on writes
# and reads); the values are documented in ADR 0016.
WAIT_FOR_HEADER = "X-EduLedger-Wait-For"
POSITION_HEADER = "X-EduLedger-Position"
STALE_HEADER = "X-EduLedger-Stale"
WAIT_COOKIE = "eduledger_wait"  # a log position only: no personal data
STALE_NOTICE = "列表可能尚未显示刚才的更改，请稍后刷新页面。"


def stale_read() -> bool:
    """Whether this request read before the read models reached a write it waited for."""
    waiting = read_wait.get()
    return waiting is not None and waiting.stale


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


async def _wait(waiting: ReadWait | None, position: int) -> None:
    if waiting is not None:
        await anyio.to_thread.run_sync(waiting.until, position)


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
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(_ASSETS):
            await self.app(scope, receive, send)
            return
        container: Container = scope["app"].state.container
        settings = container.settings
        waiting = None
        if settings.projections != "inline":
            waiting = ReadWait(functools.partial(container.runner.wait_for, timeout=settings.read_wait_seconds))
        token = read_wait.set(waiting)
        try:
            if path.startswith("/api/"):
                await self._api(container, waiting, scope, receive, send)
            else:
                await self._pages(container, waiting, scope, receive, send)
        finally:
            read_wait.reset(token)

    async def _api(
        self, container: Container, waiting: ReadWait | None, scope: Scope, receive: Receive, send: Send
    ) -> None:
        try:
            position = parse_position(_header(scope, WAIT_FOR_HEADER.lower().encode()))
        except BadPosition:
            await _problem(send, "wait_for.invalid", f"{WAIT_FOR_HEADER} 须为写操作返回的 {POSITION_HEADER}（非负整数）")
            return
        if position is not None:
            head = await anyio.to_thread.run_sync(container.log.recorder.max_notification_id)
            if position > (head or 0):
                await _problem(send, "wait_for.unknown_position", f"{WAIT_FOR_HEADER} 超出了事件日志的当前位置")
                return
            await _wait(waiting, position)

        async def send_marked(message: Message) -> None:
            if message["type"] == "http.response.start" and waiting is not None and waiting.stale:
                message["headers"] = [*message.get("headers", []), (STALE_HEADER.lower().encode(), b"1")]
            await send(message)

        await self.app(scope, receive, send_marked)

    async def _pages(
        self, container: Container, waiting: ReadWait | None, scope: Scope, receive: Receive, send: Send
    ) -> None:
        secure = container.settings.cookie_secure
        try:
            pending = parse_position(_cookie(scope, WAIT_COOKIE))
        except BadPosition:
            pending = 0  # cleared below
        if pending and scope["method"] in _READS:
            await _wait(waiting, pending)
        saved = last_position.get()

        async def send_waited(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = []
                if saved and 300 <= message["status"] < 400 and waiting is not None and waiting.stale:
                    extra.append(_set_cookie(str(max(saved)), 60, secure))  # the next page waits again
                elif pending is not None:
                    extra.append(_set_cookie("", 0, secure))  # waited for once more: done
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_waited)
