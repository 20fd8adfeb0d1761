"""Selection batches (选课批次) and exam batches (考试批次): their periods and courses."""

from __future__ import annotations

import uuid

import msgspec
from litestar import Controller, delete, get, post, put
from sqlalchemy import Connection

from application.common.actor import Actor
from application.curriculum.queries import (
    get_exam_batch,
    get_selection_batch,
    list_exam_batches,
    list_selection_batches,
)
from infrastructure.container import Container
from interfaces.http.api.common import out
from interfaces.http.api.curriculum.schemas import (
    BatchCoursesIn,
    ExamBatchDetailOut,
    ExamBatchIn,
    ExamBatchSummaryOut,
    RegistrationPeriodIn,
    SelectionBatchDetailOut,
    SelectionBatchIn,
    SelectionBatchSummaryOut,
    SelectionPeriodsIn,
)


def _selection_batch(
    reader: Connection, actor: Actor, services: Container, batch_id: uuid.UUID
) -> SelectionBatchDetailOut:
    return out(get_selection_batch(reader, actor, batch_id, services.clock.now()), SelectionBatchDetailOut)


def _exam_batch(reader: Connection, actor: Actor, services: Container, batch_id: uuid.UUID) -> ExamBatchDetailOut:
    return out(get_exam_batch(reader, actor, batch_id, services.clock.now()), ExamBatchDetailOut)


class SelectionBatchController(Controller):
    path = "/selection-batches"
    tags = ["curriculum"]

    @get("/", sync_to_thread=True)
    def index(self, actor: Actor, services: Container, reader: Connection) -> list[SelectionBatchSummaryOut]:
        return out(list_selection_batches(reader, actor, services.clock.now()), list[SelectionBatchSummaryOut])

    @post("/", sync_to_thread=True)
    def create(
        self, actor: Actor, services: Container, reader: Connection, data: SelectionBatchIn
    ) -> SelectionBatchDetailOut:
        batch_id = services.curriculum.register_selection_batch(actor, **msgspec.structs.asdict(data))
        return _selection_batch(reader, actor, services, batch_id)

    @get("/{batch_id:uuid}", sync_to_thread=True)
    def show(
        self, actor: Actor, services: Container, reader: Connection, batch_id: uuid.UUID
    ) -> SelectionBatchDetailOut:
        return _selection_batch(reader, actor, services, batch_id)

    @put("/{batch_id:uuid}/periods", sync_to_thread=True)
    def periods(
        self, actor: Actor, services: Container, reader: Connection, batch_id: uuid.UUID, data: SelectionPeriodsIn
    ) -> SelectionBatchDetailOut:
        services.curriculum.change_selection_periods(actor, batch_id, **msgspec.structs.asdict(data))
        return _selection_batch(reader, actor, services, batch_id)

    @post("/{batch_id:uuid}/courses", sync_to_thread=True, status_code=200)
    def add_courses(
        self, actor: Actor, services: Container, reader: Connection, batch_id: uuid.UUID, data: BatchCoursesIn
    ) -> SelectionBatchDetailOut:
        services.curriculum.add_batch_courses(actor, batch_id, data.course_ids)
        return _selection_batch(reader, actor, services, batch_id)

    @delete("/{batch_id:uuid}/courses/{course_id:uuid}", sync_to_thread=True, status_code=200)
    def remove_course(
        self, actor: Actor, services: Container, reader: Connection, batch_id: uuid.UUID, course_id: uuid.UUID
    ) -> SelectionBatchDetailOut:
        services.curriculum.remove_batch_course(actor, batch_id, course_id)
        return _selection_batch(reader, actor, services, batch_id)


class ExamBatchController(Controller):
    path = "/exam-batches"
    tags = ["curriculum"]

    @get("/", sync_to_thread=True)
    def index(self, actor: Actor, services: Container, reader: Connection) -> list[ExamBatchSummaryOut]:
        return out(list_exam_batches(reader, actor, services.clock.now()), list[ExamBatchSummaryOut])

    @post("/", sync_to_thread=True)
    def create(self, actor: Actor, services: Container, reader: Connection, data: ExamBatchIn) -> ExamBatchDetailOut:
        batch_id = services.curriculum.register_exam_batch(actor, **msgspec.structs.asdict(data))
        return _exam_batch(reader, actor, services, batch_id)

    @get("/{batch_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, services: Container, reader: Connection, batch_id: uuid.UUID) -> ExamBatchDetailOut:
        return _exam_batch(reader, actor, services, batch_id)

    @put("/{batch_id:uuid}/registration-period", sync_to_thread=True)
    def period(
        self, actor: Actor, services: Container, reader: Connection, batch_id: uuid.UUID, data: RegistrationPeriodIn
    ) -> ExamBatchDetailOut:
        services.curriculum.change_exam_registration_period(actor, batch_id, **msgspec.structs.asdict(data))
        return _exam_batch(reader, actor, services, batch_id)

    @post("/{batch_id:uuid}/courses", sync_to_thread=True, status_code=200)
    def add_courses(
        self, actor: Actor, services: Container, reader: Connection, batch_id: uuid.UUID, data: BatchCoursesIn
    ) -> ExamBatchDetailOut:
        services.curriculum.add_batch_courses(actor, batch_id, data.course_ids)
        return _exam_batch(reader, actor, services, batch_id)

    @delete("/{batch_id:uuid}/courses/{course_id:uuid}", sync_to_thread=True, status_code=200)
    def remove_course(
        self, actor: Actor, services: Container, reader: Connection, batch_id: uuid.UUID, course_id: uuid.UUID
    ) -> ExamBatchDetailOut:
        services.curriculum.remove_batch_course(actor, batch_id, course_id)
        return _exam_batch(reader, actor, services, batch_id)
