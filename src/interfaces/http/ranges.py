"""Serving a stored video with HTTP range requests (RFC 9110 §14), so that a player can seek:
`Range: bytes=a-b` (or `a-`, or `-n`, the last n bytes) answers 206 with `Content-Range`; no
range, or several at once, answers 200 with the whole file; a range past the end answers 416."""

from __future__ import annotations

import re

from litestar import Response
from litestar.response import Stream

from application.training.videos import VideoFacts, VideoStore
from interfaces.http.errors import problem

_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


class Unsatisfiable(Exception):
    pass


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The one range asked for, as inclusive (start, end) clipped to the file; None for the
    whole file (no header, a form we do not serve, or several ranges)."""
    if not header or "," in header:
        return None
    match = _RANGE.match(header)
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last n bytes
        length = int(last)
        if length == 0:
            raise Unsatisfiable
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        raise Unsatisfiable
    return start, end


def video_response(videos: VideoStore, facts: VideoFacts, range_header: str | None) -> Response[bytes] | Stream:
    """The video as the player asked for it, read chunk by chunk from the store."""
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": f'"{facts.ref}"',
        "Cache-Control": "private, no-cache",
        "X-Content-Type-Options": "nosniff",
    }
    try:
        wanted = byte_range(range_header, facts.size)
    except Unsatisfiable:
        refused = problem(416, "video.range_not_satisfiable", "请求的范围超出了视频文件的大小")
        refused.headers.update({**headers, "Content-Range": f"bytes */{facts.size}"})
        return refused  # type: ignore[return-value]
    start, end = wanted if wanted is not None else (0, facts.size - 1)
    headers["Content-Length"] = str(end - start + 1)
    if wanted is not None:
        headers["Content-Range"] = f"bytes {start}-{end}/{facts.size}"
    return Stream(
        videos.read(facts.ref, start, end), status_code=206 if wanted is not None else 200,
        media_type=facts.content_type, headers=headers,
    )
