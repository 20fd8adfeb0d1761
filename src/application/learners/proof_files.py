"""Proof files (证明材料) of learner requests — status changes (学籍异动) and record changes
(学籍信息变更): PNG, JPG or PDF, at most 5 MB each, several allowed, the type decided by the
bytes (never by the name). Each file is stored through the `FileStore` port before the request
is saved; the request keeps only the references."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from application.common.ports import FileStore
from domains.learners.status_change import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    MAX_ATTACHMENTS,
    attachment,
)
from domains.shared.errors import InvalidInput


@dataclass(frozen=True)
class Upload:
    """A proof file as sent: its name (shown only) and its bytes (which decide its type)."""

    file_name: str | None
    content: bytes


def store_proof_files(files: FileStore, uploads: Sequence[Upload]) -> list[dict[str, Any]]:
    """Check each upload by content and size, store it, and return the references to keep."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise InvalidInput(
            "status_change.too_many_attachments", f"证明材料最多{MAX_ATTACHMENTS}个", field="attachments"
        )
    stored = []
    for upload in uploads:
        name = (upload.file_name or "").strip() or "证明材料"
        ref, content_type = files.put(upload.content, ATTACHMENT_TYPES, ATTACHMENT_MAX_BYTES, f"证明材料“{name[:60]}”")
        stored.append(attachment(ref, content_type, name, len(upload.content)))
    return stored
