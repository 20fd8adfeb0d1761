"""Courses (课程): registration, publication and closure, levels, versions, the assessment and
its review; and a programme's course list with suggested semesters."""

from __future__ import annotations

import uuid

from litestar import Controller, delete, get, post, put
from sqlalchemy import Connection

from application.common.actor import Actor
from application.curriculum.queries import (
    get_course,
    list_courses,
    list_programme_courses,
)
from infrastructure.container import Container
from interfaces.http.api.common import (
    CommentIn,
    Listing,
    ReasonIn,
    listing,
    out,
    page_of,
)
from interfaces.http.api.curriculum.schemas import (
    AssessmentIn,
    CourseDetailOut,
    CourseIn,
    CourseOut,
    LevelsIn,
    ProgrammeCourseIn,
    ProgrammeCourseOut,
    SemesterIn,
    VersionIn,
)


def _course(reader: Connection, actor: Actor, course_id: uuid.UUID) -> CourseDetailOut:
    return out(get_course(reader, actor, course_id), CourseDetailOut)


class CourseController(Controller):
    path = "/courses"
    tags = ["curriculum"]

    @get("/", sync_to_thread=True)
    def index(
        self,
        actor: Actor,
        reader: Connection,
        page: int = 1,
        page_size: int = 20,
        code: str | None = None,
        name: str | None = None,
        status: str | None = None,
        level: str | None = None,
    ) -> Listing[CourseOut]:
        return listing(
            list_courses(reader, actor, page_of(page, page_size), code=code, name=name, status=status, level=level),
            CourseOut,
        )

    @post("/", sync_to_thread=True)
    def create(self, actor: Actor, services: Container, reader: Connection, data: CourseIn) -> CourseDetailOut:
        course_id = services.curriculum.register_course(actor, data.code, data.name, data.credits, data.levels)
        return _course(reader, actor, course_id)

    @get("/{course_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, reader: Connection, course_id: uuid.UUID) -> CourseDetailOut:
        return _course(reader, actor, course_id)

    @post("/{course_id:uuid}/publication", sync_to_thread=True, status_code=200)
    def publish(self, actor: Actor, services: Container, reader: Connection, course_id: uuid.UUID) -> CourseDetailOut:
        services.curriculum.publish_course(actor, course_id)
        return _course(reader, actor, course_id)

    @post("/{course_id:uuid}/closure", sync_to_thread=True, status_code=200)
    def close(
        self, actor: Actor, services: Container, reader: Connection, course_id: uuid.UUID, data: ReasonIn
    ) -> CourseDetailOut:
        services.curriculum.close_course(actor, course_id, data.reason)
        return _course(reader, actor, course_id)

    @put("/{course_id:uuid}/levels", sync_to_thread=True)
    def levels(
        self, actor: Actor, services: Container, reader: Connection, course_id: uuid.UUID, data: LevelsIn
    ) -> CourseDetailOut:
        services.curriculum.change_course_levels(actor, course_id, data.levels)
        return _course(reader, actor, course_id)

    @post("/{course_id:uuid}/versions", sync_to_thread=True, status_code=200)
    def add_version(
        self, actor: Actor, services: Container, reader: Connection, course_id: uuid.UUID, data: VersionIn
    ) -> CourseDetailOut:
        services.curriculum.add_course_version(actor, course_id, data.version)
        return _course(reader, actor, course_id)

    @put("/{course_id:uuid}/version-in-use", sync_to_thread=True)
    def use_version(
        self, actor: Actor, services: Container, reader: Connection, course_id: uuid.UUID, data: VersionIn
    ) -> CourseDetailOut:
        services.curriculum.use_course_version(actor, course_id, data.version)
        return _course(reader, actor, course_id)

    @post("/{course_id:uuid}/assessment", sync_to_thread=True, status_code=200)
    def submit_assessment(
        self, actor: Actor, services: Container, reader: Connection, course_id: uuid.UUID, data: AssessmentIn
    ) -> CourseDetailOut:
        services.curriculum.submit_assessment(actor, course_id, data.includes_final_exam, data.description)
        return _course(reader, actor, course_id)

    @post("/{course_id:uuid}/assessment/approval", sync_to_thread=True, status_code=200)
    def approve_assessment(
        self, actor: Actor, services: Container, reader: Connection, course_id: uuid.UUID, data: CommentIn
    ) -> CourseDetailOut:
        services.curriculum.approve_assessment(actor, course_id, data.comment)
        return _course(reader, actor, course_id)

    @post("/{course_id:uuid}/assessment/rejection", sync_to_thread=True, status_code=200)
    def reject_assessment(
        self, actor: Actor, services: Container, reader: Connection, course_id: uuid.UUID, data: ReasonIn
    ) -> CourseDetailOut:
        services.curriculum.reject_assessment(actor, course_id, data.reason or "")
        return _course(reader, actor, course_id)


def _programme_courses(
    reader: Connection, actor: Actor, programme_id: uuid.UUID, semester: int | None = None
) -> list[ProgrammeCourseOut]:
    return out(list_programme_courses(reader, actor, programme_id, semester), list[ProgrammeCourseOut])


class ProgrammeCourseController(Controller):
    path = "/programmes/{programme_id:uuid}/courses"
    tags = ["curriculum"]

    @get("/", sync_to_thread=True)
    def index(
        self, actor: Actor, reader: Connection, programme_id: uuid.UUID, suggested_semester: int | None = None
    ) -> list[ProgrammeCourseOut]:
        return _programme_courses(reader, actor, programme_id, suggested_semester)

    @post("/", sync_to_thread=True)
    def add(
        self, actor: Actor, services: Container, reader: Connection, programme_id: uuid.UUID, data: ProgrammeCourseIn
    ) -> list[ProgrammeCourseOut]:
        services.curriculum.add_programme_course(actor, programme_id, data.course_id, data.suggested_semester)
        return _programme_courses(reader, actor, programme_id)

    @put("/{course_id:uuid}", sync_to_thread=True)
    def move(
        self, actor: Actor, services: Container, reader: Connection, programme_id: uuid.UUID, course_id: uuid.UUID,
        data: SemesterIn,
    ) -> list[ProgrammeCourseOut]:
        services.curriculum.move_programme_course(actor, programme_id, course_id, data.suggested_semester)
        return _programme_courses(reader, actor, programme_id)

    @delete("/{course_id:uuid}", sync_to_thread=True, status_code=200)
    def remove(
        self, actor: Actor, services: Container, reader: Connection, programme_id: uuid.UUID, course_id: uuid.UUID
    ) -> list[ProgrammeCourseOut]:
        services.curriculum.remove_programme_course(actor, programme_id, course_id)
        return _programme_courses(reader, actor, programme_id)
