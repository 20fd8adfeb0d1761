"""Excel exports write what people typed as text, never as a formula, and amounts as numbers in
yuan with a money format, through a real export of the bills list."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from interfaces.admin.common.session import COOKIE
from tests.http.selection_support import learner, ready_catalogue, selected

FORMULA_NAME = '=HYPERLINK("http://x","y")'


def test_a_learner_named_like_a_formula_is_exported_as_text_and_amounts_as_numbers(client, world, login):
    cat = ready_catalogue(client, login, world)
    lid = learner(client, login, world, seq=1, name=FORMULA_NAME)
    selected(client, login("xuanwu"), lid, cat.courses["01234"])
    token, _ = world.container.sessions.open(world.accounts["xuanwu"], "admin")
    client.cookies.set(COOKIE, token)

    response = client.get("/admin/bills/export.xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == 2  # the credit-fee and the exam-fee bill
    names = {r["姓名"].value for r in rows}
    assert names == {FORMULA_NAME}
    assert all(r["姓名"].data_type == "s" and r["姓名"].quotePrefix for r in rows)
    amounts = [r["金额（元）"] for r in rows]
    assert sorted(Decimal(str(a.value)) for a in amounts) == [Decimal("40"), Decimal("636")]
    assert all(a.data_type == "n" and a.number_format == "#,##0.00" for a in amounts)
