"""Operations endpoints: /readyz (can this process serve?), /metrics (Prometheus), and the
middleware that measures every request by its route template. /healthz stays in app.py: it
answers without touching the database."""

from __future__ import annotations

import hmac
import time
from typing import Any

from litestar import Request, Response, get
from litestar.enums import ScopeType
from litestar.middleware import AbstractMiddleware
from litestar.types import Message, Receive, Scope, Send

from infrastructure.observability import observe_request, readiness, render_metrics
from interfaces.http.context import bearer_token, container_of
from interfaces.http.errors import PROBLEM

PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"


@get("/readyz", include_in_schema=False, sync_to_thread=True)
def readyz(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    container = container_of(request)
    settings = container.settings
    state = readiness(container.runner, container.jobs, settings.projections == "worker", settings.ready_max_lag)
    if state["ready"]:
        return Response({"status": "ready", "checks": state["checks"]})
    failing = [name for name, v in state["checks"].items() if v not in ("ok", "in-process")]
    body = {
        "type": "about:blank",
        "title": "Service Unavailable",
        "status": 503,
        "code": "service.not_ready",
        "detail": "服务未就绪：" + "、".join(failing),
        "checks": state["checks"],
    }
    return Response(body, status_code=503, media_type=PROBLEM)


@get("/metrics", include_in_schema=False, sync_to_thread=True)
def metrics(request: Request[Any, Any, Any]) -> Response[bytes]:
    container = container_of(request)
    wanted = container.settings.metrics_token
    # Optional: nginx keeps /metrics off the public site; a token protects a scrape that
    # crosses a network (Prometheus on another host).
    if wanted and not hmac.compare_digest((bearer_token(request) or "").encode(), wanted.encode()):
        return Response(b"unauthorised\n", status_code=401, media_type="text/plain")
    return Response(render_metrics(container.runner), media_type=PROMETHEUS_TEXT)


class MetricsMiddleware(AbstractMiddleware):
    """Counts and times each request under its route template (not its raw path)."""

    scopes = {ScopeType.HTTP}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = str(scope.get("path_template") or "unmatched")
            observe_request(scope.get("method", "GET"), route, status, time.perf_counter() - started)


OPS_ROUTES = [readyz, metrics]
