"""The admin shell: login, menus by role, CSRF on forms, teaching-point info with its audit tab."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_wrong_password_shows_a_chinese_message(page):
    page.goto("/admin/login")
    page.fill("input[name=username]", "xuanwu")
    page.fill("input[name=password]", "wrong999")
    page.click("button[type=submit]")
    assert "用户名或密码不正确" in page.get_by_test_id("error").inner_text()


def test_pages_need_a_login(page):
    page.goto("/admin/me")
    assert page.url.endswith("/admin/login")


def test_teaching_point_admin_menu_follows_the_seed_order(sign_in):
    page = sign_in("xuanwu")
    sections = page.locator("nav.menu .section-title").all_inner_texts()
    assert sections == ["系统管理", "招生管理", "教务管理", "考务管理", "学籍管理", "财务管理"]
    entries = page.locator("nav.menu .section").first.locator("a").all_inner_texts()
    assert entries == ["个人信息", "修改密码", "教学点信息", "教学点用户管理"]
    teaching = page.locator("nav.menu .section").nth(2).locator("a").all_inner_texts()
    assert teaching == ["学务导师分配", "班级管理", "代学生选课", "批量选课", "选课查询", "退课申请"]


def test_auditor_menu_has_no_entry_forms(sign_in):
    page = sign_in("shenji")
    links = page.locator("nav.menu a").all_inner_texts()
    assert "录入报名表" not in links and "审计链校验" in links


def test_teaching_point_edits_its_contact_details_and_sees_the_history(sign_in, world):
    page = sign_in("xuanwu")
    page.goto(f"/admin/teaching-points/{world.tp['101']}")
    page.fill("input[name=recruiters]", "李娟，陈刚")
    page.fill("input[name=phones]", "025-84321234,13912345678")
    page.click("text=保存")
    assert "教学点信息已保存" in page.locator(".flash.ok").inner_text()
    audit = page.get_by_test_id("audit-tab")
    assert "修改联系信息" in audit.inner_text() and "xuanwu" in audit.inner_text()


def test_bad_phone_keeps_the_page_with_a_message(sign_in, world):
    page = sign_in("xuanwu")
    page.goto(f"/admin/teaching-points/{world.tp['101']}")
    page.fill("input[name=phones]", "12345")
    page.click("text=保存")
    assert "电话号码格式不正确" in page.get_by_test_id("error").inner_text()


def test_another_teaching_point_is_not_found(sign_in, world):
    page = sign_in("xuanwu")
    response = page.goto(f"/admin/teaching-points/{world.tp['102']}")
    assert response.status == 404
    assert "不存在" in page.get_by_test_id("error").inner_text()


def test_form_post_without_csrf_token_is_refused(sign_in, world):
    page = sign_in("xuanwu")
    response = page.request.post(
        f"/admin/teaching-points/{world.tp['101']}/contact-details", form={"address": "x", "recruiters": "", "phones": ""}
    )
    assert response.status == 403
