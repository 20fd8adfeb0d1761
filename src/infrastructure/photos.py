"""Reading a photo's facts from its bytes (never from its name): the decoded format, size,
dimensions and colour mode, and the JPEG compression quality estimated from the file's
luminance quantization table (how the IJG/libjpeg quality scale builds it from the standard
table of the JPEG specification, Annex K)."""

from __future__ import annotations

import io

from domains.learners.photo import PhotoFacts

# JPEG Annex K table K.1 (luminance); the sum is independent of the table's order.
_STANDARD_LUMINANCE = (
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
)  # fmt: skip


def _scaled_sum(quality: int) -> int:
    scale = 5000 // quality if quality < 50 else 200 - 2 * quality
    return sum(min(max((q * scale + 50) // 100, 1), 255) for q in _STANDARD_LUMINANCE)


_SUMS = {quality: _scaled_sum(quality) for quality in range(1, 101)}


def estimate_quality(luminance: list[int] | tuple[int, ...]) -> int:
    """The quality (1-100) whose scaled standard table is closest to this one."""
    total = sum(luminance)
    return min(_SUMS, key=lambda quality: (abs(_SUMS[quality] - total), -quality))


def inspect_photo(content: bytes) -> PhotoFacts:
    """The facts of an upload; format None when the bytes are no image Pillow can decode."""
    if not content:
        return PhotoFacts(size=0, format=None)
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()  # decodes every pixel: a truncated or corrupt file fails here
            quality = None
            tables = getattr(image, "quantization", None) if image.format == "JPEG" else None
            if tables:
                quality = estimate_quality(list(tables[min(tables)]))
            return PhotoFacts(
                size=len(content),
                format=image.format,
                width=image.width,
                height=image.height,
                mode=image.mode,
                quality=quality,
            )
    except Exception:  # any decoder failure means a corrupt or disguised file
        return PhotoFacts(size=len(content), format=None)
