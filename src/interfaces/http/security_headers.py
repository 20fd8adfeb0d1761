"""Security headers on every answer: pages, API JSON, problem+json, files and the OpenAPI docs
(ADR 0018).

The pages carry no inline script, no on*= handler and no inline style, so the policy allows
scripts and style sheets from this site only. The interactive API docs under /schema are the
framework's Swagger page: its viewer is served from this site (ADR 0017), started by an inline
bootstrap script; the docs hold no personal data and no session (the API takes bearer tokens
only), so they get a policy of their own that allows that inline script and nothing from
elsewhere. Every dynamic answer is `Cache-Control: no-store` (pages and
API answers carry personal data) unless its handler chose a policy; the static assets and the
docs are left cacheable.
"""

from __future__ import annotations

from litestar.types import Message, Scope

PAGE_POLICY = (
    "default-src 'self'; "
    "script-src 'self'; "
    "style-src 'self'; "
    "img-src 'self' data:; "
    "media-src 'self' https:; "  # course videos may be hosted elsewhere over https
    "connect-src 'self'; "
    "font-src 'self'; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "frame-ancestors 'none'"
)
DOCS_POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; "
    "font-src 'self' data:; "
    "img-src 'self' data:; "
    "worker-src 'self' blob:; "
    "connect-src 'self'; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "frame-ancestors 'none'"
)
COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
CACHEABLE_PREFIXES = ("/admin/static/", "/schema")


def headers_for(path: str) -> list[tuple[bytes, bytes]]:
    """The headers an answer to `path` gets (those its handler already set win)."""
    docs = (path == "/schema" or path.startswith("/schema/")) and not path.endswith((".json", ".yaml", ".yml"))
    extra = [*COMMON, (b"content-security-policy", (DOCS_POLICY if docs else PAGE_POLICY).encode())]
    if not path.startswith(CACHEABLE_PREFIXES):
        extra.append((b"cache-control", b"no-store"))
    return extra


async def add_security_headers(message: Message, scope: Scope) -> None:
    """A `before_send` hook rather than a middleware: Litestar calls it for every answer, also
    the ones no route handler produced (an unknown path's 404, a 405)."""
    if message["type"] == "http.response.start" and scope["type"] == "http":
        given = list(message.get("headers") or [])
        present = {bytes(name).lower() for name, _ in given}
        extra = [(k, v) for k, v in headers_for(scope.get("path", "")) if k not in present]
        message["headers"] = given + extra  # type: ignore[typeddict-item]
