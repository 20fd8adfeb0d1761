"""The static checks configured in pyproject run with the suite: mypy (strict on the domain code)
and ruff (over the sources and the tests). A failure shows the tool's own report."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", tool, *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_domain_code_type_checks_strictly(tmp_path: Path) -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True and "src/domains" in config["files"]
    # A fresh cache keeps the working tree clean and the answer independent of earlier runs.
    result = _run("mypy", "--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(tmp_path / "mypy"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_sources_and_tests_pass_the_linter() -> None:
    result = _run("ruff", "check", "--no-cache", "--output-format", "concise", "src", "tests")
    assert result.returncode == 0, result.stdout + result.stderr
