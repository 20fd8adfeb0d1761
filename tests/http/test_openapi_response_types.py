"""The OpenAPI document states every success body: each 2xx JSON response names its fields and
their types, and the few operations that answer with a file say which media type they send."""

from __future__ import annotations

from typing import Any

# The operations whose success body is not JSON: files (PDF, spreadsheets, ZIP archives, images,
# CSV, chapter videos) and the gateway's plain-text acknowledgement. Proof attachments are PDF, JPEG or PNG.
NON_JSON = {
    ("get", "/api/v1/me/avatar"): "image/*",
    ("get", "/api/v1/application-forms/imports/template"): "text/csv",
    ("get", "/api/v1/learners/{learner_id}/photo"): "image/jpeg",
    ("get", "/api/v1/learner-photos/exports/{job_id}/file"): "application/zip",
    ("get", "/api/v1/learners/{learner_id}/record-changes/{request_id}/attachments/{index}"): "application/pdf",
    ("get", "/api/v1/status-changes/{status_change_id}/attachments/{index}"): "application/pdf",
    ("get", "/api/v1/certificates/export.xlsx"): "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ("get", "/api/v1/certificates/{serial}/pdf"): "application/pdf",
    ("get", "/api/v1/training/courses/{course_id}/chapters/{chapter_id}/video"): "video/",
    ("post", "/api/v1/payments/unionpay/notify"): "text/plain",
}

# Maps on purpose: their keys are data, not names the API chooses. An audited event's fields and
# an aggregate's attributes differ by event and aggregate type; a gateway's signed form fields
# are named by the gateway's protocol.
MAPS = {
    "GET /api/v1/audit/aggregates/{aggregate_id}/events 200 body.events[].data",
    "GET /api/v1/audit/aggregates/{aggregate_id}/state 200 body.state",
    "POST /api/v1/online-payments 201 body.gateway.fields",
}


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = doc["components"]["schemas"][name]
    return schema


def free_form(doc: dict[str, Any], schema: Any, where: str, seen: set[str] | None = None) -> list[str]:
    """Where, inside this schema, a value is left undescribed."""
    seen = set() if seen is None else seen
    if not isinstance(schema, dict) or not schema:
        return [where]
    if "$ref" in schema:
        if schema["$ref"] in seen:
            return []
        seen.add(schema["$ref"])
        return free_form(doc, _resolve(doc, schema), where, seen)
    found: list[str] = []
    branches = schema.get("oneOf") or schema.get("anyOf") or schema.get("allOf")
    if branches:
        for branch in branches:
            found += free_form(doc, branch, where, seen)
        return found
    kind = schema.get("type")
    if kind == "array":
        return free_form(doc, schema.get("items"), f"{where}[]", seen)
    if kind == "object" or (kind is None and "properties" in schema):
        properties = schema.get("properties")
        if not properties:
            return [where]
        for name, sub in properties.items():
            found += free_form(doc, sub, f"{where}.{name}", seen)
        return found
    return [] if kind else [where]


def test_every_success_response_states_its_fields_and_types(client):
    doc = client.get("/schema/openapi.json").json()
    loose: list[str] = []
    wrong_media: list[str] = []
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            for status, response in operation["responses"].items():
                if not status.startswith("2"):
                    continue
                content = response.get("content") or {}
                expected = NON_JSON.get((method, path))
                if expected is not None:
                    if not any(media.startswith(expected) for media in content):
                        wrong_media.append(f"{method.upper()} {path} {status}: {sorted(content)} (want {expected})")
                    continue
                for media, body in content.items():
                    if "json" not in media:
                        wrong_media.append(f"{method.upper()} {path} {status}: unexpected {media}")
                        continue
                    loose += free_form(doc, body.get("schema"), f"{method.upper()} {path} {status} body")
    assert not wrong_media, "\n".join(wrong_media)
    loose = [where for where in loose if where not in MAPS]
    assert not loose, f"{len(loose)} free-form places:\n" + "\n".join(loose)


def test_the_file_operations_listed_here_exist(client):
    """A renamed file endpoint must not leave a stale exemption behind."""
    paths = client.get("/schema/openapi.json").json()["paths"]
    missing = [f"{method} {path}" for method, path in NON_JSON if method not in paths.get(path, {})]
    assert not missing, missing
