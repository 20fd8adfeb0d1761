"""Background jobs on dramatiq, and the platform tables that keep the state of bulk jobs (imports, batch selections).

Two ways to run (ADR 0006):

* ``EDULEDGER_BROKER_URL`` unset (the embedded default): a dramatiq ``StubBroker`` and a
  dramatiq ``Worker`` started inside the web process by the app's lifespan. No server needed;
  jobs queued when the process stops are enqueued again by ``resume`` at the next start.
* ``redis://…`` -> ``RedisBroker``, ``amqp://…`` -> ``RabbitmqBroker``: the web process only
  enqueues; ``eduledger worker`` runs the dramatiq workers (next to the projection follower).

Every message carries the correlation id of the request that caused it and the acting user
(id, username, name, roles, teaching point); the worker restores the correlation id before the
job body runs, so the events a job causes carry the same metadata as the request's own.
A job body must be idempotent: dramatiq delivers at least once.
"""

from __future__ import annotations

import secrets
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import dramatiq
import structlog
from dramatiq.brokers.stub import StubBroker
from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Integer,
    LargeBinary,
    String,
    Table,
    Uuid,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from application.common.actor import Actor
from application.common.context import correlation_id, current_correlation_id
from application.common.instant import Instant
from application.common.jobs import (
    LEASE_SECONDS,
    BulkJob,
    Claim,
    ItemResult,
    JobBusy,
    JobPaused,
    JobStatus,
    LeaseLost,
)
from domains.shared.values import Role
from infrastructure.database import platform_tables

log = structlog.get_logger(__name__)

ACTOR_NAME = "eduledger_job"
SWEEP_SECONDS = 15.0  # with a 30 s lease, a job whose process died runs again within a minute
MESSAGE_GRACE_LEASES = 4  # a queued job not started within 4 leases is enqueued again
DEFAULT_QUEUE = "eduledger"
TIME_LIMIT_MS = 6 * 60 * 60 * 1000  # an import of 5,000 rows takes minutes; never cut one off


# -- the queue ----------------------------------------------------------------------------------


def make_broker(url: str | None, namespace: str = DEFAULT_QUEUE) -> dramatiq.Broker:
    if not url:
        return StubBroker()
    if url.startswith(("redis://", "rediss://", "unix://")):
        from dramatiq.brokers.redis import RedisBroker

        return RedisBroker(url=url, namespace=namespace)
    if url.startswith(("amqp://", "amqps://")):
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        return RabbitmqBroker(url=url)
    raise ValueError("EDULEDGER_BROKER_URL must start with redis:// or amqp://")


def actor_context(actor: Actor) -> dict[str, Any]:
    return {
        "user_id": str(actor.user_id) if actor.user_id else None,
        "username": actor.username,
        "name": actor.name,
        "roles": sorted(str(r) for r in actor.roles),
        "teaching_point_id": str(actor.teaching_point_id) if actor.teaching_point_id else None,
    }


def actor_from_context(data: dict[str, Any] | None) -> Actor | None:
    if not data:
        return None
    return Actor(
        user_id=uuid.UUID(data["user_id"]) if data.get("user_id") else None,
        username=data.get("username") or "system",
        name=data.get("name") or "",
        roles=frozenset(Role(r) for r in data.get("roles") or []),
        teaching_point_id=uuid.UUID(data["teaching_point_id"]) if data.get("teaching_point_id") else None,
    )


Handler = Callable[..., None]


class Jobs:
    """The application's JobQueue port on a dramatiq broker of its own.

    One dramatiq actor per broker dispatches by task name to the handlers registered here, so
    several containers in one process (tests) never share a queue or a handler."""

    def __init__(
        self,
        broker_url: str | None = None,
        *,
        namespace: str = DEFAULT_QUEUE,
        worker_threads: int = 2,
        sweep_seconds: float = SWEEP_SECONDS,
    ) -> None:
        self.broker_url = broker_url
        self.sweep_seconds = sweep_seconds
        self._sweeper: threading.Thread | None = None
        self.broker = make_broker(broker_url, namespace)
        self.queue_name = namespace
        self.worker_threads = worker_threads
        self._handlers: dict[str, Handler] = {}
        self._resumers: list[Callable[..., int]] = []
        self._worker: dramatiq.Worker | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._actor = dramatiq.actor(
            self._perform,
            broker=self.broker,
            actor_name=ACTOR_NAME,
            queue_name=namespace,
            max_retries=10,
            min_backoff=1_000,
            max_backoff=300_000,
            time_limit=TIME_LIMIT_MS,
        )

    @property
    def in_process(self) -> bool:
        """No broker server: the web process runs the worker itself."""
        return isinstance(self.broker, StubBroker)

    def register(self, task: str, handler: Handler, resume: Callable[..., int] | None = None) -> None:
        """`handler(job_id, actor)` runs a job; `resume(expired_only=False)` re-enqueues
        interrupted ones (the queued ones too unless `expired_only`)."""
        self._handlers[task] = handler
        if resume is not None:
            self._resumers.append(resume)

    # JobQueue port

    def enqueue(self, task: str, job_id: uuid.UUID, actor: Actor) -> None:
        context = {"correlation_id": current_correlation_id(), "actor": actor_context(actor)}
        self._actor.send_with_options(args=(task, str(job_id)), kwargs={"context": context})

    def stopping(self) -> bool:
        return self._stopping.is_set()

    # the dramatiq side

    def _perform(self, task: str, job_id: str, context: dict[str, Any] | None = None) -> None:
        context = context or {}
        handler = self._handlers.get(task)
        if handler is None:
            log.warning("job.unknown_task", task=task, job_id=job_id)
            return
        cid = context.get("correlation_id") or str(uuid.uuid4())
        actor = actor_from_context(context.get("actor"))
        token = correlation_id.set(cid)
        try:
            with structlog.contextvars.bound_contextvars(
                request_id=cid, job=task, job_id=job_id, actor=actor.username if actor else None
            ):
                try:
                    handler(uuid.UUID(job_id), actor)
                except JobBusy as busy:
                    delay = int(busy.retry_after * 1000) + 500
                    raise dramatiq.Retry("job held by another runner", delay=delay) from None
                except JobPaused:
                    raise dramatiq.Retry("worker shutting down", delay=1_000) from None
        finally:
            correlation_id.reset(token)

    def start_worker(self) -> None:
        with self._lock:
            if self._worker is not None:
                return
            self._stopping.clear()
            if not self.in_process:
                # A worker process of its own: start dramatiq's time-limit watcher. In the web
                # process a per-app daemon thread would outlive the app (tests build many).
                self.broker.emit_after("process_boot")
            timeout = 100 if self.in_process else 1_000
            self._worker = dramatiq.Worker(self.broker, worker_threads=self.worker_threads, worker_timeout=timeout)
            self._worker.start()
            self._sweeper = threading.Thread(target=self._sweep_until_stopped, name="jobs-sweeper", daemon=True)
            self._sweeper.start()
        log.info("jobs.worker_started", broker=type(self.broker).__name__, queue=self.queue_name)

    def resume(self, expired_only: bool = False) -> int:
        """Enqueue again what a stopped process left queued or half done (`expired_only`:
        only the running jobs whose lease ran out)."""
        count = 0
        for resume in self._resumers:
            try:
                count += resume(expired_only=expired_only)
            except Exception:
                log.exception("jobs.resume_failed")
        return count

    def sweep(self) -> int:
        """Resume the jobs whose runner died (in any process): their lease ran out."""
        return self.resume(expired_only=True)

    def _sweep_until_stopped(self) -> None:
        # Every process that runs jobs sweeps: no restart is needed to resume a killed one.
        while not self._stopping.wait(self.sweep_seconds):
            if swept := self.sweep():
                log.info("jobs.swept", jobs=swept)

    def stop_worker(self, timeout_ms: int = 10_000) -> None:
        with self._lock:
            worker, self._worker = self._worker, None
            sweeper, self._sweeper = self._sweeper, None
            if worker is None:
                return
            self._stopping.set()  # long jobs pause between rows and are resumed later
            worker.stop(timeout=timeout_ms)
            if sweeper is not None:
                sweeper.join()
        log.info("jobs.worker_stopped")

    def close(self) -> None:
        self.stop_worker()
        try:
            self.broker.close()
        except Exception:  # closing a broker that never connected
            log.debug("jobs.broker_close_failed", exc_info=True)


def lifespan_hooks(jobs: Jobs) -> tuple[Callable[[], None], Callable[[], None]]:
    """(on_startup, on_shutdown) for the web app: with no broker server the web process runs
    the jobs itself; with one, the workers of `eduledger worker` do."""

    def start() -> None:
        if jobs.in_process:
            jobs.start_worker()
            jobs.resume()

    def stop() -> None:
        jobs.stop_worker()

    return start, stop


def run_workers(jobs: Jobs) -> bool:
    """For `eduledger worker`: start dramatiq workers when a broker is configured."""
    if jobs.in_process:
        return False
    jobs.start_worker()
    jobs.resume()
    return True


# -- bulk job state (platform tables, not read models) ------------------------------------------

bulk_jobs = Table(
    "bulk_jobs",
    platform_tables,
    Column("id", Uuid, primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("status", String(10), nullable=False, index=True),
    Column("filename", String(200), nullable=False),
    Column("admission_batch_id", Uuid),  # an import's
    Column("teaching_point_id", Uuid, index=True),
    Column("actor_id", Uuid),
    Column("actor_username", String(60), nullable=False),
    Column("actor_name", String(60), nullable=False),
    Column("actor_roles", String(200), nullable=False),
    Column("correlation_id", String(64), nullable=False),
    Column("total", Integer, nullable=False),
    Column("processed", Integer, nullable=False, default=0),
    Column("succeeded", Integer, nullable=False, default=0),
    Column("failed", Integer, nullable=False, default=0),
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", String(200)),
    Column("lease_token", String(32)),
    Column("lease_until", Instant()),
    Column("content", LargeBinary),  # the upload, dropped when the job ends
    Column("created_at", Instant(), nullable=False, index=True),
    Column("started_at", Instant()),
    Column("finished_at", Instant()),
)

bulk_job_items = Table(
    "bulk_job_items",
    platform_tables,
    Column("job_id", Uuid, primary_key=True),
    Column("row", Integer, primary_key=True),  # the item's number (an import's row, a learner's place in a selection)
    Column("ok", Boolean),  # NULL: started, no result yet
    Column("code", String(60)),
    Column("message", String(300)),
    Column("record_id", Uuid),  # the form a row created, the learner of a selection
)

job_outputs = Table(
    "job_outputs",
    platform_tables,
    Column("job_id", Uuid, primary_key=True),
    Column("content_type", String(60), nullable=False),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),  # an export's file, downloaded by the job's owner
    Column("stored_at", Instant(), nullable=False),
)


def _now() -> datetime:
    return datetime.now(UTC)


def _actor_of(row: Any) -> Actor:
    return Actor(
        user_id=row["actor_id"],
        username=row["actor_username"],
        name=row["actor_name"],
        roles=frozenset(Role(r) for r in row["actor_roles"].split(",") if r),
        teaching_point_id=row["teaching_point_id"],
    )


def _job_of(row: Any, with_content: bool) -> BulkJob:
    return BulkJob(
        id=row["id"],
        kind=row["kind"],
        filename=row["filename"],
        admission_batch_id=row["admission_batch_id"],
        teaching_point_id=row["teaching_point_id"],
        actor=_actor_of(row),
        correlation_id=row["correlation_id"],
        total=row["total"],
        created_at=row["created_at"] or _now(),
        status=row["status"],
        attempts=row["attempts"],
        content=row["content"] if with_content else None,
    )


class SqlJobState:
    """The JobState port on the platform tables. Leases use the real time, whatever
    clock the use cases are given: they measure whether a runner is still alive."""

    def __init__(self, engine: Engine, lease_seconds: float = LEASE_SECONDS) -> None:
        self.engine = engine
        self.lease_seconds = lease_seconds

    def renew(self, job_id: uuid.UUID, token: str) -> None:
        with self.engine.begin() as conn:
            self._check_lease(conn, job_id, token, self.lease_seconds)

    def _message_until(self) -> datetime:
        """How long a queued job's message is trusted to be alive somewhere (a broker, or the
        in-memory queue of a process that may die); after that a sweeper enqueues it again."""
        return _now() + timedelta(seconds=self.lease_seconds * MESSAGE_GRACE_LEASES)

    def requeue_expired(self, kind: str) -> list[BulkJob]:
        j = bulk_jobs.c
        now = _now()
        # A running job whose runner stopped renewing, or a queued one whose message is overdue
        # (it lived in the memory of a process that died).
        expired = or_(
            (j.status == JobStatus.RUNNING) & (j.lease_until < now),
            (j.status == JobStatus.QUEUED) & (or_(j.lease_until.is_(None), j.lease_until < now)),
        )
        cols = [c for c in bulk_jobs.c if c.name != "content"]
        taken = []
        with self.engine.connect() as conn:
            rows = conn.execute(select(*cols).where(j.kind == kind, expired).order_by(j.created_at)).mappings().all()
        for row in rows:
            with self.engine.begin() as conn:
                # Compare-and-set: the row must still be expired (and held by the same dead
                # token), so of two sweepers only the first changes it.
                won = conn.execute(
                    update(bulk_jobs)
                    .where(j.id == row["id"], j.lease_token == row["lease_token"], expired)
                    .values(status=JobStatus.QUEUED, lease_token=None, lease_until=self._message_until())
                ).rowcount
            if won == 1:
                taken.append(_job_of({**row, "content": None}, with_content=False))
        return taken

    def create(self, job: BulkJob) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(bulk_jobs).values(
                    id=job.id,
                    kind=job.kind,
                    status=JobStatus.QUEUED,
                    filename=job.filename,
                    admission_batch_id=job.admission_batch_id,
                    teaching_point_id=job.teaching_point_id,
                    actor_id=job.actor.user_id,
                    actor_username=job.actor.username[:60],
                    actor_name=(job.actor.name or job.actor.username)[:60],
                    actor_roles=",".join(sorted(str(r) for r in job.actor.roles)),
                    correlation_id=job.correlation_id[:64],
                    total=job.total,
                    processed=0,
                    succeeded=0,
                    failed=0,
                    attempts=0,
                    lease_until=self._message_until(),
                    content=job.content,
                    created_at=job.created_at,
                )
            )

    def discard(self, job_id: uuid.UUID) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(bulk_job_items).where(bulk_job_items.c.job_id == job_id))
            conn.execute(delete(bulk_jobs).where(bulk_jobs.c.id == job_id))

    def claim(self, job_id: uuid.UUID, lease_seconds: float) -> Claim:
        now = _now()
        token = secrets.token_hex(16)
        j = bulk_jobs.c
        with self.engine.begin() as conn:
            # One UPDATE decides: of two runners only one sees its row count be 1.
            claimed = conn.execute(
                update(bulk_jobs)
                .where(
                    j.id == job_id,
                    or_(
                        j.status == JobStatus.QUEUED,
                        (j.status == JobStatus.RUNNING) & (j.lease_until < now),
                    ),
                )
                .values(
                    status=JobStatus.RUNNING,
                    attempts=j.attempts + 1,
                    lease_token=token,
                    lease_until=now + timedelta(seconds=lease_seconds),
                    started_at=func.coalesce(j.started_at, now),
                )
            ).rowcount
            row = conn.execute(select(bulk_jobs).where(j.id == job_id)).mappings().first()
        if row is None:
            return Claim("missing")
        if claimed == 1:
            return Claim("claimed", _job_of(row, with_content=True), token)
        if row["status"] == JobStatus.RUNNING:
            until = row["lease_until"] or now
            return Claim("busy", retry_after=max(1.0, (until - now).total_seconds()))
        return Claim("finished")

    def row_states(self, job_id: uuid.UUID) -> dict[int, bool | None]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(bulk_job_items.c.row, bulk_job_items.c.ok).where(bulk_job_items.c.job_id == job_id))
            return dict(rows.tuples().all())

    def _check_lease(self, conn: Any, job_id: uuid.UUID, token: str, lease_seconds: float | None) -> None:
        values: dict[str, Any] = {}
        if lease_seconds is not None:
            values["lease_until"] = _now() + timedelta(seconds=lease_seconds)
        held = conn.execute(
            update(bulk_jobs)
            .where(bulk_jobs.c.id == job_id, bulk_jobs.c.lease_token == token)
            .values(**(values or {"lease_token": token}))
        ).rowcount
        if held != 1:
            raise LeaseLost()

    def mark_started(self, job_id: uuid.UUID, token: str, rows: list[int]) -> None:
        if not rows:
            return
        with self.engine.begin() as conn:
            self._check_lease(conn, job_id, token, None)
            conn.execute(insert(bulk_job_items), [{"job_id": job_id, "row": r, "ok": None} for r in rows])

    def record(self, job_id: uuid.UUID, token: str, results: list[ItemResult], lease_seconds: float) -> None:
        j = bulk_jobs.c
        r = bulk_job_items.c
        with self.engine.begin() as conn:
            self._check_lease(conn, job_id, token, lease_seconds)
            numbers = [x.row for x in results]
            # Only an item without a result counts, so a counter never moves twice for one item.
            known = dict(
                conn.execute(select(r.row, r.ok).where(r.job_id == job_id, r.row.in_(numbers))).tuples().all()
            )
            fresh = [x for x in results if x.row not in known or known[x.row] is None]
            if not fresh:
                return
            values = [
                {
                    "job_id": job_id,
                    "row": x.row,
                    "ok": x.ok,
                    "code": x.code,
                    "message": (x.message or "")[:300] or None,
                    "record_id": x.record_id,
                }
                for x in fresh
            ]
            started = [v for v in values if v["row"] in known]
            if started:
                conn.execute(
                    update(bulk_job_items)
                    .where(r.job_id == bindparam("b_job"), r.row == bindparam("b_row"), r.ok.is_(None))
                    .values(ok=bindparam("ok"), code=bindparam("code"), message=bindparam("message"),
                            record_id=bindparam("record_id")),
                    [{**v, "b_job": v["job_id"], "b_row": v["row"]} for v in started],
                )
            unstarted = [v for v in values if v["row"] not in known]
            if unstarted:
                conn.execute(insert(bulk_job_items), unstarted)
            succeeded = sum(1 for x in fresh if x.ok)
            conn.execute(
                update(bulk_jobs)
                .where(j.id == job_id)
                .values(
                    processed=j.processed + len(fresh),
                    succeeded=j.succeeded + succeeded,
                    failed=j.failed + (len(fresh) - succeeded),
                )
            )

    def finish(
        self, job_id: uuid.UUID, token: str | None, status: str, at: datetime, error: str | None = None
    ) -> None:
        j = bulk_jobs.c
        query = update(bulk_jobs).where(j.id == job_id)
        if token is not None:
            query = query.where(j.lease_token == token)
        with self.engine.begin() as conn:
            conn.execute(
                query.values(
                    status=status,
                    finished_at=at,
                    error=(error or "")[:200] or None,
                    content=None,
                    lease_token=None,
                    lease_until=None,
                )
            )

    def release(self, job_id: uuid.UUID, token: str) -> None:
        j = bulk_jobs.c
        with self.engine.begin() as conn:
            conn.execute(
                update(bulk_jobs)
                .where(j.id == job_id, j.lease_token == token, j.status == JobStatus.RUNNING)
                .values(status=JobStatus.QUEUED, lease_token=None, lease_until=self._message_until())
            )

    def keep_output(self, job_id: uuid.UUID, token: str, content_type: str, content: bytes) -> None:
        with self.engine.begin() as conn:
            self._check_lease(conn, job_id, token, self.lease_seconds)
            conn.execute(delete(job_outputs).where(job_outputs.c.job_id == job_id))
            conn.execute(
                insert(job_outputs).values(
                    job_id=job_id, content_type=content_type, size=len(content), data=content, stored_at=_now()
                )
            )

    def output(self, job_id: uuid.UUID) -> tuple[str, bytes] | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(job_outputs.c.content_type, job_outputs.c.data).where(job_outputs.c.job_id == job_id)
            ).first()
        return (str(row[0]), bytes(row[1])) if row else None

    def resumable(self, kind: str) -> list[BulkJob]:
        j = bulk_jobs.c
        cols = [c for c in bulk_jobs.c if c.name != "content"]
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(*cols)
                .where(
                    j.kind == kind,
                    or_(
                        j.status == JobStatus.QUEUED,
                        (j.status == JobStatus.RUNNING) & (j.lease_until < _now()),
                    )
                )
                .order_by(j.created_at)
            ).mappings()
            return [_job_of({**r, "content": None}, with_content=False) for r in rows]
