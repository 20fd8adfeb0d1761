"""Readiness probes and Prometheus metrics (ADR 0019).

Request metrics are kept per process by prometheus-client. With several processes behind one
port (`serve --workers N`) the CLI sets ``PROMETHEUS_MULTIPROC_DIR`` before the processes start,
and a scrape sums every process's files. The state of the platform (projection lag per read
model, jobs by kind and status) is read from the database at each scrape, so any process
answers it the same.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import structlog
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import func, select, text

from application.common.jobs import JobStatus
from infrastructure.jobs import Jobs, bulk_jobs
from infrastructure.projections import ProjectionRunner

log = structlog.get_logger(__name__)

REQUESTS = CollectorRegistry(auto_describe=True)
# Labels are the route template ("/api/v1/learners/{learner_id}"), never a raw path: no
# ids or personal data reach the metrics, and the label sets stay few.
REQUEST_COUNT = Counter(
    "eduledger_http_requests_total", "HTTP requests answered", ["method", "route", "status"], registry=REQUESTS
)
REQUEST_SECONDS = Histogram(
    "eduledger_http_request_duration_seconds", "Time to answer an HTTP request", ["method", "route"],
    registry=REQUESTS, buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUEST_COUNT.labels(method, route, str(status)).inc()
    REQUEST_SECONDS.labels(method, route).observe(seconds)


def projection_lag(runner: ProjectionRunner) -> dict[str, int]:
    """Events of the log not yet applied, per read model (log head minus its position)."""
    head = runner.app.recorder.max_notification_id() or 0
    return {name: max(0, head - position) for name, position in runner.positions().items()}


def job_counts(jobs_engine: Any) -> dict[tuple[str, str], int]:
    j = bulk_jobs.c
    with jobs_engine.connect() as conn:
        rows = conn.execute(select(j.kind, j.status, func.count()).group_by(j.kind, j.status)).all()
    return {(kind, status): n for kind, status, n in rows}


class PlatformCollector(Collector):
    """Gauges read from the database at scrape time."""

    def __init__(self, runner: ProjectionRunner) -> None:
        self.runner = runner

    def collect(self) -> Iterator[GaugeMetricFamily]:
        lag = GaugeMetricFamily(
            "eduledger_projection_lag_events", "Events of the log a read model has not applied yet", labels=["read_model"]
        )
        for name, behind in sorted(projection_lag(self.runner).items()):
            lag.add_metric([name], behind)
        yield lag
        counts = job_counts(self.runner.engine)
        jobs = GaugeMetricFamily("eduledger_jobs", "Background jobs by kind and status", labels=["kind", "status"])
        depth = GaugeMetricFamily("eduledger_job_queue_depth", "Jobs waiting to run, by kind", labels=["kind"])
        failed = GaugeMetricFamily("eduledger_jobs_failed", "Jobs that ended failed, by kind", labels=["kind"])
        for kind in sorted({k for k, _ in counts}):
            for status in (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DONE, JobStatus.FAILED):
                jobs.add_metric([kind, status], counts.get((kind, status), 0))
            depth.add_metric([kind], counts.get((kind, JobStatus.QUEUED), 0))
            failed.add_metric([kind], counts.get((kind, JobStatus.FAILED), 0))
        yield from (jobs, depth, failed)


def multiprocess_metrics_dir(var_dir: Path) -> Path:
    """Before starting several web processes on one port: an empty directory for their
    metric files, named in PROMETHEUS_MULTIPROC_DIR (inherited by the processes)."""
    path = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or var_dir / "metrics")
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    return path


def render_metrics(runner: ProjectionRunner) -> bytes:
    """The Prometheus text exposition: request metrics (of every process when multiprocess)
    and the platform's state."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        requests = CollectorRegistry()
        MultiProcessCollector(requests)
    else:
        requests = REQUESTS
    state = CollectorRegistry(auto_describe=False)
    state.register(PlatformCollector(runner))
    return generate_latest(requests) + generate_latest(state)


# -- readiness ------------------------------------------------------------------------------------


def _check_database(runner: ProjectionRunner) -> str | None:
    try:
        with runner.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        log.warning("ready.database_unreachable", exc_info=True)
        return "数据库不可达"
    return None


def _check_broker(jobs: Jobs) -> str | None:
    if jobs.in_process:
        return None
    broker: Any = jobs.broker
    try:
        if hasattr(broker, "client"):  # Redis
            broker.client.ping()
        else:  # RabbitMQ: opening the connection is the probe
            _ = broker.connection
    except Exception:
        log.warning("ready.broker_unreachable", exc_info=True)
        return "消息队列不可达"
    return None


def readiness(runner: ProjectionRunner, jobs: Jobs, worker_projections: bool, max_lag: int) -> dict[str, Any]:
    """{"ready": bool, "checks": {name: "ok" | reason}}. Projection lag counts only when a
    separate worker applies the projections; inline, every save brings them up to date."""
    checks: dict[str, str] = {"database": _check_database(runner) or "ok"}
    checks["broker"] = _check_broker(jobs) or ("ok" if not jobs.in_process else "in-process")
    if checks["database"] == "ok" and worker_projections:
        behind = {name: n for name, n in projection_lag(runner).items() if n > max_lag}
        checks["projections"] = (
            "ok" if not behind else "读模型落后：" + ", ".join(f"{k} {v}" for k, v in sorted(behind.items()))
        )
    ready = all(v in ("ok", "in-process") for v in checks.values())
    return {"ready": ready, "checks": checks}
