"""学籍异动 in the admin UI (requirements/learners.md §4): the teaching point enters a transfer,
a change of major or a withdrawal for its learner by the full student number; academic affairs
gives the final review from its 待复审 queue; the learner's record changes at once; rejections
need a reason; another teaching point sees none of it. Set-up goes through the HTTP API."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.admin.test_enrolment import student_number
from tests.admin.test_learners import _download
from tests.http.api_helpers import API, ok
from tests.http.selection_support import (
    learner,
    learner_login,
    ready_catalogue,
    selected,
)

browser = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def start_request(page, number: str, kind_label: str) -> None:
    """录入学籍异动: the full student number and the kind, then the form for that kind."""
    page.click("nav.menu >> text=学籍异动")
    page.get_by_test_id("add-request").click()
    page.fill("[data-testid=finder] input[name=student_number]", number)
    page.select_option("[data-testid=finder] select[name=kind]", label=kind_label)
    page.get_by_test_id("find").click()


def audit_steps(page) -> list[list[str]]:
    rows = page.get_by_test_id("audit-tab").locator("tbody tr")
    return [[rows.nth(i).locator("td").nth(k).inner_text().splitlines()[0] for k in (2, 3)] for i in range(rows.count())]


@browser
def test_a_transfer_entered_by_the_teaching_point_and_approved_moves_the_learner(sign_in, client, login, world):
    lid = learner(client, login, world)
    number = student_number(world, lid)

    page = sign_in("xuanwu")
    start_request(page, number, "转教学点")
    assert page.get_by_test_id("learner-number").inner_text() == number
    options = page.locator("select[name=target_teaching_point_id] option").all_inner_texts()
    assert any("鼓楼学习中心" in o for o in options) and not any("玄武" in o for o in options)
    page.select_option("select[name=target_teaching_point_id]", value=str(world.tp["102"]))
    page.fill("[data-testid=request-form] textarea[name=reason]", "工作调动到鼓楼")
    page.set_input_files("input[name=attachments]", files=[
        {"name": "证明.png", "mimeType": "image/png", "buffer": b"GIF89a not a png"},
    ])
    page.get_by_test_id("submit-request").click()
    assert "PNG" in page.get_by_test_id("error").inner_text()  # decided by the content, not the name
    assert page.locator("textarea[name=reason]").input_value() == "工作调动到鼓楼"
    assert page.locator("select[name=target_teaching_point_id]").input_value() == str(world.tp["102"])
    page.set_input_files("input[name=attachments]", files=[
        {"name": "工作证明.pdf", "mimeType": "application/pdf", "buffer": PDF},
    ])
    page.get_by_test_id("submit-request").click()
    assert "学籍异动申请已提交" in page.locator(".flash.ok").inner_text()
    assert page.get_by_test_id("status").inner_text() == "初审通过"
    assert page.get_by_test_id("target").inner_text() == "鼓楼学习中心"
    assert page.get_by_test_id("attachments").locator("a").inner_text() == "工作证明.pdf"
    proof = page.request.get(page.get_by_test_id("attachments").locator("a").get_attribute("href"))
    assert proof.status == 200 and proof.body() == PDF
    expect(page.get_by_test_id("cancellation")).to_have_count(1)  # the requester may still withdraw it
    expect(page.get_by_test_id("approval")).to_have_count(0)

    # Academic affairs opens on its 待复审 queue; a rejection needs a reason.
    page = sign_in("jiaowu")
    page.click("nav.menu >> text=学籍异动")
    expect(page.locator("[data-testid=tabs] [aria-current=page]")).to_have_text("待复审 1")
    page.get_by_test_id("status-change-row").filter(has_text=number).locator("a").click()
    page.get_by_test_id("reject").click()
    assert "驳回须填写原因" in page.get_by_test_id("error").inner_text()
    assert page.get_by_test_id("status").inner_text() == "初审通过"
    page.fill("[data-testid=review] input[name=comment]", "同意转入")
    page.get_by_test_id("approval").click()
    assert "复审通过，学生学籍已变更" in page.locator(".flash.ok").inner_text()
    assert page.get_by_test_id("status").inner_text() == "复审通过"
    expect(page.get_by_test_id("review")).to_have_count(0)
    assert audit_steps(page) == [["申请学籍异动", "xuanwu"], ["复审通过", "jiaowu"]]

    # The learner now belongs to 鼓楼: on its roster and record, and no longer at 玄武.
    page = sign_in("gulou")
    page.click("nav.menu >> text=学籍信息")
    expect(page.locator(f"tr[data-student-number='{number}']")).to_have_count(1)
    page.goto(f"/admin/learners/{lid}")
    assert page.locator("dt:text-is('教学点') + dd").first.inner_text() == "鼓楼学习中心"
    # The learner's record shows the change in its status history (学籍状态变动记录).
    page.goto(f"/admin/learners/{lid}/record")
    history = page.get_by_test_id("status-history-row")
    expect(history).to_have_count(1)
    assert history.get_by_test_id("kind").inner_text() == "转教学点"
    assert history.get_by_test_id("from-to").inner_text() == "玄武学习中心 → 鼓楼学习中心"
    assert history.get_by_test_id("status").inner_text() == "复审通过"
    assert history.get_by_test_id("decided-by").inner_text() == "jiaowu"
    page = sign_in("xuanwu")
    page.goto(f"/admin/learners/{lid}")
    assert "学生不存在或不属于您的教学点" in page.get_by_test_id("error").inner_text()


@browser
def test_a_change_of_major_outside_the_window_is_refused(sign_in, client, login, world):
    ok(client.post(f"{API}/programmes", json={
        "code": "P-ZSB-SJ", "level": "专升本", "learner_type": "开放教育", "learner_source": "开放教育", "major": "审计学",
        "length_of_schooling": "2.5年", "teaching_point_ids": [str(world.tp["101"])],
    }, headers=login("jiaowu")), 201)
    number = student_number(world, learner(client, login, world))

    page = sign_in("jiaowu")
    page.click("nav.menu >> text=转专业申请期")
    assert "尚未设置转专业申请期" in page.get_by_test_id("window").inner_text()
    page.fill("input[name=opens_on]", "2026-10-10")
    page.fill("input[name=closes_on]", "2026-10-01")
    page.get_by_test_id("save-window").click()
    assert page.get_by_test_id("error").inner_text()  # the end before the start is refused in Chinese
    page.fill("input[name=opens_on]", "2026-10-01")
    page.fill("input[name=closes_on]", "2026-10-10")
    page.get_by_test_id("save-window").click()
    assert "转专业申请期已保存" in page.locator(".flash.ok").inner_text()
    assert "2026-10-01 至 2026-10-10（不在申请期内）" in page.get_by_test_id("window").inner_text()

    page = sign_in("xuanwu")
    start_request(page, number[:-1], "转专业")
    assert f"没有学号为{number[:-1]}的学生，请输入完整的学号" in page.get_by_test_id("error").inner_text()
    expect(page.get_by_test_id("request-form")).to_have_count(0)
    start_request(page, number, "转专业")
    assert "不在申请期内" in page.get_by_test_id("window").inner_text()
    options = page.locator("select[name=target_programme_id] option").all_inner_texts()
    assert any("审计学" in o for o in options) and not any("行政管理" in o for o in options)  # same level only
    page.select_option("select[name=target_programme_id]", label=next(o for o in options if "审计学" in o))
    page.fill("[data-testid=request-form] textarea[name=reason]", "转审计")
    page.get_by_test_id("submit-request").click()
    assert "不在转专业申请期内（2026-10-01 至 2026-10-10），不能申请转专业" in page.get_by_test_id("error").inner_text()
    assert page.locator("textarea[name=reason]").input_value() == "转审计"  # what was entered is kept
    page.click("nav.menu >> text=学籍异动")
    assert "没有符合条件的学籍异动申请" in page.get_by_test_id("list").inner_text()


@browser
def test_a_withdrawal_shows_the_courses_still_droppable_then_ends_study(sign_in, client, login, world, tmp_path):
    cat = ready_catalogue(client, login, world)
    lid = learner(client, login, world)
    number = student_number(world, lid)
    selected(client, login("xuanwu"), lid, cat.courses["01234"])

    page = sign_in("xuanwu")
    start_request(page, number, "退学")
    prompt = page.get_by_test_id("withdrawal-prompt")
    assert "管理会计" in prompt.get_by_test_id("droppable").inner_text()
    assert prompt.get_by_test_id("learner-courses").get_attribute("href") == f"/admin/learners/{lid}/courses"
    page.fill("[data-testid=request-form] textarea[name=reason]", "出国定居")
    page.get_by_test_id("submit-request").click()
    assert page.get_by_test_id("status").inner_text() == "初审通过"
    assert "管理会计" in page.get_by_test_id("droppable").inner_text()
    request_url = page.url

    # Another teaching point cannot open it.
    page = sign_in("gulou")
    page.goto(request_url)
    assert "学籍异动申请不存在或不属于您的教学点" in page.get_by_test_id("error").inner_text()
    page.click("nav.menu >> text=学籍异动")
    assert "没有符合条件的学籍异动申请" in page.get_by_test_id("list").inner_text()

    page = sign_in("jiaowu")
    page.goto(request_url)
    page.get_by_test_id("approval").click()
    assert page.get_by_test_id("status").inner_text() == "复审通过"
    assert page.get_by_test_id("learner-status").inner_text() == "已退学"
    page.goto(f"/admin/learners/{lid}")
    assert page.get_by_test_id("learner-status").inner_text() == "已退学"

    # The export of the current filter, opened with openpyxl.
    page.goto("/admin/status-changes?tab=all&kind=withdrawal")
    sheet = _download(page, tmp_path)
    header, data = sheet[0], sheet[1:]
    assert len(data) == 1
    assert [data[0][header.index(h)] for h in ("学号", "教学点", "异动类型", "审核状态", "申请原因", "发起人")] == [
        number, "玄武学习中心", "退学", "复审通过", "出国定居", "教学点管理员",
    ]
    page.goto("/admin/status-changes?tab=all&kind=transfer")
    assert len(_download(page, tmp_path)) == 1  # the header alone


@browser
def test_the_teaching_point_reviews_a_learners_own_request_first(sign_in, client, login, world):
    lid = learner(client, login, world)
    me = learner_login(client, world, lid)
    sc = ok(client.post(f"{API}/status-changes", json={"kind": "withdrawal", "reason": "个人原因"}, headers=me), 201)

    page = sign_in("xuanwu")
    page.click("nav.menu >> text=学籍异动")
    page.get_by_test_id("tab-preliminary").click()
    page.get_by_test_id("status-change-row").filter(has_text="个人原因").locator("a").click()
    assert page.get_by_test_id("status").inner_text() == "待初审"
    expect(page.get_by_test_id("cancellation")).to_have_count(0)  # the learner asked, not the teaching point
    page.get_by_test_id("reject").click()
    assert "驳回须填写原因" in page.get_by_test_id("error").inner_text()
    page.fill("[data-testid=review] textarea[name=reason]", "材料不全")
    page.get_by_test_id("reject").click()
    assert page.get_by_test_id("status").inner_text() == "初审驳回"
    assert page.get_by_test_id("reject-reason").inner_text() == "材料不全"
    assert audit_steps(page) == [["申请学籍异动", student_number(world, lid)], ["初审驳回", "xuanwu"]]
    assert sc["id"] in page.url


@browser
def test_after_a_change_of_major_the_learners_courses_show_which_count_for_graduation(sign_in, client, login, world):
    from tests.http.test_status_changes_api import changed_major_with_courses

    lid, _ = changed_major_with_courses(client, login, world)
    page = sign_in("xuanwu")
    page.goto(f"/admin/learners/{lid}/courses")
    expect(page.get_by_test_id("course-row")).to_have_count(2)
    kept = page.locator("[data-testid=course-row][data-course-code='01234'] [data-testid=counts-for-graduation]")
    left = page.locator("[data-testid=course-row][data-course-code='01235'] [data-testid=counts-for-graduation]")
    expect(kept).to_have_text("是")
    expect(left).to_have_text("否（仅保留成绩）")
