"""补考报考 in the admin UI (requirements/exams.md §3 【代学生报考】): the teaching point enters the full
student number, picks the exam batch and course, registers the resit and follows the link to
its exam-fee bill; an unpaid resit is withdrawn (撤销补考, the bill voided); once the bill is paid
the withdrawal is refused in Chinese. Set-up goes through the API with the `client` fixture,
which shares the container with the live server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.http.resit_support import pay_by_remittance, studied

browser = pytest.mark.browser
NEW = "/admin/exam-registrations/resits/new"


@browser
def test_register_a_resit_follow_its_bill_withdraw_and_be_refused_once_paid(sign_in, client, world, login):
    s = studied(client, login, world)
    page = sign_in("xuanwu")
    page.goto(NEW)
    assert page.locator("h1").inner_text() == "补考报考"

    page.fill("input[name=student_number]", s.student_number[:-3])
    page.get_by_test_id("find").click()
    assert "请输入完整的学号" in page.get_by_test_id("error").inner_text()

    page.fill("input[name=student_number]", s.student_number)
    page.get_by_test_id("find").click()
    assert page.get_by_test_id("learner-number").inner_text() == s.student_number
    rows = page.get_by_test_id("sitting-row")
    # 管理会计 in the new batch is open for a resit; in the selection's own batch its final exam
    # is already registered; 会计信息系统 has no final exam and is not offered.
    expect(rows).to_have_count(2)
    resit_row = rows.filter(has_text="2027年7月考试")
    assert "管理会计" in resit_row.inner_text() and "40.00" in resit_row.inner_text()
    assert resit_row.get_by_test_id("sitting-status").inner_text() == "未报考"
    final_row = rows.filter(has_text="2027年1月考试")
    assert final_row.get_by_test_id("sitting-status").inner_text() == "终考 · 报考成功"
    expect(final_row.locator("input[type=radio]")).to_have_count(0)
    assert "会计信息系统" not in page.get_by_test_id("sittings").inner_text()

    page.get_by_test_id("register").click()
    assert page.get_by_test_id("error").inner_text() == "请选择要报考的考试批次和课程"

    page.get_by_label("报考 2027年7月考试 管理会计").check()
    page.screenshot(path="/tmp/resits_new.png", full_page=True)
    page.get_by_test_id("register").click()
    flash = page.locator(".flash.ok").inner_text()
    assert flash.startswith("补考报考成功") and "“管理会计”" in flash and s.student_number in flash
    registered = page.get_by_test_id("registered").inner_text()
    assert "补考，待缴费" in registered and "考试费 40.00 元" in registered
    status = page.get_by_test_id("sitting-row").filter(has_text="2027年7月考试").get_by_test_id("sitting-status")
    assert status.inner_text() == "补考 · 待缴费"

    page.get_by_test_id("bill-link").click()
    assert re.search(r"/admin/bills/[0-9a-f-]{36}$", page.url)
    assert page.get_by_test_id("bill-status").inner_text() == "待缴费"
    assert page.get_by_test_id("bill-amount").inner_text() == "40.00 元" and "考试费" in page.locator("h1").inner_text()
    bill_url = page.url

    # 撤销补考 before payment: back on the page, the bill voided, the sitting open again.
    page.go_back()
    page.get_by_test_id("withdraw").click()
    assert page.url.endswith(f"{NEW}?student_number={s.student_number}")
    assert "已撤销补考报考" in page.locator(".flash.ok").inner_text()
    assert status.inner_text() == "补考 · 已取消"
    page.goto(bill_url)
    assert page.get_by_test_id("bill-status").inner_text() == "已作废"

    # Registered again; the bill is paid (remittance confirmed by finance) while the page is
    # open: the withdrawal is refused, the registration stays.
    page.goto(f"{NEW}?student_number={s.student_number}")
    page.get_by_label("报考 2027年7月考试 管理会计").check()
    page.get_by_test_id("register").click()
    assert status.inner_text() == "补考 · 待缴费"
    bill_href = page.get_by_test_id("bill-link").get_attribute("href")
    pay_by_remittance(client, login, [bill_href.rsplit("/", 1)[1]])
    page.get_by_test_id("withdraw").click()
    assert page.get_by_test_id("error").inner_text() == "补考已缴费，不允许取消报考"
    assert status.inner_text() == "补考 · 报考成功"
    expect(page.get_by_test_id("withdraw")).to_have_count(0)


@browser
def test_a_withdrawal_returns_to_exam_registrations_and_other_points_learners_are_not_found(sign_in, client, world, login):
    s = studied(client, login, world)
    page = sign_in("xuanwu")
    page.goto(f"{NEW}?student_number={s.student_number}")
    page.get_by_label("报考 2027年7月考试 管理会计").check()
    page.get_by_test_id("register").click()
    # A return address outside 报考管理 is not followed: the withdrawal lands on the list.
    page.locator("form[id^=withdraw-] input[name=back]").evaluate("e => e.value = 'https://example.com/'")
    page.get_by_test_id("withdraw").click()
    assert page.url.endswith("/admin/exam-registrations")
    assert "已撤销补考报考" in page.locator(".flash.ok").inner_text()

    sign_in("gulou")
    page.goto(f"{NEW}?student_number={s.student_number}")
    assert f"没有找到学号为{s.student_number}的本教学点学生" in page.get_by_test_id("error").inner_text()
    expect(page.get_by_test_id("resit-form")).to_have_count(0)
