"""退课申请 in the admin UI (requirements/finance.md §3): a paid course's drop travels the
review chain teaching point -> academic affairs -> finance -> refunded, each role working in its
own queue; rejections need a reason; the teaching point cancels only while academic affairs has
not decided; another teaching point sees none of it. Set-up (catalogue, learner, selection,
payment by remittance) goes through the HTTP API; the chain is driven in the browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.admin.test_enrolment import course_row, pay, student_number
from tests.admin.test_learners import _download
from tests.http.api_helpers import API, ok
from tests.http.selection_support import learner, ready_catalogue, selected

browser = pytest.mark.browser


@pytest.fixture
def paid(client, login, world):
    """A learner of 玄武 with 管理会计 (636.00 + 40.00) and 会计信息系统 (397.50), all paid."""
    cat = ready_catalogue(client, login, world)
    lid = learner(client, login, world)
    sel = selected(client, login("xuanwu"), lid, cat.courses["01234"], cat.courses["01235"])
    pay(client, login, [b["id"] for b in sel["bills"]])
    return lid, {e["course_code"]: e["id"] for e in sel["enrollments"]}


def request_drop(client, login, enrollment_id: str, reason: str = "转专业") -> str:
    body = {"enrollment_ids": [enrollment_id], "reason": reason}
    return ok(client.post(f"{API}/course-drops", json=body, headers=login("xuanwu")), 201)["refunds"][0]["id"]


def open_from_queue(page, tab: str, number: str) -> None:
    page.click("nav.menu >> text=退课申请")
    page.get_by_test_id(f"tab-{tab}").click()
    page.get_by_test_id("refund-row").filter(has_text=number).locator("a").click()


@browser
def test_a_paid_drop_travels_the_whole_chain_with_every_step_in_the_audit_tab(sign_in, client, login, world, paid, tmp_path):
    lid, _ = paid
    number = student_number(world, lid)

    page = sign_in("xuanwu")
    page.on("dialog", lambda d: d.accept())  # confirmations are tested in test_confirmations.py
    page.click("nav.menu >> text=退课申请")
    page.get_by_test_id("add-request").click()
    page.fill("[data-testid=finder] input[name=student_number]", number)
    page.get_by_test_id("find").click()
    page.get_by_test_id("found-row").filter(has_text=number).locator("text=申请退课").click()
    page.check("input[aria-label='退课 管理会计']")
    page.fill("[data-testid=drop] input[name=reason]", "转专业")
    page.get_by_test_id("request-drop").click()
    assert "已缴费课程已提交退课申请，待学校教务审核：管理会计" in page.locator(".flash.ok").inner_text()
    assert course_row(page, "01234").get_by_test_id("refund").inner_text() == "待审核"

    # Academic affairs: its queue holds the request; a rejection without a reason is refused.
    page = sign_in("jiaowu")
    page.click("nav.menu >> text=退课申请")
    page.screenshot(path="/tmp/refund_queue.png", full_page=True)
    open_from_queue(page, "academic", number)
    assert page.get_by_test_id("refund-status").inner_text() == "待审核"
    record = page.url
    assert "676.00 元" in page.get_by_test_id("amount").inner_text()
    bills = page.get_by_test_id("bills").inner_text()
    assert "学分费" in bills and "636.00" in bills and "考试费" in bills and "已缴费" in bills and "汇款" in bills
    page.get_by_test_id("academic-rejection").click()
    assert "驳回须填写原因" in page.get_by_test_id("error").inner_text()
    assert page.get_by_test_id("refund-status").inner_text() == "待审核"
    page.fill("[data-testid=form-academic-approval] input[name=comment]", "同意退课")
    page.get_by_test_id("academic-approval").click()
    # The only pending request was decided: the record shows its new state, the queue is empty.
    assert "教务审核通过" in page.locator(".flash.ok").inner_text()
    assert "本队列已全部处理完毕" in page.locator(".flash.ok").inner_text()
    assert page.get_by_test_id("refund-status").inner_text() == "待财务审核"
    assert "学生不可继续学习" in page.get_by_test_id("may-study").inner_text()
    expect(page.get_by_test_id("review")).to_have_count(0)  # nothing more for academic affairs

    # Finance: approve in 待财务审核, then mark refunded in 待退费.
    page = sign_in("caiwu")
    open_from_queue(page, "finance", number)
    page.fill("[data-testid=form-finance-approval] input[name=comment]", "同意退费")
    page.get_by_test_id("finance-approval").click()
    page.goto(record)
    assert page.get_by_test_id("refund-status").inner_text() == "财务审核通过"
    open_from_queue(page, "refund", number)
    page.fill("[data-testid=form-refund-payment] input[name=reference]", "TK20261001")
    page.get_by_test_id("refund-payment").click()
    assert "已处理退费，退课完成" in page.locator(".flash.ok").inner_text()
    page.goto(record)
    assert page.get_by_test_id("refund-status").inner_text() == "已处理退费"
    assert "TK20261001" in page.get_by_test_id("refund-info").inner_text()

    page.screenshot(path="/tmp/refund_show.png", full_page=True)
    audit = page.get_by_test_id("audit-tab").locator("tbody tr")
    expect(audit).to_have_count(4)
    steps = [[audit.nth(i).locator("td").nth(k).inner_text() for k in (2, 3, 5)] for i in range(4)]
    assert [s[0].splitlines()[0] for s in steps] == ["申请退课", "教务审核通过", "财务审核通过", "已处理退费"]
    assert [s[1] for s in steps] == ["xuanwu", "jiaowu", "caiwu", "caiwu"]
    assert [s[2] for s in steps] == ["转专业", "同意退课", "同意退费", "TK20261001"]

    # The export of finance's view holds the request with its amount and status.
    page.goto("/admin/refunds?tab=all")
    sheet = _download(page, tmp_path)
    header, data = sheet[0], sheet[1:]
    assert len(data) == 1
    assert [
        data[0][header.index(h)] for h in ("学号", "课程名称", "退费金额（元）", "审核状态", "学生可否学习", "退费凭证号")
    ] == [
        number,
        "管理会计",
        676,
        "已处理退费",
        "否",
        "TK20261001",
    ]

    page = sign_in("xuanwu")
    page.goto(f"/admin/learners/{lid}/courses")
    dropped = course_row(page, "01234")
    assert dropped.get_by_test_id("enrollment-status").inner_text() == "已退课"
    assert dropped.get_by_test_id("may-study").inner_text() == "不可学习"
    assert course_row(page, "01235").get_by_test_id("may-study").inner_text() == "可学习"


@browser
def test_finance_rejection_needs_a_reason_and_the_learner_keeps_studying(sign_in, client, login, world, paid):
    _, enrollment = paid
    rid = request_drop(client, login, enrollment["01235"])
    ok(client.post(f"{API}/refunds/{rid}/academic-approval", json={}, headers=login("jiaowu")))

    page = sign_in("caiwu")
    page.goto(f"/admin/refunds/{rid}")
    page.get_by_test_id("finance-rejection").click()
    assert "驳回须填写原因" in page.get_by_test_id("error").inner_text()
    page.fill("[data-testid=form-finance-rejection] input[name=reason]", "已超过退费期限")
    page.get_by_test_id("finance-rejection").click()
    page.goto(f"/admin/refunds/{rid}")
    assert page.get_by_test_id("refund-status").inner_text() == "财务审核驳回"
    assert "学生可正常学习" in page.get_by_test_id("may-study").inner_text()
    assert "已超过退费期限" in page.get_by_test_id("reject-reason").inner_text()
    expect(page.get_by_test_id("review")).to_have_count(0)


@browser
def test_the_teaching_point_cancels_only_while_pending_academic_review(sign_in, client, login, world, paid):
    _, enrollment = paid
    first = request_drop(client, login, enrollment["01234"])
    second = request_drop(client, login, enrollment["01235"])

    page = sign_in("xuanwu")
    page.on("dialog", lambda d: d.accept())
    page.click("nav.menu >> text=退课申请")
    expect(page.get_by_test_id("refund-row")).to_have_count(2)
    page.get_by_test_id("status-notes").locator("summary").click()
    notes = page.get_by_test_id("status-notes").locator("tbody tr")
    expect(notes).to_have_count(7)
    assert notes.first.inner_text().split() == ["待审核", "可撤销", "可正常学习", "办理中"]
    assert notes.nth(2).inner_text().split() == ["待财务审核", "不可撤销", "不可继续学习", "办理中"]
    page.goto(f"/admin/refunds/{first}")
    page.fill("[data-testid=form-cancellation] input[name=reason]", "学生决定继续学习")
    page.get_by_test_id("cancellation").click()
    assert "退课申请已撤销" in page.locator(".flash.ok").inner_text()
    assert page.get_by_test_id("refund-status").inner_text() == "已撤销"
    assert "学生可正常学习" in page.get_by_test_id("may-study").inner_text()
    assert "撤销退课申请" in page.get_by_test_id("audit-tab").inner_text()

    # The page was opened while the request was pending; academic affairs approves meanwhile.
    page.goto(f"/admin/refunds/{second}")
    expect(page.get_by_test_id("cancellation")).to_have_count(1)
    ok(client.post(f"{API}/refunds/{second}/academic-approval", json={}, headers=login("jiaowu")))
    page.get_by_test_id("cancellation").click()
    assert "退课申请当前状态为“待财务审核”，不可撤销" in page.get_by_test_id("error").inner_text()
    assert page.get_by_test_id("refund-status").inner_text() == "待财务审核"
    expect(page.get_by_test_id("cancellation")).to_have_count(0)  # no longer offered

    # The list shows both, with their statuses; the course whose request was withdrawn is studied on.
    page.click("nav.menu >> text=退课申请")
    expect(page.get_by_test_id("refund-row")).to_have_count(2)
    statuses = {
        page.get_by_test_id("refund-row").nth(i).get_attribute("data-course-code"):
        page.get_by_test_id("refund-row").nth(i).get_by_test_id("refund-status").inner_text()
        for i in range(2)
    }
    assert statuses == {"01234": "已撤销", "01235": "待财务审核"}
    page.select_option("select[name=status]", label="已撤销")
    page.click("form.filters button:has-text('查询')")
    expect(page.get_by_test_id("refund-row")).to_have_count(1)


@browser
def test_another_teaching_point_sees_none_of_it(sign_in, client, login, world, paid, tmp_path):
    lid, enrollment = paid
    rid = request_drop(client, login, enrollment["01234"])

    page = sign_in("gulou")
    page.click("nav.menu >> text=退课申请")
    assert "没有符合条件的退课申请" in page.get_by_test_id("list").inner_text()
    response = page.goto(f"/admin/refunds/{rid}")
    assert response.status == 404 and "退课申请不存在或不属于您的教学点" in page.get_by_test_id("error").inner_text()
    response = page.goto(f"/admin/learners/{lid}/courses")
    assert response.status == 404
    page.goto("/admin/refunds")
    assert len(_download(page, tmp_path)) == 1  # the header row only

    # An auditor reads every request and is offered no step.
    page = sign_in("shenji")
    page.click("nav.menu >> text=退课申请")
    expect(page.get_by_test_id("refund-row")).to_have_count(1)
    page.get_by_test_id("refund-row").locator("a").click()
    assert page.get_by_test_id("refund-status").inner_text() == "待审核"
    expect(page.get_by_test_id("review")).to_have_count(0)


def test_after_a_decision_the_next_pending_request_opens_and_tabs_show_their_counts(sign_in, client, login, world, paid):
    _, enrollment = paid
    first = request_drop(client, login, enrollment["01234"])
    second = request_drop(client, login, enrollment["01235"])

    page = sign_in("jiaowu")
    page.goto("/admin/refunds?tab=academic")
    expect(page.get_by_test_id("tab-academic").get_by_test_id("tab-count")).to_have_text("2")
    page.goto(f"/admin/refunds/{first}")
    page.get_by_test_id("academic-approval").click()
    assert "已打开下一条待办" in page.locator(".flash.ok").inner_text()
    expect(page).to_have_url(re.compile(f"/admin/refunds/{second}$"))
    assert page.get_by_test_id("refund-status").inner_text() == "待审核"
    page.goto("/admin/refunds?tab=academic")
    expect(page.get_by_test_id("tab-academic").get_by_test_id("tab-count")).to_have_text("1")
