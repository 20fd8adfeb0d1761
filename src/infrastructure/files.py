"""Uploaded files in the platform database, addressed by SHA-256 of their content.

Kept in the database (not on a local disk) so that several stateless API processes see the
same files. The type is decided from the bytes themselves: a file's name or declared type is
never trusted, and images must also decode.
"""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime

from sqlalchemy import Column, Engine, Integer, LargeBinary, String, Table, insert, select

from application.common.instant import Instant
from domains.shared.errors import InvalidInput
from infrastructure.database import platform_tables

stored_files = Table(
    "stored_files",
    platform_tables,
    Column("ref", String(64), primary_key=True),
    Column("content_type", String(40), nullable=False),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("stored_at", Instant(), nullable=False),
)

TYPE_LABELS = {"image/png": "PNG", "image/jpeg": "JPG", "application/pdf": "PDF"}


def sniff(content: bytes) -> str | None:
    """The content type the bytes really are, or None if not one we accept anywhere."""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "image/png"
    elif content.startswith(b"\xff\xd8\xff"):
        kind = "image/jpeg"
    elif content.startswith(b"%PDF-"):
        return "application/pdf" if b"%%EOF" in content[-1024:] else None
    else:
        return None
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
    except Exception:  # any decoder failure means a corrupt or disguised file
        return None
    return kind


class DatabaseFileStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def put(self, content: bytes, allowed: frozenset[str], max_bytes: int, label: str) -> tuple[str, str]:
        names = "、".join(TYPE_LABELS.get(t, t) for t in sorted(allowed))
        if not content:
            raise InvalidInput("upload.empty", f"{label}文件为空", field="file")
        if len(content) > max_bytes:
            raise InvalidInput(
                "upload.too_large", f"{label}文件不能超过 {max_bytes // (1024 * 1024)} MB", field="file"
            )
        kind = sniff(content)
        if kind not in allowed:
            raise InvalidInput("upload.type", f"{label}须为 {names} 文件（按文件内容识别，文件已损坏或类型不符）", field="file")
        ref = hashlib.sha256(content).hexdigest()
        with self.engine.begin() as conn:
            if conn.execute(select(stored_files.c.ref).where(stored_files.c.ref == ref)).first() is None:
                conn.execute(
                    insert(stored_files).values(
                        ref=ref, content_type=kind, size=len(content), data=content, stored_at=datetime.now(UTC)
                    )
                )
        return ref, kind

    def get(self, ref: str) -> tuple[str, bytes] | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(stored_files.c.content_type, stored_files.c.data).where(stored_files.c.ref == ref)
            ).first()
        return (row[0], bytes(row[1])) if row else None
