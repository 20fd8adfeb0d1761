"""The whole course path in the admin UI, each role in its own browser session: the teaching
point selects a course for a learner (bills follow), pays them by remittance, finance confirms
the money; the teaching point then requests the paid course's drop, academic affairs approves,
finance approves and records the refund. The learner's course, bills and exam registration end
as a user would expect, and every step is on the refund's audit tab."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.admin.test_enrolment import course_row, open_selection, student_number
from tests.admin.test_refunds import open_from_queue
from tests.http.selection_support import learner, ready_catalogue


def test_select_bill_remit_confirm_drop_approve_approve_refund(sign_in, client, login, world):
    ready_catalogue(client, login, world)
    lid = learner(client, login, world)
    number = student_number(world, lid)

    # 1. 代学生选课: 管理会计 (4 credits, final exam) -> credit fee 636.00 and exam fee 40.00 awaiting payment.
    page = sign_in("xuanwu")
    page.on("dialog", lambda d: d.accept())  # confirmations are tested in test_confirmations.py
    open_selection(page, number)
    page.check("input[aria-label='选择 管理会计']")
    page.get_by_test_id("select").click()
    page.wait_for_url(f"**/admin/learners/{lid}/courses")
    expect(page.locator(".flash.ok")).to_contain_text("已为学生选课 1 门，生成待缴费的缴费单 2 张")
    expect(course_row(page, "01234").get_by_test_id("enrollment-status")).to_have_text("待缴费")

    # 2. 批量缴费汇款: tick the learner's two bills and remit.
    page.click("nav.menu >> text=批量缴费汇款")
    rows = page.get_by_test_id("bill-row").filter(has_text=number)
    expect(rows).to_have_count(2)
    for i in range(2):
        rows.nth(i).locator("input[name=bill_ids]").check()
    expect(page.get_by_test_id("selected-sum")).to_have_text("已选 2 张，合计 676.00 元")
    page.get_by_test_id("pay-remittance").click()
    slip = re.search(r"已生成汇款单 (HK\d{16})", page.locator(".flash.ok").inner_text()).group(1)
    expect(rows.get_by_test_id("bill-status")).to_have_text(["汇款中", "汇款中"])

    # 3. 汇款单确认 by finance: the bills are paid, the course may be studied, the exam registration confirmed.
    page = sign_in("caiwu")
    page.click("nav.menu >> text=汇款单确认")
    page.get_by_test_id("slip-row").filter(has_text=slip).locator("text=审核").click()
    page.fill("input[name=comment]", "已到账")
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("slip-status")).to_have_text("已到账")
    expect(page.get_by_test_id("bill-status")).to_have_text(["已缴费", "已缴费"])

    page = sign_in("xuanwu")
    page.goto(f"/admin/learners/{lid}/courses")
    row = course_row(page, "01234")
    expect(row.get_by_test_id("enrollment-status")).to_have_text("选课成功")
    expect(row.get_by_test_id("may-study")).to_have_text("可学习")
    page.click("nav.menu >> text=报考管理")
    expect(page.get_by_test_id("registration-row").filter(has_text=number).get_by_test_id("registration-status")).to_have_text("报考成功")

    # 4. 申请退课 of the paid course: a refund request pending academic review; still studying.
    page.goto(f"/admin/learners/{lid}/courses")
    page.check("input[aria-label='退课 管理会计']")
    page.fill("[data-testid=drop] input[name=reason]", "工作调动")
    page.get_by_test_id("request-drop").click()
    expect(page.locator(".flash.ok")).to_contain_text("已缴费课程已提交退课申请，待学校教务审核：管理会计")
    expect(course_row(page, "01234").get_by_test_id("refund")).to_have_text("待审核")
    expect(course_row(page, "01234").get_by_test_id("may-study")).to_have_text("可学习")

    # 5. Academic affairs approves from its queue: study stops.
    page = sign_in("jiaowu")
    open_from_queue(page, "academic", number)
    page.fill("[data-testid=form-academic-approval] input[name=comment]", "同意退课")
    page.get_by_test_id("academic-approval").click()
    expect(page.get_by_test_id("refund-status")).to_have_text("待财务审核")

    # 6. Finance approves, then records the refund.
    page = sign_in("caiwu")
    open_from_queue(page, "finance", number)
    page.fill("[data-testid=form-finance-approval] input[name=comment]", "同意退费")
    page.get_by_test_id("finance-approval").click()
    expect(page.get_by_test_id("refund-status")).to_have_text("财务审核通过")
    open_from_queue(page, "refund", number)
    page.fill("[data-testid=form-refund-payment] input[name=reference]", "TK2026090101")
    page.get_by_test_id("refund-payment").click()
    expect(page.get_by_test_id("refund-status")).to_have_text("已处理退费")
    audit = page.get_by_test_id("audit-tab").locator("tbody tr")
    expect(audit).to_have_count(4)
    assert [audit.nth(i).locator("td").nth(3).inner_text() for i in range(4)] == ["xuanwu", "jiaowu", "caiwu", "caiwu"]

    # The teaching point sees the course dropped and the exam registration cancelled.
    page = sign_in("xuanwu")
    page.goto(f"/admin/learners/{lid}/courses")
    row = course_row(page, "01234")
    expect(row.get_by_test_id("enrollment-status")).to_have_text("已退课")
    expect(row.get_by_test_id("may-study")).to_have_text("不可学习")
    page.click("nav.menu >> text=报考管理")
    expect(page.get_by_test_id("registration-row").filter(has_text=number).get_by_test_id("registration-status")).to_have_text("已取消")
