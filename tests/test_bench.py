"""`eduledger bench` runs end to end with a tiny sample and writes every figure as JSON.
(No timing assertions: the figures are only checked to exist and be numbers.)"""

from __future__ import annotations

import json
from pathlib import Path

from interfaces.cli import main

FIGURES = {
    "raw_insert": False,
    "enter_form": True,
    "enter_forms": True,
    "stock_approve": True,
    "bulk_approve": True,
    "bulk_vs_stock": False,
    "raw_scan_insert": False,
    "rebuild": True,
    "raw_insert_selection": False,
    "selection_rush": True,
    "certificate_render": False,
    "certificate_issue": True,
}  # figure -> has a ratio to a raw reference


def test_bench_writes_every_figure(tmp_path: Path, database_url: str, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "bench.json"
    code = main(
        ["bench", "--forms", "50", "--stock-forms", "10", "--selection-learners", "80",
         "--certificates", "3", "--database-url", database_url, "--json", str(out)]
    )
    assert code == 0
    figures = json.loads(out.read_text())
    assert set(figures) == set(FIGURES)
    for name, has_ratio in FIGURES.items():
        figure = figures[name]
        assert set(figure) == {"value", "unit", "ratio"}
        assert isinstance(figure["value"], int | float) and figure["value"] > 0, name
        assert isinstance(figure["unit"], str) and figure["unit"], name
        if has_ratio:
            assert isinstance(figure["ratio"], int | float) and figure["ratio"] > 0, name
        else:
            assert figure["ratio"] is None, name
    table = capsys.readouterr().out
    assert all(name in table for name in FIGURES)
