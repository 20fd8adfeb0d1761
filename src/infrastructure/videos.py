"""Course videos in the platform database, kept in chunks so that a range request (the player
seeking) reads only the chunks it needs, and addressed by SHA-256 of their content.

The type is decided from the bytes (a WebM's EBML header with its DocType, an MP4's `ftyp`
box), never from the name or the declared type; the duration is read from the container itself
(WebM: Segment > Info > Duration × TimecodeScale; MP4: moov > mvhd), so nobody types it in.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Integer,
    LargeBinary,
    String,
    Table,
    insert,
    select,
)

from application.common.instant import Instant
from application.training.videos import VideoFacts
from domains.shared.errors import InvalidInput
from infrastructure.database import platform_tables

CHUNK_BYTES = 1024 * 1024

stored_videos = Table(
    "stored_videos",
    platform_tables,
    Column("ref", String(64), primary_key=True),
    Column("content_type", String(40), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("duration_ms", Integer, nullable=False),
    Column("stored_at", Instant(), nullable=False),
)

stored_video_chunks = Table(
    "stored_video_chunks",
    platform_tables,
    Column("ref", String(64), primary_key=True),
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("data", LargeBinary, nullable=False),
)

WEBM, MP4 = "video/webm", "video/mp4"
FORMATS = "WebM 或 MP4"

# -- WebM (Matroska's EBML) -----------------------------------------------------------------------

EBML_MAGIC = b"\x1a\x45\xdf\xa3"
_DOCTYPE, _SEGMENT, _INFO = 0x4282, 0x18538067, 0x1549A966
_TIMECODE_SCALE, _DURATION = 0x2AD7B1, 0x4489
_UNKNOWN = -1


def _vint(data: bytes, pos: int, keep_marker: bool) -> tuple[int, int]:
    """An EBML variable-length integer at `pos`: (value, position after it). Element ids keep
    their length marker; sizes drop it, and an all-ones size means 'unknown' (a live stream)."""
    if pos >= len(data):
        raise ValueError("truncated")
    first = data[pos]
    length = next((n for n in range(8) if first & (0x80 >> n)), None)
    if length is None:
        raise ValueError("bad vint")
    length += 1
    if pos + length > len(data):
        raise ValueError("truncated")
    value = first if keep_marker else first & (0xFF >> length)
    for b in data[pos + 1 : pos + length]:
        value = (value << 8) | b
    if not keep_marker and value == (1 << (7 * length)) - 1:
        value = _UNKNOWN
    return value, pos + length


def _elements(data: bytes, start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """(id, payload start, payload end) of the EBML elements between `start` and `end`."""
    pos = start
    while pos < end:
        element, pos = _vint(data, pos, keep_marker=True)
        size, pos = _vint(data, pos, keep_marker=False)
        stop = end if size == _UNKNOWN else min(pos + size, end)
        yield element, pos, stop
        pos = stop


def _webm_doctype(data: bytes) -> str | None:
    try:
        _, start = _vint(data, 0, keep_marker=True)
        size, start = _vint(data, start, keep_marker=False)
        for element, a, b in _elements(data, start, start + size):
            if element == _DOCTYPE:
                return data[a:b].decode("ascii", "replace").rstrip("\x00")
    except ValueError:
        return None
    return None


def _webm_duration_ms(data: bytes) -> int | None:
    try:
        _, start = _vint(data, 0, keep_marker=True)
        size, start = _vint(data, start, keep_marker=False)
        for element, a, b in _elements(data, start + size, len(data)):
            if element != _SEGMENT:
                continue
            for child, c, d in _elements(data, a, b):
                if child != _INFO:
                    continue
                scale, duration = 1_000_000, None  # TimecodeScale defaults to 1 ms in nanoseconds
                for field, e, f in _elements(data, c, d):
                    if field == _TIMECODE_SCALE:
                        scale = int.from_bytes(data[e:f], "big")
                    elif field == _DURATION and f - e in (4, 8):
                        duration = struct.unpack(">f" if f - e == 4 else ">d", data[e:f])[0]
                if duration is None or scale <= 0:
                    return None
                return round(duration * scale / 1_000_000)
            return None
    except ValueError:
        return None
    return None


# -- MP4 (ISO base media file format) ---------------------------------------------------------------


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of the ISO boxes between `start` and `end`."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            if pos + 16 > end:
                return
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            return
        yield kind, pos + header, pos + size
        pos += size


def _is_mp4(data: bytes) -> bool:
    return len(data) >= 12 and data[4:8] == b"ftyp"


def _mp4_duration_ms(data: bytes) -> int | None:
    for kind, a, b in _boxes(data, 0, len(data)):
        if kind != b"moov":
            continue
        for child, c, d in _boxes(data, a, b):
            if child != b"mvhd" or d - c < 20:
                continue
            version = data[c]
            if version == 1 and d - c >= 32:
                timescale, duration = struct.unpack(">IQ", data[c + 20 : c + 32])
            else:
                timescale, duration = struct.unpack(">II", data[c + 12 : c + 20])
            if timescale == 0 or duration in (0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF):
                return None
            return round(duration * 1000 / timescale)
    return None


def sniff_video(content: bytes) -> str | None:
    """The video type the bytes really are (WebM or MP4), or None."""
    if content.startswith(EBML_MAGIC):
        return WEBM if _webm_doctype(content) == "webm" else None
    if _is_mp4(content):
        return MP4
    return None


def duration_ms(content: bytes, kind: str) -> int | None:
    """The duration the container states, in milliseconds (None: not stated or unreadable)."""
    return _webm_duration_ms(content) if kind == WEBM else _mp4_duration_ms(content)


def inspect_video(content: bytes, max_bytes: int) -> VideoFacts:
    """What an uploaded video is, checked: not empty, within `max_bytes`, WebM or MP4 by its
    content, with a duration its container states. Refusals name the `file` field."""
    if not content:
        raise InvalidInput("training_video.empty", "视频文件为空", field="file")
    if len(content) > max_bytes:
        raise InvalidInput(
            "training_video.too_large", f"视频文件不能超过 {max_bytes // (1024 * 1024)} MB", field="file"
        )
    kind = sniff_video(content)
    if kind is None:
        raise InvalidInput(
            "training_video.type", f"视频须为 {FORMATS} 文件（按文件内容识别，文件已损坏或类型不符）", field="file"
        )
    ms = duration_ms(content, kind)
    if not ms or ms <= 0:
        raise InvalidInput(
            "training_video.duration_unreadable", "无法从视频文件读取时长，请导出为完整的 WebM 或 MP4 文件后重新上传",
            field="file",
        )
    return VideoFacts(ref=hashlib.sha256(content).hexdigest(), content_type=kind, size=len(content), duration_ms=ms)


class DatabaseVideoStore:
    """The `VideoStore` port over the platform database (several web processes see one store)."""

    def __init__(self, engine: Engine, max_bytes: int) -> None:
        self.engine = engine
        self.max_bytes = max_bytes

    def inspect(self, content: bytes) -> VideoFacts:
        return inspect_video(content, self.max_bytes)

    def keep(self, content: bytes, facts: VideoFacts) -> None:
        with self.engine.begin() as conn:
            if conn.execute(select(stored_videos.c.ref).where(stored_videos.c.ref == facts.ref)).first() is not None:
                return  # the same content is kept once
            for number, offset in enumerate(range(0, len(content), CHUNK_BYTES)):
                conn.execute(insert(stored_video_chunks).values(
                    ref=facts.ref, number=number, data=content[offset : offset + CHUNK_BYTES]
                ))
            conn.execute(insert(stored_videos).values(
                ref=facts.ref, content_type=facts.content_type, size=facts.size, duration_ms=facts.duration_ms,
                stored_at=datetime.now(UTC),
            ))

    def facts(self, ref: str) -> VideoFacts | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(stored_videos).where(stored_videos.c.ref == ref)).mappings().first()
        if row is None:
            return None
        return VideoFacts(ref=row["ref"], content_type=row["content_type"], size=row["size"],
                          duration_ms=row["duration_ms"])

    def read(self, ref: str, start: int, end: int) -> Iterator[bytes]:
        """Bytes `start`..`end` (inclusive) of the video, chunk by chunk, each read on demand."""
        first, last = start // CHUNK_BYTES, end // CHUNK_BYTES
        for number in range(first, last + 1):
            with self.engine.connect() as conn:
                data = conn.execute(select(stored_video_chunks.c.data).where(
                    stored_video_chunks.c.ref == ref, stored_video_chunks.c.number == number
                )).scalar_one()
            base = number * CHUNK_BYTES
            yield bytes(data)[max(start - base, 0) : end - base + 1]
