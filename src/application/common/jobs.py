"""Long-running bulk jobs (an import of a CSV file, a batch course selection): their state, the
ports they need, and the runner that makes running them safe.

A job is recorded with its input (`content`) and enqueued; a background worker runs its body.
Queues deliver at least once and workers die, so `JobRunner.run` claims the job atomically
(a re-delivered message finds it running or finished and does nothing), holds it by a lease a
heartbeat renews while the body runs (a sweeper resumes a job whose lease ran out), pauses it
when the worker shuts down and gives it up after `MAX_ATTEMPTS` claims. An item (a row, a
learner) that already has a result is never processed again; one that was started but has no
result is handed to the body's `recover`.

The state lives in platform tables the infrastructure owns (`SqlJobState`).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import structlog
from eventsourcing.persistence import InterfaceError as StoreInterfaceError
from eventsourcing.persistence import OperationalError as StoreOperationalError
from sqlalchemy import Boolean, Integer, String, Uuid, column, table
from sqlalchemy.exc import InterfaceError as SQLInterfaceError
from sqlalchemy.exc import OperationalError as SQLOperationalError

from application.common.actor import Actor
from application.common.context import correlation_id
from application.common.instant import Instant
from application.common.ports import Clock
from domains.shared.errors import DomainError

log = structlog.get_logger(__name__)

MAX_ATTEMPTS = 5  # claims of one job (first run, retries, resumptions) before it is given up
LEASE_SECONDS = 30.0  # a runner whose heartbeat stops renewing its claim this long is presumed dead


class JobStatus:
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class JobQueue(Protocol):
    """Background jobs (dramatiq in infrastructure). A job message carries the correlation id
    of the current request and the actor, so the events the job causes carry the same ones."""

    def enqueue(self, task: str, job_id: uuid.UUID, actor: Actor) -> None: ...

    def stopping(self) -> bool:
        """True while the worker shuts down: a long job pauses and is resumed later."""
        ...


@dataclass
class BulkJob:
    id: uuid.UUID
    kind: str  # "application_forms" (CSV import), "course_selection" (batch selection)
    filename: str  # the uploaded file's name, or the job's title
    admission_batch_id: uuid.UUID | None  # an import's admission batch
    teaching_point_id: uuid.UUID | None
    actor: Actor
    correlation_id: str
    total: int
    created_at: datetime
    status: str = JobStatus.QUEUED
    attempts: int = 0
    content: bytes | None = None  # the job's input, dropped when it ends


@dataclass
class ItemResult:
    row: int  # the item's number: a spreadsheet row, a learner's position in the job
    ok: bool
    code: str | None = None
    message: str | None = None
    record_id: uuid.UUID | None = None  # what the item created (a form) or concerns (a learner)


@dataclass
class Claim:
    """The outcome of trying to claim a job: "claimed" (job and token set), "missing",
    "finished" (done or failed), or "busy" (another live runner holds it)."""

    outcome: str
    job: BulkJob | None = None
    token: str | None = None
    retry_after: float = 0.0


class LeaseLost(Exception):
    """Another runner took the job over (this one was presumed dead): stop at once."""


class JobBusy(Exception):
    """Another runner holds the job: the queue should deliver the message again later."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"job busy, retry in {retry_after:.0f}s")
        self.retry_after = retry_after


class JobPaused(Exception):
    """The worker is shutting down: the job was released and should be delivered again."""


class JobQueueUnavailable(DomainError):
    """The background job service cannot take the job now (the broker is down)."""

    kind = "unavailable"

    def __init__(self, what: str) -> None:
        super().__init__("jobs.unavailable", f"后台任务服务暂不可用，{what}，请稍后重试")


class JobState(Protocol):
    """Job rows and per-item results in platform tables (implemented in infrastructure)."""

    lease_seconds: float  # how long a claim holds without renewal

    def renew(self, job_id: uuid.UUID, token: str) -> None:
        """Extend the lease (the heartbeat of a running job). Raises LeaseLost when the token
        no longer holds the job."""
        ...

    def requeue_expired(self, kind: str) -> list[BulkJob]:
        """Give back to the queue the running jobs of this kind whose lease ran out (their
        runner died) and take the queued ones whose message is overdue (it died with a
        process's in-memory queue), each by a compare-and-set: of two sweepers only one gets a
        job. Returns the jobs this caller took (without content), to be enqueued again."""
        ...

    def create(self, job: BulkJob) -> None: ...

    def discard(self, job_id: uuid.UUID) -> None: ...

    def claim(self, job_id: uuid.UUID, lease_seconds: float) -> Claim:
        """Atomically move a queued job (or a running one whose lease expired) to running,
        count the attempt and hand out a new lease token."""
        ...

    def row_states(self, job_id: uuid.UUID) -> dict[int, bool | None]:
        """Items already touched: True/False for a recorded result, None for an item that was
        started but has no result (its run was cut short)."""
        ...

    def mark_started(self, job_id: uuid.UUID, token: str, rows: list[int]) -> None: ...

    def record(self, job_id: uuid.UUID, token: str, results: list[ItemResult], lease_seconds: float) -> None:
        """Store items' results, move the counters and renew the lease, in one transaction;
        an item that has a result already is left alone. Raises LeaseLost when the token no
        longer holds the job."""
        ...

    def finish(self, job_id: uuid.UUID, token: str | None, status: str, at: datetime, error: str | None = None) -> None:
        """Mark the job done or failed and drop its content."""
        ...

    def release(self, job_id: uuid.UUID, token: str) -> None:
        """Give the job back to the queue (status queued) keeping every result so far."""
        ...

    def resumable(self, kind: str) -> list[BulkJob]:
        """Queued jobs of this kind and running ones whose lease expired (without content)."""
        ...

    def keep_output(self, job_id: uuid.UUID, token: str, content_type: str, content: bytes) -> None:
        """Keep what the job produced (an export's file) for its owner to download; a job run
        again replaces it. Raises LeaseLost when the token no longer holds the job."""
        ...

    def output(self, job_id: uuid.UUID) -> tuple[str, bytes] | None:
        """The kept output of a job as (content type, bytes), or None."""
        ...


# Failures of the database or the event store are the job's, not the item's: the run stops and
# the queue delivers the job again later; the items done so far keep their results.
TRANSIENT = (
    SQLOperationalError,
    SQLInterfaceError,
    StoreOperationalError,
    StoreInterfaceError,
    ConnectionError,
    TimeoutError,
    LeaseLost,
)


@contextmanager
def correlated(value: str) -> Iterator[None]:
    token = correlation_id.set(value)
    try:
        with structlog.contextvars.bound_contextvars(request_id=value):
            yield
    finally:
        correlation_id.reset(token)


def item_outcome(number: int, work: Callable[[], ItemResult], code: str, failure: str) -> ItemResult:
    """One item's result: a refused domain rule fails the item, a transient failure stops the
    job (to be run again), anything else fails the item with `failure` and is logged."""
    try:
        return work()
    except DomainError as exc:
        return ItemResult(number, False, exc.code, exc.message)
    except TRANSIENT:
        raise
    except Exception:
        log.exception("job.item_failed", row=number)
        return ItemResult(number, False, code, failure)


# What a job kind supplies: its body (True when it ran to the end, False when it failed the
# job itself), given the claimed job and the lease token.
Body = Callable[[BulkJob, str], bool]


class JobRunner:
    """Enqueues, runs and resumes the jobs of one kind on one task name."""

    def __init__(self, task: str, kind: str, queue: JobQueue, state: JobState, clock: Clock) -> None:
        self.task = task
        self.kind = kind
        self.queue = queue
        self.state = state
        self.clock = clock

    def start(self, job: BulkJob, what: str) -> uuid.UUID:
        """Record the job and enqueue it; `what` says in Chinese what did not happen if the
        queue refuses (the job is then discarded)."""
        self.state.create(job)
        try:
            self.queue.enqueue(self.task, job.id, job.actor)
        except Exception:
            log.exception("job.enqueue_failed", kind=self.kind, job_id=str(job.id))
            self.state.discard(job.id)
            raise JobQueueUnavailable(what) from None
        log.info("job.queued", kind=self.kind, job_id=str(job.id), items=job.total)
        return job.id

    def run(self, job_id: uuid.UUID, actor: Actor | None, body: Body) -> None:
        """Claim the job and run its body. Safe to call any number of times for one job id."""
        claim = self.state.claim(job_id, self.state.lease_seconds)
        if claim.outcome == "busy":
            raise JobBusy(claim.retry_after)
        if claim.outcome != "claimed":
            log.info("job.skipped", kind=self.kind, job_id=str(job_id), outcome=claim.outcome)
            return
        job, token = claim.job, claim.token
        assert job is not None and token is not None
        if actor is not None and (
            actor.user_id != job.actor.user_id or actor.teaching_point_id != job.teaching_point_id
        ):
            log.warning("job.actor_mismatch", kind=self.kind, job_id=str(job_id))
            self.state.finish(job.id, token, JobStatus.FAILED, self.clock.now(), "任务的操作人与提交人不一致")
            return
        with correlated(job.correlation_id), structlog.contextvars.bound_contextvars(
            job_id=str(job.id), actor=job.actor.username
        ):
            if job.attempts > MAX_ATTEMPTS:
                log.warning("job.given_up", kind=self.kind, attempts=job.attempts)
                self.state.finish(
                    job.id, token, JobStatus.FAILED, self.clock.now(), "任务多次中断，已停止；已完成的部分保留其结果"
                )
                return
            log.info("job.running", kind=self.kind, attempt=job.attempts, items=job.total)
            try:
                with self._heartbeat(job.id, token):
                    completed = body(job, token)
            except LeaseLost:
                log.warning("job.lease_lost", kind=self.kind)
                return
            except JobPaused:
                self.state.release(job.id, token)
                log.info("job.paused", kind=self.kind)
                raise
            except BaseException:
                log.exception("job.interrupted", kind=self.kind)
                try:
                    self.state.release(job.id, token)
                except Exception:  # the lease runs out instead
                    log.exception("job.release_failed", kind=self.kind)
                raise
            if completed:
                self.state.finish(job.id, token, JobStatus.DONE, self.clock.now())
                log.info("job.done", kind=self.kind)

    @contextmanager
    def _heartbeat(self, job_id: uuid.UUID, token: str) -> Iterator[None]:
        """Renew the lease every third of its length while the body runs, so a slow item
        never lets it run out; a killed process stops renewing and a sweeper takes the job."""
        stop = threading.Event()
        interval = max(0.05, self.state.lease_seconds / 3)

        def beat() -> None:
            while not stop.wait(interval):
                try:
                    self.state.renew(job_id, token)
                except LeaseLost:
                    return  # the body finds out at its next record and stops
                except Exception:  # a database hiccup: the next beat tries again
                    log.warning("job.heartbeat_failed", kind=self.kind, exc_info=True)

        thread = threading.Thread(target=beat, name=f"heartbeat-{job_id}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

    def each_item(
        self,
        job: BulkJob,
        token: str,
        numbers: Iterable[int],
        process: Callable[[list[int]], list[ItemResult]],
        recover: Callable[[int], ItemResult | None] = lambda _: None,
        chunk: int = 1,
    ) -> None:
        """Process every item that has no result yet, `chunk` items at a time, recording the
        results of each chunk as it is done. An item started by an earlier run without a result
        goes to `recover` first (None: process it again)."""
        done = self.state.row_states(job.id)
        pending = [n for n in numbers if done.get(n) is None]
        for i in range(0, len(pending), chunk):
            if self.queue.stopping():
                raise JobPaused()
            part = pending[i : i + chunk]
            results: dict[int, ItemResult] = {}
            for n in part:
                if n in done and (recovered := recover(n)) is not None:
                    results[n] = recovered
            self.state.mark_started(job.id, token, [n for n in part if n not in done])
            todo = [n for n in part if n not in results]
            if todo:
                results.update((r.row, r) for r in process(todo))
            self.state.record(job.id, token, [results[n] for n in part], self.state.lease_seconds)

    def resume(self, expired_only: bool = False) -> int:
        """Enqueue again every job of this kind whose runner died (its lease ran out) and, unless
        `expired_only` (the periodic sweep), every queued one (after a restart the in-process
        queue is empty); returns how many. Running one twice is harmless."""
        taken = self.state.requeue_expired(self.kind)
        jobs = taken if expired_only else self.state.resumable(self.kind)
        for job in jobs:
            with correlated(job.correlation_id):
                self.queue.enqueue(self.task, job.id, job.actor)
        if jobs:
            log.info("job.resumed", kind=self.kind, jobs=len(jobs))
        return len(jobs)


# -- read side --------------------------------------------------------------------------------
# Views of the platform tables `bulk_jobs` and `bulk_job_items` (defined in infrastructure): every
# kind of bulk job (imports, batch selections, photo exports, certificate batches) and each item's
# result; a test checks that they agree with the tables.

bulk_jobs_view = table(
    "bulk_jobs",
    column("id", Uuid),
    column("kind", String),
    column("status", String),
    column("filename", String),
    column("admission_batch_id", Uuid),
    column("teaching_point_id", Uuid),
    column("actor_id", Uuid),
    column("actor_username", String),
    column("actor_name", String),
    column("total", Integer),
    column("processed", Integer),
    column("succeeded", Integer),
    column("failed", Integer),
    column("error", String),
    column("created_at", Instant()),
    column("started_at", Instant()),
    column("finished_at", Instant()),
)

bulk_job_items_view = table(
    "bulk_job_items",
    column("job_id", Uuid),
    column("row", Integer),
    column("ok", Boolean),
    column("code", String),
    column("message", String),
    column("record_id", Uuid),
)


class BulkJobService:
    """A use-case class whose background job body is its `_run`, on its `jobs` runner."""

    jobs: JobRunner

    def run(self, job_id: uuid.UUID, actor: Actor | None = None) -> None:
        """The job body. Safe to call any number of times for one job id."""
        self.jobs.run(job_id, actor, self._run)

    def resume(self, expired_only: bool = False) -> int:
        """Enqueue again the jobs left unfinished (after a restart, or by the sweeper)."""
        return self.jobs.resume(expired_only)

    def _run(self, job: BulkJob, token: str) -> bool:
        raise NotImplementedError

