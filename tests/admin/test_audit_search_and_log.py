"""Auditors find a record's history by what people know of it (学号, 身份证号, 汇款单号), read it
with Chinese field names, Beijing times and amounts in 元, reach it from the record's own page,
and read the log across records filtered by user and kind, exported to Excel. Set-up (a
learner of 玄武 with two paid courses and a drop request) goes through the HTTP API."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.admin import test_refunds
from tests.admin.test_enrolment import student_number
from tests.admin.test_learners import _download
from tests.admin.test_refunds import request_drop
from tests.support import make_id_number

pytestmark = pytest.mark.browser

paid = test_refunds.paid  # the fixture: a learner of 玄武 with 管理会计 and 会计信息系统 paid by a slip
BEIJING_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


def _slip(world):
    from sqlalchemy import select

    from application.finance.projection import remittance_slips

    with world.container.engine.connect() as conn:
        return conn.execute(select(remittance_slips.c.id, remittance_slips.c.slip_number)).one()


def search_for(page, by: str, text: str) -> None:
    page.goto("/admin/audit/aggregates")
    form = page.get_by_test_id("search-form")
    form.locator("select[name=by]").select_option(by)
    form.locator("input[name=q]").fill(text)
    form.locator("button").click()


def test_a_student_number_and_a_slip_number_lead_to_the_records_history(sign_in, world, paid, page):
    lid, _ = paid
    number = student_number(world, lid)
    page = sign_in("shenji")
    page.click("nav.menu >> text=记录历史查询")
    search_for(page, "student_number", number)
    (match,) = page.get_by_test_id("match").all()
    assert number in match.inner_text() and "玄武学习中心" in match.inner_text()
    kinds = match.get_by_test_id("record-row").locator("td:first-child").all_inner_texts()
    assert kinds[:2] == ["报名表", "学籍"] and {"选课", "缴费单", "报考"} <= set(kinds)
    page.screenshot(path="/tmp/eduledger_audit_search.png", full_page=True)

    # A bill's history: field names in Chinese, its amount in 元, times in Beijing time.
    bill = match.get_by_test_id("record-row").filter(has_text="学分费")
    expect(bill).to_have_count(2)  # 管理会计 and 会计信息系统
    bill.filter(has_text="管理会计").get_by_test_id("history-link").click()
    assert page.locator("h1").inner_text().startswith("记录历史：缴费单")
    state = page.get_by_test_id("state")
    assert "636.00 元" in state.inner_text() and "amount_fen" in state.inner_text()
    amount = page.get_by_test_id("state-field").filter(has_text="amount_fen")
    assert amount.locator("td").first.inner_text().splitlines()[0] == "金额"
    issued = page.get_by_test_id("audit-tab").locator("tbody tr").first
    issued.locator("summary").click()
    fields = issued.get_by_test_id("event-fields").inner_text()
    assert "金额" in fields and "636.00 元" in fields and "课程" in fields and "amount_fen" not in fields
    assert BEIJING_TIME.fullmatch(issued.locator("td").nth(1).inner_text())
    assert "生成缴费单（待缴费）" in issued.inner_text()
    page.screenshot(path="/tmp/eduledger_audit_replay.png", full_page=True)

    # The slip number finds the slip and the bills it paid; the slip's history says who confirmed it.
    slip_id, slip_number = _slip(world)
    search_for(page, "slip_number", slip_number)
    (match,) = page.get_by_test_id("match").all()
    assert f"汇款单 {slip_number}" in match.inner_text() and "1073.50 元" in match.inner_text()
    rows = match.get_by_test_id("record-row")
    expect(rows).to_have_count(4)  # the slip, then its three bills
    rows.first.get_by_test_id("history-link").click()
    assert page.url.endswith(f"/admin/audit/aggregates/{slip_id}")
    audit = page.get_by_test_id("audit-tab").inner_text()
    assert "提交汇款单" in audit and "确认到账" in audit and "caiwu" in audit


def test_an_id_number_is_posted_found_masked_and_kept_out_of_the_url(sign_in, world, paid, page):
    page = sign_in("shenji")
    page.goto("/admin/audit/aggregates")
    id_number = make_id_number(seq=1)
    page.get_by_test_id("id-number-form").locator("input[name=id_number]").fill(id_number)
    page.get_by_test_id("id-number-form").locator("button").click()
    (match,) = page.get_by_test_id("match").all()
    masked = match.get_by_test_id("masked-id-number").inner_text()
    assert "*" in masked and masked[-4:] == id_number[-4:] and id_number not in page.content()
    assert id_number not in page.url and page.url.endswith("/admin/audit/aggregates")
    match.get_by_test_id("record-row").filter(has_text="学籍").get_by_test_id("history-link").click()
    assert "录取入学（生成学号）" in page.get_by_test_id("audit-tab").inner_text()

    # Sent in a link instead, it is refused: the number belongs in the form.
    response = page.goto(f"/admin/audit/aggregates?by=id_number&q={id_number}")
    assert response.status == 422 and "身份证号请在下方表单中查询" in page.get_by_test_id("field-error").inner_text()


def test_the_log_filters_by_user_and_kind_and_its_export_holds_the_rows(sign_in, world, paid, page, tmp_path):
    page = sign_in("shenji")
    page.click("nav.menu >> text=审计日志")
    filters = page.get_by_test_id("log-filters")
    filters.locator("input[name=user]").fill("caiwu")
    filters.locator("button").click()
    rows = page.get_by_test_id("log-row")
    expect(rows.first).to_be_visible()
    assert {r.split("\t")[1] for r in rows.all_inner_texts()} == {"caiwu"}
    caiwu_count = rows.count()

    filters.locator("select[name=kind]").select_option("Bill.PaidByRemittance")
    filters.locator("button").click()
    expect(rows).to_have_count(3)
    texts = rows.all_inner_texts()
    assert all("缴费单" in t and "汇款确认到账（已缴费）" in t for t in texts)
    assert all(BEIJING_TIME.match(t) for t in texts)
    assert "共 3 条" in page.get_by_test_id("pager").inner_text()
    page.screenshot(path="/tmp/eduledger_audit_log.png", full_page=True)

    sheet = _download(page, tmp_path)
    header, data = sheet[0], sheet[1:]
    assert header[:6] == ["时间（北京时间）", "操作人", "角色", "操作教学点", "记录类型", "事件"]
    assert len(data) == 3 and {r[5] for r in data} == {"汇款确认到账（已缴费）"} and {r[1] for r in data} == {"caiwu"}
    assert all("缴费时间" in r[header.index("内容")] for r in data)

    # Without the kind: a page size not offered gives pages of 20; the export holds every row.
    page.goto("/admin/audit/log?user=caiwu&page_size=5")
    expect(rows).to_have_count(min(caiwu_count, 20))
    assert len(_download(page, tmp_path)) - 1 == caiwu_count

    rows.first.get_by_test_id("history-link").click()
    expect(page.get_by_test_id("state")).to_be_visible()

    response = page.goto("/admin/audit/log?date_from=2026-02-30")
    assert response.status == 422 and "开始日期格式" in page.get_by_test_id("log-filters").inner_text()

    page = sign_in("caiwu")  # school finance reads its records' audit tabs, not the log
    assert page.goto("/admin/audit/log").status == 403


def test_a_record_page_links_its_replay_for_the_auditor_only(sign_in, client, login, world, paid, page):
    _, enrollments = paid
    refund_id = request_drop(client, login, enrollments["01234"])

    page = sign_in("xuanwu")
    page.goto(f"/admin/refunds/{refund_id}")
    expect(page.get_by_test_id("audit-tab")).to_be_visible()
    expect(page.get_by_test_id("replay-link")).to_have_count(0)

    page = sign_in("shenji")
    page.goto(f"/admin/refunds/{refund_id}")
    page.get_by_test_id("replay-link").click()
    assert page.url.endswith(f"/admin/audit/aggregates/{refund_id}")
    assert page.locator("h1").inner_text().startswith("记录历史：退课申请")
    state = page.get_by_test_id("state").inner_text()
    assert "676.00 元" in state and "申请人角色" in state
