"""The published OpenAPI document is the truth about the API: it is a valid document, every
operation says whether it needs a login and which problems it answers, and the server does what
it says (a sweep over every operation without a token)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from openapi_spec_validator import validate

from interfaces.http.contract import EXTRA_PROBLEMS, FILE_RESPONSES, PUBLIC_OPERATIONS, operation_key
from tests.http.api_helpers import API, PROBLEM

METHODS = ("get", "put", "post", "patch", "delete")


@pytest.fixture
def document(client: Any) -> dict[str, Any]:
    r = client.get("/schema/openapi.json")
    assert r.status_code == 200
    return r.json()  # type: ignore[no-any-return]


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, p, op) for p, item in doc["paths"].items() for m, op in item.items() if m in METHODS]


def test_the_document_is_a_valid_openapi_document(document):
    validate(document)
    assert len(operations(document)) > 200


def test_schema_names_do_not_name_the_code_behind_them(document):
    """Clients generate code from the schema names: a page of learners is `Listing_LearnerOut_`,
    whichever module the server keeps its structs in."""
    names = document["components"]["schemas"]
    assert "Listing_LearnerOut_" in names and "AmountListing_BillOut_" in names
    assert not [n for n in names if "interfaces." in n or "domains." in n]
    refs = re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(document))
    assert set(refs) <= set(names)


def test_every_operation_states_its_security_and_its_problems(document):
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": document["components"]["securitySchemes"]["bearer"]["description"],
    }
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "code", "detail"} <= set(problem["required"])
    public = set()
    for method, path, op in operations(document):
        key = operation_key(method, path)
        responses = op["responses"]
        assert "400" not in responses, key  # the server answers 422 problems, never Litestar's 400 body
        for status, response in responses.items():
            if int(status) >= 400:
                assert response["content"] == {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}, key
        if op["security"] == []:
            public.add(key)
            continue
        assert op["security"] == [{"bearer": []}], key
        assert {"401", "403"} <= set(responses), key
        if any(p["in"] == "path" for p in op.get("parameters", [])):
            assert "404" in responses, key
        if method != "get":
            assert "409" in responses, key
        if op.get("parameters") or "requestBody" in op:
            assert "422" in responses, key
    assert public == PUBLIC_OPERATIONS
    documented = {operation_key(method, path) for method, path, _ in operations(document)}
    assert set(EXTRA_PROBLEMS) | set(FILE_RESPONSES) <= documented  # no entry outlives its operation
    login = document["paths"][f"{API}/auth/login"]["post"]["responses"]
    assert {"401", "422", "429"} <= set(login) and "403" not in login


def test_upload_fields_are_named(document):
    for path, method in [(f"{API}/me/avatar", "put"), (f"{API}/learners/{{learner_id}}/photos", "post"),
                         (f"{API}/learner-photos/imports", "post"), (f"{API}/application-forms/imports", "post")]:
        op = document["paths"][path][method]
        schema = op["requestBody"]["content"]["multipart/form-data"]["schema"]
        assert schema["properties"]["file"]["format"] == "binary" and "file" in schema["required"], path
        assert "413" in op["responses"]


def _placeholder(param: dict[str, Any]) -> str:
    schema = param.get("schema", {})
    if schema.get("format") == "uuid":
        return "00000000-0000-0000-0000-000000000000"
    return "1" if schema.get("type") == "integer" else "x"


def _url(path: str, op: dict[str, Any]) -> str:
    values = {p["name"]: _placeholder(p) for p in op.get("parameters", []) if p["in"] == "path"}
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def test_without_a_token_protected_operations_answer_401_and_public_ones_do_not(client, document):
    """Every answer is a documented status and a problem; a body that does not even parse
    cannot get a protected operation past the login check."""
    wrong = []
    for method, path, op in operations(document):
        key = operation_key(method, path)
        body = {"content": b"{}", "headers": {"content-type": "application/json"}} if "requestBody" in op else {}
        r = client.request(method.upper(), _url(path, op), **body)
        documented = str(r.status_code) in op["responses"]
        if key in PUBLIC_OPERATIONS:
            right = (documented and r.status_code != 401) or (r.status_code == 401 and key.endswith("login"))
        else:
            right = r.status_code == 401 and r.headers["content-type"].startswith(PROBLEM)
            right = right and r.json()["code"] == "auth.required"
        if not right:
            wrong.append((key, r.status_code, r.text[:200]))
    assert not wrong, "\n".join(map(str, wrong))


def test_a_stale_token_is_refused_before_the_body_is_read(client, world, login):
    r = client.post(f"{API}/teaching-points", content=b"{not json", headers={"Authorization": "Bearer gone",
                                                                             "content-type": "application/json"})
    assert r.status_code == 401 and r.json()["code"] == "auth.required"
    r = client.post(f"{API}/teaching-points", content=b"{not json", headers={**login("sysadmin"),
                                                                             "content-type": "application/json"})
    assert r.status_code == 422 and r.json()["code"] == "request.malformed"


def test_huge_integers_in_the_query_are_refused_as_invalid(client, world, login):
    jiaowu = login("jiaowu")
    programme = world.programmes["accounting"]
    for url, params in [
        (f"{API}/programmes/{programme}/courses", {"suggested_semester": "99999999999999999999"}),
        (f"{API}/learners", {"page": "99999999999999999999"}),
        (f"{API}/learners", {"page_size": "-99999999999999999999"}),
    ]:
        r = client.get(url, params=params, headers=jiaowu)
        assert r.status_code == 422, (url, r.text)
        body = r.json()
        assert body["code"] == "request.out_of_range" and body["field"] == next(iter(params))
    assert client.get(f"{API}/programmes/{programme}/courses", params={"suggested_semester": "2"},
                      headers=jiaowu).status_code == 200


def test_an_upload_without_its_file_part_names_the_missing_field(client, world, login):
    r = client.put(f"{API}/me/avatar", files={"x": (None, "1")}, headers=login("jiaowu"))
    assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM), r.text
    assert r.json()["field"] == "file"


def test_the_interactive_docs_load_nothing_from_the_internet(client):
    for url in ("/schema", "/schema/swagger"):
        r = client.get(url)
        assert r.status_code == 200 and "swagger-ui" in r.text, url
        assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", r.text)
        assert assets and not [a for a in assets if re.match(r"(https?:)?//", a)], assets
        for asset in assets:
            assert client.get(asset).status_code == 200, asset


def test_the_allowed_methods_are_listed_without_a_token(client):
    r = client.options(f"{API}/learners")
    assert r.status_code == 204 and set(r.headers["allow"].replace(" ", "").split(",")) == {"GET", "OPTIONS"}
