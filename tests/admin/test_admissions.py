"""Admissions in the admin UI (requirements/admissions.md): a teaching point enters forms by hand and from a
CSV file, academic affairs reviews them one by one and in a batch, and maintains admission
batches and programmes. Browser tests drive Debian's Chromium against the real server; the
few plain HTTP tests at the end check refusals that need no browser."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from application.common.actor import SYSTEM
from tests.support import applicant, make_id_number

browser = pytest.mark.browser

SELECTS = ("prior_level",)


def fill_applicant(page: Any, data: dict[str, Any]) -> None:
    for key, value in data.items():
        if key in SELECTS:
            page.select_option(f"select[name={key}]", value)
        else:
            page.fill(f"input[name={key}]", value)


def bad_check_digit(id_number: str) -> str:
    return id_number[:-1] + ("0" if id_number[-1] != "0" else "1")


@browser
def test_entry_with_a_wrong_check_digit_then_review_gives_a_student_number(sign_in, world):
    page = sign_in("xuanwu")
    page.click("nav.menu >> text=录入报名表")
    assert page.url.endswith("/admin/application-forms/new")
    data = applicant(7, email="wxm7@example.com", occupation="南京某科技公司", original_name="王晓明")
    good_id = data["id_number"]
    page.select_option("select[name=programme_id]", str(world.programmes["accounting"]))
    fill_applicant(page, {**data, "id_number": bad_check_digit(good_id)})
    page.screenshot(path="/tmp/admissions_entry_form.png", full_page=True)
    page.click("text=保存报名表")

    assert "身份证号码校验位不正确" in page.get_by_test_id("error").inner_text()
    # Everything entered is still there; only the ID number needs correcting.
    assert page.input_value("input[name=name]") == data["name"]
    assert page.input_value("input[name=prior_school]") == data["prior_school"]
    assert page.input_value("input[name=original_name]") == "王晓明"
    assert page.input_value("select[name=programme_id]") == str(world.programmes["accounting"])
    page.fill("input[name=id_number]", good_id)
    assert "1990-03-15" in page.get_by_test_id("derived-birth").inner_text()
    page.click("text=保存报名表")

    assert "报名表已录入，状态：初审通过" in page.locator(".flash.ok").inner_text()
    assert page.get_by_test_id("form-status").inner_text() == "初审通过"
    assert "1990-03-15" in page.get_by_test_id("birth-date").inner_text()
    assert "会计学" in page.inner_text("main") and "王晓明" in page.inner_text("main")
    form_url = page.url

    page.goto("/admin/application-forms")
    row = page.get_by_test_id("form-row").filter(has_text=data["name"])
    assert "320102********" in row.inner_text() and good_id not in page.content()  # masked in the list
    page.screenshot(path="/tmp/admissions_form_list.png", full_page=True)

    sign_in("jiaowu")
    page.click("nav.menu >> text=复审报名表")
    page.get_by_test_id("form-row").filter(has_text=data["name"]).locator("text=查看").click()
    assert page.url == form_url
    page.fill("input[name=comment]", "材料齐全")
    page.get_by_test_id("approve").click()
    flash = page.locator(".flash.ok").inner_text()
    number = re.search(r"学号：(\w+)", flash).group(1)
    assert page.get_by_test_id("form-status").inner_text() == "复审通过"
    assert number in page.get_by_test_id("student-number").inner_text()
    assert "材料齐全" in page.get_by_test_id("review-comment").inner_text()
    audit = page.get_by_test_id("audit-tab").inner_text()
    assert "录入报名表（初审通过）" in audit and "复审通过" in audit and "jiaowu" in audit

    # The learner exists with that student number.
    page.click("text=查看学籍")
    assert number in page.inner_text("main") and data["name"] in page.inner_text("main")


@browser
def test_batch_approval_shows_student_numbers_and_refusals(sign_in, world):
    adm = world.container.admissions
    xuanwu = world.actor("xuanwu")
    spring = adm.register_admission_batch(SYSTEM, "A202609B", "2026年秋季补招", world.study_batch, "2026-08-15", "2026-09-30")
    same_person = make_id_number(seq=31)
    plan = [
        (applicant(31), world.admission_batch),
        (applicant(32), world.admission_batch),
        (applicant(33, id_number=same_person, name="重复报名"), spring),  # the same person twice
    ]
    for data, batch in plan:
        adm.enter_form(xuanwu, admission_batch_id=batch, programme_id=world.programmes["accounting"], applicant=data)

    page = sign_in("jiaowu")
    page.click("nav.menu >> text=复审报名表")
    expect(page.get_by_test_id("form-row")).to_have_count(3)
    page.check("#check-all")
    page.get_by_test_id("batch-approve").click()

    assert "审核通过 2 份，未通过 1 份" in page.get_by_test_id("approval-summary").inner_text()
    rows = page.get_by_test_id("approval-row")
    approved = rows.filter(has_text="审核通过")
    expect(approved).to_have_count(2)
    for i in range(2):
        assert re.search(r"\d{6,}", approved.nth(i).locator("td").nth(2).inner_text())
    refused = rows.filter(has_text="未通过")
    assert "已有学籍" in refused.inner_text()


@browser
def test_academic_affairs_creates_an_admission_batch_and_a_programme(sign_in, world):
    page = sign_in("jiaowu")
    page.click("nav.menu >> text=学习批次与招生批次")
    form = page.get_by_test_id("new-admission-batch")
    form.locator("input[name=code]").fill("A202703")
    form.locator("input[name=name]").fill("2027年春季招生")
    form.locator("select[name=study_batch_id]").select_option(str(world.study_batch))
    form.locator("input[name=opens_on]").fill("2027-03-01")
    form.locator("input[name=closes_on]").fill("2027-02-01")
    form.locator("text=创建招生批次").click()
    assert "招生结束日期不能早于开始日期" in page.get_by_test_id("error").inner_text()
    form = page.get_by_test_id("new-admission-batch")
    assert form.locator("input[name=name]").input_value() == "2027年春季招生"
    form.locator("input[name=closes_on]").fill("2027-03-31")
    form.locator("text=创建招生批次").click()
    assert "招生批次“2027年春季招生”已创建" in page.locator(".flash.ok").inner_text()
    assert "2027-03-01 至 2027-03-31" in page.get_by_test_id("period").inner_text()

    change = page.get_by_test_id("change-period")
    change.locator("input[name=closes_on]").fill("2027-04-15")
    change.locator("input[name=reason]").fill("延长招生期")
    change.locator("text=保存招生期").click()
    assert "2027-03-01 至 2027-04-15" in page.get_by_test_id("period").inner_text()
    audit = page.get_by_test_id("audit-tab").inner_text()
    assert "修改招生期" in audit and "延长招生期" in audit

    page.click("nav.menu >> text=培养方案")
    page.click("text=新建培养方案")
    page.fill("input[name=code]", "P-GQB-JSJ")
    page.select_option("select[name=level]", "高起本")
    page.fill("input[name=major]", "计算机科学与技术")
    page.fill("input[name=length_of_schooling]", "5年")
    page.get_by_test_id("teaching-points").locator("label", has_text="鼓楼学习中心").locator("input").check()
    page.click("text=创建培养方案")
    assert "培养方案已创建" in page.locator(".flash.ok").inner_text()
    assert "高起本" in page.inner_text("main") and "开放教育" in page.inner_text("main")
    offered = page.get_by_test_id("offerings")
    assert offered.locator("label", has_text="鼓楼学习中心").locator("input").is_checked()
    offered.locator("label", has_text="玄武学习中心").locator("input").check()
    offered.locator("text=保存开设教学点").click()
    assert "开设教学点已保存" in page.locator(".flash.ok").inner_text()
    assert "设置开设教学点" in page.get_by_test_id("audit-tab").inner_text()

    # The teaching point now sees it, read-only, and can enter forms for it.
    sign_in("xuanwu")
    page.click("nav.menu >> text=培养方案")
    assert "计算机科学与技术" in page.get_by_test_id("list").inner_text()
    expect(page.locator("text=新建培养方案")).to_have_count(0)
    page.goto("/admin/application-forms/new")
    assert "计算机科学与技术" in page.inner_text("select[name=programme_id]")


@browser
def test_csv_import_reports_every_row(sign_in, world, tmp_path):
    from application.admissions.imports import IMPORT_COLUMNS

    keys = {
        "姓名": "name", "身份证号码": "id_number", "民族": "ethnicity", "手机号码": "mobile", "通讯地址": "address",
        "最高学历层次": "prior_level", "毕业学校": "prior_school", "毕业日期": "prior_graduation_date",
        "毕业证书编号": "prior_certificate_number",
    }
    people = [applicant(41), applicant(42), applicant(43)]
    people[1]["id_number"] = bad_check_digit(people[1]["id_number"])
    lines = [",".join(IMPORT_COLUMNS)]
    for p in people:
        cells = {c: p.get(keys.get(c, ""), "") for c in IMPORT_COLUMNS}
        cells["培养方案代码"] = "P-ZSB-KJ"
        lines.append(",".join(cells[c] for c in IMPORT_COLUMNS))
    csv_file = tmp_path / "报名表.csv"
    csv_file.write_bytes(("\n".join(lines) + "\n").encode("utf-8-sig"))

    page = sign_in("xuanwu")
    page.click("nav.menu >> text=批量导入报名表")
    assert page.get_by_test_id("template-link").get_attribute("href").endswith("/imports/template")
    page.set_input_files("input[name=file]", str(csv_file))
    page.click("text=上传并导入")
    page.wait_for_url(re.compile(r"/admin/application-forms/imports/[0-9a-f-]{36}$"))
    expect(page.get_by_test_id("progress")).to_have_count(1)
    # The page polls its progress and reloads with every row's result once the job is done.
    page.wait_for_selector("[data-testid=import-job][data-status=done]")
    rows = page.get_by_test_id("import-row")
    assert page.get_by_test_id("job-status").inner_text() == "已完成"
    assert "已处理 3 / 3 行，成功 2 行，失败 1 行" in page.get_by_test_id("job-counts").inner_text()
    expect(rows).to_have_count(3)
    page.screenshot(path="/tmp/admissions_import_job.png", full_page=True)
    bad = rows.nth(1)
    assert bad.locator("td").first.inner_text() == "3" and "身份证号码校验位不正确" in bad.inner_text()
    # The refused row comes back as a file to correct and import again.
    with page.expect_download() as download:
        page.get_by_test_id("failed-rows").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[0].endswith("未导入原因") and "第3行：身份证号码校验位不正确" in lines[1]
    rows.nth(0).locator("text=查看报名表").click()
    assert people[0]["name"] in page.inner_text("h1")
    assert page.get_by_test_id("form-status").inner_text() == "初审通过"


# -- plain HTTP: refusals and edge cases ---------------------------------------------------------


@pytest.fixture
def web(container, world):
    from litestar.testing import TestClient

    from interfaces.http.app import create_app

    # Session cookies are Secure, so the test client speaks https.
    with TestClient(create_app(container), base_url="https://testserver.local", raise_server_exceptions=False) as c:
        yield c


def csrf(html: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def signed_in(web):
    def _as(username: str) -> tuple[Any, str]:
        token = csrf(web.get("/admin/login").text)
        r = web.post("/admin/login", data={"username": username, "password": "secret123", "_csrf_token": token},
                     follow_redirects=False)
        assert r.status_code in (302, 303), r.text
        return web, token

    return _as


def test_only_a_teaching_point_enters_forms_and_each_sees_only_its_own(signed_in, world):
    form_id = world.container.admissions.enter_form(
        world.actor("xuanwu"), admission_batch_id=world.admission_batch,
        programme_id=world.programmes["accounting"], applicant=applicant(51),
    )
    web, token = signed_in("jiaowu")
    r = web.get("/admin/application-forms/new")
    assert r.status_code == 403 and "教学点管理员" in r.text
    assert web.get(f"/admin/application-forms/{form_id}").status_code == 200
    web, token = signed_in("gulou")
    r = web.get(f"/admin/application-forms/{form_id}")
    assert r.status_code == 404 and "不属于您的教学点" in r.text
    assert "王小明51" not in web.get("/admin/application-forms").text
    r = web.post(f"/admin/application-forms/{form_id}/approval", data={"_csrf_token": token, "comment": ""})
    assert r.status_code == 403 and "教务" in r.text


def test_entry_page_says_when_no_admission_period_is_open(signed_in, world):
    world.container.admissions.change_admission_period(SYSTEM, world.admission_batch, "2026-10-01", "2026-10-31", "推迟")
    web, _ = signed_in("xuanwu")
    for url in ("/admin/application-forms/new", "/admin/application-forms/imports"):
        r = web.get(url)
        assert r.status_code == 200 and "没有处于招生期内的招生批次" in r.text, url
    template = web.get("/admin/application-forms/imports/template")
    assert template.status_code == 200 and template.content.startswith(b"\xef\xbb\xbf")
    assert template.content.decode("utf-8-sig").startswith("姓名,身份证号码")


def test_garbage_input_gives_chinese_messages_never_a_500(signed_in, world):
    web, token = signed_in("xuanwu")
    r = web.post("/admin/application-forms/new", data={"_csrf_token": token, "admission_batch_id": "x", "programme_id": "y"})
    assert r.status_code == 422 and "请选择招生批次" in r.text
    r = web.post("/admin/application-forms/new", data={
        "_csrf_token": token, "admission_batch_id": str(world.admission_batch),
        "programme_id": str(world.programmes["accounting"]), **applicant(52, prior_level="幼儿园"),
    })
    assert r.status_code == 422 and "最高学历层次须为" in r.text and 'value="王小明52"' in r.text
    r = web.post("/admin/application-forms/imports", files={"file": ("a.xlsx", b"PK\x03\x04junk", "application/octet-stream")},
                 data={"_csrf_token": token, "admission_batch_id": str(world.admission_batch)})
    assert r.status_code == 422 and "不是 CSV" in r.text
    web, token = signed_in("jiaowu")
    r = web.post("/admin/application-forms/approvals", data={"_csrf_token": token, "form_ids": ["nonsense"]})
    assert r.status_code == 422 and "请先勾选" in r.text
    r = web.post("/admin/batches/study", data={"_csrf_token": token, "code": "2026F", "name": "重复"})
    assert r.status_code == 422 and "已存在" in r.text
    r = web.post("/admin/programmes/new", data={"_csrf_token": token, "code": "X", "level": "博士", "major": "x"})
    assert r.status_code == 422 and "层次须为" in r.text
