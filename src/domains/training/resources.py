"""Training resources (课程资源, requirements/training.md §2, §3): three kinds, each course with its
hours in tenths, its video chapters and a summary assignment.

A chapter's length is typed in when the course is published; once an administrator uploads the
chapter's video, the length is the one the video file states (rounded to whole seconds), and the
uploaded video replaces any video address the chapter had.

- centre (网培中心资源): hours may go on a centre e-certificate once the course is complete;
- school (校本资源): made by a school, recognised by that school only;
- ideology (马工程思政课): recorded on the platform, recognised by the school.
"""

from __future__ import annotations

import re
import uuid
from enum import StrEnum
from typing import Any

from eventsourcing.domain import event

from domains.shared.aggregate import DomainAggregate
from domains.shared.errors import InvalidInput
from domains.shared.values import require_text

MAX_CHAPTERS = 200
MAX_CHAPTER_SECONDS = 6 * 3600
MAX_COURSE_TENTHS = 2_000
# Where a chapter's video is served: an https address or a path on this site.
_VIDEO_URL = re.compile(r"^(https://|/(?!/))[^\s\"'<>\\]{1,490}$")


class ResourceKind(StrEnum):
    CENTRE = "centre"  # 网培中心资源
    SCHOOL = "school"  # 校本资源
    IDEOLOGY = "ideology"  # 马工程思政课

    @property
    def label(self) -> str:
        return RESOURCE_LABELS[self]

    @property
    def source_tag(self) -> str:
        """The source label before a title (来源标注)."""
        return SOURCE_TAGS[self]

    @property
    def certificate_eligible(self) -> bool:
        return self is ResourceKind.CENTRE

    @classmethod
    def parse(cls, raw: str | None) -> ResourceKind:
        try:
            return cls((raw or "").strip())
        except ValueError:
            raise InvalidInput(
                "training_course.kind_invalid", "资源类型须为网培中心资源、校本资源或马工程思政课", field="kind"
            ) from None


RESOURCE_LABELS = {
    ResourceKind.CENTRE: "网培中心资源",
    ResourceKind.SCHOOL: "校本资源",
    ResourceKind.IDEOLOGY: "马工程思政课",
}
SOURCE_TAGS = {ResourceKind.CENTRE: "网培", ResourceKind.SCHOOL: "校本", ResourceKind.IDEOLOGY: "思政"}


def check_tenths(value: object, field: str, label: str, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise InvalidInput(
            "training.hours_invalid", f"{label}须为0.1至{maximum // 10}学时之间（以0.1学时计）", field=field
        )
    return value


def parse_chapters(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """[{"title": ..., "duration_seconds": ..., "video_url": ...}] -> chapters with their own ids."""
    if not isinstance(raw, list) or not raw:
        raise InvalidInput("training_course.chapters_required", "至少需要一个视频章节", field="chapters")
    if len(raw) > MAX_CHAPTERS:
        raise InvalidInput("training_course.too_many_chapters", f"视频章节最多{MAX_CHAPTERS}个", field="chapters")
    chapters = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise InvalidInput("training_course.chapter_invalid", f"第{number}章格式不正确", field="chapters")
        title = require_text(item.get("title"), "chapters", f"第{number}章标题", 100)
        seconds = item.get("duration_seconds")
        if isinstance(seconds, bool) or not isinstance(seconds, int) or not 1 <= seconds <= MAX_CHAPTER_SECONDS:
            raise InvalidInput(
                "training_course.chapter_duration_invalid",
                f"第{number}章时长须为1至{MAX_CHAPTER_SECONDS}秒之间的整数",
                field="chapters",
            )
        video_url = (str(item.get("video_url") or "")).strip() or None
        if video_url is not None and not _VIDEO_URL.match(video_url):
            raise InvalidInput(
                "training_course.video_url_invalid", f"第{number}章视频地址须为 https:// 开头的网址或本站路径",
                field="chapters",
            )
        chapters.append({
            "id": str(uuid.uuid4()), "number": number, "title": title, "duration_seconds": seconds,
            "video_url": video_url,
        })
    return chapters


class VideoChange(StrEnum):
    ATTACHED = "attached"  # the chapter's first uploaded video
    REPLACED = "replaced"  # another video instead of the one uploaded before
    UNCHANGED = "unchanged"  # the very video the chapter already plays

    @property
    def label(self) -> str:
        return {"attached": "视频已上传", "replaced": "视频已替换", "unchanged": "该章节已是这个视频，未作更改"}[self.value]


class TrainingCourse(DomainAggregate):
    @event("Published")
    def __init__(
        self,
        kind: str,
        training_school_id: uuid.UUID | None,
        title: str,
        tenths: int,
        chapters: list[dict[str, Any]],
        summary_prompt: str,
    ) -> None:
        self.kind = kind
        self.training_school_id = training_school_id
        self.title = title
        self.tenths = tenths
        self.chapters = chapters
        self.summary_prompt = summary_prompt

    @classmethod
    def publish(
        cls,
        kind: ResourceKind,
        training_school_id: uuid.UUID | None,
        title: str,
        tenths: int,
        chapters: list[dict[str, Any]],
        summary_prompt: str,
    ) -> TrainingCourse:
        if (kind is ResourceKind.SCHOOL) != (training_school_id is not None):
            raise InvalidInput(
                "training_course.owner_mismatch", "校本资源属于某个学校；网培中心资源与马工程思政课由网培中心发布",
                field="kind",
            )
        return cls(
            kind=kind.value,
            training_school_id=training_school_id,
            title=require_text(title, "title", "课程名称", 100),
            tenths=check_tenths(tenths, "tenths", "课程学时", MAX_COURSE_TENTHS),
            chapters=parse_chapters(chapters),
            summary_prompt=require_text(summary_prompt, "summary_prompt", "总结作业要求", 500),
        )

    @property
    def resource_kind(self) -> ResourceKind:
        return ResourceKind(self.kind)

    def chapter(self, chapter_id: str) -> dict[str, Any]:
        for chapter in self.chapters:
            if chapter["id"] == chapter_id:
                return chapter
        raise InvalidInput("training_course.chapter_unknown", "该课程没有这个章节", field="chapter_id")

    def chapter_seconds(self, chapter_id: str) -> int:
        """The chapter's length now (its video may have been uploaded or replaced since)."""
        return int(self.chapter(chapter_id)["duration_seconds"])

    def attach_video(self, chapter_id: str, ref: str, content_type: str, size: int, duration_ms: int) -> VideoChange:
        """An uploaded video becomes the chapter's (上传视频 / 替换视频) and its length the
        chapter's; the same video again changes nothing."""
        chapter = self.chapter(chapter_id)
        seconds = max(1, round(duration_ms / 1000))
        if duration_ms <= 0 or seconds > MAX_CHAPTER_SECONDS:
            raise InvalidInput(
                "training_video.duration_invalid", f"视频时长须在1秒至{MAX_CHAPTER_SECONDS // 3600}小时之间", field="file"
            )
        previous = chapter.get("video")
        video = {"ref": ref, "content_type": content_type, "size": size, "duration_ms": duration_ms}
        if previous is None:
            self._video_attached(chapter_id=chapter_id, video=video, duration_seconds=seconds)
            return VideoChange.ATTACHED
        if previous["ref"] == ref:
            return VideoChange.UNCHANGED
        self._video_replaced(chapter_id=chapter_id, video=video, duration_seconds=seconds, previous_ref=previous["ref"])
        return VideoChange.REPLACED

    @event("ChapterVideoAttached")
    def _video_attached(self, chapter_id: str, video: dict[str, Any], duration_seconds: int) -> None:
        self._set_video(chapter_id, video, duration_seconds)

    @event("ChapterVideoReplaced")
    def _video_replaced(self, chapter_id: str, video: dict[str, Any], duration_seconds: int, previous_ref: str) -> None:
        self._set_video(chapter_id, video, duration_seconds)

    def _set_video(self, chapter_id: str, video: dict[str, Any], duration_seconds: int) -> None:
        # New chapter dicts: the published event's own list is never changed after the fact.
        self.chapters = [
            {**c, "video": dict(video), "video_url": None, "duration_seconds": duration_seconds}
            if c["id"] == chapter_id else c
            for c in self.chapters
        ]
