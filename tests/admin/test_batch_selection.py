"""批量选课 in the browser (requirements/enrolment.md §2.3): query a cohort by study batch and the five programme
elements, tick learners and courses, then watch the job finish with one result per learner."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.admin.conftest import new_context
from tests.http.api_helpers import API, ok
from tests.http.selection_support import learner, ready_catalogue, selected


def choose_cohort(page: Any, world: Any) -> None:
    page.goto("/admin/enrollments/batches")
    form = page.get_by_test_id("cohort-filters")
    form.locator("select[name=study_batch_id]").select_option(str(world.study_batch))
    for name, value in (("level", "专升本"), ("learner_type", "开放教育"), ("learner_source", "开放教育"),
                        ("major", "会计学"), ("length_of_schooling", "2.5年")):
        form.locator(f"select[name={name}]").select_option(value)
    form.get_by_role("button", name="查询同一批培养方案下的学生").click()


def test_a_teaching_point_selects_courses_for_a_cohort_and_sees_each_learners_result(sign_in, client, world, login):
    cat = ready_catalogue(client, login, world)
    cohort = [learner(client, login, world, seq) for seq in (1, 2, 3)]
    learner(client, login, world, 4, programme=world.programmes["administration"])  # another programme
    learner(client, login, world, 5, tp_admin="gulou")  # another teaching point
    selected(client, login("xuanwu"), cohort[0], cat.courses["01234"])

    page = sign_in("xuanwu")
    page.locator("nav.menu").get_by_role("link", name="批量选课", exact=True).click()
    choose_cohort(page, world)
    expect(page.get_by_role("heading", name="培养方案：P-ZSB-KJ 专升本 会计学（开放教育/开放教育，2.5年）")).to_be_visible()
    rows = page.get_by_test_id("cohort").locator("tbody tr")
    expect(rows).to_have_count(3)  # only this teaching point's learners of this programme

    # Nothing ticked: a clear message, nothing queued.
    page.get_by_role("button", name="为选中的学生选课").click()
    expect(page.get_by_test_id("error")).to_have_text("请勾选要选课的学生")
    expect(page.get_by_test_id("jobs")).to_contain_text("暂无批量选课记录")

    page.get_by_test_id("cohort").locator("[data-check-all=learner_ids]").check()
    page.get_by_test_id("courses").locator("[data-check-all=course_ids]").check()
    page.get_by_role("button", name="为选中的学生选课").click()

    expect(page.get_by_test_id("job-status")).to_have_text("已完成")
    expect(page.get_by_test_id("job-counts")).to_contain_text("已处理 3 / 3 人，成功 3 人，失败 0 人")
    results = page.get_by_test_id("learner-result")
    expect(results).to_have_count(3)
    numbers = {r["learner_id"]: r["student_number"] for r in _learners(client, login)}
    first = page.locator(f"[data-testid=learner-result][data-student-number='{numbers[cohort[0]]}']")
    expect(first).to_contain_text("已选1门课程，生成1张待缴费缴费单；已选过、不再重复选课：管理会计")
    second = page.locator(f"[data-testid=learner-result][data-student-number='{numbers[cohort[1]]}']")
    expect(second).to_contain_text("已选2门课程，生成3张待缴费缴费单")

    # The courses are there with their bills.
    for lid in cohort:
        assert ok(client.get(f"{API}/enrollments", params={"learner_id": lid}, headers=login("xuanwu")))["total"] == 2

    # The job is listed on the batch-selection page.
    page.get_by_role("link", name="返回批量选课").click()
    expect(page.get_by_test_id("jobs")).to_contain_text("3名学生")


def test_an_unselectable_course_is_reported_per_learner_and_other_staff_cannot_open_the_page(
    sign_in, client, world, login, browser, live_server
):
    cat = ready_catalogue(client, login, world)
    learner(client, login, world, 1)
    # 会计信息系统 leaves the selection batch: no longer selectable.
    ok(client.delete(f"{API}/selection-batches/{cat.selection_batch}/courses/{cat.courses['01235']}", headers=login("jiaowu")))

    page = sign_in("xuanwu")
    choose_cohort(page, world)
    page.get_by_test_id("cohort").locator("[data-check-all=learner_ids]").check()
    page.get_by_test_id("courses").locator("[data-check-all=course_ids]").check()
    page.get_by_role("button", name="为选中的学生选课").click()
    expect(page.get_by_test_id("job-status")).to_have_text("已完成")
    result = page.get_by_test_id("learner-result")
    expect(result).to_contain_text("未选课")
    expect(result).to_contain_text("会计信息系统")

    other = new_context(browser, live_server).new_page()
    other.goto("/admin/login")
    other.fill("input[name=username]", "jiaowu")
    other.fill("input[name=password]", "secret123")
    other.click("button[type=submit]")
    response = other.goto("/admin/enrollments/batches")
    assert response is not None and response.status == 403
    expect(other.locator("body")).to_contain_text("无权")
    other.context.close()


def _learners(client: Any, login: Any) -> list[dict[str, Any]]:
    items = ok(client.get(f"{API}/learners", params={"page_size": 50}, headers=login("xuanwu")))["items"]
    return [{"learner_id": x["id"], "student_number": x["student_number"]} for x in items]
