"""What the admin pages of background jobs (imports, batch selections) share: the progress a job
page shows and its JSON endpoint returns while a few lines of JavaScript poll it."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Response

FINISHED = ("done", "failed")


class JobProgress(msgspec.Struct, frozen=True):
    """A job's progress as its page shows it and its progress endpoint returns it."""

    status: str
    status_label: str
    total: int
    processed: int
    succeeded: int
    failed: int
    percent: int
    error: str | None
    finished: bool


def progress(job: dict[str, Any]) -> JobProgress:
    total = job["total"] or 0
    return JobProgress(
        status=job["status"],
        status_label=job["status_label"],
        total=total,
        processed=job["processed"] or 0,
        succeeded=job["succeeded"] or 0,
        failed=job["failed"] or 0,
        percent=int(100 * (job["processed"] or 0) / total) if total else 0,
        error=job.get("error"),
        finished=job["status"] in FINISHED,
    )


def progress_response(job: dict[str, Any]) -> Response[JobProgress]:
    return Response(progress(job), headers={"Cache-Control": "no-store"})
