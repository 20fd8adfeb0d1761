"""教学点用户管理 and the system administrator's teaching points, as a user sees them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.admin.conftest import new_context
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def new_signed_in_page(browser, base_url: str, username: str, password: str = PASSWORD):
    """A second browser (its own cookies) signed in as `username`."""
    context = new_context(browser, base_url)
    other = context.new_page()
    other.goto("/admin/login")
    other.fill("input[name=username]", username)
    other.fill("input[name=password]", password)
    other.click("button[type=submit]")
    other.wait_for_url("**/admin/")
    return other


def test_teaching_point_admin_adds_a_user_with_two_roles_who_then_signs_in(sign_in, world, page):
    page = sign_in("xuanwu")
    page.goto("/admin/users")
    usernames = page.locator("[data-testid=list] tbody tr").evaluate_all("rows => rows.map(r => r.dataset.username)")
    assert usernames == ["xuanwu"]  # never another teaching point's users
    page.get_by_test_id("add-user").click()
    assert page.get_by_test_id("own-point").inner_text() == "玄武学习中心"
    offered = page.locator("[data-testid=roles] input[type=checkbox]").evaluate_all("cs => cs.map(c => c.value)")
    assert sorted(offered) == ["academic_mentor", "head_teacher", "teaching_point_admin"]
    page.fill("input[name=username]", "zhanglaoshi")
    page.fill("input[name=name]", "张老师")
    page.fill("input[name=position]", "教务员")
    page.fill("input[name=mobile]", "13812345678")
    page.check("input[name=roles][value=teaching_point_admin]")
    page.check("input[name=roles][value=academic_mentor]")
    page.fill("input[name=password]", "abc12345")
    page.fill("input[name=confirm_password]", "abc12345")
    page.click("button:has-text('保存')")
    assert "用户已添加" in page.locator(".flash.ok").inner_text()
    assert page.get_by_test_id("user-roles").inner_text() == "教学点管理员、学务导师"
    assert "创建账号" in page.get_by_test_id("audit-tab").inner_text()

    page.goto("/admin/users?q=zhang")
    row = page.locator("[data-testid=list] tbody tr")
    expect(row).to_have_count(1)
    assert "138****5678" in row.inner_text()
    assert "13812345678" not in row.inner_text()
    page.goto("/admin/users?role=head_teacher")
    assert "没有符合条件的记录" in page.get_by_test_id("list").inner_text()

    page.click("text=退出登录")
    sign_in("zhanglaoshi", "abc12345")
    assert "张老师" in page.get_by_test_id("current-user").inner_text()
    assert "教学点用户管理" in page.locator("nav.menu").inner_text()


def test_teaching_point_admin_cannot_give_school_roles_nor_see_other_points(sign_in, world, page):
    page = sign_in("xuanwu")
    page.goto("/admin/users/new")
    page.fill("input[name=username]", "sneaky")
    page.fill("input[name=name]", "李四")
    # A crafted form: a school role that the page never offers a teaching point.
    page.evaluate(
        """() => { const box = document.createElement('input'); box.type = 'checkbox'; box.name = 'roles';
        box.value = 'finance'; box.checked = true; document.querySelector('[data-testid=roles]').appendChild(box); }"""
    )
    page.fill("input[name=password]", "abc12345")
    page.fill("input[name=confirm_password]", "abc12345")
    page.click("button:has-text('保存')")
    assert "教学点管理员只能分配教学点角色" in page.get_by_test_id("error").inner_text()
    assert page.input_value("input[name=username]") == "sneaky"  # the entered values stay
    assert page.input_value("input[name=name]") == "李四"

    page.check("input[name=roles][value=head_teacher]")
    expect(page.locator("input[value=finance]")).to_have_count(0)
    page.fill("input[name=password]", "abc12345")
    page.fill("input[name=confirm_password]", "abc99999")
    page.click("button:has-text('保存')")
    assert "两次输入的新密码不一致" in page.get_by_test_id("error").inner_text()

    response = page.goto(f"/admin/users/{world.accounts['gulou']}")
    assert response.status == 404 and "不存在" in page.get_by_test_id("error").inner_text()
    response = page.goto(f"/admin/users/{world.accounts['gulou']}/delete")
    assert response.status == 404


def _staff(world, username: str, by: str = "xuanwu", roles=("head_teacher",)) -> object:
    return world.container.identity.register_staff(
        world.actor(by), username=username, name=f"{username}老师", roles=list(roles), password=PASSWORD,
        confirm_password=PASSWORD, teaching_point_id=None,
    )


def test_disabling_a_user_ends_their_session_and_a_reset_password_lets_them_back(sign_in, world, page, browser, live_server):
    account = _staff(world, "wanglaoshi")
    other = new_signed_in_page(browser, live_server, "wanglaoshi")
    try:
        assert other.url.endswith("/admin/")
        page = sign_in("xuanwu")
        page.goto(f"/admin/users/{account}")
        page.fill("input[placeholder^=停用原因]", "离职")
        page.click("button:has-text('停用')")
        assert "用户已停用" in page.locator(".flash.ok").inner_text()
        assert page.get_by_test_id("user-status").inner_text() == "停用"
        assert "离职" in page.get_by_test_id("audit-tab").inner_text()

        other.goto("/admin/me")
        assert other.url.endswith("/admin/login")  # the session has ended
        other.fill("input[name=username]", "wanglaoshi")
        other.fill("input[name=password]", PASSWORD)
        other.click("button[type=submit]")
        assert "用户名或密码不正确" in other.get_by_test_id("error").inner_text()

        page.click("button:has-text('启用')")
        assert page.get_by_test_id("user-status").inner_text() == "启用"
        page.fill("[data-testid=password-form] input[name=password]", "newpass88")
        page.fill("[data-testid=password-form] input[name=confirm_password]", "newpass")
        page.click("button:has-text('重置密码')")
        assert "两次输入的新密码不一致" in page.get_by_test_id("error").inner_text()
        page.fill("[data-testid=password-form] input[name=password]", "newpass88")
        page.fill("[data-testid=password-form] input[name=confirm_password]", "newpass88")
        page.click("button:has-text('重置密码')")
        assert "密码已重置" in page.locator(".flash.ok").inner_text()

        other.fill("input[name=username]", "wanglaoshi")
        other.fill("input[name=password]", "newpass88")
        other.click("button[type=submit]")
        other.wait_for_url("**/admin/")
    finally:
        other.context.close()


def test_editing_roles_and_deleting_a_user_after_confirmation(sign_in, world, page):
    account = _staff(world, "zhaolaoshi")
    page = sign_in("xuanwu")
    page.goto(f"/admin/users/{account}")
    form = page.get_by_test_id("edit-form")
    form.locator("input[name=position]").fill("班主任组长")
    form.locator("input[value=academic_mentor]").check()
    form.locator("button").click()
    assert "职位与角色已保存" in page.locator(".flash.ok").inner_text()
    assert page.get_by_test_id("user-roles").inner_text() == "学务导师、班主任"
    assert "修改职位与角色" in page.get_by_test_id("audit-tab").inner_text()

    page.get_by_test_id("edit-form").locator("input[name=roles]").evaluate_all("cs => cs.forEach(c => c.checked = false)")
    page.get_by_test_id("edit-form").locator("button").click()
    assert "至少选择一个角色" in page.get_by_test_id("error").inner_text()

    page.click("text=删除用户")
    assert "确定删除用户" in page.get_by_test_id("confirm").inner_text()
    page.fill("input[name=reason]", "调离")
    page.click("button:has-text('确认删除')")
    assert page.url.endswith("/admin/users")
    assert "用户已删除" in page.locator(".flash.ok").inner_text()
    assert "zhaolaoshi" not in page.get_by_test_id("list").inner_text()


def test_system_admin_creates_a_teaching_point_and_a_local_administrator(sign_in, world, page):
    page = sign_in("sysadmin")
    page.goto("/admin/teaching-points")
    page.click("text=新增教学点")
    page.fill("input[name=code]", "103")
    page.fill("input[name=name]", "秦淮学习中心")
    page.fill("input[name=phones]", "12345")
    page.click("button:has-text('保存')")
    assert "电话号码格式不正确" in page.get_by_test_id("error").inner_text()
    assert page.input_value("input[name=name]") == "秦淮学习中心"
    page.fill("input[name=address]", "南京市秦淮区")
    page.fill("input[name=recruiters]", "王芳,刘强")
    page.fill("input[name=phones]", "025-86661234")
    page.click("button:has-text('保存')")
    assert "教学点已创建" in page.locator(".flash.ok").inner_text()
    page.click("button:has-text('停用教学点')")
    assert "教学点已停用" in page.locator(".flash.ok").inner_text()
    assert "停用" in page.get_by_test_id("audit-tab").inner_text()
    page.click("button:has-text('启用教学点')")
    assert "教学点已启用" in page.locator(".flash.ok").inner_text()

    page.goto("/admin/users/new")
    page.select_option("select[name=kind]", "local")
    page.fill("input[name=username]", "admin2")
    page.fill("input[name=name]", "第二管理员")
    page.check("input[name=roles][value=finance]")
    page.fill("input[name=password]", "abc12345")
    page.fill("input[name=confirm_password]", "abc12345")
    page.click("button:has-text('保存')")
    assert "本地账号仅供系统管理员使用" in page.get_by_test_id("error").inner_text()
    assert page.input_value("select[name=kind]") == "local"
    page.uncheck("input[name=roles][value=finance]")
    page.check("input[name=roles][value=system_admin]")
    page.fill("input[name=password]", "abc12345")
    page.fill("input[name=confirm_password]", "abc12345")
    page.click("button:has-text('保存')")
    assert "用户已添加" in page.locator(".flash.ok").inner_text()
    info = page.get_by_test_id("user-info").inner_text()
    assert "本地账号" in info and "学校总部" in info

    page.goto("/admin/users")
    assert "gulou" in page.get_by_test_id("list").inner_text()  # the school sees every teaching point
    page.select_option("select[name=teaching_point_id]", label="102 鼓楼学习中心")
    page.click("button:has-text('查询')")
    names = page.locator("[data-testid=list] tbody tr").evaluate_all("rows => rows.map(r => r.dataset.username)")
    assert names == ["gulou"]
