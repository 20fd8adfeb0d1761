"""Live lectures (直播讲座): scheduling, sign-up and attendance; applications to host one, their
review and scheduling."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post
from sqlalchemy import Connection

from application.common.actor import Actor
from application.training import learning_queries as q
from infrastructure.container import Container
from interfaces.http.api.common import CreatedOut, out
from interfaces.http.api.training.schemas import (
    AttendanceIn,
    HostingApplicationOut,
    HostingIn,
    HostingReviewIn,
    LectureIn,
    LectureOut,
    LectureSignUpOut,
    ScheduledOut,
    ScheduleIn,
)


class TrainingLectureController(Controller):
    path = "/training"
    tags = ["training"]

    @get("/lectures", sync_to_thread=True)
    def index(self, actor: Actor, reader: Connection) -> list[LectureOut]:
        return out(q.list_lectures(reader, actor), list[LectureOut])

    @post("/lectures", sync_to_thread=True, status_code=201)
    def schedule(self, actor: Actor, services: Container, data: LectureIn) -> CreatedOut:
        lecture_id = services.training.lectures.schedule(
            actor, origin=data.origin, school_id=data.training_school_id, title=data.title,
            speaker=data.speaker, starts_at=data.starts_at, duration_minutes=data.duration_minutes,
        )
        return CreatedOut(id=lecture_id)

    @post("/lectures/{lecture_id:uuid}/sign-up", sync_to_thread=True, status_code=204)
    def sign_up(self, actor: Actor, services: Container, lecture_id: uuid.UUID) -> None:
        services.training.lectures.sign_up(actor, lecture_id)

    @get("/lectures/{lecture_id:uuid}/sign-ups", sync_to_thread=True)
    def sign_ups(self, actor: Actor, reader: Connection, lecture_id: uuid.UUID) -> list[LectureSignUpOut]:
        return out(q.lecture_signups_of(reader, actor, lecture_id), list[LectureSignUpOut])

    @post("/lectures/{lecture_id:uuid}/attendance", sync_to_thread=True, status_code=204)
    def attendance(self, actor: Actor, services: Container, lecture_id: uuid.UUID, data: AttendanceIn) -> None:
        services.training.lectures.record_full_attendance(actor, lecture_id, data.trainee_id)

    @get("/hosting-applications", sync_to_thread=True)
    def hosting(self, actor: Actor, reader: Connection, status: str | None = None) -> list[HostingApplicationOut]:
        return out(q.list_hosting(reader, actor, status), list[HostingApplicationOut])

    @post("/hosting-applications", sync_to_thread=True, status_code=201)
    def apply(self, actor: Actor, services: Container, reader: Connection, data: HostingIn) -> HostingApplicationOut:
        application_id = services.training.lectures.apply_to_host(actor, data.title, data.outline, data.preferred_date)
        return out(q.get_hosting(reader, actor, application_id), HostingApplicationOut)

    @post("/hosting-applications/{application_id:uuid}/review", sync_to_thread=True, status_code=200)
    def review(
        self, actor: Actor, services: Container, reader: Connection, application_id: uuid.UUID, data: HostingReviewIn
    ) -> HostingApplicationOut:
        services.training.lectures.review_hosting(actor, application_id, data.approve, data.reason)
        return out(q.get_hosting(reader, actor, application_id), HostingApplicationOut)

    @post("/hosting-applications/{application_id:uuid}/schedule", sync_to_thread=True, status_code=200)
    def schedule_hosting(
        self, actor: Actor, services: Container, application_id: uuid.UUID, data: ScheduleIn
    ) -> ScheduledOut:
        lecture_id = services.training.lectures.schedule_hosting(
            actor, application_id, data.speaker, data.starts_at, data.duration_minutes
        )
        return ScheduledOut(lecture_id=lecture_id)
