"""Menus and headings name a page for what the viewer's role does with it, and record pages link
to other records only where the viewer may open them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_teaching_point_queries_its_slips_and_finance_confirms_them(sign_in):
    page = sign_in("xuanwu")
    menu = page.locator("nav.menu")
    expect(menu.get_by_role("link", name="汇款单查询")).to_have_count(1)
    expect(menu.get_by_role("link", name="汇款单确认")).to_have_count(0)
    menu.get_by_role("link", name="汇款单查询").click()
    expect(page.locator("h1")).to_have_text("汇款单查询")

    page = sign_in("caiwu")
    menu = page.locator("nav.menu")
    expect(menu.get_by_role("link", name="汇款单确认")).to_have_count(1)
    expect(menu.get_by_role("link", name="批量缴费汇款")).to_have_count(0)
    menu.get_by_role("link", name="缴费单查询").click()
    expect(page.locator("h1")).to_have_text("缴费单查询")


def test_a_teaching_point_sees_programme_courses_without_links_to_course_pages_it_cannot_open(sign_in, world):
    page = sign_in("xuanwu")
    page.goto(f"/admin/programmes/{world.programmes['accounting']}/courses")
    expect(page.locator("main a[href^='/admin/courses/']")).to_have_count(0)
    page = sign_in("jiaowu")
    page.goto(f"/admin/programmes/{world.programmes['accounting']}/courses")
    expect(page.locator("main h1")).to_have_count(1)
