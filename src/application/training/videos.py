"""Chapter videos of training courses (上传视频): an administrator uploads a chapter's video; the
file is checked by its content, its duration read from the file, kept in the video store, and
the course records which video each chapter plays (ChapterVideoAttached / ChapterVideoReplaced).

Who may: the centre for centre and ideology courses, a school's administrator for the school's
own courses (another school's course is not there for them).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from application.common.actor import Actor
from application.common.loading import load
from application.common.ports import EventStore
from application.common.recording import recording
from application.training.schools import CENTRE, SCHOOL_ADMIN
from domains.shared.errors import Forbidden, NotFound
from domains.shared.values import Role
from domains.training.resources import ResourceKind, TrainingCourse, VideoChange


@dataclass(frozen=True)
class VideoFacts:
    """A checked video: its content digest (`ref`), type, size in bytes and stated duration."""

    ref: str
    content_type: str
    size: int
    duration_ms: int


class VideoStore(Protocol):
    """Uploaded videos, kept by content digest and read back in byte ranges."""

    def inspect(self, content: bytes) -> VideoFacts:
        """The facts of `content`, or InvalidInput (field `file`) with a message for people:
        empty, too large, not WebM or MP4 by its bytes, or no readable duration."""
        ...

    def keep(self, content: bytes, facts: VideoFacts) -> None: ...

    def facts(self, ref: str) -> VideoFacts | None: ...

    def read(self, ref: str, start: int, end: int) -> Iterator[bytes]:
        """Bytes `start` to `end` inclusive, in pieces."""
        ...


@dataclass(frozen=True)
class AttachedVideo:
    course_id: uuid.UUID
    chapter_id: str
    facts: VideoFacts
    duration_seconds: int  # the chapter's length now
    change: VideoChange


def uploader_role(actor: Actor, kind: ResourceKind, training_school_id: uuid.UUID | None) -> Role | None:
    """The role in which the actor may upload a course's chapter videos (None: may not): whoever
    publishes a kind of course keeps its videos."""
    if kind is ResourceKind.SCHOOL:
        mine = training_school_id is not None and training_school_id == actor.training_school_id
        return SCHOOL_ADMIN if actor.has(SCHOOL_ADMIN) and mine else None
    return CENTRE if actor.has(CENTRE) else None


class ChapterVideos:
    def __init__(self, store: EventStore, videos: VideoStore) -> None:
        self.store = store
        self.videos = videos

    def _editable(self, actor: Actor, course_id: uuid.UUID) -> tuple[TrainingCourse, Role]:
        actor.require(CENTRE, SCHOOL_ADMIN)
        course = load(self.store, course_id, TrainingCourse, "课程")
        if course.resource_kind is ResourceKind.SCHOOL and not actor.has(CENTRE) and \
                course.training_school_id != actor.training_school_id:
            raise NotFound("not_found", "课程不存在")  # another school's own course
        role = uploader_role(actor, course.resource_kind, course.training_school_id)
        if role is None:
            if course.resource_kind is ResourceKind.SCHOOL:
                raise Forbidden("training_video.school_course", "校本资源的视频由本校管理员上传")
            raise Forbidden("training_video.centre_course", "网培中心资源与马工程思政课的视频由网培中心上传")
        return course, role

    def attach(self, actor: Actor, course_id: uuid.UUID, chapter_id: str, content: bytes) -> AttachedVideo:
        """上传视频 / 替换视频 for one chapter: the video plays from now on, its length is the chapter's."""
        course, role = self._editable(actor, course_id)
        course.chapter(chapter_id)  # an unknown chapter is refused before the file is looked at
        facts = self.videos.inspect(content)
        with recording(actor, role):
            change = course.attach_video(chapter_id, facts.ref, facts.content_type, facts.size, facts.duration_ms)
        if change is not VideoChange.UNCHANGED:
            self.videos.keep(content, facts)  # before the event that names it, so it is never missing
            self.store.save(course)
        return AttachedVideo(course_id, chapter_id, facts, course.chapter_seconds(chapter_id), change)
