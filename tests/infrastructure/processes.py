"""Real `eduledger` processes for the schema tests: started on a database URL, with their output
in files, and stopped by the test that started them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Generous: six Python processes importing the whole platform at once on a loaded 2-core machine.
STARTUP_SECONDS = 240
# What the `eduledger` script runs (`python -m interfaces.cli` would miss the commands that
# register themselves with the imported `interfaces.cli`, such as `migrate`). With a start line
# (`together`), the process first imports the platform, says it is ready, and waits for the
# line, so processes that import at different speeds still reach the database at one moment.
ENTRY = """
import os, sys, time
from interfaces.cli import main
import interfaces.http.app
ready, go = os.environ.get("EDULEDGER_TEST_READY"), os.environ.get("EDULEDGER_TEST_GO")
if ready:
    open(ready, "w").close()
    while not os.path.exists(go):
        time.sleep(0.01)
sys.exit(main(sys.argv[1:]))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Processes:
    """`eduledger …` subprocesses sharing one database and one var directory."""

    def __init__(self, folder: Path, database_url: str, **env: str) -> None:
        self.folder = folder
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "EDULEDGER_DATABASE_URL": database_url,
            "EDULEDGER_VAR_DIR": str(folder),
            "EDULEDGER_SECRET_KEY": "process-test-secret",
            "EDULEDGER_AUDIT_KEY": "process-test-audit",
            "EDULEDGER_LOG_LEVEL": "WARNING",
            **env,
        }
        self.started: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        out = self.folder / f"process-{len(self.started)}.log"
        with open(out, "wb") as handle:
            process = subprocess.Popen(
                [sys.executable, "-c", ENTRY, *args],
                cwd=ROOT, env={**self.env, **(env or {})}, stdout=handle, stderr=subprocess.STDOUT,
            )
        self.started.append((process, out))
        return process

    def together(self, *commands: tuple[str, ...]) -> list[subprocess.Popen[bytes]]:
        """Start every command, then let them all go at once when all have imported."""
        go = self.folder / "go"
        ready = [self.folder / f"ready-{len(self.started) + i}" for i in range(len(commands))]
        started = [
            self.start(*args, env={"EDULEDGER_TEST_READY": str(r), "EDULEDGER_TEST_GO": str(go)})
            for args, r in zip(commands, ready, strict=True)
        ]
        self.wait_for(lambda: all(r.exists() for r in ready), "every process to import the platform")
        go.touch()
        return started

    def output(self, process: subprocess.Popen[bytes]) -> str:
        return next(out for p, out in self.started if p is process).read_text(errors="replace")

    def run(self, *args: str) -> tuple[int, str]:
        process = self.start(*args)
        return process.wait(timeout=STARTUP_SECONDS), self.output(process)

    def wait_for(self, ready: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not ready():
            crashed = [self.output(p) for p, _ in self.started if p.poll() not in (None, 0)]
            assert not crashed, f"a process died while waiting for {what}:\n" + "\n---\n".join(crashed)
            assert time.monotonic() < deadline, f"gave up waiting for {what}"
            time.sleep(0.5)

    def stop(self) -> None:
        for process, _ in self.started:
            if process.poll() is None:
                process.terminate()
        for process, _ in self.started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
