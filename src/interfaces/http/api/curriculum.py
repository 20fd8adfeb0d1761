"""Curriculum: courses, programme course lists, selection and exam batches, fee standards."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, post, put

from application.curriculum.queries import (
    get_course,
    get_exam_batch,
    get_selection_batch,
    list_courses,
    list_exam_batches,
    list_fee_standards,
    list_programme_courses,
    list_selection_batches,
)
from interfaces.http.api.common import Listing, listing, out, page_of
from interfaces.http.api.curriculum_out import (
    CourseDetailOut,
    CourseOut,
    ExamBatchDetailOut,
    ExamBatchSummaryOut,
    FeeStandardOut,
    ProgrammeCourseOut,
    SelectionBatchDetailOut,
    SelectionBatchSummaryOut,
)
from interfaces.http.context import api_actor, container_of


class CourseIn(msgspec.Struct):
    code: str
    name: str
    credits: str | int
    levels: list[str]


class LevelsIn(msgspec.Struct):
    levels: list[str]


class VersionIn(msgspec.Struct):
    version: str


class AssessmentIn(msgspec.Struct):
    includes_final_exam: bool
    description: str


class CommentIn(msgspec.Struct):
    comment: str | None = None


class ReasonIn(msgspec.Struct):
    reason: str | None = None


class ProgrammeCourseIn(msgspec.Struct):
    course_id: uuid.UUID
    suggested_semester: int


class SemesterIn(msgspec.Struct):
    suggested_semester: int


class SelectionBatchIn(msgspec.Struct):
    code: str
    name: str
    selection_starts_on: str
    selection_ends_on: str
    drop_starts_on: str | None = None
    drop_ends_on: str | None = None
    course_ids: list[uuid.UUID] = []


class SelectionPeriodsIn(msgspec.Struct):
    selection_starts_on: str
    selection_ends_on: str
    drop_starts_on: str
    drop_ends_on: str
    reason: str | None = None


class ExamBatchIn(msgspec.Struct):
    code: str
    name: str
    registration_starts_on: str
    registration_ends_on: str
    course_ids: list[uuid.UUID] = []


class RegistrationPeriodIn(msgspec.Struct):
    registration_starts_on: str
    registration_ends_on: str
    reason: str | None = None


class BatchCoursesIn(msgspec.Struct):
    course_ids: list[uuid.UUID]


class FeeStandardIn(msgspec.Struct):
    credit_fee_per_credit_fen: int
    exam_fee_per_course_fen: int
    reason: str | None = None


class CourseController(Controller):
    path = "/courses"
    tags = ["curriculum"]

    @get("/", sync_to_thread=True)
    def index(
        self,
        request: Request[Any, Any, Any],
        page: int = 1,
        page_size: int = 20,
        code: str | None = None,
        name: str | None = None,
        status: str | None = None,
        level: str | None = None,
    ) -> Listing[CourseOut]:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return listing(
                list_courses(conn, actor, page_of(page, page_size), code=code, name=name, status=status, level=level),
                CourseOut,
            )

    def _show(self, request: Request[Any, Any, Any], course_id: uuid.UUID) -> CourseDetailOut:
        with container_of(request).engine.connect() as conn:
            return out(get_course(conn, api_actor(request), course_id), CourseDetailOut)

    @post("/", sync_to_thread=True)
    def create(self, request: Request[Any, Any, Any], data: CourseIn) -> CourseDetailOut:
        course_id = container_of(request).curriculum.register_course(
            api_actor(request), data.code, data.name, data.credits, data.levels
        )
        return self._show(request, course_id)

    @get("/{course_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], course_id: uuid.UUID) -> CourseDetailOut:
        return self._show(request, course_id)

    @post("/{course_id:uuid}/publication", sync_to_thread=True, status_code=200)
    def publish(self, request: Request[Any, Any, Any], course_id: uuid.UUID) -> CourseDetailOut:
        container_of(request).curriculum.publish_course(api_actor(request), course_id)
        return self._show(request, course_id)

    @post("/{course_id:uuid}/closure", sync_to_thread=True, status_code=200)
    def close(self, request: Request[Any, Any, Any], course_id: uuid.UUID, data: ReasonIn) -> CourseDetailOut:
        container_of(request).curriculum.close_course(api_actor(request), course_id, data.reason)
        return self._show(request, course_id)

    @put("/{course_id:uuid}/levels", sync_to_thread=True)
    def levels(self, request: Request[Any, Any, Any], course_id: uuid.UUID, data: LevelsIn) -> CourseDetailOut:
        container_of(request).curriculum.change_course_levels(api_actor(request), course_id, data.levels)
        return self._show(request, course_id)

    @post("/{course_id:uuid}/versions", sync_to_thread=True, status_code=200)
    def add_version(self, request: Request[Any, Any, Any], course_id: uuid.UUID, data: VersionIn) -> CourseDetailOut:
        container_of(request).curriculum.add_course_version(api_actor(request), course_id, data.version)
        return self._show(request, course_id)

    @put("/{course_id:uuid}/version-in-use", sync_to_thread=True)
    def use_version(self, request: Request[Any, Any, Any], course_id: uuid.UUID, data: VersionIn) -> CourseDetailOut:
        container_of(request).curriculum.use_course_version(api_actor(request), course_id, data.version)
        return self._show(request, course_id)

    @post("/{course_id:uuid}/assessment", sync_to_thread=True, status_code=200)
    def submit_assessment(self, request: Request[Any, Any, Any], course_id: uuid.UUID, data: AssessmentIn) -> CourseDetailOut:
        container_of(request).curriculum.submit_assessment(
            api_actor(request), course_id, data.includes_final_exam, data.description
        )
        return self._show(request, course_id)

    @post("/{course_id:uuid}/assessment/approval", sync_to_thread=True, status_code=200)
    def approve_assessment(self, request: Request[Any, Any, Any], course_id: uuid.UUID, data: CommentIn) -> CourseDetailOut:
        container_of(request).curriculum.approve_assessment(api_actor(request), course_id, data.comment)
        return self._show(request, course_id)

    @post("/{course_id:uuid}/assessment/rejection", sync_to_thread=True, status_code=200)
    def reject_assessment(self, request: Request[Any, Any, Any], course_id: uuid.UUID, data: ReasonIn) -> CourseDetailOut:
        container_of(request).curriculum.reject_assessment(api_actor(request), course_id, data.reason or "")
        return self._show(request, course_id)


class ProgrammeCourseController(Controller):
    path = "/programmes/{programme_id:uuid}/courses"
    tags = ["curriculum"]

    def _list(self, request: Request[Any, Any, Any], programme_id: uuid.UUID, semester: int | None = None) -> list[ProgrammeCourseOut]:
        with container_of(request).engine.connect() as conn:
            return out(list_programme_courses(conn, api_actor(request), programme_id, semester), list[ProgrammeCourseOut])

    @get("/", sync_to_thread=True)
    def index(
        self, request: Request[Any, Any, Any], programme_id: uuid.UUID, suggested_semester: int | None = None
    ) -> list[ProgrammeCourseOut]:
        return self._list(request, programme_id, suggested_semester)

    @post("/", sync_to_thread=True)
    def add(self, request: Request[Any, Any, Any], programme_id: uuid.UUID, data: ProgrammeCourseIn) -> list[ProgrammeCourseOut]:
        container_of(request).curriculum.add_programme_course(
            api_actor(request), programme_id, data.course_id, data.suggested_semester
        )
        return self._list(request, programme_id)

    @put("/{course_id:uuid}", sync_to_thread=True)
    def move(
        self, request: Request[Any, Any, Any], programme_id: uuid.UUID, course_id: uuid.UUID, data: SemesterIn
    ) -> list[ProgrammeCourseOut]:
        container_of(request).curriculum.move_programme_course(
            api_actor(request), programme_id, course_id, data.suggested_semester
        )
        return self._list(request, programme_id)

    @delete("/{course_id:uuid}", sync_to_thread=True, status_code=200)
    def remove(self, request: Request[Any, Any, Any], programme_id: uuid.UUID, course_id: uuid.UUID) -> list[ProgrammeCourseOut]:
        container_of(request).curriculum.remove_programme_course(api_actor(request), programme_id, course_id)
        return self._list(request, programme_id)


class SelectionBatchController(Controller):
    path = "/selection-batches"
    tags = ["curriculum"]

    def _show(self, request: Request[Any, Any, Any], batch_id: uuid.UUID) -> SelectionBatchDetailOut:
        c = container_of(request)
        with c.engine.connect() as conn:
            return out(get_selection_batch(conn, api_actor(request), batch_id, c.clock.now()), SelectionBatchDetailOut)

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any]) -> list[SelectionBatchSummaryOut]:
        c = container_of(request)
        actor = api_actor(request)
        with c.engine.connect() as conn:
            return out(list_selection_batches(conn, actor, c.clock.now()), list[SelectionBatchSummaryOut])

    @post("/", sync_to_thread=True)
    def create(self, request: Request[Any, Any, Any], data: SelectionBatchIn) -> SelectionBatchDetailOut:
        batch_id = container_of(request).curriculum.register_selection_batch(
            api_actor(request), **msgspec.structs.asdict(data)
        )
        return self._show(request, batch_id)

    @get("/{batch_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], batch_id: uuid.UUID) -> SelectionBatchDetailOut:
        api_actor(request)
        return self._show(request, batch_id)

    @put("/{batch_id:uuid}/periods", sync_to_thread=True)
    def periods(self, request: Request[Any, Any, Any], batch_id: uuid.UUID, data: SelectionPeriodsIn) -> SelectionBatchDetailOut:
        container_of(request).curriculum.change_selection_periods(api_actor(request), batch_id, **msgspec.structs.asdict(data))
        return self._show(request, batch_id)

    @post("/{batch_id:uuid}/courses", sync_to_thread=True, status_code=200)
    def add_courses(self, request: Request[Any, Any, Any], batch_id: uuid.UUID, data: BatchCoursesIn) -> SelectionBatchDetailOut:
        container_of(request).curriculum.add_batch_courses(api_actor(request), batch_id, data.course_ids)
        return self._show(request, batch_id)

    @delete("/{batch_id:uuid}/courses/{course_id:uuid}", sync_to_thread=True, status_code=200)
    def remove_course(self, request: Request[Any, Any, Any], batch_id: uuid.UUID, course_id: uuid.UUID) -> SelectionBatchDetailOut:
        container_of(request).curriculum.remove_batch_course(api_actor(request), batch_id, course_id)
        return self._show(request, batch_id)


class ExamBatchController(Controller):
    path = "/exam-batches"
    tags = ["curriculum"]

    def _show(self, request: Request[Any, Any, Any], batch_id: uuid.UUID) -> ExamBatchDetailOut:
        c = container_of(request)
        with c.engine.connect() as conn:
            return out(get_exam_batch(conn, api_actor(request), batch_id, c.clock.now()), ExamBatchDetailOut)

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any]) -> list[ExamBatchSummaryOut]:
        c = container_of(request)
        actor = api_actor(request)
        with c.engine.connect() as conn:
            return out(list_exam_batches(conn, actor, c.clock.now()), list[ExamBatchSummaryOut])

    @post("/", sync_to_thread=True)
    def create(self, request: Request[Any, Any, Any], data: ExamBatchIn) -> ExamBatchDetailOut:
        batch_id = container_of(request).curriculum.register_exam_batch(api_actor(request), **msgspec.structs.asdict(data))
        return self._show(request, batch_id)

    @get("/{batch_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], batch_id: uuid.UUID) -> ExamBatchDetailOut:
        api_actor(request)
        return self._show(request, batch_id)

    @put("/{batch_id:uuid}/registration-period", sync_to_thread=True)
    def period(self, request: Request[Any, Any, Any], batch_id: uuid.UUID, data: RegistrationPeriodIn) -> ExamBatchDetailOut:
        container_of(request).curriculum.change_exam_registration_period(
            api_actor(request), batch_id, **msgspec.structs.asdict(data)
        )
        return self._show(request, batch_id)

    @post("/{batch_id:uuid}/courses", sync_to_thread=True, status_code=200)
    def add_courses(self, request: Request[Any, Any, Any], batch_id: uuid.UUID, data: BatchCoursesIn) -> ExamBatchDetailOut:
        container_of(request).curriculum.add_batch_courses(api_actor(request), batch_id, data.course_ids)
        return self._show(request, batch_id)

    @delete("/{batch_id:uuid}/courses/{course_id:uuid}", sync_to_thread=True, status_code=200)
    def remove_course(self, request: Request[Any, Any, Any], batch_id: uuid.UUID, course_id: uuid.UUID) -> ExamBatchDetailOut:
        container_of(request).curriculum.remove_batch_course(api_actor(request), batch_id, course_id)
        return self._show(request, batch_id)


class FeeStandardController(Controller):
    path = "/fee-standards"
    tags = ["curriculum", "finance"]

    def _list(self, request: Request[Any, Any, Any]) -> list[FeeStandardOut]:
        with container_of(request).engine.connect() as conn:
            return out(list_fee_standards(conn, api_actor(request)), list[FeeStandardOut])

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any]) -> list[FeeStandardOut]:
        return self._list(request)

    @put("/{level:str}", sync_to_thread=True)
    def set(self, request: Request[Any, Any, Any], level: str, data: FeeStandardIn) -> list[FeeStandardOut]:
        container_of(request).curriculum.set_fee_standard(
            api_actor(request), level, data.credit_fee_per_credit_fen, data.exam_fee_per_course_fen, data.reason
        )
        return self._list(request)


CURRICULUM_CONTROLLERS = [
    CourseController,
    ProgrammeCourseController,
    SelectionBatchController,
    ExamBatchController,
    FeeStandardController,
]
