"""Every menu page of every staff role, and the trainees' learning centre, run under the strict
Content-Security-Policy with no violation reported (the `page` fixture fails a test on any), and
their scripted behaviours still work from the static script."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.http.api_helpers import ok
from tests.http.training_support import T

browser = pytest.mark.browser


def visit(page: Any, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status < 500, path
    headers = response.headers
    assert "script-src 'self'" in headers["content-security-policy"], path
    assert headers["x-frame-options"] == "DENY" and headers["cache-control"] == "no-store", path
    page.wait_for_load_state("load")


@browser
@pytest.mark.parametrize("username", ["xuanwu", "jiaowu", "caiwu", "shenji", "sysadmin"])
def test_every_menu_page_of_a_staff_role_runs_under_the_policy(sign_in, page, username):
    sign_in(username)
    links = page.locator("nav.menu a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(links) >= 3
    for href in dict.fromkeys(links):
        visit(page, href)
    visit(page, "/admin/no-such-page")  # the error page too


@browser
def test_the_application_forms_birth_date_is_derived_by_the_static_script(sign_in, page):
    sign_in("xuanwu")
    visit(page, "/admin/application-forms/new")
    page.locator("input[data-derive=birth]").fill("110101199003074578")
    expect(page.get_by_test_id("derived-birth")).to_contain_text("1990-03-07 / 男")


@browser
def test_the_trainees_learning_centre_runs_under_the_policy(page, client, training, peer):
    ok(client.post(f"{T}/sign-ups", json={"course_ids": [training.courses["centre"]["id"]]},
                   headers=_bearer(client, "teacher1")), 201)
    visit(page, "/training/login")
    page.fill("input[name=username]", "teacher1")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_test_id("login").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()
    links = page.get_by_test_id("portal-menu").locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    for href in links:
        visit(page, href)
    visit(page, f"/training/my-courses/{training.courses['centre']['id']}")
    # The player's reporting comes from the static script: a report through it is answered.
    answer = page.evaluate("""() => window.reportPlayed(document.querySelector('tr[data-chapter]')
                                .getAttribute('data-chapter'), [[0, 5]])""")
    assert answer["chapter_completed"] is False
    expect(page.get_by_test_id("watched").first).to_have_text("5秒")


def _bearer(client: Any, username: str) -> dict[str, str]:
    r = ok(client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD}))
    return {"Authorization": f"Bearer {r['token']}"}


@browser
def test_the_interactive_api_docs_render_from_this_site_alone(page):
    """The Swagger page works on an intranet: its viewer comes from /schema/assets, nothing is
    fetched from elsewhere, and its policy lets it run without a violation."""
    elsewhere: list[str] = []
    page.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None)
    page.goto("/schema/swagger")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    expect(page.get_by_text("/api/v1/learners", exact=True).first).to_be_visible()
    assert elsewhere == []
