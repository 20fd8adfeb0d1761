"""What the admin pages of background jobs (imports, exports, batch selections) share: the
progress a job page shows and its JSON endpoint returns while a few lines of JavaScript poll it."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Response

FINISHED = ("done", "failed")


class JobProgress(msgspec.Struct, frozen=True):
    """One poll of a job's progress (the JSON the job page's script reads)."""

    status: str
    status_label: str
    total: int
    processed: int
    succeeded: int
    failed: int
    percent: int
    error: str | None
    finished: bool


def job_progress(job: dict[str, Any]) -> JobProgress:
    total = job["total"] or 0
    processed = job["processed"] or 0
    return JobProgress(
        status=job["status"],
        status_label=job["status_label"],
        total=total,
        processed=processed,
        succeeded=job["succeeded"] or 0,
        failed=job["failed"] or 0,
        percent=int(100 * processed / total) if total else 0,
        error=job.get("error"),
        finished=job["status"] in FINISHED,
    )


def progress(job: dict[str, Any]) -> dict[str, Any]:
    """The progress as the job page's template reads it."""
    return msgspec.structs.asdict(job_progress(job))


def progress_json(job: dict[str, Any]) -> Response[JobProgress]:
    """The job page's poll: never cached, so each one sees the job move."""
    return Response(job_progress(job), headers={"Cache-Control": "no-store"})


def progress_response(job: dict[str, Any]) -> Response[dict[str, Any]]:
    """The same poll as a plain dict (for pages not yet on `progress_json`)."""
    return Response(progress(job), headers={"Cache-Control": "no-store"})
