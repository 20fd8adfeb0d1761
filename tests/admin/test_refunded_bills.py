"""A refunded course's bills in the admin UI: once finance has paid the money back they read
已退费, not 已缴费, with the refunded amount beside them in the list, the totals per teaching
point and the export; they leave the paid totals; each bill links to its drop request; and the
dropped course no longer counts toward graduation. Set-up goes through the HTTP API."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.admin.test_bills import total_cell
from tests.admin.test_enrolment import course_row
from tests.admin.test_learners import _download
from tests.admin.test_refunds import paid, request_drop  # noqa: F401  (paid is a fixture)
from tests.http.api_helpers import API, ok

browser = pytest.mark.browser


def bill_row(page, course: str, fee_type: str):
    return page.get_by_test_id("bill-row").filter(has_text=course).filter(has_text=fee_type)


@browser
def test_a_refunded_course_reads_refunded_and_leaves_the_paid_totals(sign_in, client, login, world, paid, tmp_path):  # noqa: F811  (a fixture)
    lid, enrollment = paid  # 管理会计 636.00 + 40.00 and 会计信息系统 397.50, all paid
    rid = request_drop(client, login, enrollment["01234"])

    # While the request is under review the bills are still paid, and already link to it.
    page = sign_in("xuanwu")
    page.goto("/admin/bills")
    bill_row(page, "管理会计", "学分费").locator("text=查看").click()
    expect(page.get_by_test_id("bill-status")).to_have_text("已缴费")
    expect(page.get_by_test_id("refund-link")).to_have_text("查看退课申请（待审核）")
    expect(page.get_by_test_id("refunded-amount")).to_have_count(0)

    for user, step in (("jiaowu", "academic-approval"), ("caiwu", "finance-approval"), ("caiwu", "refund-payment")):
        ok(client.post(f"{API}/refunds/{rid}/{step}", json={}, headers=login(user)))

    page = sign_in("caiwu")
    page.goto("/admin/bills")
    for fee_type, amount in (("学分费", "636.00"), ("考试费", "40.00")):
        row = bill_row(page, "管理会计", fee_type)
        expect(row.get_by_test_id("bill-status")).to_have_text("已退费")
        expect(row.get_by_test_id("amount")).to_have_text(amount)
        expect(row.get_by_test_id("refunded-amount")).to_have_text(amount)
    kept = bill_row(page, "会计信息系统", "学分费")
    expect(kept.get_by_test_id("bill-status")).to_have_text("已缴费")
    expect(kept.get_by_test_id("refunded-amount")).to_have_text("")
    # The totals: only the course still paid counts as paid; the refunded column beside it.
    assert total_cell(page, "玄武学习中心", "paid") == "1 笔 / 397.50 元"
    assert total_cell(page, "玄武学习中心", "refunded") == "2 笔 / 676.00 元"
    totals_header = page.get_by_test_id("totals").locator("thead").inner_text()
    assert totals_header.index("已缴费") < totals_header.index("已退费")
    page.screenshot(path="/tmp/bills_refunded.png", full_page=True)

    page.select_option("select[name=status]", "refunded")
    page.click("form.filters >> text=查询")
    expect(page.get_by_test_id("bill-row")).to_have_count(2)
    sheet = _download(page, tmp_path)
    header, data = sheet[0], sheet[1:]
    assert "退费金额（元）" in header and "退费时间" in header
    assert sorted((r[header.index("课程")], r[header.index("缴费状态")], r[header.index("退费金额（元）")]) for r in data) == [
        ("管理会计", "已退费", 40), ("管理会计", "已退费", 636),  # amounts are numbers
    ]

    # The bill's record: refunded, with the amount and a link to the drop request.
    bill_row(page, "管理会计", "学分费").locator("text=查看").click()
    expect(page.get_by_test_id("bill-status")).to_have_text("已退费")
    expect(page.get_by_test_id("refunded-amount")).to_have_text("636.00 元")
    assert "退费（已退费）" in page.get_by_test_id("audit-tab").inner_text()
    page.get_by_test_id("refund-link").click()
    expect(page.get_by_test_id("refund-status")).to_have_text("已处理退费")
    assert page.url.endswith(f"/admin/refunds/{rid}")
    expect(page.get_by_test_id("bills").locator("tbody tr")).to_have_count(2)
    assert set(page.get_by_test_id("bills").locator("tbody tr td:nth-child(3)").all_inner_texts()) == {"已退费"}

    # The learner's courses: the dropped course no longer counts toward graduation.
    page = sign_in("xuanwu")
    page.goto(f"/admin/learners/{lid}/courses")
    dropped = course_row(page, "01234")
    expect(dropped.get_by_test_id("enrollment-status")).to_have_text("已退课")
    expect(dropped.get_by_test_id("counts-for-graduation")).to_have_text("否（已退课）")
    assert dropped.get_by_test_id("bills").inner_text().count("已退费") == 2
    expect(course_row(page, "01235").get_by_test_id("counts-for-graduation")).to_have_text("是")
