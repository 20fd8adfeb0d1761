"""The public portal's quick registration (快速报名, requirements/admissions.md §3) and what follows it: the
teaching point completes the form (choosing the programme again) and academic affairs rejects
it with a reason that shows on the form and in its audit tab."""

from __future__ import annotations

import re

import pytest

from tests.admin.test_admissions import fill_applicant
from tests.support import applicant


@pytest.mark.browser
def test_quick_registration_is_completed_by_the_teaching_point_then_rejected(page, sign_in, world):
    page.goto("/register")
    assert "快速报名" in page.inner_text("h1")
    form = page.get_by_test_id("quick-registration")
    assert "南京市玄武区" in form.inner_text()  # teaching points are shown with their address
    form.locator("input[name=name]").fill("赵小燕")
    form.locator("input[name=mobile]").fill("1391234")
    form.locator("input[name=intended_major]").fill("会计")
    form.locator("label.point", has_text="玄武学习中心").locator("input").check()
    form.locator("text=提交快速报名").click()
    assert "手机号码须为11位数字" in page.get_by_test_id("error").inner_text()
    assert page.input_value("input[name=name]") == "赵小燕"
    assert page.locator("label.point", has_text="玄武学习中心").locator("input").is_checked()
    page.fill("input[name=mobile]", "13912340001")
    page.click("text=提交快速报名")
    assert "感谢您的报名" in page.get_by_test_id("thanks").inner_text()
    assert "玄武学习中心" in page.get_by_test_id("thanks").inner_text()
    assert "13912340001" not in page.url

    # The teaching point finds it in 初审报名表 and completes it.
    sign_in("xuanwu")
    page.click("nav.menu >> text=初审报名表")
    row = page.get_by_test_id("form-row").filter(has_text="赵小燕")
    assert "会计" in row.inner_text() and "139****0001" in row.inner_text()
    row.get_by_role("link", name="补录").click()
    assert page.get_by_test_id("intended-major").inner_text() == "会计"
    assert page.input_value("input[name=mobile]") == "13912340001"
    page.select_option("select[name=programme_id]", str(world.programmes["accounting"]))
    data = applicant(61)
    del data["name"], data["mobile"]
    fill_applicant(page, data)
    page.click("text=保存补录")
    assert "报名表已补录，状态：初审通过" in page.locator(".flash.ok").inner_text()
    assert page.get_by_test_id("form-status").inner_text() == "初审通过"
    form_url = page.url

    # Academic affairs rejects it: a reason is required.
    sign_in("jiaowu")
    page.goto(form_url)
    page.get_by_test_id("reject").click()
    assert "驳回原因" in page.get_by_test_id("error").inner_text()
    page.fill("textarea[name=reason]", "毕业证书编号在学信网查询不到")
    page.get_by_test_id("reject").click()
    assert "报名表已驳回" in page.locator(".flash.ok").inner_text()
    assert page.get_by_test_id("form-status").inner_text() == "复审驳回"
    assert page.get_by_test_id("review-comment").inner_text() == "毕业证书编号在学信网查询不到"
    audit = page.get_by_test_id("audit-tab").inner_text()
    assert "快速报名" in audit and "补录报名表（初审通过）" in audit and "复审驳回" in audit
    assert "毕业证书编号在学信网查询不到" in audit and re.search(r"公众|访客", audit)


# -- plain HTTP --------------------------------------------------------------------------------


@pytest.fixture
def web(container, world):
    from litestar.testing import TestClient

    from interfaces.http.app import create_app

    with TestClient(create_app(container), base_url="https://testserver.local", raise_server_exceptions=False) as c:
        yield c


def test_the_portal_needs_the_csrf_token_and_a_teaching_point(web, world):
    page = web.get("/register")
    assert page.status_code == 200
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    fields = {"name": "钱多多", "mobile": "13912340002", "intended_major": "行政管理"}
    assert web.post("/register", data=fields).status_code == 403
    r = web.post("/register", data={**fields, "_csrf_token": token})
    assert r.status_code == 422 and "请选择报名的教学点" in r.text and 'value="钱多多"' in r.text
    r = web.post("/register", data={**fields, "_csrf_token": token, "teaching_point_id": str(world.tp["102"])},
                 follow_redirects=False)
    assert r.status_code in (302, 303) and "13912340002" not in r.headers["location"]
    # It lands in 鼓楼's list of quick registrations, not 玄武's.
    token = re.search(r'name="_csrf_token" value="([^"]+)"', web.get("/admin/login").text).group(1)
    web.post("/admin/login", data={"username": "gulou", "password": "secret123", "_csrf_token": token})
    assert "钱多多" in web.get("/admin/application-forms/quick-registrations").text
    token = re.search(r'name="_csrf_token" value="([^"]+)"', web.get("/admin/login").text).group(1)
    web.post("/admin/login", data={"username": "xuanwu", "password": "secret123", "_csrf_token": token})
    assert "钱多多" not in web.get("/admin/application-forms/quick-registrations").text
