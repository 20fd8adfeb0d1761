"""Learner photos (电子照片, requirements/learners.md §3).

The spec every photo must meet (学信网的要求):
  - 640 px high × 480 px wide, 24-bit true colour (RGB);
  - a JPEG file, compression quality not below 60, 20 KB to 40 KB;
  - named `<证件号码>.JPG`.

`check_photo` gives a per-file verdict saying exactly what is wrong, from facts the
infrastructure reads out of the bytes (`PhotoFacts`: format, size, dimensions, colour mode and
an estimate of the JPEG quality from its quantization tables). The rule's 300 dpi
(requirements/learners.md §3.1) is not checked: the density a JPEG declares does not change its
pixels and is often absent.

`LearnerPhotos` keeps every photo a learner's teaching point uploaded; the latest one is used.
Deleting the latest leaves the learner without a photo until the next upload (the deleted one
can no longer be used anywhere, and an older one is not brought back by itself).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from eventsourcing.domain import event

from domains.shared.aggregate import DomainAggregate, key_id
from domains.shared.errors import DomainError

WIDTH = 480
HEIGHT = 640
MIN_BYTES = 20 * 1024
MAX_BYTES = 40 * 1024
MIN_QUALITY = 60
EXTENSION = ".jpg"

_ID_STEM = re.compile(r"^\d{17}[\dXx]$")
_COLOUR = {
    "RGB": "24 位真彩色",
    "L": "8 位灰度",
    "1": "1 位黑白",
    "P": "调色板（索引色）",
    "CMYK": "CMYK 四色（32 位）",
    "YCbCr": "24 位真彩色",
    "I;16": "16 位灰度",
    "LA": "带透明通道的灰度",
    "RGBA": "带透明通道的 32 位色",
}


@dataclass(frozen=True)
class PhotoFacts:
    """What the bytes of an upload really are (read by the infrastructure)."""

    size: int  # bytes
    format: str | None  # "JPEG", "PNG", ... as decoded; None when not a readable image
    width: int = 0
    height: int = 0
    mode: str = ""  # Pillow's colour mode: "RGB" for 24-bit colour
    quality: int | None = None  # estimated JPEG quality (1-100), None when not a JPEG


@dataclass(frozen=True)
class PhotoVerdict:
    file_name: str
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def message(self) -> str:
        return "符合电子照片规格" if self.ok else "；".join(self.problems)


def kilobytes(size: int) -> str:
    return f"{size / 1024:.1f} KB"


def id_number_in(file_name: str) -> str | None:
    """The 证件号码 a photo's name carries (`<证件号码>.JPG`), upper-cased, or None."""
    base = file_name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    stem, dot, _ = base.rpartition(".")
    if not dot or not _ID_STEM.match(stem):
        return None
    return stem.upper()


def has_jpg_extension(file_name: str) -> bool:
    return file_name.strip().lower().endswith(EXTENSION)


def check_photo(file_name: str, facts: PhotoFacts, *, name_required: bool = True) -> PhotoVerdict:
    """Every way the photo misses the spec, in Chinese; none when it meets it. With
    `name_required` the name must be `<证件号码>.JPG`; otherwise (a photo uploaded for a chosen
    learner) only the extension is checked."""
    problems: list[str] = []
    name = file_name.strip() or "（未命名）"
    if not has_jpg_extension(name):
        problems.append("文件扩展名须为 .JPG")
    elif name_required and id_number_in(name) is None:
        problems.append("文件名须为“证件号码.JPG”（18 位身份证号码）")
    if facts.size == 0:
        problems.append("文件为空")
        return PhotoVerdict(name, tuple(problems))
    if facts.format is None:
        problems.append("文件已损坏或不是图片，须为 JPEG 格式的照片")
        return PhotoVerdict(name, tuple(problems))
    if facts.format != "JPEG":
        named_jpg = "（虽然扩展名为 .jpg）" if has_jpg_extension(name) else ""
        problems.append(f"文件内容是 {facts.format} 图片而不是 JPEG{named_jpg}，须为 JPEG 格式")
    if not MIN_BYTES <= facts.size <= MAX_BYTES:
        problems.append(f"文件大小为 {kilobytes(facts.size)}，须在 20 KB 至 40 KB 之间")
    if (facts.width, facts.height) != (WIDTH, HEIGHT):
        problems.append(
            f"尺寸为宽 {facts.width} × 高 {facts.height} 像素，须为宽 {WIDTH} × 高 {HEIGHT} 像素"
        )
    if facts.mode not in ("RGB", "YCbCr"):
        problems.append(f"颜色为{_COLOUR.get(facts.mode, facts.mode or '未知')}，须为 24 位真彩色（RGB）")
    if facts.format == "JPEG" and facts.quality is not None and facts.quality < MIN_QUALITY:
        problems.append(f"压缩品质约为 {facts.quality}，须不低于 {MIN_QUALITY}")
    return PhotoVerdict(name, tuple(problems))


class PhotoRefused(DomainError):
    """The photo misses the spec; the message lists every problem."""

    kind = "invalid"

    def __init__(self, verdict: PhotoVerdict) -> None:
        super().__init__(
            "photo.spec",
            f"电子照片“{verdict.file_name[:60]}”不符合规格：{verdict.message}",
            field="file",
            problems=list(verdict.problems),
        )


class LearnerPhotos(DomainAggregate):
    """Every photo uploaded for one learner, newest last; `current` is the one in use."""

    @staticmethod
    def create_id(learner_id: uuid.UUID) -> uuid.UUID:
        return key_id("learner_photos", str(learner_id))

    @classmethod
    def start(cls, learner_id: uuid.UUID) -> LearnerPhotos:
        return cls(learner_id=learner_id)

    @event("Started")
    def __init__(self, learner_id: uuid.UUID) -> None:
        self.learner_id = learner_id
        self.photos: list[dict[str, Any]] = []
        self.current: int | None = None  # number of the photo in use

    def upload(self, verdict: PhotoVerdict, facts: PhotoFacts, ref: str, at: datetime) -> None:
        if not verdict.ok:
            raise PhotoRefused(verdict)
        self._uploaded(
            learner_id=self.learner_id,
            number=len(self.photos) + 1,
            ref=ref,
            file_name=verdict.file_name[:100],
            size=facts.size,
            width=facts.width,
            height=facts.height,
            quality=facts.quality,
            uploaded_at=at.isoformat(),
        )

    @event("Uploaded")
    def _uploaded(
        self,
        learner_id: uuid.UUID,
        number: int,
        ref: str,
        file_name: str,
        size: int,
        width: int,
        height: int,
        quality: int | None,
        uploaded_at: str,
    ) -> None:
        self.photos.append({"number": number, "ref": ref, "deleted": False})
        self.current = number

    @property
    def current_ref(self) -> str | None:
        if self.current is None:
            return None
        return str(self.photos[self.current - 1]["ref"])

    def delete_latest(self, at: datetime) -> None:
        if self.current is None:
            raise DomainError("photo.none", "该学生当前没有电子照片，无需删除")
        self._latest_deleted(learner_id=self.learner_id, number=self.current, deleted_at=at.isoformat())

    @event("LatestDeleted")
    def _latest_deleted(self, learner_id: uuid.UUID, number: int, deleted_at: str) -> None:
        self.photos[number - 1]["deleted"] = True
        self.current = None
