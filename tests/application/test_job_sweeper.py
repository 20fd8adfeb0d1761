"""Jobs resume by themselves: a running job's lease is renewed by a heartbeat, and every process
that runs jobs sweeps for leases that ran out (a killed process) and resumes those jobs, with
no restart and without importing a row twice."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import select

from application.admissions.imports import FormImports
from application.admissions.projection import application_forms
from application.common.jobs import BulkJob
from infrastructure.audit_chain import verify_log
from infrastructure.container import build
from infrastructure.jobs import SqlJobState, bulk_jobs, lifespan_hooks
from tests.application.test_form_imports import csv_bytes, csv_row, forms_count, read_job, wait_until_finished


class Killed(BaseException):
    """The process died: nothing after this point runs, not even the release of the job."""


class DyingState(SqlJobState):
    """A runner's job state that dies (kill -9) after recording `survive` chunks: the form of
    the next row is saved, its result never recorded, the job left running with its lease."""

    def __init__(self, engine: Any, survive: int) -> None:
        super().__init__(engine, lease_seconds=5.0)
        self.survive = survive

    def record(self, *args: Any, **kwargs: Any) -> None:
        if self.survive == 0:
            raise Killed()
        self.survive -= 1
        super().record(*args, **kwargs)

    def release(self, job_id: uuid.UUID, token: str) -> None:
        pass  # a killed process gives nothing back


class SilentQueue:
    """The dead process's in-memory queue: the message dies with it."""

    def enqueue(self, task: str, job_id: uuid.UUID, actor: Any) -> None:
        pass

    def stopping(self) -> bool:
        return False


def lease_of(container: Any, job_id: uuid.UUID) -> tuple[str, Any]:
    with container.engine.connect() as conn:
        row = conn.execute(select(bulk_jobs.c.status, bulk_jobs.c.lease_until).where(bulk_jobs.c.id == job_id)).one()
    return row.status, row.lease_until


def test_a_job_whose_process_was_killed_is_resumed_by_another_process_without_a_restart(container, world, settings):
    # Another process (its own container, broker and sweeper) is already running: its start-up
    # resume has come and gone before the job is even created, so only its sweeper can help.
    other = build(replace(settings, job_lease_seconds=2.0, job_sweep_seconds=0.2), clock=container.clock, fast_hashing=True)
    start, stop = lifespan_hooks(other.jobs)
    start()
    try:
        xuanwu = world.actor("xuanwu")
        dying = FormImports(container.admissions, SilentQueue(), DyingState(container.engine, survive=2),
                            container.engine.connect, container.clock)
        job_id = dying.start(xuanwu, world.admission_batch, "a.csv", csv_bytes([csv_row(i) for i in range(1, 6)]))
        with contextlib.suppress(Killed):
            dying.run(job_id)
        killed = read_job(container, xuanwu, job_id)
        assert (killed["status"], killed["status_label"], killed["processed"]) == ("running", "导入中", 2)
        assert forms_count(container) == 3  # row 4's form was saved, its result never recorded

        job = wait_until_finished(container, xuanwu, job_id)
    finally:
        stop()
        other.close()
    assert (job["status"], job["processed"], job["succeeded"], job["failed"]) == ("done", 5, 5, 0)
    with container.engine.connect() as conn:
        forms = conn.execute(select(application_forms.c.id)).scalars().all()
    assert len(forms) == 5 and {r["form_id"] for r in job["rows"]} == set(forms)


def test_a_queued_job_whose_message_died_with_its_process_is_started_by_another(container, world, settings):
    other = build(replace(settings, job_lease_seconds=2.0, job_sweep_seconds=0.2), clock=container.clock, fast_hashing=True)
    start, stop = lifespan_hooks(other.jobs)
    start()  # its start-up resume finds nothing: the upload comes later
    try:
        xuanwu = world.actor("xuanwu")
        # Accepted by a process whose in-memory queue then died with it: queued, no message.
        lost = FormImports(container.admissions, SilentQueue(), SqlJobState(container.engine, lease_seconds=0.5),
                           container.engine.connect, container.clock)
        job_id = lost.start(xuanwu, world.admission_batch, "a.csv", csv_bytes([csv_row(1), csv_row(2)]))
        job = wait_until_finished(container, xuanwu, job_id)
    finally:
        stop()
        other.close()
    assert (job["status"], job["succeeded"]) == ("done", 2) and forms_count(container) == 2


def test_two_sweepers_never_resume_one_job_twice(container, world):
    xuanwu = world.actor("xuanwu")
    job_id = container.form_imports.start(xuanwu, world.admission_batch, "a.csv", csv_bytes([csv_row(1)]))
    first, second = SqlJobState(container.engine), SqlJobState(container.engine)
    assert first.claim(job_id, lease_seconds=-1).outcome == "claimed"  # its runner is long dead

    taken = first.requeue_expired("application_forms") + second.requeue_expired("application_forms")
    assert [j.id for j in taken] == [job_id]
    assert lease_of(container, job_id)[0] == "queued"
    assert container.form_imports.resume(expired_only=True) == 0  # nothing left to sweep


def test_a_live_job_keeps_its_lease_by_its_heartbeat_while_an_item_is_slow(container, world):
    xuanwu = world.actor("xuanwu")
    state = SqlJobState(container.engine, lease_seconds=3.0)
    imports = FormImports(container.admissions, SilentQueue(), state, container.engine.connect, container.clock)
    job_id = imports.start(xuanwu, world.admission_batch, "a.csv", csv_bytes([csv_row(1)]))
    release = threading.Event()
    leases: list[Any] = []

    def slow_body(job: BulkJob, token: str) -> bool:
        release.wait(60)
        return True

    runner = threading.Thread(target=imports.jobs.run, args=(job_id, None, slow_body))
    runner.start()
    try:
        for _ in range(1200):  # bounded: the lease must move forward at least twice
            status, until = lease_of(container, job_id)
            if status == "running" and until not in leases:
                leases.append(until)
            if len(leases) >= 3:
                break
            time.sleep(0.05)
        # However long the item takes, a sweeper finds no dead runner to replace.
        assert state.requeue_expired("application_forms") == []
    finally:
        release.set()
        runner.join()
    assert len(leases) >= 3, leases
    assert read_job(container, xuanwu, job_id)["status"] == "done"


# A process of its own: it resumes the queued import at start and enters each row slowly, so
# it can be killed (SIGKILL: no clean-up at all) in the middle.
CHILD = """
import sys, time
from datetime import datetime
from infrastructure.clock import FixedClock
from infrastructure.container import build
from infrastructure.jobs import lifespan_hooks

container = build(clock=FixedClock(datetime.fromisoformat(sys.argv[1])), fast_hashing=True)
enter_form = container.admissions.enter_form
def slowly(*args, **kwargs):
    time.sleep(0.1)
    return enter_form(*args, **kwargs)
container.admissions.enter_form = slowly
start, _ = lifespan_hooks(container.jobs)
start()
time.sleep(600)
"""


def test_an_import_whose_process_is_killed_with_sigkill_completes_in_another_process(container, world, settings):
    other = build(replace(settings, job_lease_seconds=2.0, job_sweep_seconds=0.2), clock=container.clock, fast_hashing=True)
    start, stop = lifespan_hooks(other.jobs)
    start()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2] / "src"), os.environ.get("PYTHONPATH", "")]),
        "EDULEDGER_DATABASE_URL": settings.database_url,
        "EDULEDGER_VAR_DIR": str(settings.var_dir),
        "EDULEDGER_SECRET_KEY": settings.secret_key,
        "EDULEDGER_AUDIT_KEY": settings.audit_key,
        "EDULEDGER_JOB_LEASE_SECONDS": "2",
        "EDULEDGER_JOB_SWEEP_SECONDS": "600",
    }
    child = subprocess.Popen([sys.executable, "-c", CHILD, container.clock.now().isoformat()], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        xuanwu = world.actor("xuanwu")
        total = 40
        job_id = container.form_imports.start(xuanwu, world.admission_batch, "a.csv",
                                              csv_bytes([csv_row(i) for i in range(1, total + 1)]))
        for _ in range(2400):  # bounded: until the child is part-way through
            job = read_job(container, xuanwu, job_id)
            if job["processed"] >= 3 or child.poll() is not None:
                break
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        killed = read_job(container, xuanwu, job_id)
        assert killed["status"] == "running" and 3 <= killed["processed"] < total

        job = wait_until_finished(container, xuanwu, job_id)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=60)
        stop()
        other.close()
    assert (job["status"], job["processed"], job["succeeded"]) == ("done", total, total)
    with container.engine.connect() as conn:
        forms = conn.execute(select(application_forms.c.id)).scalars().all()
    assert len(forms) == total and {r["form_id"] for r in job["rows"]} == set(forms)
    assert verify_log(container.engine)[1] == []  # the kill left the audit chain whole
