"""Excel (.xlsx) downloads of list pages, written with openpyxl.

The workbook is built in write-only mode (rows stream into it). Every cell is written as text
(type "s", quote-prefixed), so ID numbers and student numbers keep their digits and a value a
user typed, such as a name `=HYPERLINK(...)`, is never a formula (ADR 0018). Amounts are the
exception: a `*_yuan` column whose row holds the matching `*_fen` integer is a number in yuan
with a money format, so it can be summed. The file name is sent both as ASCII and as UTF-8
(RFC 6266) so browsers save it under its Chinese name."""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from litestar import Response
from litestar.response import Stream
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from interfaces.admin.common.rendering import shanghai

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
SHEET_ROWS = 1_000_000  # data rows per sheet, under Excel's 1,048,576
CHUNK = 1 << 20


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return shanghai(value)
    return "" if value is None else str(value)


def _cell(ws: Any, row: dict[str, Any], key: str) -> WriteOnlyCell:
    fen = row.get(key[: -len("_yuan")] + "_fen") if key.endswith("_yuan") else None
    if isinstance(fen, int) and not isinstance(fen, bool):
        cell = WriteOnlyCell(ws, value=Decimal(fen).scaleb(-2))
        cell.number_format = MONEY_FORMAT
        return cell
    cell = WriteOnlyCell(ws, value=None)
    cell.value = _text(row.get(key))
    cell.data_type = "s"  # set after the value: openpyxl would take a leading "=" for a formula
    cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    return cell


def _sheet(wb: Any, title: str, columns: Sequence[tuple[str, str]]) -> Any:
    ws = wb.create_sheet(title[:31])
    for i, (_, header) in enumerate(columns):
        ws.column_dimensions[get_column_letter(i + 1)].width = max(10, len(header) * 2 + 4)
    bold = Font(bold=True)
    header_cells = []
    for _, header in columns:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    return ws


def write_workbook(
    out: Any, title: str, columns: Sequence[tuple[str, str]], rows: Iterable[dict[str, Any]], sheet_rows: int = SHEET_ROWS,
) -> int:
    """Writes the workbook to the file `out` as the rows come (write-only sheets keep no rows in
    memory); past `sheet_rows` data rows it goes on in a further sheet, since Excel opens no
    sheet longer than 1,048,576 rows. Returns how many data rows it holds."""
    wb = Workbook(write_only=True)
    ws = _sheet(wb, title, columns)
    count = 0
    for row in rows:
        if count and count % sheet_rows == 0:
            ws = _sheet(wb, f"{title[:24]} ({count // sheet_rows + 1})", columns)
        ws.append([_cell(ws, row, key) for key, _ in columns])
        count += 1
    wb.save(out)
    return count


def workbook_bytes(title: str, columns: Sequence[tuple[str, str]], rows: Iterable[dict[str, Any]]) -> tuple[bytes, int]:
    """`columns` are (key, header) pairs; returns the file and how many data rows it holds."""
    out = io.BytesIO()
    count = write_workbook(out, title, columns, rows)
    return out.getvalue(), count


def _disposition(filename: str, ascii_name: str) -> str:
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def xlsx_file_response(path: str, filename: str, ascii_name: str) -> Stream:
    """A workbook written to a temporary file, sent in chunks and removed once sent (or when the
    client goes away): an export of every row never holds the file in memory."""

    def chunks() -> Iterator[bytes]:
        try:
            with open(path, "rb") as fh:
                while chunk := fh.read(CHUNK):
                    yield chunk
        finally:
            os.unlink(path)

    headers = {
        "Content-Disposition": _disposition(filename, ascii_name), "Cache-Control": "no-store",
        "Content-Length": str(os.path.getsize(path)),
    }
    return Stream(chunks(), media_type=XLSX, headers=headers)


def xlsx_response(content: bytes, filename: str, ascii_name: str) -> Response[bytes]:
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": _disposition(filename, ascii_name), "Cache-Control": "no-store"},
    )
