"""Browser: a trainee selects pool items with a live total, applies, downloads and reprints
without losing hours; a school administrator sets allowances and runs 批量生成证书 with progress;
a name error reported by the school and corrected by the centre shows on the public
verification page with both values in the certificate's history."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect

from tests.admin.conftest import new_context
from tests.admin.training_support import portal_sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_a_trainee_applies_within_the_tolerance_downloads_and_reprints(page, tw):
    tw.credit("zhangsan", ("课程思政建设", 30), ("在线教学设计", 22), ("教育技术", 0.1))
    tw.container.certificate_ledgers.set_allowance(tw.actor("njnu_admin"), tw.accounts["zhangsan"], 2026, "50")
    portal_sign_in(page, "zhangsan")
    page.on("dialog", lambda d: d.accept())  # confirmations are tested in test_confirmations.py
    page.goto("/training/certificates")
    expect(page.get_by_test_id("remaining")).to_have_text("50.0")
    expect(page.get_by_test_id("max-selectable")).to_contain_text("52.0")
    expect(page.get_by_test_id("pool-item")).to_have_count(3)

    for title in ("课程思政建设", "在线教学设计", "教育技术"):
        page.locator(f"[data-testid=pool-item][data-title='{title}'] input").check()
    expect(page.get_by_test_id("selected-total")).to_have_text("52.1")
    expect(page.get_by_test_id("selected-warning")).to_contain_text("超出单次申请上限 52.0 学时")
    with page.expect_navigation():
        page.get_by_test_id("apply").click()
    expect(page.get_by_test_id("error")).to_have_text("所选学时 52.1 超出剩余可打印学时 50.0 加 2.0 学时的上限")
    expect(page.get_by_test_id("certificate-row")).to_have_count(0)

    page.locator("[data-testid=pool-item][data-title='教育技术'] input").uncheck()
    expect(page.get_by_test_id("selected-total")).to_have_text("52.0")
    with page.expect_navigation():
        page.get_by_test_id("apply").click()
    expect(page.get_by_test_id("flash")).to_contain_text("证书 WP2026-000001 已生成")
    expect(page.get_by_test_id("certificate-row")).to_have_count(1)
    expect(page.get_by_test_id("remaining")).to_have_text("0.0")
    expect(page.get_by_test_id("pool-item")).to_have_count(1)

    row = page.locator("[data-testid=certificate-row][data-serial='WP2026-000001']")
    for link in ("download", "download"):  # a failed print: download again, nothing is deducted
        with page.expect_download() as info:
            row.get_by_test_id(link).click()
        path = info.value.path()
        with open(path, "rb") as f:
            assert f.read(4) == b"%PDF"
        assert info.value.suggested_filename == "certificate-WP2026-000001.pdf"
    page.reload()
    expect(page.get_by_test_id("remaining")).to_have_text("0.0")
    expect(page.get_by_test_id("consumed")).to_have_text("52.0")
    expect(page.get_by_test_id("hours-detail")).to_contain_text("已计入证书 WP2026-000001")


def test_a_school_administrator_sets_allowances_and_generates_certificates_in_batch(page, tw, sign_in):
    tw.credit("zhangsan", ("课程思政建设", 30), ("在线教学设计", 18), ("教育技术", 5), ("课堂管理", 3))
    tw.credit("lisi", ("课程思政建设", 10))
    sign_in("njnu_admin")
    page.locator("nav.menu").get_by_role("link", name="参训教师学时账户", exact=True).click()
    expect(page.get_by_test_id("ledger-row")).to_have_count(2)
    page.locator("input[name=trainee_ids]").first.check()
    page.locator("input[name=trainee_ids]").nth(1).check()
    page.get_by_test_id("bulk-hours").fill("50")
    with page.expect_navigation():
        page.get_by_test_id("set-allowances").click()
    expect(page.locator("[data-testid=ledger-row][data-username=zhangsan] [data-testid=remaining]")).to_have_text("50.0")

    page.locator("nav.menu").get_by_role("link", name="批量生成证书", exact=True).click()
    expect(page.get_by_test_id("candidates").locator("tbody tr")).to_have_count(2)
    with page.expect_navigation():
        page.get_by_test_id("start-batch").click()
    expect(page.get_by_test_id("job-status")).to_have_text("已完成")
    expect(page.get_by_test_id("job-counts")).to_contain_text("已处理 2 / 2 人，成功 2 人，失败 0 人")
    expect(page.get_by_test_id("trainee-result")).to_have_count(2)
    expect(page.locator("[data-testid=trainee-result][data-username=zhangsan]")).to_contain_text("51.0 学时")

    page.locator("nav.menu").get_by_role("link", name="证书查询", exact=True).click()
    expect(page.get_by_test_id("certificate-row")).to_have_count(2)
    page.fill("input[name=name]", "张")
    with page.expect_navigation():
        page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("certificate-row")).to_have_count(1)
    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    from openpyxl import load_workbook

    with open(info.value.path(), "rb") as f:
        rows = list(load_workbook(io.BytesIO(f.read())).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["张三"] and rows[0][0] == "证书编号"


def test_a_corrected_name_shows_on_the_verification_page_with_the_amendment(page, tw, sign_in, browser, live_server):
    sources = tw.credit("zhangsan", ("课程思政建设", 30), ("在线教学设计", 20))
    ledgers = tw.container.certificate_ledgers
    ledgers.set_allowance(tw.actor("njnu_admin"), tw.accounts["zhangsan"], 2026, "50")
    certificate_id = ledgers.apply(tw.actor("zhangsan"), sources)

    sign_in("njnu_admin")
    page.goto("/admin/training/certificates/WP2026-000001")
    page.get_by_test_id("report-field").select_option("trainee_name")
    page.get_by_test_id("correct-value").fill("张珊")
    with page.expect_navigation():
        page.get_by_test_id("report").click()
    expect(page.get_by_test_id("open-report")).to_contain_text("证书上为“张三”，学校报告正确的为“张珊”")

    centre = new_context(browser, live_server)
    other = centre.new_page()
    other.goto("/admin/login")
    other.fill("input[name=username]", "wangpei")
    other.fill("input[name=password]", PASSWORD)
    with other.expect_navigation():
        other.click("button[type=submit]")
    other.locator("nav.menu").get_by_role("link", name="证书更正", exact=True).click()
    expect(other.get_by_test_id("certificate-row")).to_have_count(1)
    with other.expect_navigation():
        other.get_by_test_id("certificate-row").get_by_role("link", name="更正", exact=True).click()
    with other.expect_navigation():
        other.get_by_test_id("correct").click()
    expect(other.get_by_test_id("trainee-name")).to_have_text("张珊")
    expect(other.locator("[data-testid=history-row][data-kind=corrected]")).to_contain_text("张三")
    expect(other.get_by_test_id("audit-tab")).to_contain_text("更正证书信息（备案）")
    centre.close()

    url = ledgers.verification_url(tw.actor("zhangsan"), certificate_id, live_server)
    page.goto(url)
    expect(page.get_by_test_id("verdict")).to_contain_text("证书真实有效")
    expect(page.get_by_test_id("trainee-name")).to_have_text("张珊")
    expect(page.get_by_test_id("amendments")).to_contain_text("姓名 张三 → 张珊")
    page.goto("/verify/WP2026-000001")
    expect(page.get_by_test_id("verdict")).to_contain_text("未能验证")
