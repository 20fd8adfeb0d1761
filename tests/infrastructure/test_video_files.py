"""Uploaded course videos are recognised by their bytes and their duration is read from the
container (WebM: Segment > Info; MP4: moov > mvhd); anything else is refused beside the file
field. Byte ranges are read back chunk by chunk."""

from __future__ import annotations

import struct
from importlib import resources

import pytest

from domains.shared.errors import InvalidInput
from infrastructure.videos import CHUNK_BYTES, DatabaseVideoStore, inspect_video
from interfaces.http.ranges import Unsatisfiable, byte_range

DEMO = (resources.files("interfaces.demo_media") / "chapter.webm").read_bytes()
LIMIT = 10 * 1024 * 1024


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4(duration: int, timescale: int, moov_last: bool = True, version: int = 0) -> bytes:
    """A minimal ISO file: ftyp, mdat and moov > mvhd (the moov after the media, as cameras write it)."""
    if version == 1:
        mvhd = bytes([1, 0, 0, 0]) + struct.pack(">QQIQ", 0, 0, timescale, duration) + bytes(80)
    else:
        mvhd = bytes(4) + struct.pack(">IIII", 0, 0, timescale, duration) + bytes(80)
    parts = [box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41"), box(b"mdat", bytes(64))]
    moov = box(b"moov", box(b"mvhd", mvhd))
    return b"".join([*parts, moov] if moov_last else [parts[0], moov, parts[1]])


def refusal(content: bytes, limit: int = LIMIT) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        inspect_video(content, limit)
    assert info.value.details["field"] == "file"
    return info.value


def test_the_demo_webm_is_recognised_with_the_duration_its_header_states():
    facts = inspect_video(DEMO, LIMIT)
    assert (facts.content_type, facts.duration_ms, facts.size) == ("video/webm", 5000, len(DEMO))
    assert len(facts.ref) == 64


def test_an_mp4_duration_is_read_from_mvhd_wherever_the_moov_box_sits():
    assert inspect_video(mp4(90_000 * 12, 90_000), LIMIT).duration_ms == 12_000
    assert inspect_video(mp4(61_500, 1000, moov_last=False), LIMIT).duration_ms == 61_500
    assert inspect_video(mp4(3 * 48_000, 48_000, version=1), LIMIT).content_type == "video/mp4"


def test_other_files_are_refused_by_their_content_whatever_they_are_called():
    png = b"\x89PNG\r\n\x1a\n" + bytes(100)
    assert refusal(png).code == "training_video.type" and "WebM 或 MP4" in refusal(png).message
    matroska = DEMO.replace(b"webm", b"mkvx", 1)  # a Matroska file that is not WebM
    assert refusal(matroska).code == "training_video.type"
    assert refusal(b"").code == "training_video.empty"


def test_a_container_without_a_stated_duration_is_refused():
    assert refusal(DEMO[:60]).code == "training_video.duration_unreadable"  # the header cut off
    assert refusal(mp4(0, 1000)).code == "training_video.duration_unreadable"
    without_moov = box(b"ftyp", b"isom\x00\x00\x02\x00isom") + box(b"mdat", bytes(16))
    assert refusal(without_moov).code == "training_video.duration_unreadable"


def test_a_file_over_the_limit_is_refused_with_the_limit_in_megabytes():
    error = refusal(DEMO + bytes(2 * 1024 * 1024), limit=2 * 1024 * 1024)
    assert error.code == "training_video.too_large" and "不能超过 2 MB" in error.message


def test_byte_ranges_are_read_back_across_chunks(container):
    store = DatabaseVideoStore(container.engine, 8 * CHUNK_BYTES)
    content = mp4(5000, 1000) + bytes(range(256)) * (CHUNK_BYTES // 128)  # a little over two chunks
    facts = store.inspect(content)
    store.keep(content, facts)
    store.keep(content, facts)  # the same content is kept once
    assert store.facts(facts.ref) == facts
    for start, end in [(0, 99), (CHUNK_BYTES - 10, CHUNK_BYTES + 10), (0, len(content) - 1), (len(content) - 1,) * 2]:
        assert b"".join(store.read(facts.ref, start, end)) == content[start : end + 1]


@pytest.mark.parametrize(("header", "expected"), [
    ("bytes=0-99", (0, 99)), ("bytes=100-", (100, 999)), ("bytes=-100", (900, 999)), ("bytes=950-5000", (950, 999)),
    ("bytes=-5000", (0, 999)), (None, None), ("bytes=0-1,5-6", None), ("items=0-1", None),
])
def test_a_range_header_names_one_inclusive_range_clipped_to_the_file(header, expected):
    assert byte_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5-4", "bytes=-0"])
def test_a_range_past_the_end_is_unsatisfiable(header):
    with pytest.raises(Unsatisfiable):
        byte_range(header, 1000)
