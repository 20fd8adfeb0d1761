"""The certificate a trainee downloads, as a person holds it: the QR code scanned from the printed
page opens the public verification page, which says the certificate is genuine and shows its
amendment; and a machine without a CJK font answers 503 in Chinese instead of failing."""

from __future__ import annotations

from urllib.parse import urlsplit

from infrastructure.certificates import fonts
from tests.http.api_helpers import ok, problem
from tests.http.test_training_certificates_api import CERTS, LEDGERS
from tests.pdf_support import qr_codes, rasterise, squeezed, text_of


def issue(client, tw, who) -> str:
    sources = tw.credit("zhangsan", ("课程思政建设", 30), ("在线教学设计", 20), ("名师讲座：课堂提问的艺术", 1.5))
    ok(client.put(f"{LEDGERS}/{tw.accounts['zhangsan']}/allowances/2026", json={"hours": "50"}, headers=who("njnu_admin")))
    cert = ok(client.post(CERTS, json={"source_ids": [str(s) for s in sources]}, headers=who("zhangsan")), 201)
    return cert["serial"]


def test_the_qr_code_on_the_downloaded_certificate_opens_the_page_that_says_it_is_genuine(client, tw, who):
    serial = issue(client, tw, who)
    ok(client.post(f"{CERTS}/{serial}/error-reports", json={"field": "trainee_name", "correct_value": "张珊"},
                   headers=who("njnu_admin")))
    ok(client.post(f"{CERTS}/{serial}/correction", json={}, headers=who("wangpei")))

    response = client.get(f"{CERTS}/{serial}/pdf", headers=who("zhangsan"))

    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    text = squeezed(text_of(response.content))
    assert f"证书编号：{serial}" in text
    assert "姓名：张珊" in text and "所在单位：南京师范大学" in text
    assert "名师讲座：课堂提问的艺术1.5" in text and "合计51.5" in text
    assert "本证书已更正" in text and "张三→张珊" in text
    [page] = rasterise(response.content, dpi=150)
    [url] = qr_codes(page)
    link = urlsplit(url)
    assert link.path == f"/verify/{serial}" and link.query.startswith("code=")
    verified = client.get(f"{link.path}?{link.query}")
    assert verified.status_code == 200
    assert "证书真实有效" in verified.text and "张珊" in verified.text and "张三" in verified.text


def test_without_a_cjk_font_the_download_answers_503_in_chinese_and_nothing_is_recorded(
    client, tw, who, tmp_path, monkeypatch
):
    installed = fonts.locate_cjk_font(None).path
    missing = (tmp_path / "NotoSerifCJK-Regular.ttc", tmp_path / "NotoSansCJK-Regular.ttc")
    monkeypatch.setattr(fonts, "DEBIAN_FONTS", missing)
    serial = issue(client, tw, who)

    refused = problem(client.get(f"{CERTS}/{serial}/pdf", headers=who("zhangsan")), 503,
                      "certificates.rendering_unavailable")

    assert "中文字体" in refused["detail"] and "fonts-noto-cjk" in refused["detail"]
    assert ok(client.get(f"{CERTS}/{serial}", headers=who("njnu_admin")))["downloads"] == 0
    assert ok(client.get(f"{LEDGERS}/me", headers=who("zhangsan")))["consumed"] == "51.5"

    missing[0].symlink_to(installed)  # the package gets installed; no restart
    response = client.get(f"{CERTS}/{serial}/pdf", headers=who("zhangsan"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert ok(client.get(f"{CERTS}/{serial}", headers=who("njnu_admin")))["downloads"] == 1
