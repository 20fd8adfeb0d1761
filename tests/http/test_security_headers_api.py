"""Every answer carries the security headers — API JSON, problem+json, admin pages, static files,
the OpenAPI docs — and answers with personal data are never stored by a cache."""

from __future__ import annotations

import pytest

from interfaces.admin.common.session import COOKIE
from tests.http.api_helpers import API

COMMON = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


@pytest.fixture
def admin_cookie(client, world):
    token, _ = world.container.sessions.open(world.accounts["xuanwu"], "admin")
    client.cookies.set(COOKIE, token)
    return token


def assert_hardened(response, *, cacheable: bool = False) -> str:
    for name, value in COMMON.items():
        assert response.headers.get(name) == value, (response.url, name)
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    stored = "no-store" not in (response.headers.get("cache-control") or "")
    assert stored == cacheable, (response.url, response.headers.get("cache-control"))
    return policy


def test_pages_and_api_answers_carry_the_strict_policy_and_are_not_stored(client, world, login, admin_cookie):
    learners = client.get(f"{API}/learners", headers=login("xuanwu"))
    assert learners.status_code == 200 and learners.headers["content-type"].startswith("application/json")
    answers = [
        learners,
        client.get(f"{API}/me"),  # problem+json 401 (the cookie never counts on the API)
        client.get(f"{API}/no-such-thing"),  # 404 from no handler at all
        client.delete("/admin/"),  # 405
        client.get("/admin/"),  # a signed-in page
        client.get("/admin/learners"),  # a page listing people
        client.get("/training/login"),  # the trainees' portal
        client.get("/healthz"),
    ]
    assert answers[1].headers["content-type"] == "application/problem+json"
    assert answers[4].status_code == 200 and "text/html" in answers[4].headers["content-type"]
    for response in answers:
        policy = assert_hardened(response)
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, response.url
        assert "style-src 'self'" in policy


def test_static_files_and_the_api_docs_are_hardened_and_may_be_cached(client, world):
    for path in ("/admin/static/admin.js", "/admin/static/admin.css", "/schema/openapi.json"):
        response = client.get(path)
        assert response.status_code == 200
        assert "unsafe-inline" not in assert_hardened(response, cacheable=True)
    docs = client.get("/schema")
    assert docs.status_code == 200 and "text/html" in docs.headers["content-type"]
    # The framework's docs viewer needs its inline bootstrap and CDN; it holds no personal data.
    assert "script-src 'self' 'unsafe-inline'" in assert_hardened(docs, cacheable=True)


def test_a_handlers_own_cache_policy_is_kept(client, world, login):
    template = client.get(f"{API}/application-forms/imports/template", headers=login("xuanwu"))
    assert template.status_code == 200
    assert_hardened(template)
    assert template.headers.get_list("cache-control") == ["no-store"]  # one header, never two
