"""The home page's to-do counts: each role sees its own queues with how many items wait, and a
count's link opens the queue holding exactly those items."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support import applicant

pytestmark = pytest.mark.browser


def enter(world, admin, seq):
    return world.container.admissions.enter_form(
        world.actor(admin), admission_batch_id=world.admission_batch, programme_id=world.programmes["accounting"],
        applicant=applicant(seq),
    )


def test_academic_affairs_sees_forms_awaiting_final_review_and_opens_the_queue(sign_in, world):
    enter(world, "xuanwu", 1)
    enter(world, "gulou", 2)
    page = sign_in("jiaowu")
    page.goto("/admin/")
    tile = page.get_by_test_id("todo-forms-final")
    expect(tile).to_contain_text("待复审报名表")
    expect(tile.get_by_test_id("todo-count")).to_have_text("2")
    tile.click()
    expect(page).to_have_url(re.compile(r"/admin/application-forms\?status=preliminarily_approved$"))
    expect(page.get_by_test_id("pager")).to_contain_text("共 2 条")


def test_a_teaching_point_counts_its_own_items_only_and_the_auditor_has_no_todo(sign_in, world):
    enter(world, "gulou", 1)
    page = sign_in("xuanwu")
    page.goto("/admin/")
    expect(page.get_by_test_id("todo-bills-unpaid").get_by_test_id("todo-count")).to_have_text("0")
    expect(page.get_by_test_id("todo-forms-final")).to_have_count(0)


def test_the_auditor_has_no_todo(sign_in):
    page = sign_in("shenji")
    page.goto("/admin/")
    expect(page.get_by_test_id("todo")).to_have_count(0)
    expect(page.locator("h1")).to_contain_text("欢迎")
