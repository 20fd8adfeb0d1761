"""The layering the conventions promise, enforced: import-linter's contracts from pyproject."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_import_contracts_are_kept():
    assert LINT_IMPORTS.exists(), f"import-linter is not installed next to {sys.executable}"
    result = subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    # Every contract was checked (a config that names none would also exit 0).
    assert "Layers point inward KEPT" in report
    assert "Domain code is pure Python KEPT" in report
    assert "API context packages are independent (what they share is in api.common) KEPT" in report
    assert "0 broken" in report


def test_domain_code_imports_no_framework():
    """A direct check beside the linter: no domain module names a framework or the database."""
    forbidden = ("sqlalchemy", "litestar", "msgspec", "psycopg", "dramatiq", "jinja2", "structlog", "fpdf",
                 "application", "infrastructure", "interfaces")
    offenders = []
    for path in (ROOT / "src" / "domains").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if len(words) >= 2 and words[0] in ("import", "from") and words[1].split(".")[0] in forbidden:
                offenders.append(f"{path.relative_to(ROOT)}: {line.strip()}")
    assert offenders == []
