"""Training courses (培训资源): publication, the catalogue and a school's training list, sign-up,
chapter progress and summaries, and the hours detail (我的学时明细)."""

from __future__ import annotations

import uuid

import msgspec
from litestar import Controller, get, post
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.queries import Page
from application.training import learning_queries as q
from infrastructure.container import Container
from interfaces.http.api.common import Listing, listing, out
from interfaces.http.api.training.schemas import (
    HoursOut,
    ProgressIn,
    ProgressOut,
    SignedUpOut,
    SignUpIn,
    StudyOut,
    SummaryIn,
    TrainingCourseDetailOut,
    TrainingCourseIn,
    TrainingCourseOut,
)


class TrainingCourseController(Controller):
    path = "/training"
    tags = ["training"]

    @get("/courses", sync_to_thread=True)
    def index(
        self, actor: Actor, reader: Connection, kind: str | None = None, search: str | None = None,
        sort: str = "newest", min_tenths: int | None = None, max_tenths: int | None = None, page: int = 1,
        page_size: int = 20,
    ) -> Listing[TrainingCourseOut]:
        return listing(
            q.list_courses(reader, actor, Page(page, page_size), kind, search, min_tenths, max_tenths, sort),
            TrainingCourseOut,
        )

    @post("/courses", sync_to_thread=True, status_code=201)
    def publish(
        self, actor: Actor, services: Container, reader: Connection, data: TrainingCourseIn
    ) -> TrainingCourseDetailOut:
        course_id = services.training.learning.publish_course(
            actor, kind=data.kind, title=data.title, tenths=data.tenths,
            chapters=[msgspec.structs.asdict(c) for c in data.chapters], summary_prompt=data.summary_prompt,
        )
        return out(q.get_course(reader, actor, course_id), TrainingCourseDetailOut)

    @get("/courses/{course_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, reader: Connection, course_id: uuid.UUID) -> TrainingCourseDetailOut:
        return out(q.get_course(reader, actor, course_id), TrainingCourseDetailOut)

    @get("/training-list", sync_to_thread=True)
    def training_list(self, actor: Actor, reader: Connection) -> list[TrainingCourseOut]:
        return out(q.training_list(reader, actor), list[TrainingCourseOut])

    @post("/sign-ups", sync_to_thread=True, status_code=201)
    def sign_up(self, actor: Actor, services: Container, data: SignUpIn) -> SignedUpOut:
        return SignedUpOut(signed_up=services.training.learning.sign_up(actor, data.course_ids))

    @post("/sign-ups/training-list", sync_to_thread=True, status_code=201)
    def sign_up_training_list(self, actor: Actor, services: Container) -> SignedUpOut:
        return SignedUpOut(signed_up=services.training.learning.sign_up_training_list(actor))

    @get("/my-courses", sync_to_thread=True)
    def my_courses(self, actor: Actor, reader: Connection) -> list[StudyOut]:
        return out(q.my_courses(reader, actor), list[StudyOut])

    @post("/my-courses/{course_id:uuid}/chapters/{chapter_id:str}/progress", sync_to_thread=True, status_code=200)
    def progress(
        self, actor: Actor, services: Container, reader: Connection, course_id: uuid.UUID, chapter_id: str,
        data: ProgressIn,
    ) -> ProgressOut:
        completed = services.training.learning.report_watched(actor, course_id, chapter_id, data.intervals)
        course = q.get_course(reader, actor, course_id)
        chapter = next(c for c in course["chapters"] if c["id"] == chapter_id)
        return out({"chapter_completed": completed, "chapter": chapter, "study": course["study"]}, ProgressOut)

    @post("/my-courses/{course_id:uuid}/summary", sync_to_thread=True, status_code=200)
    def summary(
        self, actor: Actor, services: Container, reader: Connection, course_id: uuid.UUID, data: SummaryIn
    ) -> StudyOut:
        services.training.learning.submit_summary(actor, course_id, data.text)
        return out(q.get_course(reader, actor, course_id)["study"], StudyOut)

    @get("/my-hours", sync_to_thread=True)
    def my_hours(self, actor: Actor, reader: Connection) -> HoursOut:
        return out(q.hours_detail(reader, actor), HoursOut)

    @get("/trainees/{trainee_id:uuid}/hours", sync_to_thread=True)
    def trainee_hours(self, actor: Actor, reader: Connection, trainee_id: uuid.UUID) -> HoursOut:
        return out(q.hours_detail(reader, actor, trainee_id), HoursOut)
