"""学务导师分配, 班级管理 and 为学生分配考点 in the admin UI (requirements/teaching.md §1, §2, §3): a
teaching point ticks its learners and assigns them an academic mentor (each refusal shown with
its reason) or a default exam site, forms classes of a course and adds, moves and removes their
learners (refused after the grouping deadline), and exports the lists to Excel; another teaching
point sees none of it. Set-up goes through the HTTP API."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.admin.test_enrolment import student_number
from tests.admin.test_learners import _download
from tests.http.api_helpers import ok
from tests.http.resit_support import cohort
from tests.http.selection_support import learner
from tests.http.teaching_support import assign_mentor, disable, mentor, staff

browser = pytest.mark.browser


def tick(page, *numbers: str) -> None:
    for number in numbers:
        page.locator(f"[data-testid=learner-row][data-student-number='{number}'] input[name=learner_ids]").check()


def cell(page, number: str, testid: str) -> str:
    return page.locator(f"[data-testid=learner-row][data-student-number='{number}'] [data-testid={testid}]").inner_text()


def listed_numbers(page, row: str = "learner-row") -> list[str]:
    # A click that navigates returns as soon as the next page starts loading: read it once loaded.
    page.wait_for_load_state("load")  # no string evaluation: the page's CSP forbids eval
    return page.locator(f"[data-testid={row}]").evaluate_all("rows => rows.map(r => r.dataset.studentNumber)")


@browser
def test_mentors_are_assigned_to_ticked_learners_with_each_refusal_shown(sign_in, client, login, world, tmp_path):
    ids = [learner(client, login, world, seq) for seq in (1, 2)]
    a, b = (student_number(world, i) for i in ids)
    theirs = student_number(world, learner(client, login, world, 3, tp_admin="gulou"))
    m = mentor(world, "xwds2")
    disable(world, mentor(world, "xwds3"))
    ok(assign_mentor(client, login("xuanwu"), ids[0], m))

    page = sign_in("xuanwu")
    page.click("nav.menu >> text=学务导师分配")
    assert sorted(listed_numbers(page)) == sorted([a, b])
    assert cell(page, a, "state") == "已分配" and cell(page, b, "state") == "未分配"
    page.select_option("[data-testid=filters] select[name=assignment]", label="未分配")
    page.click("[data-testid=filters] >> text=查询")
    assert listed_numbers(page) == [b]
    page.click("[data-testid=filters] >> text=重置")
    options = page.locator("[data-testid=mentor-select] option")
    expect(options.filter(has_text="xwds3")).to_be_disabled()  # a disabled mentor cannot be chosen

    page.get_by_test_id("assign").click()
    assert "请选择学务导师" in page.get_by_test_id("error").inner_text()

    tick(page, a, b)
    page.select_option("[data-testid=mentor-select]", value=m)
    page.get_by_test_id("assign").click()
    assert "已为1名学生分配学务导师，1名学生未能分配" in page.locator(".flash.ok").inner_text()
    refused = page.get_by_test_id("refused-row")
    expect(refused).to_have_count(1)
    assert a in refused.inner_text() and "已是该学生的学务导师" in refused.inner_text()
    assert cell(page, b, "state") == "已分配" and "xwds2" in cell(page, b, "mentor")

    rows = _download(page, tmp_path)
    header, data = rows[0], rows[1:]
    assert header[:2] == ["学号", "姓名"] and "学务导师用户名" in header
    at = header.index("学务导师用户名")
    assert sorted((r[0], r[at]) for r in data) == sorted([(a, "xwds2"), (b, "xwds2")])

    page = sign_in("gulou")
    page.click("nav.menu >> text=学务导师分配")
    assert listed_numbers(page) == [theirs]
    page.select_option("[data-testid=filters] select[name=assignment]", label="未分配")
    page.click("[data-testid=filters] >> text=查询")
    assert listed_numbers(page) == [theirs]
    expect(page.locator("[data-testid=mentor-select] option", has_text="xwds2")).to_have_count(0)


@browser
def test_a_class_is_formed_and_its_learners_added_moved_and_removed(sign_in, client, login, world):
    paid = cohort(client, login, world, (1, "xuanwu"), (2, "xuanwu"), (3, "gulou"))
    first, second, theirs = (p.student_number for p in paid)
    staff(world, "bzr1", ["head_teacher"])

    page = sign_in("xuanwu")
    page.click("nav.menu >> text=班级管理")
    form = page.get_by_test_id("class-form")

    def form_class(name: str, deadline: str) -> None:
        page.goto("/admin/course-classes")
        form.locator("input[name=name]").fill(name)
        form.locator("select[name=course_id]").select_option(label="01234 管理会计")
        form.locator("input[name=grouping_deadline]").fill(deadline)
        page.get_by_test_id("form-class").click()

    form_class("会计1班", "2026-08-31")
    assert "分班截止时间" in page.get_by_test_id("error").inner_text()  # already past
    assert form.locator("input[name=name]").input_value() == "会计1班"
    form_class("会计2班", "2026-10-31 18:00")
    assert "班级已创建" in page.locator(".flash.ok").inner_text()
    form_class("会计1班", "2026-10-31")
    assert page.get_by_test_id("class-name").inner_text() == "会计1班"
    assert page.get_by_test_id("grouping").inner_text() == "分班中"
    assert sorted(listed_numbers(page, "candidate-row")) == sorted([first, second])  # not 鼓楼's learner
    page.fill("[data-testid=finder] input[name=student_number]", first)
    with page.expect_navigation():
        page.click("[data-testid=finder] >> text=查找学生")
    assert listed_numbers(page, "candidate-row") == [first]

    page.locator(f"[data-testid=candidate-row][data-student-number='{first}'] input").check()
    page.get_by_test_id("add").click()
    assert "已将1名学生加入班级" in page.locator(".flash.ok").inner_text()
    assert page.get_by_test_id("member-count").inner_text() == "1"
    assert listed_numbers(page, "member-row") == [first]
    assert listed_numbers(page, "candidate-row") == [second]

    member = page.locator(f"[data-testid=member-row][data-student-number='{first}']")
    member.get_by_test_id("move").click()
    assert "请选择要调入的班级" in page.get_by_test_id("error").inner_text()
    member.locator("select[name=target_class_id]").select_option(label="会计2班")
    member.get_by_test_id("move").click()
    assert "已调班" in page.locator(".flash.ok").inner_text()
    assert page.get_by_test_id("member-count").inner_text() == "0"
    audit = page.get_by_test_id("audit-tab").inner_text()
    assert "手动组班" in audit and "加入班级" in audit and "调班（调出）" in audit

    page.goto("/admin/course-classes")
    with page.expect_navigation():
        page.locator("[data-testid=class-row]", has_text="会计2班").locator("a").click()
    assert listed_numbers(page, "member-row") == [first]
    page.fill("[data-testid=edit-form] input[name=name]", "会计二班")
    page.select_option("[data-testid=edit-form] select[name=tutor_id]", label="bzr1 BZR1")
    page.get_by_test_id("edit").click()
    assert "班级信息已保存" in page.locator(".flash.ok").inner_text()
    assert page.get_by_test_id("class-name").inner_text() == "会计二班" and "BZR1" in page.locator("dl.grid").inner_text()
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("remove").click()
    assert "已将学生移出班级" in page.locator(".flash.ok").inner_text()
    assert page.get_by_test_id("member-count").inner_text() == "0"
    assert sorted(listed_numbers(page, "candidate-row")) == sorted([first, second])  # to be grouped again

    # after the grouping deadline the members stay as they are
    page.locator(f"[data-testid=candidate-row][data-student-number='{second}'] input").check()
    with page.expect_navigation():
        page.get_by_test_id("add").click()
    world.container.clock.at = datetime(2026, 11, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    page.reload()
    assert page.get_by_test_id("grouping").inner_text() == "已截止"
    page.get_by_test_id("remove").click()
    assert "已过分班截止时间（2026-10-31 18:00）" in page.get_by_test_id("error").inner_text()
    assert listed_numbers(page, "member-row") == [second]

    page = sign_in("gulou")
    page.click("nav.menu >> text=班级管理")
    expect(page.get_by_test_id("class-row")).to_have_count(0)
    form_class("鼓楼会计班", "2026-11-30")  # 鼓楼 groups its own learners only
    assert listed_numbers(page, "candidate-row") == [theirs]

    page = sign_in("jiaowu")  # school staff read every teaching point's classes and change nothing
    with page.expect_navigation():
        page.click("nav.menu >> text=班级管理")
    class_names = page.get_by_test_id("class-row").locator("td:first-child").all_inner_texts()
    assert sorted(class_names) == ["会计1班", "会计二班", "鼓楼会计班"]
    expect(page.get_by_test_id("class-form")).to_have_count(0)
    with page.expect_navigation():
        page.locator("[data-testid=class-row]", has_text="会计二班").locator("a").click()
    assert listed_numbers(page, "member-row") == [second]
    expect(page.get_by_test_id("add-form")).to_have_count(0)
    expect(page.get_by_test_id("remove")).to_have_count(0)


@browser
def test_a_default_exam_site_is_set_for_ticked_learners(sign_in, client, login, world, tmp_path):
    ids = [learner(client, login, world, seq) for seq in (1, 2)]
    a, b = (student_number(world, i) for i in ids)
    theirs = student_number(world, learner(client, login, world, 3, tp_admin="gulou"))

    page = sign_in("xuanwu")
    page.click("nav.menu >> text=为学生分配考点")
    assert sorted(listed_numbers(page)) == sorted([a, b])
    tick(page, a)
    page.get_by_test_id("assign").click()
    assert page.get_by_test_id("error").inner_text()  # no site given
    assert cell(page, a, "state") == "未分配"

    tick(page, a)
    page.fill("input[name=new_site_code]", "3201")
    page.fill("input[name=new_site_name]", "玄武区第一考点")
    page.get_by_test_id("assign").click()
    assert "已为1名学生设置常用考点" in page.locator(".flash.ok").inner_text()
    assert (cell(page, a, "site-code"), cell(page, a, "site-name")) == ("3201", "玄武区第一考点")
    assert cell(page, b, "state") == "未分配"

    page.select_option("[data-testid=filters] select[name=assignment]", label="未分配")
    page.click("[data-testid=filters] >> text=查询")
    assert listed_numbers(page) == [b]
    page.get_by_test_id("tick-all").check()
    page.fill("input[name=new_site_code]", "3202")
    page.fill("input[name=new_site_name]", "玄武区第二考点")
    page.get_by_test_id("assign").click()
    assert "已为1名学生设置常用考点" in page.locator(".flash.ok").inner_text()
    assert listed_numbers(page) == []  # the filter stays: nobody is left without a site

    page.goto("/admin/exam-site-assignments")
    rows = _download(page, tmp_path)
    header, data = rows[0], rows[1:]
    code = header.index("考点代码")
    assert sorted((r[0], r[code]) for r in data) == sorted([(a, "3201"), (b, "3202")])

    page = sign_in("gulou")
    page.click("nav.menu >> text=为学生分配考点")
    assert listed_numbers(page) == [theirs]
    assert cell(page, theirs, "state") == "未分配"

    page = sign_in("shenji")  # auditors read every teaching point's, and assign nothing
    page.click("nav.menu >> text=为学生分配考点")
    assert sorted(listed_numbers(page)) == sorted([a, b, theirs])
    expect(page.get_by_test_id("assign-form")).to_have_count(0)
