"""Browser: on a machine without a CJK font a trainee's certificate download opens a Chinese error
page (503) naming the missing font package, nothing is recorded, and once the font is installed
the same link downloads the certificate."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from infrastructure.certificates import fonts
from tests.admin.training_support import portal_sign_in

pytestmark = pytest.mark.browser


def test_a_download_without_a_cjk_font_says_so_in_chinese_and_works_once_it_is_installed(
    page: Any, tw: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    installed = fonts.locate_cjk_font(None).path
    missing = (tmp_path / "NotoSerifCJK-Regular.ttc", tmp_path / "NotoSansCJK-Regular.ttc")
    monkeypatch.setattr(fonts, "DEBIAN_FONTS", missing)
    sources = tw.credit("zhangsan", ("课程思政建设", 30), ("在线教学设计", 20))
    ledgers = tw.container.certificate_ledgers
    ledgers.set_allowance(tw.actor("njnu_admin"), tw.accounts["zhangsan"], 2026, "50")
    ledgers.apply(tw.actor("zhangsan"), sources)
    portal_sign_in(page, "zhangsan")

    response = page.goto("/training/certificates/WP2026-000001/pdf")

    assert response is not None and response.status == 503
    expect(page.locator("body")).to_contain_text("证书文件暂时无法生成")
    expect(page.locator("body")).to_contain_text("fonts-noto-cjk")

    missing[0].symlink_to(installed)
    page.goto("/training/certificates")
    row = page.locator("[data-testid=certificate-row][data-serial='WP2026-000001']")
    with page.expect_download() as info:
        row.get_by_test_id("download").click()
    with open(info.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
