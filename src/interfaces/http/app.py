"""The Litestar application: the HTTP API under /api/v1, the admin UI under /admin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Litestar, Response, get
from litestar.config.csrf import CSRFConfig
from litestar.config.response_cache import ResponseCacheConfig
from litestar.openapi import OpenAPIConfig
from litestar.response import Redirect
from litestar.static_files import create_static_files_router

from infrastructure.container import Container, build
from infrastructure.jobs import lifespan_hooks
from infrastructure.logs import configure_logging
from interfaces.admin.app import admin_router
from interfaces.admin.common.rendering import TEMPLATES, template_config
from interfaces.http.api.router import api_router
from interfaces.http.context import CorrelationMiddleware, screen_request
from interfaces.http.contract import (
    declare_public_operations,
    docs_assets_router,
    render_plugins,
)
from interfaces.http.errors import EXCEPTION_HANDLERS
from interfaces.http.freshness import ReadYourWritesMiddleware
from interfaces.http.ops import OPS_ROUTES, MetricsMiddleware
from interfaces.http.proxies import TrustedProxyMiddleware
from interfaces.http.security_headers import add_security_headers

# Further route groups (the admin UI, jobs) register themselves here at import time.
EXTRA_ROUTES: list[Callable[[], list[Any]]] = []


admin_static = create_static_files_router(
    path="/admin/static", directories=[TEMPLATES.parent / "static"], include_in_schema=False, name="admin_static"
)


@get("/", include_in_schema=False)
async def root() -> Redirect:
    return Redirect("/admin/")


@get("/healthz", include_in_schema=False, sync_to_thread=True)
def healthz() -> Response[dict[str, Any]]:
    return Response({"status": "ok"})


def create_app(container: Container | None = None) -> Litestar:
    container = container or build()
    configure_logging(container.settings.log_level)
    start_jobs, stop_jobs = lifespan_hooks(container.jobs)
    handlers: list[Any] = [api_router(), root, healthz, *OPS_ROUTES, admin_router(), admin_static, docs_assets_router()]
    for routes in EXTRA_ROUTES:
        handlers += routes()
    app = Litestar(
        route_handlers=handlers,
        middleware=[MetricsMiddleware, TrustedProxyMiddleware, CorrelationMiddleware, ReadYourWritesMiddleware],
        before_send=[add_security_headers],
        before_request=screen_request,
        csrf_config=CSRFConfig(
            secret=container.settings.secret_key,
            cookie_name="eduledger_csrf",
            cookie_secure=container.settings.cookie_secure,
            cookie_httponly=True,
            # The API authenticates by bearer token only, so it needs no CSRF token.
            exclude=["^/api/", "^/schema"],
        ),
        template_config=template_config,
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=OpenAPIConfig(
            title="EduLedger API",
            version="1.0.0",
            description="开放大学教务平台 HTTP API：招生、学籍、审计。错误统一为 application/problem+json。",
            path="/schema",
            render_plugins=render_plugins(),
        ),
        response_cache_config=ResponseCacheConfig(),
        logging_config=None,  # Litestar's default would add a plain-text root handler (ADR 0018)
        request_max_body_size=20 * 1024 * 1024,
        on_startup=[start_jobs],
        on_shutdown=[stop_jobs, container.close],
    )
    app.state.container = container
    declare_public_operations(app)
    return app
