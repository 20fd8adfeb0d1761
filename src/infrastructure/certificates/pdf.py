"""Certificates as PDF (fpdf2): A4 landscape, Simplified Chinese, with a QR code to the public
verification page on every page.

Page one carries the title, the serial, who earned how many hours in which year at which school,
and the table of items, which flows onto further pages (headings repeated, each page with the
serial, the QR code and "第 n 页 共 N 页"). The closing block, the issuing body and the issue date
with the amendments when there are any, follows the table.

Output is reproducible: the same document gives the same bytes (the PDF's dates are the issue
date, not the time of drawing).
"""

from __future__ import annotations

import contextlib
import datetime
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import segno
from fpdf import FPDF
from fpdf.enums import Align, TableHeadingsDisplay, TextMode, WrapMode, XPos, YPos
from fpdf.fonts import FontFace, SubsetMap

from application.training.certificate_document import (
    CERTIFICATE_TITLE,
    ISSUING_BODY,
    CertificateDocument,
    CertificateRenderingUnavailable,
    hours_text,
)
from infrastructure.certificates.fonts import WORKING_SETS, CjkFont, locate_cjk_font

FAMILY = "certificate-cjk"
PAGE_W, PAGE_H = 297.0, 210.0
MARGIN = 22.0
CONTENT_TOP = 56.0
QR_SIZE = 30.0
QR_X, QR_Y = PAGE_W - MARGIN - QR_SIZE + 4, 15.0
INK = (35, 35, 35)
FRAME = (150, 28, 28)
SHANGHAI = ZoneInfo("Asia/Shanghai")
CLOSING_HEIGHT = 23.0  # the gap above the closing block and its two lines
AMENDMENT_LINE = 5.5


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _statement(document: CertificateDocument) -> str:
    return (
        f"经审核，该学员于 {document.year} 年度参加{ISSUING_BODY}组织的教师培训，完成下列学习内容，"
        f"共计 {hours_text(document.total_tenths)} 学时，特发此证。"
    )


def _particulars(document: CertificateDocument) -> tuple[tuple[str, str, str, str], ...]:
    return (
        ("姓名", document.trainee_name, "学时年度", f"{document.year} 年"),
        ("所在单位", document.school_name, "合计学时", f"{hours_text(document.total_tenths)} 学时"),
    )


class _CertificatePdf(FPDF):
    def __init__(self, document: CertificateDocument, font_file: Path, face: int) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.document = document
        self.add_font(FAMILY, "", str(font_file), collection_font_number=face)
        # The embedded subset keeps its source's FontBBox (a valid, larger box) instead of
        # recomputing it from every glyph's outline twice per document.
        self.fonts[FAMILY].ttfont.recalcBBoxes = False
        self.set_margins(MARGIN, CONTENT_TOP, MARGIN)
        self.set_auto_page_break(True, margin=21)
        self.alias_nb_pages("{nb}")
        issued = datetime.datetime.combine(document.issued_on, datetime.time(0, 0), SHANGHAI)
        self.set_creation_date(issued)
        self.set_title(f"{CERTIFICATE_TITLE} {document.serial}")
        self.set_author(ISSUING_BODY)
        self.set_creator(ISSUING_BODY)
        self.set_lang("zh-CN")
        self.set_text_color(*INK)
        self._qr = segno.make(document.verify_url, error="m", micro=False)

    # every page: frame, serial, title, QR code, page numbers
    def header(self) -> None:
        self.set_draw_color(*FRAME)
        self.set_line_width(0.9)
        self.rect(8, 8, PAGE_W - 16, PAGE_H - 16)
        self.set_line_width(0.3)
        self.rect(10.5, 10.5, PAGE_W - 21, PAGE_H - 21)
        self.set_draw_color(*INK)
        self._draw_qr()
        self.set_font(FAMILY, size=9)
        self.set_xy(QR_X - 4, QR_Y + QR_SIZE + 0.5)
        self.cell(QR_SIZE + 8, 4, "扫码核验真伪", align=Align.C)
        self.set_font(FAMILY, size=11)
        self.set_xy(MARGIN, 18)
        self.cell(90, 6, f"证书编号：{self.document.serial}")
        first = self.page_no() == 1
        title = CERTIFICATE_TITLE if first else f"{CERTIFICATE_TITLE}（续页）"
        self.set_font(FAMILY, size=30 if first else 20)
        self.set_xy(MARGIN, 26 if first else 28)
        with self.local_context(text_mode=TextMode.FILL_STROKE, line_width=0.25 if first else 0.15):
            self.set_char_spacing(4 if first else 1)
            self.cell(PAGE_W - 2 * MARGIN, 14, title, align=Align.C)
            self.set_char_spacing(0)
        self.set_xy(MARGIN, CONTENT_TOP)

    def footer(self) -> None:
        self.set_y(-18)
        self.set_font(FAMILY, size=8)
        self.set_text_color(90, 90, 90)
        line = f"第 {self.page_no()} 页 共 {{nb}} 页 · 核验：{self.document.verify_url}"
        self.cell(0, 5, line, align=Align.C)
        self.set_text_color(*INK)

    def _draw_qr(self) -> None:
        """The QR code as vector squares, one rectangle per run of dark modules in a row."""
        matrix = self._qr.matrix
        module = QR_SIZE / len(matrix)
        self.set_fill_color(0, 0, 0)
        for row_number, row in enumerate(matrix):
            column = 0
            while column < len(row):
                if not row[column]:
                    column += 1
                    continue
                start = column
                while column < len(row) and row[column]:
                    column += 1
                self.rect(
                    QR_X + start * module, QR_Y + row_number * module,
                    (column - start) * module, module, style="F",
                )

    # the body
    def draw(self) -> None:
        document = self.document
        self.add_page()
        self._particulars()
        self.set_font(FAMILY, size=13)
        self.multi_cell(0, 8, _statement(document), align=Align.L, wrapmode=WrapMode.CHAR,
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)
        self._items_table()
        self._closing()

    def _particulars(self) -> None:
        """Who, where, which year and how many hours: label and value pairs, values wrapping."""
        self.set_font(FAMILY, size=13)
        label = FontFace(color=(110, 110, 110))
        with self.table(
            col_widths=(30, 117, 30, 76),
            line_height=7,
            text_align=(Align.L, Align.L, Align.L, Align.L),
            wrapmode=WrapMode.CHAR,
            borders_layout="NONE",
            first_row_as_headings=False,
            padding=(0.8, 1, 0.8, 0),
        ) as table:
            for first_label, first_value, second_label, second_value in _particulars(self.document):
                row = table.row()
                row.cell(f"{first_label}：", style=label)
                row.cell(first_value)
                row.cell(f"{second_label}：", style=label)
                row.cell(second_value)
        self.ln(2)

    def _items_table(self) -> None:
        document = self.document
        self.set_font(FAMILY, size=10.5)
        headings = FontFace(emphasis=None, fill_color=(243, 236, 236), color=INK)
        with self.table(
            col_widths=(14, 210, 29),
            line_height=5.2,
            text_align=(Align.C, Align.L, Align.R),
            wrapmode=WrapMode.CHAR,
            headings_style=headings,
            repeat_headings=TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE,
            padding=(0.9, 2, 0.9, 2),
        ) as table:
            heading = table.row()
            for text in ("序号", "学习内容", "学时"):
                heading.cell(text, align=Align.C)
            for number, (title, tenths) in enumerate(document.items, start=1):
                row = table.row()
                row.cell(str(number))
                row.cell(title)
                row.cell(hours_text(tenths))
            total = table.row()
            total.cell("合计", colspan=2, align=Align.R)
            total.cell(hours_text(document.total_tenths))

    def _closing(self) -> None:
        document = self.document
        amendment_lines = len(document.amendments) + 1 if document.amendments else 0
        # Kept together on one page unless the amendments alone would fill most of one.
        needed = min(max(CLOSING_HEIGHT, 6 + AMENDMENT_LINE * amendment_lines), 120.0)
        if self.get_y() + needed > self.page_break_trigger:
            self.add_page()
        self.ln(6)
        top = self.get_y()
        width = PAGE_W - 2 * MARGIN
        self.set_font(FAMILY, size=15)
        self.set_xy(MARGIN + width - 110, top)
        self.cell(110, 9, f"发证机构：{ISSUING_BODY}", align=Align.R, new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_font(FAMILY, size=13)
        self.cell(110, 8, f"发证日期：{chinese_date(document.issued_on)}", align=Align.R)
        if document.amendments:
            self.set_xy(MARGIN, top)
            self.set_font(FAMILY, size=10)
            self.multi_cell(width - 120, AMENDMENT_LINE, "本证书已更正，更正记录：", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            for line in document.amendments:
                self.multi_cell(width - 120, AMENDMENT_LINE, line, wrapmode=WrapMode.CHAR,
                                new_x=XPos.LMARGIN, new_y=YPos.NEXT)


class PdfCertificateRenderer:
    """CertificateRenderer drawing PDFs with fpdf2.

    The font is looked up on first use and kept; while none is found every render raises
    CertificateRenderingUnavailable (answered as 503), and the lookup is tried again on the
    next render, so installing fonts-noto-cjk needs no restart.
    """

    def __init__(self, configured_font: Path | None, cache_dir: Path) -> None:
        self._configured = configured_font
        self._cache_dir = cache_dir
        self._font: CjkFont | None = None
        self._lock = threading.Lock()

    def font(self) -> CjkFont:
        with self._lock:
            if self._font is None:
                self._font = locate_cjk_font(self._configured)
            return self._font

    def warm(self) -> None:
        """Find the font and build its working set now rather than on the first certificate."""
        with contextlib.suppress(CertificateRenderingUnavailable):
            WORKING_SETS.get(self.font(), self._cache_dir)

    def render(self, document: CertificateDocument) -> bytes:
        font = self.font()
        working_set = WORKING_SETS.get(font, self._cache_dir)
        try:
            pdf = None
            if working_set is not None:
                pdf = _CertificatePdf(document, working_set, 0)
                pdf.draw()
                if pdf.fonts[FAMILY].missing_glyphs:  # a character beyond the working set
                    pdf = None
            if pdf is None:
                pdf = _CertificatePdf(document, font.path, font.face)
                pdf.draw()
            return bytes(pdf.output())
        finally:
            # fpdf2 memoises glyph look-ups per subset map for the life of the process; each
            # PDF has its own map, so the memo would keep every document's font alive.
            SubsetMap.pick.cache_clear()
            SubsetMap.get_glyph.cache_clear()
