"""The curriculum in the admin UI (requirements/curriculum.md §1, §4): academic affairs maintains the course
catalogue, the programmes' course lists and the selection and exam batches; finance sets the fee
standards in yuan; a teaching point is refused; the catalogue exports to Excel. Browser tests
drive Debian's Chromium against the real server; the plain HTTP tests at the end check garbage
input and read-only roles."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.http.selection_support import new_course

browser = pytest.mark.browser


def flash(page: Any) -> str:
    return page.locator(".flash.ok").inner_text()


def error(page: Any) -> str:
    return page.get_by_test_id("error").inner_text()


def fill(form: Any, **values: str) -> None:
    for name, value in values.items():
        form.locator(f"input[name={name}]").fill(value)


def register(page: Any, code: str, name: str, credits: str, *levels: str) -> None:
    page.goto("/admin/courses/new")
    form = page.get_by_test_id("new-course")
    fill(form, code=code, name=name, credits=credits)
    for level in levels:
        form.get_by_label(level).check()
    form.locator("button:has-text('登记课程')").click()


def codes_listed(page: Any) -> list[str]:
    page.goto("/admin/courses")
    return page.get_by_test_id("course-row").evaluate_all("rows => rows.map(r => r.dataset.code)")


@browser
def test_academic_affairs_registers_a_course_and_makes_it_ready_for_selection(sign_in, world):
    page = sign_in("jiaowu")
    page.click("nav.menu >> text=课程管理")
    assert "没有符合条件的课程" in page.get_by_test_id("list").inner_text()
    page.click("text=登记课程")

    # Credits that are not a number: the Chinese message, the entries kept, nothing registered.
    register(page, "01234", "管理会计", "四", "本科")
    assert "学分须为0.1至20之间" in error(page)
    assert page.get_by_test_id("new-course").locator("input[name=name]").input_value() == "管理会计"
    assert page.get_by_test_id("new-course").get_by_label("本科").is_checked()
    page.get_by_test_id("new-course").locator("input[name=credits]").fill("4")
    page.click("button:has-text('登记课程')")
    assert "课程“管理会计”已登记" in flash(page)
    assert page.get_by_test_id("course-status").inner_text() == "未发布"
    assert page.get_by_test_id("course-levels").inner_text() == "本科"
    course_url = page.url

    # The same code again is refused and changes nothing.
    register(page, "01234", "另一门课", "2", "专科")
    assert "课程代码“01234”已存在" in error(page)
    assert codes_listed(page) == ["01234"]
    assert "另一门课" not in page.get_by_test_id("list").inner_text()

    page.goto(course_url)
    page.get_by_test_id("add-version").locator("input[name=version]").fill("2026版")
    page.click("text=添加版本")
    assert "已添加课程版本“2026版”" in flash(page)
    assert page.get_by_test_id("version-in-use").inner_text() == "未设置"
    page.get_by_test_id("add-version").locator("input[name=version]").fill("2026版")
    page.click("text=添加版本")
    assert "已有版本“2026版”" in error(page)
    page.get_by_test_id("use-version").locator("select").select_option("2026版")
    page.click("text=设为使用中版本")
    assert page.get_by_test_id("version-in-use").inner_text() == "2026版"
    assert "使用中" in page.get_by_test_id("version-row").inner_text()

    submit = page.get_by_test_id("submit-assessment")
    submit.locator("textarea[name=description]").fill("形考30%，终考70%")
    submit.get_by_label("考核要求中含终考").check()
    submit.locator("text=提交审核").click()
    assert page.get_by_test_id("assessment-status").inner_text() == "待审核"
    assert "形考30%，终考70%" in page.get_by_test_id("pending-assessment").inner_text()
    page.get_by_test_id("approve-assessment").locator("input[name=comment]").fill("考核方式合理")
    page.click("button:has-text('审核通过')")
    assert "考核要求审核通过" in flash(page)
    assert page.get_by_test_id("assessment-status").inner_text() == "审核通过"
    assert page.get_by_test_id("final-exam").inner_text() == "是"

    # A second submission rejected with a reason: the approved requirement stays in force.
    page.get_by_test_id("submit-assessment").locator("textarea[name=description]").fill("只考形考")
    page.click("text=提交审核")
    page.get_by_test_id("reject-assessment").locator("input[name=reason]").fill("须含终考")
    page.click("button:has-text('驳回')")
    assert "须含终考" in page.get_by_test_id("reject-reason").inner_text()
    assert page.get_by_test_id("assessment-status").inner_text() == "审核通过（新提交审核驳回）"
    assert page.get_by_test_id("final-exam").inner_text() == "是"
    assert "形考30%，终考70%" in page.get_by_test_id("approved-description").inner_text()

    page.get_by_test_id("publish").click()
    assert "课程已发布" in flash(page)
    page.screenshot(path="/tmp/curriculum_course.png", full_page=True)
    assert page.get_by_test_id("course-status").inner_text() == "已发布"
    audit = page.get_by_test_id("audit-tab").inner_text()
    for step in ("登记课程", "添加课程版本", "设置使用中版本", "提交考核要求",
                 "考核要求审核通过", "考核要求审核驳回", "发布课程"):
        assert step in audit, step
    assert "jiaowu" in audit and "考核方式合理" in audit and "须含终考" in audit

    page.goto("/admin/courses")
    row = page.get_by_test_id("course-row").filter(has_text="管理会计").inner_text()
    assert "已发布" in row and "2026版" in row and "审核通过" in row


@browser
def test_the_course_joins_a_programme_and_a_selection_batch_and_an_exam_batch(sign_in, world, client, login):
    course_id = new_course(client, login, "01234", "管理会计", "4")
    new_course(client, login, "02001", "行政法", "3", ("专科",))
    page = sign_in("jiaowu")
    page.goto(f"/admin/programmes/{world.programmes['accounting']}")
    page.get_by_test_id("programme-courses-link").click()
    assert "该培养方案尚未设置课程" in page.get_by_test_id("programme-courses").inner_text()

    add = page.get_by_test_id("add-programme-course")
    add.locator("input[name=course_code]").fill("02001")  # a 专科 course: not for 专升本
    add.locator("select[name=suggested_semester]").select_option("2")
    add.locator("text=添加到培养方案").click()
    assert "不属于本科" in error(page)
    add = page.get_by_test_id("add-programme-course")
    assert add.locator("input[name=course_code]").input_value() == "02001"
    add.locator("input[name=course_code]").fill("01234")
    add.locator("text=添加到培养方案").click()
    assert "课程已加入培养方案" in flash(page)
    row = page.get_by_test_id("programme-course-row")
    expect(row).to_have_count(1)
    assert "管理会计" in row.inner_text()
    assert row.get_by_test_id("semester").inner_text() == "第2学期"
    row.locator("select[name=suggested_semester]").select_option("3")
    row.locator("text=修改学期").click()
    assert page.get_by_test_id("programme-course-row").get_by_test_id("semester").inner_text() == "第3学期"
    page.screenshot(path="/tmp/curriculum_programme_courses.png", full_page=True)
    page.select_option("select[name=semester]", "1")
    page.click("button:has-text('查询')")
    assert "该学期没有课程" in page.get_by_test_id("programme-courses").inner_text()

    # 选课批次: the drop period left empty takes the default (to a month after selection ends).
    page.click("nav.menu >> text=选课批次")
    fill(page.get_by_test_id("new-batch"), code="X2026F", name="2026秋季选课", selection_starts_on="2026-09-01",
         selection_ends_on="2026-09-30", course_codes="01234 09999")
    page.click("text=创建选课批次")
    assert "课程代码“09999”不存在" in error(page)
    assert "暂无选课批次" in page.get_by_test_id("list").inner_text()
    page.get_by_test_id("new-batch").locator("input[name=course_codes]").fill("01234")
    page.click("text=创建选课批次")
    assert "选课批次“2026秋季选课”已创建" in flash(page)
    periods = page.get_by_test_id("periods").inner_text()
    assert "选课期" in periods and "2026-09-01 至 2026-09-30（进行中）" in periods
    assert "退课期" in periods and "2026-09-01 至 2026-10-31" in periods
    assert "管理会计" in page.get_by_test_id("batch-courses").inner_text()
    fill(page.get_by_test_id("change-periods"), drop_ends_on="2026-11-15", reason="延长退课期")
    page.get_by_test_id("change-periods").locator("button:has-text('保存')").click()
    assert "2026-09-01 至 2026-11-15" in page.get_by_test_id("periods").inner_text()
    audit = page.get_by_test_id("audit-tab").inner_text()
    assert "创建选课批次" in audit and "修改选课期、退课期" in audit and "延长退课期" in audit
    page.screenshot(path="/tmp/curriculum_selection_batch.png", full_page=True)

    # 考试批次 with its registration period; a course removed and added again.
    page.click("nav.menu >> text=考试批次")
    fill(page.get_by_test_id("new-batch"), code="K2026F", name="2027年1月考试", registration_starts_on="2026-09-01",
         registration_ends_on="2026-10-15", course_codes="01234")
    page.click("text=创建考试批次")
    assert "考试批次“2027年1月考试”已创建" in flash(page)
    assert "报考期" in page.get_by_test_id("periods").inner_text()
    assert "2026-09-01 至 2026-10-15（进行中）" in page.get_by_test_id("periods").inner_text()
    page.get_by_test_id("batch-course-row").locator("text=移出").click()
    assert "批次中暂无课程" in page.get_by_test_id("batch-courses").inner_text()
    page.get_by_test_id("add-courses").locator("input[name=course_codes]").fill("01234")
    page.click("button:has-text('添加课程')")
    assert "课程已加入批次" in flash(page)
    expect(page.get_by_test_id("batch-course-row")).to_have_count(1)
    audit = page.get_by_test_id("audit-tab").inner_text()
    assert "创建考试批次" in audit and "移除课程" in audit and "添加课程" in audit
    page.click("text=返回考试批次")
    assert "2027年1月考试" in page.get_by_test_id("list").inner_text()

    # The course record names both batches.
    page.goto(f"/admin/courses/{course_id}")
    info = page.get_by_test_id("course-info").inner_text()
    assert "2026秋季选课" in info and "2027年1月考试" in info


@browser
def test_finance_sets_the_undergraduate_fee_standard_in_yuan(sign_in, world):
    page = sign_in("caiwu")
    page.click("nav.menu >> text=收费标准")
    assert "未设置" in page.get_by_test_id("fee-row").filter(has_text="本科").inner_text()
    fill(page.get_by_test_id("fee-form-undergraduate"), credit_fee="159.5", exam_fee="40")
    page.click("text=保存本科收费标准")
    assert "本科收费标准已保存" in flash(page)
    row = page.get_by_test_id("fee-row").filter(has_text="本科")
    assert row.get_by_test_id("credit-fee").inner_text() == "159.50"
    assert row.get_by_test_id("exam-fee").inner_text() == "40.00"
    assert "未设置" in page.get_by_test_id("fee-row").filter(has_text="专科").inner_text()

    # Fractions of a fen are refused in Chinese and change nothing.
    form = page.get_by_test_id("fee-form-undergraduate")
    form.locator("input[name=credit_fee]").fill("160.005")
    form.locator("text=保存本科收费标准").click()
    assert "学分费（元/学分）须为以元为单位的金额" in error(page)
    page.screenshot(path="/tmp/curriculum_fee_standards.png", full_page=True)
    assert page.get_by_test_id("fee-form-undergraduate").locator("input[name=credit_fee]").input_value() == "160.005"
    assert page.get_by_test_id("fee-row").filter(has_text="本科").get_by_test_id("credit-fee").inner_text() == "159.50"

    from application.curriculum.queries import list_fee_standards

    with world.container.engine.connect() as conn:
        stored = {s["level"]: s for s in list_fee_standards(conn, world.actor("caiwu"))}
    assert stored["undergraduate"]["credit_fee_per_credit_fen"] == 15950
    assert stored["undergraduate"]["exam_fee_per_course_fen"] == 4000

    # Academic affairs and auditors read the standards; only finance has the forms.
    for username in ("jiaowu", "shenji"):
        sign_in(username)
        page.goto("/admin/fee-standards")
        assert page.get_by_test_id("fee-row").filter(has_text="本科").get_by_test_id("credit-fee").inner_text() == "159.50"
        expect(page.get_by_test_id("fee-form-undergraduate")).to_have_count(0)


@browser
def test_a_teaching_point_administrator_is_refused_the_catalogue_pages(sign_in, world):
    page = sign_in("xuanwu")
    menu = page.locator("nav.menu").inner_text()
    assert "课程管理" not in menu and "收费标准" not in menu
    for url in ("/admin/courses/new", "/admin/courses", "/admin/selection-batches", "/admin/exam-batches",
                "/admin/fee-standards"):
        response = page.goto(url)
        assert response.status == 403, url
        assert "您的角色无权执行此操作" in error(page), url
        assert "操作未完成" in page.inner_text("h1")
    # The course list of a programme the teaching point offers: read only.
    page.goto(f"/admin/programmes/{world.programmes['accounting']}")
    page.get_by_test_id("programme-courses-link").click()
    assert "培养方案课程" in page.inner_text("h1")
    expect(page.get_by_test_id("add-programme-course")).to_have_count(0)


@browser
def test_courses_export_holds_the_filtered_catalogue(sign_in, world, client, login, tmp_path):
    from openpyxl import load_workbook

    new_course(client, login, "01234", "管理会计", "4")
    new_course(client, login, "01235", "会计信息系统", "2.5", final_exam=False)
    new_course(client, login, "02001", "行政法", "3", ("专科",), publish=False, version=False, final_exam=None)
    page = sign_in("jiaowu")
    page.goto("/admin/courses")
    page.select_option("select[name=level]", label="本科")
    page.click("button:has-text('查询')")
    assert codes_listed_here(page) == ["01234", "01235"]
    assert "level=undergraduate" in page.url
    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    download = info.value
    assert re.match(r"课程_\d{12}\.xlsx$", download.suggested_filename)
    path = tmp_path / "courses.xlsx"
    download.save_as(path)
    rows = [list(r) for r in load_workbook(path, read_only=True).active.iter_rows(values_only=True)]
    assert rows[0][:5] == ["课程代码", "课程名称", "学分", "所属学历", "状态"]
    by_code = {r[0]: r for r in rows[1:]}
    assert sorted(by_code) == ["01234", "01235"]
    assert by_code["01234"][1:8] == ["管理会计", "4", "本科", "已发布", "2026版", "审核通过", "是"]
    assert by_code["01235"][2] == "2.5" and by_code["01235"][7] == "否"


def codes_listed_here(page: Any) -> list[str]:
    return page.get_by_test_id("course-row").evaluate_all("rows => rows.map(r => r.dataset.code)")


# -- plain HTTP: garbage input and read-only roles ------------------------------------------------


@pytest.fixture
def web(container, world):
    from litestar.testing import TestClient

    from interfaces.http.app import create_app

    with TestClient(create_app(container), base_url="https://testserver.local", raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def signed_in(web):
    def _as(username: str) -> tuple[Any, str]:
        token = re.search(r'name="_csrf_token" value="([^"]+)"', web.get("/admin/login").text).group(1)
        r = web.post("/admin/login", data={"username": username, "password": "secret123", "_csrf_token": token},
                     follow_redirects=False)
        assert r.status_code in (302, 303), r.text
        return web, token

    return _as


def test_garbage_input_gives_chinese_messages_never_a_500(signed_in, world, client, login):
    course_id = new_course(client, login, "01234", "管理会计", "4")
    web, token = signed_in("jiaowu")
    cases = [
        ("/admin/courses/new", {"code": "", "name": "x", "credits": "1", "levels": "本科"}, "课程代码为必填项"),
        ("/admin/courses/new", {"code": "9", "name": "x", "credits": "1", "levels": "博士"}, "学历须为本科或专科"),
        (f"/admin/courses/{course_id}/version-in-use", {"version_in_use": "无此版本"}, "没有版本"),
        (f"/admin/courses/{course_id}/assessment/approve", {}, "没有待审核的考核要求"),
        (f"/admin/programmes/{world.programmes['accounting']}/courses", {"course_code": "01234", "suggested_semester": "13"},
         "建议开设学期须为1至12"),
        ("/admin/selection-batches", {"code": "X1", "name": "x", "selection_starts_on": "2026-13-01",
                                      "selection_ends_on": "2026-09-30"}, "日期格式须为"),
        ("/admin/selection-batches", {"code": "X1", "name": "x", "selection_starts_on": "2026-09-01",
                                      "selection_ends_on": "2026-09-30", "drop_starts_on": "2026-08-01",
                                      "drop_ends_on": "2026-10-30"}, "退课期不能早于选课期开始"),
        ("/admin/exam-batches", {"code": "K1", "name": "x", "registration_starts_on": "2026-09-30",
                                 "registration_ends_on": "2026-09-01"}, "结束日期不能早于开始日期"),
    ]
    for url, data, message in cases:
        r = web.post(url, data={"_csrf_token": token, **data})
        assert r.status_code in (409, 422), (url, r.status_code)
        assert message in r.text, (url, message)
    r = web.get(f"/admin/selection-batches/{course_id}")
    assert r.status_code == 404 and "选课批次不存在" in r.text

    web, token = signed_in("caiwu")
    for amount in ("-1", "1e3", "１８０", "abc", "", "1000000.01"):
        r = web.post("/admin/fee-standards/undergraduate", data={"_csrf_token": token, "credit_fee": amount, "exam_fee": "40"})
        assert r.status_code == 422 and "学分费（元/学分）" in r.text, amount
    r = web.post("/admin/fee-standards/doctorate", data={"_csrf_token": token, "credit_fee": "1", "exam_fee": "1"})
    assert r.status_code == 422 and "学历须为本科或专科" in r.text


def test_auditors_and_the_system_administrator_read_without_forms(signed_in, world, client, login):
    course_id = new_course(client, login, "01234", "管理会计", "4")
    for username in ("shenji", "sysadmin"):
        web, token = signed_in(username)
        page_ = web.get(f"/admin/courses/{course_id}")
        assert page_.status_code == 200 and "管理会计" in page_.text and "审计记录" in page_.text
        assert "data-testid=\"publish\"" not in page_.text and "add-version" not in page_.text
        assert web.get("/admin/courses/export.xlsx").status_code == 200
    web, token = signed_in("shenji")
    r = web.post(f"/admin/courses/{course_id}/close", data={"_csrf_token": token})
    assert r.status_code == 403 and "审计角色只能查看" in r.text
    web, token = signed_in("sysadmin")
    r = web.post("/admin/courses/new", data={"_csrf_token": token, "code": "9", "name": "x", "credits": "1", "levels": "本科"})
    assert r.status_code == 403 and "教务" in r.text
