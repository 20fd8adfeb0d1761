"""Certificates are checked as a person sees them: each PDF is rasterised with poppler's pdftoppm,
its text read back with pdftotext, and the QR code decoded from the page image with zxing-cpp
(tests/pdf_support.py)."""

from __future__ import annotations

import datetime
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from application.training.certificate_document import CertificateDocument, CertificateRenderingUnavailable
from infrastructure.certificates import fonts
from infrastructure.certificates.pdf import PdfCertificateRenderer
from tests.pdf_support import ink_share, qr_codes, rasterise, squeezed, text_of

VERIFY_URL = "http://127.0.0.1:8000/verify/certificates/JS2026-000123"
LONG_NAME = "阿卜杜热合曼·买买提依明·艾合买提江·吐尔逊巴依·库尔班"
LONG_SCHOOL = "江苏开放大学继续教育学院附属教师发展中心（南京市玄武区北京东路七十一号教学楼）"


def long_document(**changes: object) -> CertificateDocument:
    items = tuple(
        (f"第{n}讲 信息技术支持的课堂教学模式创新专题研修（案例{n}）", 10 + n % 7) for n in range(1, 46)
    )
    values: dict[str, object] = {
        "serial": "JS2026-000123",
        "trainee_name": LONG_NAME,
        "school_name": LONG_SCHOOL,
        "year": 2026,
        "total_tenths": sum(tenths for _, tenths in items),
        "items": items,
        "issued_on": datetime.date(2026, 10, 2),
        "verify_url": VERIFY_URL,
        "amendments": ("2026-10-05 更正姓名：张三 → 张珊", "2026-10-06 更正学时年份：2025 → 2026"),
    }
    values.update(changes)
    return CertificateDocument(**values)  # type: ignore[arg-type]


@pytest.fixture
def renderer(tmp_path: Path) -> PdfCertificateRenderer:
    return PdfCertificateRenderer(None, tmp_path / "cache")


def test_a_long_certificate_flows_onto_landscape_a4_pages_that_carry_ink(renderer):
    pdf = renderer.render(long_document())

    assert pdf.startswith(b"%PDF-")
    pages = rasterise(pdf, dpi=40)
    assert len(pages) >= 2
    for page in pages:
        assert page.width > page.height
        assert page.width / page.height == pytest.approx(297 / 210, rel=0.01)
        assert 0.01 < ink_share(page) < 0.5


def test_the_text_reads_back_with_name_school_serial_hours_items_and_amendments(renderer):
    document = long_document()

    text = text_of(renderer.render(document))

    flat = squeezed(text)
    assert "继续教育学时证书" in flat
    assert "证书编号：JS2026-000123" in flat
    assert squeezed(LONG_NAME) in flat
    assert squeezed(LONG_SCHOOL) in flat
    assert "2026年" in flat
    total = document.total_tenths
    assert f"{total // 10}.{total % 10}学时" in flat
    for title, _tenths in document.items:
        assert squeezed(title) in flat
    assert "第45讲信息技术支持的课堂教学模式创新专题研修（案例45）1.3" in flat
    assert "本证书已更正" in flat
    assert "2026-10-05更正姓名：张三→张珊" in flat
    assert "2026-10-06更正学时年份：2025→2026" in flat
    assert "发证机构：网培中心" in flat
    assert "发证日期：2026年10月2日" in flat
    page_count = len(re.findall(r"第 \d+ 页 共 (\d+) 页", text))
    assert page_count >= 2
    assert set(re.findall(r"第 \d+ 页 共 (\d+) 页", text)) == {str(page_count)}


def test_every_page_has_a_qr_code_that_opens_the_verification_page(renderer):
    pages = rasterise(renderer.render(long_document()), dpi=150)

    for page in pages:
        assert qr_codes(page) == [VERIFY_URL]


def test_a_certificate_without_amendments_says_nothing_about_corrections(renderer):
    document = long_document(items=(("直播讲座：课程思政", 15),), total_tenths=15, amendments=())

    pdf = renderer.render(document)

    assert len(rasterise(pdf, dpi=30)) == 1
    flat = squeezed(text_of(pdf))
    assert "更正" not in flat
    assert "直播讲座：课程思政1.5" in flat
    assert "合计1.5" in flat


def test_characters_outside_the_common_set_are_still_drawn(renderer):
    document = long_document(
        trainee_name="王喆玥", items=(("师德师风专题", 20),), total_tenths=20,
        amendments=("2026-10-05 更正姓名：王哲玥 → 王喆玥", "2026-10-06 更正单位：坤山中学 → 堃山中学"),
    )
    assert not any(ord(ch) in fonts.working_set_characters() for ch in "喆玥堃")

    pdf = renderer.render(document)

    flat = squeezed(text_of(pdf))
    assert "姓名：王喆玥" in flat
    assert "更正单位：坤山中学→堃山中学" in flat


def test_the_same_certificate_gives_the_same_file(renderer):
    document = long_document()

    assert renderer.render(document) == renderer.render(document)


def test_a_configured_font_that_is_missing_makes_certificates_unavailable(tmp_path):
    renderer = PdfCertificateRenderer(tmp_path / "no-such-font.ttc", tmp_path / "cache")

    with pytest.raises(CertificateRenderingUnavailable) as refused:
        renderer.render(long_document())

    assert refused.value.kind == "unavailable"
    assert refused.value.code == "certificates.rendering_unavailable"
    assert "EDULEDGER_CERTIFICATE_FONT" in refused.value.message


def test_without_a_cjk_font_on_the_machine_certificates_are_unavailable_until_one_is_installed(
    tmp_path, monkeypatch
):
    installed = fonts.locate_cjk_font(None).path
    missing = (tmp_path / "NotoSerifCJK-Regular.ttc", tmp_path / "NotoSansCJK-Regular.ttc")
    monkeypatch.setattr(fonts, "DEBIAN_FONTS", missing)
    renderer = PdfCertificateRenderer(None, tmp_path / "cache")

    with pytest.raises(CertificateRenderingUnavailable) as refused:
        renderer.render(long_document())
    assert "fonts-noto-cjk" in refused.value.message

    missing[0].symlink_to(installed)
    pdf = renderer.render(long_document(items=(("师德师风专题", 20),), total_tenths=20))
    assert "师德师风专题" in text_of(pdf)


def test_the_simplified_chinese_face_of_a_collection_is_chosen():
    font = fonts.locate_cjk_font(None)

    assert font.path in fonts.DEBIAN_FONTS
    assert font.name.endswith(" SC")


def test_a_font_without_chinese_glyphs_is_refused(tmp_path):
    latin = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not latin.is_file():
        latin = tmp_path / "not-a-font.ttf"
        latin.write_bytes(b"not a font")

    with pytest.raises(CertificateRenderingUnavailable):
        fonts.locate_cjk_font(latin)


def test_certificates_drawn_at_once_in_several_threads_are_each_whole(renderer):
    names = ("张珊", "李四", "王五", "赵六")
    documents = [long_document(serial=f"JS2026-00012{n}", trainee_name=name) for n, name in enumerate(names)]
    expected = [renderer.render(document) for document in documents]

    with ThreadPoolExecutor(max_workers=4) as pool:
        drawn = list(pool.map(renderer.render, documents))

    assert drawn == expected


def test_drawing_a_certificate_leaves_the_logs_quiet(renderer, caplog):
    caplog.set_level(logging.INFO)

    renderer.render(long_document(trainee_name="王喆玥"))

    assert [record.name for record in caplog.records if record.levelno >= logging.INFO] == []
