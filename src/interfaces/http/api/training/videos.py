"""Training chapter videos over the API: an administrator uploads (or replaces) a chapter's video
as multipart field `file`, checked by its content (WebM or MP4), its duration read from the file;
anyone who may see the course plays it with range requests (206 with `Content-Range`)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from litestar import Controller, Request, Response, get, put
from litestar.response import Stream
from sqlalchemy import Connection

from application.common.actor import Actor
from application.training.learning_queries import chapter_video, chapter_video_path
from domains.shared.errors import NotFound
from infrastructure.container import Container
from interfaces.http.api.common import Out, one_file, upload_body
from interfaces.http.api.training.schemas import ChapterVideoOut
from interfaces.http.ranges import video_response

VideoUpload = upload_body("章节视频：WebM 或 MP4 文件（按文件内容识别，时长从文件读取）")
# The request limit of the upload; the configured video limit (smaller) answers 422 `training_video.too_large`.
VIDEO_BODY_LIMIT = 1024 * 1024 * 1024


class ChapterVideoChangeOut(Out):
    course_id: uuid.UUID
    chapter_id: str
    change: Literal["attached", "replaced", "unchanged"]  # unchanged: the chapter already plays this video
    duration_seconds: int  # the chapter's length now, from the video
    video: ChapterVideoOut
    video_url: str  # where the video plays (with range requests)


class TrainingVideoController(Controller):
    path = "/training/courses/{course_id:uuid}/chapters/{chapter_id:str}/video"
    tags = ["training"]

    @put("/", sync_to_thread=True, status_code=200, request_max_body_size=VIDEO_BODY_LIMIT)
    def upload(
        self, actor: Actor, services: Container, course_id: uuid.UUID, chapter_id: str, data: VideoUpload
    ) -> ChapterVideoChangeOut:
        """上传视频 / 替换视频: the centre for centre and ideology courses, a school's administrator
        for its own school's courses. 422 `training_video.type` (not WebM/MP4 by its bytes),
        `training_video.too_large`, `training_video.duration_unreadable`; each change is recorded
        as ChapterVideoAttached or ChapterVideoReplaced."""
        limit = services.settings.training_video_max_mb * 1024 * 1024
        _, content = one_file(data, limit, "upload.file_required", "请选择要上传的视频文件")
        attached = services.training.videos.attach(actor, course_id, chapter_id, content)
        facts = attached.facts
        return ChapterVideoChangeOut(
            course_id=course_id, chapter_id=chapter_id, change=attached.change.value,
            duration_seconds=attached.duration_seconds,
            video=ChapterVideoOut(ref=facts.ref, content_type=facts.content_type, size=facts.size,  # type: ignore[arg-type]
                                  duration_ms=facts.duration_ms),
            video_url=chapter_video_path(course_id, chapter_id, facts.ref),
        )

    @get("/", sync_to_thread=True, media_type="video/webm")
    def play(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        course_id: uuid.UUID, chapter_id: str,
    ) -> Response[bytes] | Stream:
        """The chapter's uploaded video (video/webm or video/mp4). Honours `Range: bytes=a-b`
        with 206 and `Content-Range`; a range past the end answers 416."""
        video = chapter_video(reader, actor, course_id, chapter_id)
        facts = services.training.video_store.facts(video["ref"])
        if facts is None:
            raise NotFound("not_found", "视频文件不存在")
        return video_response(services.training.video_store, facts, request.headers.get("range"))


