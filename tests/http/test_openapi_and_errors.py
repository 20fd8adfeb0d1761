"""The published OpenAPI document, and one error format for every failure."""

from __future__ import annotations

from tests.http.api_helpers import API, PROBLEM, problem

EXPECTED_PATHS = {
    "/api/v1/auth/login": {"post"},
    "/api/v1/auth/logout": {"post"},
    "/api/v1/auth/learner-activation": {"post"},
    "/api/v1/me": {"get", "patch"},
    "/api/v1/me/password": {"post"},
    "/api/v1/teaching-points": {"get", "post"},
    "/api/v1/teaching-points/{teaching_point_id}": {"get"},
    "/api/v1/teaching-points/{teaching_point_id}/contact-details": {"patch"},
    "/api/v1/teaching-points/{teaching_point_id}/enable": {"post"},
    "/api/v1/teaching-points/{teaching_point_id}/disable": {"post"},
    "/api/v1/public/teaching-points": {"get"},
    "/api/v1/accounts": {"get", "post"},
    "/api/v1/accounts/{account_id}": {"get", "patch"},
    "/api/v1/accounts/{account_id}/disable": {"post"},
    "/api/v1/study-batches": {"get", "post"},
    "/api/v1/admission-batches": {"get", "post"},
    "/api/v1/admission-batches/{batch_id}/period": {"patch"},
    "/api/v1/programmes": {"get", "post"},
    "/api/v1/application-forms": {"get", "post"},
    "/api/v1/application-forms/{form_id}": {"get"},
    "/api/v1/application-forms/{form_id}/completion": {"post"},
    "/api/v1/application-forms/{form_id}/approval": {"post"},
    "/api/v1/application-forms/{form_id}/rejection": {"post"},
    "/api/v1/application-forms/approvals": {"post"},
    "/api/v1/public/quick-registrations": {"post"},
    "/api/v1/learners": {"get"},
    "/api/v1/learners/{learner_id}": {"get"},
    "/api/v1/audit/aggregates/{aggregate_id}/events": {"get"},
    "/api/v1/audit/aggregates/{aggregate_id}/state": {"get"},
}


def test_the_openapi_document_lists_the_endpoints(client):
    r = client.get("/schema/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["openapi"].startswith("3.") and doc["info"]["title"] == "EduLedger API"
    paths = doc["paths"]
    for path, methods in EXPECTED_PATHS.items():
        assert path in paths, path
        assert methods <= set(paths[path]), (path, sorted(paths[path]))
    # Request bodies are described by their structs.
    login_body = paths["/api/v1/auth/login"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "$ref" in login_body or "properties" in login_body
    # Nothing outside the API (the admin UI, health checks) is published.
    assert all(p.startswith("/api/v1/") for p in paths), [p for p in paths if not p.startswith("/api/v1/")]


def test_every_kind_of_error_is_problem_json_with_a_code(client, world, login):
    tp = world.tp["101"]
    cases = [
        (client.get(f"{API}/learners"), 401),
        (client.get(f"{API}/learners", headers={"Authorization": "Bearer expired"}), 401),
        (client.post(f"{API}/teaching-points", json={"code": "301", "name": "新"}, headers=login("xuanwu")), 403),
        (client.get(f"{API}/teaching-points/{world.tp['102']}", headers=login("xuanwu")), 404),
        (client.get(f"{API}/learners/00000000-0000-0000-0000-000000000000", headers=login("jiaowu")), 404),
        (client.get(f"{API}/no-such-endpoint", headers=login("jiaowu")), 404),
        (client.get(f"{API}/learners/not-a-uuid", headers=login("jiaowu")), 404),
        (client.delete(f"{API}/learners", headers=login("jiaowu")), 405),
        (client.post(f"{API}/teaching-points/{tp}/enable", json={}, headers=login("sysadmin")), 409),
        (client.post(f"{API}/teaching-points", json={"code": 101}, headers=login("sysadmin")), 400),
        (client.post(f"{API}/teaching-points", content=b"{not json",
                     headers={**login("sysadmin"), "content-type": "application/json"}), 400),
        (client.post(f"{API}/auth/login", json=[]), 400),
        (client.get(f"{API}/learners", params={"page": "first"}, headers=login("jiaowu")), 400),
        (client.patch(f"{API}/me", json={"name": "x", "email": "bad"}, headers=login("jiaowu")), 422),
    ]
    for response, status in cases:
        assert response.status_code in (status, 422 if status == 400 else status), (status, response.status_code, response.text)
        body = problem(response, response.status_code)
        assert body["title"] == body["code"]


def test_validation_errors_name_the_field(client, world, login):
    body = problem(client.post(f"{API}/teaching-points", json={"code": "301", "name": "新点", "phones": ["12"]},
                               headers=login("sysadmin")), 422, "phone.malformed")
    assert body["field"] == "phones"


def test_success_responses_are_plain_json(client, world, login):
    r = client.get(f"{API}/learners", headers=login("jiaowu"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert not r.headers["content-type"].startswith(PROBLEM)
    assert r.headers["x-correlation-id"]
