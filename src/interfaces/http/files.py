"""Serving a stored upload (proof files, avatars) to the one who may see it: never cached by
shared caches, never content-sniffed by the browser."""

from __future__ import annotations

from litestar import Response

from domains.shared.errors import NotFound
from infrastructure.container import Container

PRIVATE_FILE_HEADERS = {"Cache-Control": "private, no-cache", "X-Content-Type-Options": "nosniff"}


def stored_file_response(container: Container, ref: str, missing: str = "证明材料不存在") -> Response[bytes]:
    """The file behind `ref` as it was uploaded; 404 with `missing` when it is gone."""
    stored = container.files.get(ref)
    if stored is None:
        raise NotFound("not_found", missing)
    return Response(stored[1], media_type=stored[0], headers=PRIVATE_FILE_HEADERS)
