"""The deployment kit stays in step with the code: every unit starts a real command, every
runtime dependency is pinned (and no test extra is), nginx never passes a client's own
X-Forwarded-For through."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import subprocess
import tomllib
from pathlib import Path

import pytest

from interfaces.cli import parser

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def unit(path: Path) -> configparser.RawConfigParser:
    config = configparser.RawConfigParser(strict=False, delimiters=("=",))
    config.optionxform = str  # type: ignore[assignment,method-assign]
    config.read_string(path.read_text())
    return config


@pytest.mark.parametrize("name", sorted(p.name for p in (DEPLOY / "systemd").glob("*.service")))
def test_every_unit_runs_a_command_that_exists(name):
    start = shlex.split(unit(DEPLOY / "systemd" / name)["Service"]["ExecStart"].replace("%i", "8001"))
    if start[0].endswith("/eduledger"):
        parser().parse_args(start[1:])  # exits (fails the test) on an unknown command or option
    else:
        assert (DEPLOY / Path(start[0]).name).is_file(), start[0]


def test_timers_start_their_services():
    for timer in (DEPLOY / "systemd").glob("*.timer"):
        assert (timer.with_suffix(".service")).is_file(), timer.name


def test_constraints_pin_every_runtime_dependency_and_no_test_extra():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = {
        _name(line): line.split("==", 1)[1]
        for line in (DEPLOY / "constraints.txt").read_text().splitlines()
        if line and not line.startswith("#")
    }
    for requirement in project["dependencies"]:
        assert _name(requirement) in pinned, f"{requirement} is not in deploy/constraints.txt (run deploy/lock.sh)"
    for extra in project["optional-dependencies"]["test"]:
        assert _name(extra) not in pinned or _name(extra) == "httpx", extra  # httpx: litestar's own


def test_nginx_replaces_forwarded_for_and_keeps_metrics_inside():
    site = (DEPLOY / "nginx" / "eduledger.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site
    assert "$proxy_add_x_forwarded_for" not in site
    assert "Strict-Transport-Security" in site and "ssl_protocols TLSv1.2 TLSv1.3;" in site
    assert "location = /metrics { return 404; }" in site


@pytest.mark.parametrize("name", sorted(p.name for p in DEPLOY.glob("*.sh")))
def test_every_script_parses_and_is_executable(name):
    script = DEPLOY / name
    assert os.access(script, os.X_OK), name
    checked = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
