"""Every error leaves as application/problem+json with a stable `code` (RFC 9457)."""

from __future__ import annotations

from typing import Any

import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    ValidationException,
)
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from domains.shared.errors import DomainError

log = structlog.get_logger(__name__)

PROBLEM = "application/problem+json"
STATUS_BY_KIND = {"conflict": 409, "invalid": 422, "not_found": 404, "forbidden": 403}


class Unauthenticated(DomainError):
    kind = "unauthenticated"


class TooManyAttempts(DomainError):
    kind = "throttled"


STATUS_BY_KIND.update({"unauthenticated": 401, "throttled": 429, "unavailable": 503})


TOO_LARGE = "上传的内容过大，超过了单次请求允许的大小，请减小文件或分批上传"


def problem(status: int, code: str, detail: str, **extra: Any) -> Response[dict[str, Any]]:
    body = {"type": "about:blank", "title": code, "status": status, "code": code, "detail": detail, **extra}
    return Response(content=body, status_code=status, media_type=PROBLEM)


def domain_error_handler(_: Request[Any, Any, Any], exc: DomainError) -> Response[dict[str, Any]]:
    extra = {k: v for k, v in exc.details.items() if v is not None}
    return problem(STATUS_BY_KIND.get(exc.kind, 409), exc.code, exc.message, **extra)


def validation_handler(_: Request[Any, Any, Any], exc: ValidationException) -> Response[dict[str, Any]]:
    errors = exc.extra if isinstance(exc.extra, list) else []
    return problem(422, "request.invalid", "请求内容不符合要求：" + str(exc.detail), errors=errors)


def http_error_handler(_: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    if isinstance(exc, NotAuthorizedException):
        return problem(401, "auth.required", "请先登录")
    code = {404: "not_found", 405: "method_not_allowed", 413: "request.too_large", 403: "forbidden"}.get(
        exc.status_code, "http.error"
    )
    if exc.status_code == 413:
        return problem(413, code, TOO_LARGE)
    if exc.status_code == 400:
        # Malformed JSON or form bodies: the same 422 as any other invalid request, so the
        # contract has one status for "the request is wrong" (Litestar's 400 is never sent).
        return problem(422, "request.malformed", "请求内容无法解析：" + str(exc.detail))
    return problem(exc.status_code, code, str(exc.detail))


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.error("request.failed", path=request.url.path, exc_info=exc)  # called outside the except block
    return problem(HTTP_500_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误，请稍后重试")


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: domain_error_handler,
    ValidationException: validation_handler,
    HTTPException: http_error_handler,
    Exception: internal_error_handler,
}

__all__ = ["EXCEPTION_HANDLERS", "TOO_LARGE", "MediaType", "TooManyAttempts", "Unauthenticated", "problem"]
