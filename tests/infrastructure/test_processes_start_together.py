"""Web processes and a worker started at the same moment on a fresh database all come up: none
of them creates schema as it starts on PostgreSQL (one `eduledger migrate` did it before), and
on the embedded SQLite default they migrate themselves one at a time under the file lock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.infrastructure.processes import Processes, free_port

WEB_PROCESSES = 5


@pytest.fixture
def processes(tmp_path: Path, database_url: str) -> Iterator[Processes]:
    # Production shape: the worker follows the log, the web processes only write and read.
    p = Processes(tmp_path, database_url, EDULEDGER_PROJECTIONS="worker")
    yield p
    p.stop()


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def test_web_processes_and_a_worker_started_at_once_on_a_fresh_database_all_come_up(processes, database_url):
    if database_url.startswith("postgres"):
        code, output = processes.run("migrate")
        assert code == 0, output
    ports = [free_port() for _ in range(WEB_PROCESSES)]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    running = processes.together(*(("serve", "--port", str(p)) for p in ports), ("worker", "--interval", "0.2"))
    worker = running[-1]

    for url in urls:
        processes.wait_for(lambda url=url: _answers(url), f"{url}/healthz")
    processes.wait_for(lambda: "projection worker following" in processes.output(worker), "the worker")
    # Each web process reads and writes the platform's tables: a refused login is a 401 (the
    # accounts read model and the login-failure table exist), never a 500.
    for url in urls:
        r = httpx.post(f"{url}/api/v1/auth/login", json={"username": "nobody", "password": "wrong-password"}, timeout=30)
        assert r.status_code == 401, r.text
    assert all(p.poll() is None for p in running)
