"""The published OpenAPI document is the API's contract: who must log in, and which problems each
operation can answer. Litestar documents the success response and the bodies; the rest is derived
here, in one place, from what an operation is (its method, path parameters, body, whether it is
public), so that a new endpoint is documented correctly without anyone writing it by hand.

Declaring a public endpoint: add "METHOD /path" to PUBLIC_OPERATIONS. Everything else requires a
bearer token (`api_actor`). The contract tests call every public operation without a token (never
401) and every other one without a token (always 401), so this list cannot drift from the code.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from litestar import Litestar, Request
from litestar.openapi.plugins import (
    JsonRenderPlugin,
    OpenAPIRenderPlugin,
    SwaggerRenderPlugin,
)

from interfaces.http.errors import PROBLEM

BEARER = "bearer"
STATE_CHANGING = frozenset({"post", "put", "patch", "delete"})
METHODS = ("get", "put", "post", "patch", "delete")
# Query and path integers must fit 64 bits (what SQLite and PostgreSQL can compare with); the
# server refuses larger ones with 422 (`context.reject_out_of_range_integers`).
INT_MIN, INT_MAX = -(2**63), 2**63 - 1

# Operations anyone may call without a login.
PUBLIC_OPERATIONS = frozenset({
    "POST /api/v1/auth/login",
    "POST /api/v1/auth/learner-activation",
    "GET /api/v1/public/teaching-points",
    "POST /api/v1/public/quick-registrations",
    "POST /api/v1/payments/unionpay/notify",
    "POST /api/v1/payments/unionpay/simulator",
    "POST /api/v1/training/registrations",
    "GET /api/v1/training/public/schools",
    "POST /api/v1/training/auth/sms-codes",
    "POST /api/v1/training/auth/sms-login",
    "POST /api/v1/training/auth/wechat-login",
    "POST /api/v1/training/simulators/wechat/authorize",
    "GET /api/v1/certificates/{serial}/verification",
})

# Problems an operation answers beyond the derived ones (see `problem_statuses`).
EXTRA_PROBLEMS: dict[str, frozenset[int]] = {
    # Public operations that check credentials or a code, and throttle.
    "POST /api/v1/auth/login": frozenset({401, 429}),
    "POST /api/v1/training/auth/sms-codes": frozenset({429}),
    "POST /api/v1/training/auth/sms-login": frozenset({401}),
    "POST /api/v1/training/auth/wechat-login": frozenset({401}),
    # The trainee's own ledger exists once the school has opened it.
    "GET /api/v1/certificate-ledgers/me": frozenset({404}),
    # The payment gateway's notification is refused when its signature is wrong.
    "POST /api/v1/payments/unionpay/notify": frozenset({403}),
    "POST /api/v1/payments/unionpay/simulator": frozenset({403}),
    # The certificate PDF is drawn on demand and needs the server's CJK font.
    "GET /api/v1/certificates/{serial}/pdf": frozenset({503}),
    # A chapter video's byte range past the end of the file.
    "GET /api/v1/training/courses/{course_id}/chapters/{chapter_id}/video": frozenset({416}),
    # A signed-in account that is no trainee of any school has no hours of its own to show.
    "GET /api/v1/training/my-hours": frozenset({404}),
}

PROOF_FILE = ("image/jpeg", "image/png", "application/pdf")
# Operations answering a file: Litestar only sees `Response[bytes]`, the media types are these.
FILE_RESPONSES: dict[str, tuple[str, ...]] = {
    "GET /api/v1/me/avatar": ("image/*",),
    "GET /api/v1/application-forms/imports/template": ("text/csv",),
    "GET /api/v1/learners/{learner_id}/photo": ("image/jpeg",),
    "GET /api/v1/learner-photos/exports/{job_id}/file": ("application/zip",),
    "GET /api/v1/status-changes/{status_change_id}/attachments/{index}": PROOF_FILE,
    "GET /api/v1/learners/{learner_id}/record-changes/{request_id}/attachments/{index}": PROOF_FILE,
    "GET /api/v1/certificates/export.xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
    "GET /api/v1/certificates/{serial}/pdf": ("application/pdf",),
    "GET /api/v1/training/courses/{course_id}/chapters/{chapter_id}/video": ("video/webm", "video/mp4"),
}

DESCRIPTIONS = {
    401: "未登录：缺少或无效的访问令牌（auth.required）",
    403: "无权操作：角色或所属教学点不允许",
    404: "不存在，或不在当前用户可见范围内",
    409: "与当前状态冲突（如状态不允许此操作、并发修改）",
    413: "请求体过大（request.too_large）",
    416: "请求的字节范围超出文件大小（Range 请求头）",
    422: "请求内容不符合要求：字段缺失、格式或取值错误（code 说明原因，field / errors 指明字段）",
    429: "登录失败次数过多，请稍后再试（auth.throttled）",
    503: "依赖的服务暂不可用（后台任务队列、证书字体），请稍后重试",
}

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details; `code` is stable and machine-readable, `detail` is for people.",
    "required": ["type", "title", "status", "code", "detail"],
    "properties": {
        "type": {"type": "string", "description": "always about:blank"},
        "title": {"type": "string", "description": "the same as code"},
        "status": {"type": "integer", "description": "the HTTP status"},
        "code": {"type": "string", "description": "stable error code, e.g. auth.required, refund.not_cancellable"},
        "detail": {"type": "string", "description": "a message in Chinese for the user"},
        "field": {"type": "string", "description": "the input field the problem is about, when there is one"},
        "errors": {
            "type": "array",
            "description": "request validation: one entry per invalid part",
            "items": {
                "type": "object",
                "properties": {
                    "message": {"type": "string"},
                    "key": {"type": "string"},
                    "source": {"type": "string"},
                },
            },
        },
    },
    # A domain error may add its own details (e.g. `problems` of a refused photo).
    "additionalProperties": True,
}


def operation_key(method: str, path: str) -> str:
    return f"{method.upper()} {path}"


def declare_public_operations(app: Litestar) -> None:
    """Marks the handlers of PUBLIC_OPERATIONS for the API's login guard (`context.require_login`);
    an entry that names no operation is a mistake and stops the application from starting."""
    found = set()
    for route in app.routes:
        for method, (handler, _) in getattr(route, "route_handler_map", {}).items():
            key = operation_key(method, route.path_format)
            if key in PUBLIC_OPERATIONS:
                handler.opt["public"] = True
                found.add(key)
    if missing := PUBLIC_OPERATIONS - found:
        raise RuntimeError(f"public operations that do not exist: {sorted(missing)}")


def _names_a_record(parameter: dict[str, Any]) -> bool:
    """A query parameter holding one record's id (`?learner_id=…`): it may name what is not theirs."""
    schema = parameter.get("schema") or {}
    kinds = [schema, *schema.get("oneOf", []), *schema.get("anyOf", [])]
    return parameter.get("in") == "query" and any(k.get("format") == "uuid" for k in kinds)


def problem_statuses(key: str, operation: dict[str, Any], public: bool) -> set[int]:
    """The problem responses one operation can give, from what it is."""
    method = key.split(" ", 1)[0].lower()
    params = operation.get("parameters") or []
    has_body = "requestBody" in operation
    statuses: set[int] = set()
    if not public:
        statuses |= {401, 403}  # every use case checks the actor's role and teaching point
    if any(p.get("in") == "path" or _names_a_record(p) for p in params) or has_body:
        statuses.add(404)  # the record named (path, query or body) is missing or not theirs
    if method in STATE_CHANGING:
        statuses.add(409)
    if params or has_body:
        statuses.add(422)
    if has_body:
        statuses.add(413)
    if "202" in operation.get("responses", {}):
        statuses.add(503)  # a background job could not be queued
    return statuses | set(EXTRA_PROBLEMS.get(key, ()))


def _bound_integers(operation: dict[str, Any]) -> None:
    for param in operation.get("parameters") or []:
        schema = param.get("schema") or {}
        for option in [schema, *schema.get("oneOf", [])]:
            if option.get("type") == "integer":
                option.setdefault("minimum", INT_MIN)
                option.setdefault("maximum", INT_MAX)


# Litestar names a generic struct's schema by its full type path
# ("Listing_interfaces.http.api.learners.schemas.LearnerOut_"); published without the module
# path ("Listing_LearnerOut_"), the names clients generate code from stay put when code moves.
_MODULE_PATH = re.compile(r"(?<=[_\[, ])(?:[a-z][a-z0-9_]*\.)+")
_SCHEMA_REF = "#/components/schemas/"


def _rename_refs(node: Any, renames: dict[str, str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_SCHEMA_REF) and ref[len(_SCHEMA_REF):] in renames:
            node["$ref"] = _SCHEMA_REF + renames[ref[len(_SCHEMA_REF):]]
        for value in node.values():
            _rename_refs(value, renames)
    elif isinstance(node, list):
        for value in node:
            _rename_refs(value, renames)


def _short_schema_names(doc: dict[str, Any]) -> None:
    schemas = doc.get("components", {}).get("schemas", {})
    taken = set(schemas)
    renames: dict[str, str] = {}
    for name in schemas:
        short = _MODULE_PATH.sub("", name)
        if short != name and short not in taken:
            renames[name] = short
            taken.add(short)
    if renames:
        doc["components"]["schemas"] = {renames.get(k, k): v for k, v in schemas.items()}
        _rename_refs(doc, renames)


def refine(doc: dict[str, Any]) -> dict[str, Any]:
    """The generated document with the contract applied (a new dict; the input is left alone)."""
    doc = copy.deepcopy(doc)
    _short_schema_names(doc)
    components = doc.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    components["securitySchemes"] = {
        BEARER: {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "POST /api/v1/auth/login（培训平台 /api/v1/training/auth/…）返回的 token："
                "`Authorization: Bearer <token>`"
            ),
        }
    }
    ref = {"$ref": "#/components/schemas/Problem"}
    for path, item in doc.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            key = operation_key(method, path)
            public = key in PUBLIC_OPERATIONS
            operation["security"] = [] if public else [{BEARER: []}]
            responses = operation.setdefault("responses", {})
            responses.pop("400", None)  # Litestar's default; the server answers 422 problems instead
            if key in FILE_RESPONSES:
                binary = {"schema": {"type": "string", "format": "binary"}}
                success = next(r for status, r in responses.items() if status.startswith("2"))
                success["content"] = dict.fromkeys(FILE_RESPONSES[key], binary)
            for status in sorted(problem_statuses(key, operation, public)):
                responses[str(status)] = {"description": DESCRIPTIONS[status], "content": {PROBLEM: {"schema": ref}}}
            _bound_integers(operation)
    return doc


def api_document(app: Litestar, generated: dict[str, Any]) -> dict[str, Any]:
    """The refined document, built once per application from Litestar's generated one."""
    cached = app.state.get("api_contract")
    if cached is None:
        cached = app.state["api_contract"] = refine(generated)
    return cached  # type: ignore[no-any-return]


class _Contract(OpenAPIRenderPlugin):
    """Every rendering (JSON, the interactive docs) shows the refined document."""

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return super().render(request, api_document(request.app, openapi_schema))


class ContractJson(_Contract, JsonRenderPlugin):
    pass


ASSETS = "/schema/assets"


class OfflineSwagger(_Contract, SwaggerRenderPlugin):
    """Swagger UI from the swagger-ui-bundle package, served by us: the docs work on an intranet."""

    def __init__(self) -> None:
        super().__init__(
            path="/swagger",
            js_url=f"{ASSETS}/swagger-ui-bundle.js",
            css_url=f"{ASSETS}/swagger-ui.css",
            standalone_preset_js_url=f"{ASSETS}/swagger-ui-standalone-preset.js",
            favicon=f"<link rel='icon' type='image/png' href='{ASSETS}/favicon-32x32.png'>",
        )


def docs_assets_router() -> Any:
    from litestar.static_files import create_static_files_router
    from swagger_ui_bundle import swagger_ui_path

    return create_static_files_router(
        path=ASSETS, directories=[swagger_ui_path], include_in_schema=False, name="api_docs_assets"
    )


def render_plugins() -> list[OpenAPIRenderPlugin]:
    return [OfflineSwagger(), ContractJson()]
