"""Course selection in the admin UI (requirements/enrolment.md §1, §2.2, §4): a teaching point
selects several courses for one learner, sees a refused course's unmet conditions, drops
courses (unpaid at once, paid as a refund request), and follows the final-exam registration
from 待缴费 to 报考成功 to 已取消. The catalogue, learners and payments are set up through the
HTTP API; everything asserted is what the browser shows."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.admin.test_learners import _download
from tests.http.api_helpers import API, ok
from tests.http.selection_support import (
    learner,
    list_in_programme,
    new_course,
    ready_catalogue,
    selected,
)

browser = pytest.mark.browser


def student_number(world: Any, learner_id: str) -> str:
    return world.container.store.get(uuid.UUID(learner_id)).student_number


def pay(client: Any, login: Any, bill_ids: list[str]) -> None:
    """The teaching point remits for these bills and school finance confirms the money arrived."""
    slip = ok(client.post(f"{API}/remittance-slips", json={"bill_ids": bill_ids}, headers=login("xuanwu")), 201)
    ok(client.post(f"{API}/remittance-slips/{slip['id']}/confirmation", json={}, headers=login("caiwu")))


def course_row(page: Any, code: str) -> Any:
    return page.locator(f"[data-testid=course-row][data-course-code='{code}']")


def open_selection(page: Any, number: str) -> None:
    page.click("nav.menu >> text=代学生选课")
    page.fill("[data-testid=finder] input[name=student_number]", number)
    page.get_by_test_id("find").click()
    page.get_by_test_id("found-row").filter(has_text=number).locator("text=选课").click()


@pytest.fixture
def catalogue(client, login, world):
    return ready_catalogue(client, login, world)


@browser
def test_single_selection_of_two_courses_lists_both_with_their_bills(sign_in, client, login, world, catalogue, tmp_path):
    lid = learner(client, login, world)
    number = student_number(world, lid)
    page = sign_in("xuanwu")
    open_selection(page, number)

    assert number in page.get_by_test_id("learner-card").inner_text()
    accounting = course_row(page, "01234")
    assert "第1学期" in accounting.inner_text() and "可选课" in accounting.inner_text()
    # 4 credits at 159.00 and a 40.00 exam fee; 2.5 credits at 159.00 and no final exam.
    assert all(x in accounting.inner_text() for x in ("636.00", "40.00", "676.00"))
    assert "397.50" in course_row(page, "01235").inner_text()
    page.check("#check-all")
    page.screenshot(path="/tmp/enrolment_selection.png", full_page=True)
    page.get_by_test_id("select").click()

    page.wait_for_url(f"**/admin/learners/{lid}/courses")
    assert "已为学生选课 2 门，生成待缴费的缴费单 3 张" in page.locator(".flash.ok").inner_text()
    first, second = course_row(page, "01234"), course_row(page, "01235")
    assert first.get_by_test_id("enrollment-status").inner_text() == "待缴费"
    assert first.get_by_test_id("may-study").inner_text() == "不可学习"
    bills = first.get_by_test_id("bills").inner_text()
    assert "学分费 636.00元 · 待缴费" in bills and "考试费 40.00元 · 待缴费" in bills
    assert "学分费 397.50元 · 待缴费" in second.get_by_test_id("bills").inner_text()

    # Selecting them again is not offered: both show as already selected.
    page.click("main >> text=代学生选课")
    page.wait_for_url("**/admin/enrollments/new?learner_id=*")
    assert "已选" in course_row(page, "01234").inner_text() and "已选" in course_row(page, "01235").inner_text()
    expect(page.locator("input[name=course_ids]")).to_have_count(0)

    # 选课查询 lists both, with study access, and exports the current filter.
    page.click("nav.menu >> text=选课查询")
    page.fill("form.filters input[name=student_number]", number)
    page.click("form.filters button:has-text('查询')")
    rows = page.get_by_test_id("enrollment-row")
    expect(rows).to_have_count(2)
    assert "待缴费" in rows.first.inner_text()
    assert {rows.nth(i).get_by_test_id("may-study").inner_text() for i in range(2)} == {"否"}
    sheet = _download(page, tmp_path)
    header, data = sheet[0], sheet[1:]
    assert header[:2] == ["学号", "姓名"] and [r[header.index("课程代码")] for r in data] == ["01234", "01235"]
    assert {r[header.index("可学习")] for r in data} == {"否"}


@browser
def test_a_course_that_fails_a_precondition_is_refused_and_nothing_is_selected(sign_in, client, login, world, catalogue):
    # 财务报表分析 is in the programme but has no version in use and is in no batch.
    unready = new_course(client, login, "01236", "财务报表分析", "3", version=False)
    list_in_programme(client, login, world.programmes["accounting"], unready, semester=2)
    lid = learner(client, login, world)
    page = sign_in("xuanwu")
    open_selection(page, student_number(world, lid))

    conditions = course_row(page, "01236").get_by_test_id("conditions").inner_text()
    assert "课程“财务报表分析”没有正在使用中的课程版本" in conditions
    page.check("input[aria-label='选择 管理会计']")
    page.check("input[aria-label='选择 财务报表分析']")
    page.get_by_test_id("select").click()

    assert "以下课程不满足选课条件，未选任何课程" in page.get_by_test_id("error").inner_text()
    page.screenshot(path="/tmp/enrolment_refused.png", full_page=True)
    refused = page.get_by_test_id("refused-course")
    expect(refused).to_have_count(1)
    text = refused.inner_text()
    assert "01236 财务报表分析" in text
    assert "没有正在使用中的课程版本" in text and "选课批次" in text and "考试批次" in text
    assert page.is_checked("input[aria-label='选择 管理会计']")  # the ticks stay for another try
    page.goto(f"/admin/learners/{lid}/courses")
    assert "该学生还没有选课" in page.get_by_test_id("courses").inner_text()


@browser
def test_dropping_an_unpaid_and_a_paid_course_together(sign_in, client, login, world, catalogue):
    lid = learner(client, login, world)
    sel = selected(client, login("xuanwu"), lid, catalogue.courses["01234"], catalogue.courses["01235"])
    pay(client, login, [b["id"] for b in sel["bills"] if b["course_code"] == "01234"])

    page = sign_in("xuanwu")
    page.on("dialog", lambda d: d.accept())  # confirmations are tested in test_confirmations.py
    page.goto(f"/admin/learners/{lid}/courses")
    assert course_row(page, "01234").get_by_test_id("may-study").inner_text() == "可学习"
    page.get_by_test_id("request-drop").click()
    assert "请选择要退的课程" in page.get_by_test_id("error").inner_text()

    page.check("input[aria-label='退课 管理会计']")
    page.check("input[aria-label='退课 会计信息系统']")
    page.fill("[data-testid=drop] input[name=reason]", "错选课程")
    page.get_by_test_id("request-drop").click()

    page.screenshot(path="/tmp/enrolment_drop.png", full_page=True)
    flash = page.locator(".flash.ok").inner_text()
    assert "未缴费课程已退课：会计信息系统" in flash
    assert "已缴费课程已提交退课申请，待学校教务审核：管理会计" in flash
    unpaid = course_row(page, "01235")
    assert unpaid.get_by_test_id("enrollment-status").inner_text() == "已退课"
    assert "已作废" in unpaid.get_by_test_id("bills").inner_text()
    paid = course_row(page, "01234")
    assert paid.get_by_test_id("enrollment-status").inner_text() == "选课成功"
    assert paid.get_by_test_id("may-study").inner_text() == "可学习"  # still studying while 待审核
    assert paid.get_by_test_id("refund").inner_text() == "待审核"
    expect(page.locator("input[name=enrollment_ids]")).to_have_count(0)  # neither can be asked for again

    paid.get_by_test_id("refund").locator("a").click()
    assert page.get_by_test_id("refund-status").inner_text() == "待审核"
    assert "错选课程" in page.get_by_test_id("refund-info").inner_text()


@browser
def test_the_final_exam_registration_follows_payment_and_drop(sign_in, client, login, world, catalogue, tmp_path):
    lid = learner(client, login, world)
    number = student_number(world, lid)
    sel = selected(client, login("xuanwu"), lid, catalogue.courses["01234"], catalogue.courses["01235"])

    page = sign_in("xuanwu")
    page.click("nav.menu >> text=报考管理")
    rows = page.get_by_test_id("registration-row")
    expect(rows).to_have_count(1)  # 会计信息系统 has no final exam
    row = rows.first
    assert "01234" in row.inner_text() and "2027年1月考试" in row.inner_text()
    assert row.get_by_test_id("kind").inner_text() == "终考"
    assert row.get_by_test_id("registration-status").inner_text() == "待缴费"

    pay(client, login, [b["id"] for b in sel["bills"]])
    page.reload()
    assert page.get_by_test_id("registration-status").inner_text() == "报考成功"

    # A drop of the paid course through the whole refund chain cancels the registration.
    enrollment = next(e["id"] for e in sel["enrollments"] if e["course_code"] == "01234")
    refund = ok(client.post(f"{API}/course-drops", json={"enrollment_ids": [enrollment]}, headers=login("xuanwu")), 201)
    rid = refund["refunds"][0]["id"]
    for user, step in (("jiaowu", "academic-approval"), ("caiwu", "finance-approval"), ("caiwu", "refund-payment")):
        ok(client.post(f"{API}/refunds/{rid}/{step}", json={}, headers=login(user)))
    page.reload()
    row = page.get_by_test_id("registration-row").first
    assert row.get_by_test_id("registration-status").inner_text() == "已取消"
    assert "退课自动取消" in row.inner_text()

    # Filters and the export, as academic affairs sees them.
    other = learner(client, login, world, seq=2)
    selected(client, login("xuanwu"), other, catalogue.courses["01234"])
    page = sign_in("jiaowu")
    page.goto("/admin/exam-registrations")
    expect(page.get_by_test_id("registration-row")).to_have_count(2)
    page.select_option("select[name=status]", label="已取消")
    page.select_option("select[name=kind]", label="终考")
    page.select_option("select[name=exam_batch_id]", label="2027年1月考试")
    page.click("form.filters button:has-text('查询')")
    expect(page.get_by_test_id("registration-row")).to_have_count(1)
    sheet = _download(page, tmp_path)
    header, data = sheet[0], sheet[1:]
    assert len(data) == 1
    assert [data[0][header.index(h)] for h in ("考试批次", "学号", "课程名称", "报考类型", "状态", "取消原因")] == [
        "2027年1月考试", number, "管理会计", "终考", "已取消", "退课自动取消",
    ]
