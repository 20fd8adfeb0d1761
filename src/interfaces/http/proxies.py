"""The one place that decides where a request comes from (ADR 0010, ADR 0018).

The client's address is the TCP peer. Only when the peer is one of the configured trusted
proxies (`EDULEDGER_TRUSTED_PROXIES`, none by default) is its `X-Forwarded-For` believed: the
nearest hop that is not itself a trusted proxy is the client, and `X-Forwarded-Proto` gives the
scheme. A header from anyone else is ignored, so no client can claim a campus address or dodge
the login throttle. uvicorn is started with `proxy_headers=False`, so this middleware is the
only mechanism: the login throttle, the SMS limits, the campus check and the URLs the server
writes all read the address and scheme it leaves in the ASGI scope.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from litestar.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(ranges: tuple[str, ...]) -> tuple[Network, ...]:
    found = []
    for text in ranges:
        try:
            found.append(ipaddress.ip_network(text.strip(), strict=False))
        except ValueError:
            continue
    return tuple(found)


def _within(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in n for n in networks)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def forwarded_client(peer: str, forwarded_for: str, trusted: tuple[str, ...]) -> str:
    """The client's address given the TCP peer, its X-Forwarded-For header and the trusted proxies."""
    networks = _networks(tuple(trusted))
    if not networks or not _within(peer, networks):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _within(hop, networks):
            return hop if _is_address(hop) else peer  # a garbled header: the proxy is all we know
    return peer


class TrustedProxyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and scope.get("client"):
            trusted = _trusted(scope)
            peer, port = scope["client"]
            if trusted and _within(peer, _networks(trusted)):
                headers: dict[bytes, bytes] = {}
                for name, value in scope.get("headers") or []:
                    # several headers of one name count as one comma-separated list
                    headers[name] = headers[name] + b"," + value if name in headers else value
                client = forwarded_client(peer, headers.get(b"x-forwarded-for", b"").decode("latin-1"), trusted)
                scope["client"] = (client, port if client == peer else 0)
                proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").split(",")[-1].strip().lower()
                if proto in ("http", "https"):
                    scope["scheme"] = proto if scope["type"] == "http" else {"http": "ws", "https": "wss"}[proto]
        await self.app(scope, receive, send)


def _trusted(scope: Scope) -> tuple[str, ...]:
    app: Any = scope.get("app")
    container = getattr(getattr(app, "state", None), "container", None)
    return tuple(getattr(getattr(container, "settings", None), "trusted_proxies", ()) or ())
