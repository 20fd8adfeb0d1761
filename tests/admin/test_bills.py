"""批量缴费汇款 and 汇款单确认 in the admin UI (requirements/finance.md §1.1, §2): a teaching point pays
its learners' bills by remittance or online through the embedded UnionPay simulator; school
finance confirms or rejects remittances; another teaching point neither sees nor pays them.
Set-up goes through the HTTP API (`client` shares the container with the live server); every
check is what the user sees in Debian's Chromium."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.http.api_helpers import API, ok
from tests.http.selection_support import learner, ready_catalogue, selected

browser = pytest.mark.browser

A, B, C = "王小明1", "王小明2", "王小明3"  # two learners of 玄武, one of 鼓楼


@pytest.fixture
def bills(client: Any, world: Any, login: Any) -> dict[str, list[dict[str, Any]]]:
    """管理会计 (4 credits, with a final exam) selected for A and B at 玄武 and for C at 鼓楼:
    each has a credit-fee bill of 636.00 (159.00 per credit) and an exam-fee bill of 40.00."""
    cat = ready_catalogue(client, login, world)
    a, b = learner(client, login, world, seq=1), learner(client, login, world, seq=2)
    c = learner(client, login, world, seq=3, tp_admin="gulou")
    course = cat.courses["01234"]
    return {
        A: selected(client, login("xuanwu"), a, course)["bills"],
        B: selected(client, login("xuanwu"), b, course)["bills"],
        C: selected(client, login("gulou"), c, course)["bills"],
    }


def ids(bills: list[dict[str, Any]]) -> list[str]:
    return [b["id"] for b in bills]


def rows_of(page: Any, name: str) -> Any:
    return page.get_by_test_id("bill-row").filter(has_text=name)


def statuses_of(page: Any, name: str) -> list[str]:
    return rows_of(page, name).get_by_test_id("bill-status").all_inner_texts()


def tick(page: Any, name: str) -> None:
    rows = rows_of(page, name)
    expect(rows.first).to_be_visible()
    for i in range(rows.count()):
        rows.nth(i).locator("input[name=bill_ids]").check()


def total_cell(page: Any, point: str, status: str) -> str:
    row = page.get_by_test_id("total-row").filter(has_text=point)
    return row.locator(f"td[data-status={status}]").inner_text()


@browser
def test_remittance_confirmed_by_finance_pays_the_bills(sign_in, bills, page):
    page = sign_in("xuanwu")
    page.on("dialog", lambda d: d.accept())  # confirmations are tested in test_confirmations.py
    page.click("nav.menu >> text=批量缴费汇款")
    assert page.url.endswith("/admin/bills")
    # The learner's two bills, with the bill list's columns (requirements/finance.md §1.5); amounts
    # per the 本科 fee standard.
    a_rows = rows_of(page, A)
    expect(a_rows).to_have_count(2)
    credit = a_rows.filter(has_text="学分费").inner_text()
    exam = a_rows.filter(has_text="考试费").inner_text()
    for text in (credit, exam):
        for column in ("2026秋", "专升本", "开放教育", "会计学", "2.5年", "玄武学习中心", "管理会计", "待缴费"):
            assert column in text
    assert "636.00" in credit and "40.00" in exam
    expect(rows_of(page, C)).to_have_count(0)  # 鼓楼's learner is not on 玄武's list
    assert total_cell(page, "玄武学习中心", "awaiting_payment") == "4 笔 / 1352.00 元"
    expect(page.get_by_test_id("total-row")).to_have_count(1)
    page.screenshot(path="/tmp/bills_list.png", full_page=True)

    tick(page, A)
    assert page.get_by_test_id("selected-sum").inner_text() == "已选 2 张，合计 676.00 元"
    page.fill("[data-testid=pay-form] input[name=bank_reference]", "BK20260901001")
    page.get_by_test_id("pay-remittance").click()
    flash = page.locator(".flash.ok").inner_text()
    number = re.search(r"已生成汇款单 (HK\d{16})：2 张缴费单，合计 676.00 元", flash).group(1)
    assert "汇款中" in flash
    assert statuses_of(page, A) == ["汇款中", "汇款中"] and "汇款" in rows_of(page, A).first.inner_text()
    assert statuses_of(page, B) == ["待缴费", "待缴费"]
    assert total_cell(page, "玄武学习中心", "remittance_in_transit") == "2 笔 / 676.00 元"
    assert total_cell(page, "玄武学习中心", "awaiting_payment") == "2 笔 / 676.00 元"
    # Filtered by status: only the bills in transit.
    page.select_option("select[name=status]", "remittance_in_transit")
    page.click("form.filters >> text=查询")
    expect(page.get_by_test_id("bill-row")).to_have_count(2)
    expect(rows_of(page, B)).to_have_count(0)

    # The teaching point sees its slip, read-only.
    page.click("nav.menu >> text=汇款单查询")
    page.get_by_test_id("slip-row").filter(has_text=number).locator("text=查看").click()
    assert page.get_by_test_id("slip-status").inner_text() == "待确认"
    expect(page.get_by_test_id("review")).to_have_count(0)
    assert "待学校财务确认到账" in page.inner_text("main")

    sign_in("caiwu")
    page.click("nav.menu >> text=汇款单确认")
    row = page.get_by_test_id("slip-row").filter(has_text=number)
    assert "玄武学习中心" in row.inner_text() and "676.00" in row.inner_text() and "待确认" in row.inner_text()
    row.locator("text=审核").click()
    expect(page.get_by_test_id("slip-bills").get_by_test_id("bill-row")).to_have_count(2)
    assert page.get_by_test_id("bills-total").inner_text() == "676.00"
    assert "BK20260901001" in page.inner_text("main")
    page.fill("input[name=comment]", "已到账")
    page.get_by_test_id("confirm").click()
    assert "已确认到账" in page.locator(".flash.ok").inner_text()
    assert page.get_by_test_id("slip-status").inner_text() == "已到账"
    assert page.get_by_test_id("bill-status").all_inner_texts() == ["已缴费", "已缴费"]
    expect(page.get_by_test_id("review")).to_have_count(0)
    assert "确认到账" in page.get_by_test_id("audit-tab").inner_text()
    page.screenshot(path="/tmp/bills_remittance_slip.png", full_page=True)

    # The bill's record: paid by remittance, and its audit tab says who confirmed it.
    page.get_by_test_id("slip-bills").get_by_test_id("bill-row").filter(has_text="学分费").locator("text=查看").click()
    assert page.get_by_test_id("bill-status").inner_text() == "已缴费"
    assert page.get_by_test_id("bill-amount").inner_text() == "636.00 元"
    audit = page.get_by_test_id("audit-tab").inner_text()
    assert "生成缴费单（待缴费）" in audit and "汇款（汇款中）" in audit
    confirmed = page.get_by_test_id("audit-tab").locator("tr", has_text="汇款确认到账（已缴费）").inner_text()
    assert "caiwu" in confirmed and "财务" in confirmed
    page.screenshot(path="/tmp/bills_record.png", full_page=True)
    page.get_by_test_id("slip-link").click()
    assert page.get_by_test_id("slip-number").inner_text() == number

    # Finance sees every teaching point's bills and totals.
    page.click("nav.menu >> text=缴费单查询")
    expect(rows_of(page, C)).to_have_count(2)
    expect(page.get_by_test_id("pay-form").locator("input[name=bill_ids]")).to_have_count(0)
    assert total_cell(page, "玄武学习中心", "paid") == "2 笔 / 676.00 元"
    assert total_cell(page, "鼓楼学习中心", "awaiting_payment") == "2 笔 / 676.00 元"


@browser
def test_rejected_remittance_and_bills_already_paid(sign_in, bills, page, client, login):
    page = sign_in("xuanwu")
    page.on("dialog", lambda d: d.accept())  # confirmations are tested in test_confirmations.py
    page.goto("/admin/bills")
    tick(page, B)
    page.get_by_test_id("pay-remittance").click()
    number = re.search(r"HK\d{16}", page.locator(".flash.ok").inner_text()).group(0)
    assert statuses_of(page, B) == ["汇款中", "汇款中"]

    sign_in("caiwu")
    page.goto("/admin/remittance-slips?status=submitted")
    page.get_by_test_id("slip-row").filter(has_text=number).locator("text=审核").click()
    slip_url = page.url
    page.get_by_test_id("reject").click()  # no reason given
    assert page.get_by_test_id("error").inner_text() == "驳回原因为必填项"
    assert page.get_by_test_id("slip-status").inner_text() == "待确认"
    page.fill("textarea[name=reason]", "款项未到账")
    page.get_by_test_id("reject").click()
    assert "汇款单已驳回" in page.locator(".flash.ok").inner_text()
    assert page.get_by_test_id("slip-status").inner_text() == "已驳回"
    assert page.get_by_test_id("reject-reason").inner_text() == "款项未到账"
    assert page.get_by_test_id("bill-status").all_inner_texts() == ["待缴费", "待缴费"]
    rejected = page.get_by_test_id("audit-tab").locator("tr", has_text="驳回汇款单").inner_text()
    assert "款项未到账" in rejected and "caiwu" in rejected
    page.goto("/admin/remittance-slips?status=rejected")
    expect(page.get_by_test_id("slip-row")).to_have_count(1)

    # Back at the teaching point the bills await payment again; the page stays open while the
    # same bills get paid elsewhere (here: remitted through the API and confirmed).
    sign_in("xuanwu")
    page.goto("/admin/bills")
    assert statuses_of(page, B) == ["待缴费", "待缴费"]
    page.goto(slip_url)
    assert page.get_by_test_id("slip-status").inner_text() == "已驳回"
    expect(page.get_by_test_id("review")).to_have_count(0)
    page.goto("/admin/bills")
    tick(page, B)
    slip = ok(client.post(f"{API}/remittance-slips", json={"bill_ids": ids(bills[B])}, headers=login("xuanwu")), 201)
    ok(client.post(f"{API}/remittance-slips/{slip['id']}/confirmation", json={}, headers=login("caiwu")))
    page.get_by_test_id("pay-remittance").click()
    assert page.get_by_test_id("error").inner_text() == "该缴费单已缴费，不能重复缴费"
    assert statuses_of(page, B) == ["已缴费", "已缴费"]
    # Nothing ticked: the user is told to tick bills first.
    page.get_by_test_id("pay-unionpay").click()
    assert page.get_by_test_id("error").inner_text() == "请先勾选待缴费的缴费单"
    # Links on that page (it answered the form post) lead back to the list.
    page.goto("/admin/bills/payments?status=paid")
    assert page.url.endswith("/admin/bills?status=paid") and statuses_of(page, B) == ["已缴费", "已缴费"]


@browser
def test_online_payment_through_the_gateway_simulator(sign_in, bills, page, world):
    page = sign_in("xuanwu")
    page.goto("/admin/bills")
    tick(page, A)
    page.get_by_test_id("pay-unionpay").click()
    page.wait_for_url(re.compile(r"/admin/bills/online-payments/[0-9a-f-]{36}$"))
    payment_url = page.url
    assert page.get_by_test_id("payment-status").inner_text() == "待支付"
    assert page.get_by_test_id("payment-amount").inner_text() == "676.00 元（2 张缴费单）"
    page.get_by_test_id("to-gateway").click()

    # The embedded gateway's cashier page, then back to the payment page.
    assert page.get_by_test_id("cashier-amount").inner_text() == "¥ 676.00"
    page.screenshot(path="/tmp/bills_gateway.png", full_page=True)
    page.get_by_test_id("confirm-pay").click()
    page.wait_for_url(payment_url)
    assert page.get_by_test_id("payment-status").inner_text() == "支付成功"
    assert page.get_by_test_id("bill-status").all_inner_texts() == ["已缴费", "已缴费"]
    expect(page.get_by_test_id("to-gateway")).to_have_count(0)
    assert "支付成功" in page.get_by_test_id("audit-tab").inner_text()

    page.goto("/admin/bills")
    assert statuses_of(page, A) == ["已缴费", "已缴费"]
    assert "银联缴费" in rows_of(page, A).first.inner_text()
    expect(rows_of(page, A).locator("input[name=bill_ids]")).to_have_count(0)  # nothing left to tick
    rows_of(page, A).filter(has_text="考试费").locator("text=查看").click()
    assert page.get_by_test_id("bill-status").inner_text() == "已缴费"
    paid = page.get_by_test_id("audit-tab").locator("tr", has_text="银联在线缴费成功（已缴费）").inner_text()
    assert "unionpay" in paid
    page.get_by_test_id("payment-link").click()
    assert page.url == payment_url

    # The form sent twice (a double click, a retried request) carries the same idempotency
    # key: one payment, never two.
    page.goto("/admin/bills")
    tick(page, B)
    urls = page.evaluate(
        """async () => {
            const form = document.getElementById("pay-form");
            const body = () => { const d = new URLSearchParams(new FormData(form)); d.set("method", "unionpay"); return d; };
            const first = await fetch(form.action, { method: "POST", body: body() });
            const second = await fetch(form.action, { method: "POST", body: body() });
            return [first.url, second.url, await second.text()];
        }"""
    )
    assert urls[0] == urls[1] and "/admin/bills/online-payments/" in urls[0]
    assert "该缴费请求已提交过，未重复发起支付" in urls[2]
    # This time the payer lets the payment fail: the bills still await payment.
    page.goto(urls[0])
    page.get_by_test_id("to-gateway").click()
    page.get_by_test_id("fail-pay").click()
    page.wait_for_url(urls[0])
    assert page.get_by_test_id("payment-status").inner_text() == "支付失败"
    assert page.get_by_test_id("bill-status").all_inner_texts() == ["待缴费", "待缴费"]
    page.goto("/admin/bills")
    assert statuses_of(page, B) == ["待缴费", "待缴费"]


@browser
def test_another_teaching_point_neither_sees_nor_pays_the_bills_and_the_export(sign_in, bills, page):
    page = sign_in("gulou")
    page.on("dialog", lambda d: d.accept())  # confirmations are tested in test_confirmations.py
    page.goto("/admin/bills")
    expect(rows_of(page, C)).to_have_count(2)
    expect(rows_of(page, A)).to_have_count(0)
    expect(rows_of(page, B)).to_have_count(0)
    assert page.get_by_test_id("total-row").all_inner_texts()[0].startswith("鼓楼学习中心")
    expect(page.get_by_test_id("total-row")).to_have_count(1)
    page.goto(f"/admin/bills/{bills[A][0]['id']}")
    assert page.get_by_test_id("error").inner_text() == "缴费单不存在或不属于您的教学点"
    # A forged tick of 玄武's bill on 鼓楼's page is refused.
    page.goto("/admin/bills")
    page.evaluate(
        """id => { const box = document.createElement("input"); box.type = "checkbox"; box.name = "bill_ids";
                  box.value = id; box.checked = true; document.getElementById("pay-form").appendChild(box); }""",
        bills[A][0]["id"],
    )
    page.get_by_test_id("pay-remittance").click()
    assert page.get_by_test_id("error").inner_text() == "缴费单不存在或不属于您的教学点"

    # 玄武 pays; 鼓楼 still cannot open the slip.
    page = sign_in("xuanwu")
    page.goto("/admin/bills")
    tick(page, A)
    page.get_by_test_id("pay-remittance").click()
    page.goto("/admin/remittance-slips")
    page.get_by_test_id("slip-row").first.locator("text=查看").click()
    slip_url = page.url

    # The Excel export of the current query (name filter): the learner's two bills.
    page.goto("/admin/bills")
    page.fill("input[name=name]", A)
    page.click("form.filters >> text=查询")
    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    download = info.value
    assert download.suggested_filename.startswith("缴费单_") and download.suggested_filename.endswith(".xlsx")
    assert "name=" in download.url and "bill_ids" not in download.url
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    assert header[:3] == ["姓名", "学号", "学习批次"] and "金额（元）" in header and "缴费类型" in header
    data = sorted((dict(zip(header, r, strict=True)) for r in rows[1:]), key=lambda r: r["缴费类型"])
    assert [(r["姓名"], r["缴费类型"], r["金额（元）"], r["缴费状态"], r["缴费方式"]) for r in data] == [
        (A, "学分费", 636, "汇款中", "汇款"), (A, "考试费", 40, "汇款中", "汇款"),  # amounts are numbers
    ]
    assert {r["教学点"] for r in data} == {"玄武学习中心"} and {r["课程"] for r in data} == {"管理会计"}

    sign_in("gulou")
    page.goto(slip_url)
    assert page.get_by_test_id("error").inner_text() == "汇款单不存在或不属于您的教学点"
    page.goto("/admin/remittance-slips")
    expect(page.get_by_test_id("slip-row")).to_have_count(0)
