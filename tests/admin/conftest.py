"""Browser fixtures: the real server on a free loopback port, driven by Debian's Chromium
through Playwright (never a downloaded browser)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from application.common.actor import SYSTEM
from tests.admin.training_support import SCHOOL_NAME
from tests.conftest import PASSWORD
from tests.training_ledger_support import training_world

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

# Waits sized for a loaded 2-core machine: a wait only ends early when its condition holds, so
# a generous bound costs nothing when things are fast and keeps a slow run from failing.
ACTION_TIMEOUT_MS = 60_000
EXPECT_TIMEOUT_MS = 30_000
SERVER_START_SECONDS = 60


def new_context(browser: Any, base_url: str) -> Any:
    """A browser context (its own cookies) on the live server, with the suite's waits."""
    context = browser.new_context(base_url=base_url, locale="zh-CN")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(ACTION_TIMEOUT_MS)
    return context


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server(container: Any, world: Any) -> Iterator[str]:
    import uvicorn

    from interfaces.http.app import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(container), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_SECONDS
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def is_csp_violation(message: Any) -> bool:
    """Chromium reports a refused inline script, handler, style or source on the console."""
    return "Content Security Policy" in message.text or "Content-Security-Policy" in message.text


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    context = new_context(browser, live_server)
    pg = context.new_page()
    violations: list[str] = []
    pg.on("console", lambda m: violations.append(f"{pg.url}: {m.text}") if is_csp_violation(m) else None)
    yield pg
    context.close()
    # Every browser test also checks that no page it visited broke the security policy.
    assert violations == [], violations


@pytest.fixture
def sign_in(page: Any) -> Any:
    def _sign_in(username: str, password: str = PASSWORD) -> Any:
        page.goto("/admin/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url("**/admin/")
        return page

    return _sign_in


# The teacher-training platform, for the portal's browser tests.
@pytest.fixture
def training_setup(container: Any, world: Any) -> dict[str, Any]:
    """A school whose campus range holds the loopback address, its admin, and two courses."""
    t = container.training
    school_id = t.schools.register_school(SYSTEM, SCHOOL_NAME, ["127.0.0.0/8"])
    t.schools.appoint_admin(SYSTEM, role_name="training_school_admin", school_id=school_id, username="nsd_admin",
                            name="周老师", password=PASSWORD, confirm_password=PASSWORD)
    centre = t.learning.publish_course(
        SYSTEM, kind="centre", title="课程思政建设", tenths=25, summary_prompt="写一份课程思政设计",
        chapters=[{"title": "导论", "duration_seconds": 600}, {"title": "方法", "duration_seconds": 300}],
    )
    t.learning.publish_course(SYSTEM, kind="ideology", title="习近平总书记教育重要论述讲义导读", tenths=20,
                              summary_prompt="学习心得", chapters=[{"title": "导读", "duration_seconds": 900}])
    return {"school_id": school_id, "centre": centre}


@pytest.fixture
def tw(container: Any, world: Any) -> Any:
    """Trainees with eligible hours on their certificate ledgers."""
    return training_world(container)
