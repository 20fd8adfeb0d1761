"""A training chapter's uploaded video, played on the trainee's course page and previewed on the
administrators' course page: `/training/courses/{course}/chapters/{chapter}/video`, served with
range requests so that the player can seek. Whoever may see the course (a trainee of the
platform, the school's or the centre's administrators, an auditor) may play its videos."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import Provide
from litestar.response import Stream
from sqlalchemy import Connection

from application.common.actor import Actor
from application.training.learning_queries import chapter_video
from application.training.videos import VideoFacts
from domains.shared.errors import Forbidden, NotFound
from infrastructure.container import Container
from interfaces.admin.common.session import COOKIE
from interfaces.http.context import container_of, resolve_actor
from interfaces.http.ranges import video_response


def provide_viewer(request: Request[Any, Any, Any]) -> Actor:
    """Anyone signed in to the admin UI or the trainee portal (they share the session cookie)."""
    actor = resolve_actor(container_of(request), request.cookies.get(COOKIE), "admin")
    if actor is None:
        raise Forbidden("auth.required", "请先登录")
    return actor


class ChapterVideoFiles(Controller):
    path = "/training/courses"
    dependencies = {"viewer": Provide(provide_viewer, sync_to_thread=True)}

    @get("/{course_id:uuid}/chapters/{chapter_id:str}/video", sync_to_thread=True)
    def video(
        self, request: Request[Any, Any, Any], viewer: Actor, services: Container, reader: Connection,
        course_id: uuid.UUID, chapter_id: str,
    ) -> Response[bytes] | Stream:
        video = chapter_video(reader, viewer, course_id, chapter_id)
        facts: VideoFacts | None = services.training.video_store.facts(video["ref"])
        if facts is None:
            raise NotFound("not_found", "视频文件不存在")
        return video_response(services.training.video_store, facts, request.headers.get("range"))
