"""Irreversible actions ask before they are sent, naming what will happen and the amount or hours:
汇款 and 确认到账 (bills and remittance slips), 申请退课 and 已退费 (a paid course's drop), and a
trainee's 申请证书. Dismissing the browser's dialog sends nothing; accepting it acts. Set-up goes
through the HTTP API; the dialogs are read as Chromium shows them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.admin.test_bills import bills, rows_of, statuses_of, tick  # noqa: F401  (bills is a fixture)
from tests.admin.test_enrolment import course_row
from tests.admin.test_refunds import paid  # noqa: F401  (a fixture)
from tests.admin.training_support import portal_sign_in
from tests.http.api_helpers import API, ok

browser = pytest.mark.browser

A = "王小明1"


def answer(page: Any, accept: bool) -> list[str]:
    """The next dialog's message, accepted or dismissed."""
    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.accept() if accept else d.dismiss()))
    return asked


@browser
def test_remitting_and_confirming_the_money_name_the_bills_and_the_total(sign_in, bills, page, client, login):  # noqa: F811  (a fixture)
    page = sign_in("xuanwu")
    page.goto("/admin/bills")
    tick(page, A)
    asked = answer(page, accept=False)
    page.get_by_test_id("pay-remittance").click()
    assert asked == [
        "确定为所选 2 张缴费单生成汇款单吗？合计 676.00 元。缴费状态将变更为“汇款中”，待学校财务确认到账；提交后不可撤销。"
    ]
    expect(page.get_by_test_id("pay-remittance")).to_be_enabled()  # the form may still be sent
    assert {b["status"] for b in ok(client.get(f"{API}/bills", params={"name": A}, headers=login("xuanwu")))["items"]} == {
        "awaiting_payment"
    }
    page.reload()
    assert statuses_of(page, A) == ["待缴费", "待缴费"]

    # Nothing ticked: nothing to confirm, the page says what is missing.
    page.get_by_test_id("pay-unionpay").click()
    expect(page.get_by_test_id("error")).to_have_text("请先勾选待缴费的缴费单")

    tick(page, A)
    asked = answer(page, accept=True)
    page.get_by_test_id("pay-remittance").click()
    number = re.search(r"已生成汇款单 (HK\d{16})", page.locator(".flash.ok").inner_text()).group(1)
    assert "676.00 元" in asked[0]
    assert statuses_of(page, A) == ["汇款中", "汇款中"]

    page = sign_in("caiwu")
    page.goto("/admin/remittance-slips")
    page.get_by_test_id("slip-row").filter(has_text=number).locator("a").click()
    asked = answer(page, accept=False)
    page.get_by_test_id("confirm").click()
    assert asked == [
        f"确认汇款单 {number} 的 676.00 元已到账吗？其中 2 张缴费单将变更为“已缴费”，学生即可学习对应课程；确认后不可撤销。"
    ]
    page.reload()
    expect(page.get_by_test_id("slip-status")).to_have_text("待确认")
    asked = answer(page, accept=True)
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("slip-status")).to_have_text("已到账")
    assert page.get_by_test_id("bill-status").all_inner_texts() == ["已缴费", "已缴费"]
    assert len(asked) == 1


@browser
def test_asking_for_a_drop_and_marking_it_refunded_name_the_courses_and_the_amount(sign_in, client, login, paid, page):  # noqa: F811  (a fixture)
    lid, _ = paid  # 管理会计 636.00 + 40.00 and 会计信息系统 397.50, all paid
    page = sign_in("xuanwu")
    page.goto(f"/admin/learners/{lid}/courses")
    page.check("input[aria-label='退课 管理会计']")
    page.check("input[aria-label='退课 会计信息系统']")
    asked = answer(page, accept=False)
    page.get_by_test_id("request-drop").click()
    assert asked == [(
        "确定为王小明1申请退课 2 门（管理会计、会计信息系统）吗？已缴费的课程（合计 1073.50 元）提交退课申请，"
        "经学校教务、财务审核后退费；未缴费的课程立即退课，缴费单作废，报考取消。"
    )]
    page.reload()
    expect(course_row(page, "01234").get_by_test_id("refund")).to_have_text("")
    expect(course_row(page, "01235").get_by_test_id("refund")).to_have_text("")

    page.check("input[aria-label='退课 管理会计']")
    asked = answer(page, accept=True)
    page.get_by_test_id("request-drop").click()
    expect(page.locator(".flash.ok")).to_contain_text("已缴费课程已提交退课申请，待学校教务审核：管理会计")
    assert "2 门" not in asked[0] and "1 门（管理会计）" in asked[0] and "676.00 元" in asked[0]
    refund_link = course_row(page, "01234").get_by_test_id("refund").locator("a")
    rid = refund_link.get_attribute("href").rsplit("/", 1)[1]

    ok(client.post(f"{API}/refunds/{rid}/academic-approval", json={}, headers=login("jiaowu")))
    ok(client.post(f"{API}/refunds/{rid}/finance-approval", json={}, headers=login("caiwu")))
    page = sign_in("caiwu")
    page.goto(f"/admin/refunds/{rid}")
    asked = answer(page, accept=False)
    page.get_by_test_id("refund-payment").click()
    assert asked == [
        "确定已向王小明1退费 676.00 元吗？确认后退课完成：“管理会计”退课，2 张缴费单变更为“已退费”，报考取消；不可撤销。"
    ]
    page.reload()
    expect(page.get_by_test_id("refund-status")).to_have_text("财务审核通过")
    answer(page, accept=True)
    page.get_by_test_id("refund-payment").click()
    expect(page.locator(".flash.ok")).to_contain_text("已处理退费，退课完成")
    page.goto(f"/admin/refunds/{rid}")
    expect(page.get_by_test_id("refund-status")).to_have_text("已处理退费")


@browser
def test_a_certificate_application_names_the_hours(page, tw):
    tw.credit("zhangsan", ("课程思政建设", 30), ("在线教学设计", 22))
    tw.container.certificate_ledgers.set_allowance(tw.actor("njnu_admin"), tw.accounts["zhangsan"], 2026, "50")
    portal_sign_in(page, "zhangsan")
    page.goto("/training/certificates")
    for title in ("课程思政建设", "在线教学设计"):
        page.locator(f"[data-testid=pool-item][data-title='{title}'] input").check()
    asked = answer(page, accept=False)
    page.get_by_test_id("apply").click()
    assert asked == [(
        "确定用所选 2 项、共 52.0 学时（课程思政建设、在线教学设计）申请 2026 年度证书吗？"
        "证书立即生成，所选学时计入本年度已生成证书学时；证书生成后不得撤销。"
    )]
    page.reload()
    expect(page.get_by_test_id("certificate-row")).to_have_count(0)
    expect(page.get_by_test_id("remaining")).to_have_text("50.0")

    for title in ("课程思政建设", "在线教学设计"):
        page.locator(f"[data-testid=pool-item][data-title='{title}'] input").check()
    answer(page, accept=True)
    with page.expect_navigation():
        page.get_by_test_id("apply").click()
    expect(page.get_by_test_id("flash")).to_contain_text("已生成")
    expect(page.get_by_test_id("certificate-row")).to_have_count(1)
