"""批量缴费汇款 of a whole query in the admin UI (requirements/finance.md §2.1): the teaching point remits for
every bill its query finds, over all pages, on one slip; the page shows the count and total and
asks before it sends. Bills already in transit are not paid again, and if the query finds other
bills by the time the payer confirms, nothing is paid and the new figures are shown.
Set-up goes through the HTTP API; every check is what the user sees in Chromium."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.admin.test_bills import statuses_of, total_cell
from tests.admin.test_enrolment import pay
from tests.http.api_helpers import API, ok
from tests.http.selection_support import learner, ready_catalogue, selected

browser = pytest.mark.browser

LEARNERS = 12  # 24 bills of 玄武: more than one page of 20
FEES = "676.00"  # 管理会计: credit fee 636.00 and exam fee 40.00


@pytest.fixture
def many(client: Any, world: Any, login: Any) -> list[list[str]]:
    """管理会计 selected for twelve learners of 玄武 (two bills each) and one of 鼓楼; the first
    learner's bills are already remitted (in transit)."""
    cat = ready_catalogue(client, login, world)
    course = cat.courses["01234"]
    bills = [
        [b["id"] for b in selected(client, login("xuanwu"), learner(client, login, world, seq=i), course)["bills"]]
        for i in range(1, LEARNERS + 1)
    ]
    gulou = learner(client, login, world, seq=LEARNERS + 1, tp_admin="gulou")
    selected(client, login("gulou"), gulou, course)
    ok(client.post(f"{API}/remittance-slips", json={"bill_ids": bills[0]}, headers=login("xuanwu")), 201)
    return bills


def pay_query_button(page: Any) -> Any:
    return page.get_by_test_id("pay-query-remittance")


@browser
def test_every_bill_of_the_query_over_all_pages_is_remitted_on_one_slip(sign_in, many, page):
    page = sign_in("xuanwu")
    page.goto("/admin/bills")
    expect(page.get_by_test_id("bill-row")).to_have_count(20)  # one page of the 24 bills
    # The whole query's bills awaiting payment: 11 learners, not the 20 rows on screen.
    expect(page.get_by_test_id("payable-count")).to_have_text("22")
    expect(page.get_by_test_id("payable-amount")).to_have_text("7436.00")
    expect(pay_query_button(page)).to_have_text("汇款：缴纳本查询全部 22 张（7436.00 元）")

    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    pay_query_button(page).click()
    assert asked == [(
        "确定为本查询全部 22 张待缴费的缴费单生成一张汇款单吗？合计 7436.00 元。"
        "缴费状态将变更为“汇款中”，待学校财务确认到账；提交后不可撤销。"
    )]
    page.reload()  # dismissed: nothing was sent
    expect(page.get_by_test_id("payable-count")).to_have_text("22")
    assert total_cell(page, "玄武学习中心", "awaiting_payment") == "22 笔 / 7436.00 元"

    page.once("dialog", lambda d: d.accept())
    page.fill("[data-testid=pay-query] input[name=bank_reference]", "BK20260901009")
    pay_query_button(page).click()
    flash = page.locator(".flash.ok").inner_text()
    number = re.search(r"已生成汇款单 (HK\d{16})：22 张缴费单，合计 7436.00 元", flash).group(1)
    assert "汇款中" in flash
    assert total_cell(page, "玄武学习中心", "awaiting_payment") == "0 笔 / 0.00 元"
    assert total_cell(page, "玄武学习中心", "remittance_in_transit") == "24 笔 / 8112.00 元"
    expect(page.get_by_test_id("payable-count")).to_have_text("0")
    expect(pay_query_button(page)).to_have_count(0)
    assert set(statuses_of(page, "王小明")) == {"汇款中"}

    # One slip of the 22 bills, beside the earlier one; the first learner's bills are not on it.
    page.goto("/admin/remittance-slips")
    expect(page.get_by_test_id("slip-row")).to_have_count(2)
    assert "\t2\t676.00\t" in page.get_by_test_id("slip-row").filter(has_not_text=number).inner_text()  # the earlier one
    row = page.get_by_test_id("slip-row").filter(has_text=number)
    assert "22" in row.inner_text() and "7436.00" in row.inner_text() and "BK20260901009" in row.inner_text()
    row.locator("a").click()
    expect(page.get_by_test_id("slip-bills").get_by_test_id("bill-row")).to_have_count(22)
    assert page.get_by_test_id("bills-total").inner_text() == "7436.00"


@browser
def test_the_query_and_its_figures_are_checked_again_when_the_payer_confirms(sign_in, many, page, client, login):
    page = sign_in("xuanwu")
    page.on("dialog", lambda d: d.accept())
    # A query narrowed to one learner: only that learner's two bills are offered.
    page.goto("/admin/bills")
    page.fill("input[name=name]", "王小明12")
    page.click("form.filters >> text=查询")
    expect(page.get_by_test_id("payable-count")).to_have_text("2")
    expect(page.get_by_test_id("payable-amount")).to_have_text(FEES)

    # Meanwhile that learner's bills are paid through another way; the confirmed figures no
    # longer hold, so nothing is remitted and the page shows what the query finds now.
    pay(client, login, many[11])
    pay_query_button(page).click()
    expect(page.get_by_test_id("error")).to_have_text("当前查询没有待缴费的缴费单")
    expect(page.get_by_test_id("payable-count")).to_have_text("0")
    assert statuses_of(page, "王小明12") == ["已缴费", "已缴费"]

    # The whole list: 22 awaiting when shown, 20 by the time it is confirmed.
    page.goto("/admin/bills")
    expect(page.get_by_test_id("payable-count")).to_have_text("20")
    pay(client, login, many[10])
    pay_query_button(page).click()
    expect(page.get_by_test_id("error")).to_have_text(
        "当前查询的待缴费缴费单已变化：现为 18 张，合计 6084.00 元，请核对后重新确认"
    )
    expect(page.get_by_test_id("payable-count")).to_have_text("18")
    assert total_cell(page, "玄武学习中心", "awaiting_payment") == "18 笔 / 6084.00 元"
    pay_query_button(page).click()
    expect(page.locator(".flash.ok")).to_contain_text("18 张缴费单，合计 6084.00 元")
    assert total_cell(page, "玄武学习中心", "awaiting_payment") == "0 笔 / 0.00 元"


@browser
def test_school_finance_and_other_teaching_points_are_not_offered_the_whole_query(sign_in, many, page):
    page = sign_in("caiwu")
    page.goto("/admin/bills")
    expect(page.get_by_test_id("bill-row")).to_have_count(20)
    expect(page.get_by_test_id("pay-query")).to_have_count(0)
    page = sign_in("gulou")
    page.goto("/admin/bills")
    expect(page.get_by_test_id("payable-count")).to_have_text("2")  # its own learner's bills only
    expect(page.get_by_test_id("payable-amount")).to_have_text(FEES)
