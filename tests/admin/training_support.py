"""The trainee portal in the browser suites: the school the training fixtures set up, and the
registration and sign-in forms filled as a trainee would."""

from __future__ import annotations

from typing import Any

from tests.conftest import PASSWORD

SCHOOL_NAME = "南京师范大学"


def portal_sign_in(page: Any, username: str) -> None:
    page.goto("/training/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("[data-testid=login]")


def portal_register(page: Any, school_id: Any, unit_name: str, username: str = "teacher_li") -> None:
    """Fill the trainee registration form (李老师) and send it."""
    page.goto("/training/register")
    page.select_option("select[name=school_id]", str(school_id))
    page.fill("input[name=unit_name]", unit_name)
    page.fill("input[name=username]", username)
    page.fill("input[name=name]", "李老师")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=confirm_password]", PASSWORD)
    with page.expect_navigation():
        page.click("[data-testid=register]")
