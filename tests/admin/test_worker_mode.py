"""The admin UI in worker mode (the production layout): the page after a form shows the change
the form made, though the read models are kept by a worker that follows the log a moment later;
when the worker is too far behind, the page says the list may not show the change yet."""

from __future__ import annotations

import dataclasses

import pytest
from playwright.sync_api import expect

from tests.admin.training_support import SCHOOL_NAME, portal_register, portal_sign_in
from tests.conftest import PASSWORD
from tests.worker_support import Follower, caught_up, worker_settings

pytestmark = pytest.mark.browser


# Worker mode for this module: the suite's own settings and world, overridden.
@pytest.fixture
def settings(settings):
    return worker_settings(settings)


@pytest.fixture
def world(world, container):
    return caught_up(world, container)


def staff(world, username: str) -> object:
    account = world.container.identity.register_staff(
        world.actor("xuanwu"), username=username, name=f"{username}老师", roles=["head_teacher"], password=PASSWORD,
        confirm_password=PASSWORD, teaching_point_id=None,
    )
    world.container.runner.catch_up()
    return account


def test_after_adding_a_user_and_disabling_them_each_page_shows_the_change(sign_in, world, page, container):
    # A worker that looks at the log only once a second: a page read right after a write
    # would not find the change without waiting for it.
    with Follower(container, interval=1.0):
        page = sign_in("xuanwu")
        page.goto("/admin/users/new")
        page.fill("input[name=username]", "zhanglaoshi")
        page.fill("input[name=name]", "张老师")
        page.check("input[name=roles][value=head_teacher]")
        page.fill("input[name=password]", "abc12345")
        page.fill("input[name=confirm_password]", "abc12345")
        page.click("button:has-text('保存')")
        expect(page.locator(".flash.ok")).to_contain_text("用户已添加")
        assert page.get_by_test_id("user-roles").inner_text() == "班主任"  # the new user's own page
        assert page.get_by_test_id("user-status").inner_text() == "启用"

        page.fill("input[placeholder^=停用原因]", "离职")
        page.click("button:has-text('停用')")
        expect(page.locator(".flash.ok")).to_contain_text("用户已停用")
        assert page.get_by_test_id("user-status").inner_text() == "停用"
        assert "离职" in page.get_by_test_id("audit-tab").inner_text()
        expect(page.get_by_test_id("stale-notice")).to_have_count(0)


def test_a_page_the_worker_has_not_caught_up_with_says_so(sign_in, world, page, container):
    account = staff(world, "wanglaoshi")
    container.settings = dataclasses.replace(container.settings, read_wait_seconds=0.3)
    page = sign_in("xuanwu")
    page.goto(f"/admin/users/{account}")
    # No worker follows the log: the wait after the form gives up, and the page says so.
    page.fill("input[placeholder^=停用原因]", "离职")
    page.click("button:has-text('停用')")
    expect(page.get_by_test_id("stale-notice")).to_contain_text("列表可能尚未显示刚才的更改")
    assert page.get_by_test_id("user-status").inner_text() == "启用"  # what the read model still says

    container.runner.catch_up()
    page.reload()
    assert page.get_by_test_id("user-status").inner_text() == "停用"
    expect(page.get_by_test_id("stale-notice")).to_have_count(0)  # shown once, for that write


def test_a_trainee_who_registers_and_signs_up_finds_the_course_on_the_next_page(page, container, training_setup):
    container.runner.catch_up()
    with Follower(container, interval=1.0):
        portal_register(page, training_setup["school_id"], SCHOOL_NAME)
        expect(page.get_by_test_id("flash")).to_contain_text("注册成功")
        portal_sign_in(page, "teacher_li")  # the account the worker had to apply first
        page.goto("/training/courses")
        page.get_by_test_id("course-row").filter(has_text="课程思政建设").get_by_test_id("choose").check()
        with page.expect_navigation():
            page.click("[data-testid=want]")
        with page.expect_navigation():
            page.click("[data-testid=confirm]")
        study = page.get_by_test_id("study-row")
        expect(study).to_have_count(1)  # read on the page right after the sign-up
        expect(page.get_by_test_id("stale-notice")).to_have_count(0)
