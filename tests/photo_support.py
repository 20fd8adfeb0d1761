"""Generated photos for the 电子照片 tests: exact sizes, qualities and byte counts (padded with
a JPEG comment segment), and ZIP archives of them."""

from __future__ import annotations

import io
import zipfile
from functools import cache

from PIL import Image


@cache
def _picture(width: int, height: int, mode: str) -> Image.Image:
    image = Image.new("RGB", (width, height))
    pixels = image.load()
    for y in range(height):
        for x in range(width):
            pixels[x, y] = (x * 255 // width, y * 255 // height, (x + y) % 256)
    return image.convert(mode) if mode != "RGB" else image


def jpeg(
    size_kb: float | None = 30, *, width: int = 480, height: int = 640, quality: int = 75, mode: str = "RGB"
) -> bytes:
    """A JPEG of these pixels and quality, padded to `size_kb` (None: as encoded)."""
    buffer = io.BytesIO()
    _picture(width, height, mode).save(buffer, format="JPEG", quality=quality)
    data = buffer.getvalue()
    if size_kb is None:
        return data
    missing = int(size_kb * 1024) - len(data)
    assert missing >= 0, f"encoded already {len(data)} bytes"
    segments = b""
    while missing > 0:
        body = max(min(missing, 65535) - 4, 0)  # a comment segment: marker, length, body
        segments += b"\xff\xfe" + (body + 2).to_bytes(2, "big") + b"p" * body
        missing -= body + 4
    return data[:2] + segments + data[2:]


def png(width: int = 480, height: int = 640) -> bytes:
    buffer = io.BytesIO()
    _picture(width, height, "RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()
