"""Course classes (班级管理 · 手动组班, requirements/teaching.md §2): a teaching point forms classes of a course,
adds and removes its paid learners, and moves them between classes."""

from __future__ import annotations

import uuid

from litestar import Controller, delete, get, patch, post
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.teaching.queries import (
    class_candidates,
    class_members,
    get_course_class,
    list_course_classes,
)
from infrastructure.container import Container
from interfaces.http.api.common import ROSTER, Listing, listing, out, page_of
from interfaces.http.api.teaching.schemas import (
    ClassCandidateOut,
    ClassMemberOut,
    ClassMoveOut,
    CourseClassEdit,
    CourseClassIn,
    CourseClassOut,
    MembersIn,
    MoveIn,
)


def _class(reader: Connection, actor: Actor, services: Container, class_id: uuid.UUID) -> CourseClassOut:
    return out(get_course_class(reader, actor, class_id, services.clock.now()), CourseClassOut)


class CourseClassController(Controller):
    path = "/course-classes"
    tags = ["teaching"]
    dependencies = ROSTER

    @get("/", sync_to_thread=True)
    def index(
        self, actor: Actor, services: Container, reader: Connection, page: int = 1, page_size: int = 20,
        course_id: uuid.UUID | None = None, name: str | None = None, teaching_point_id: uuid.UUID | None = None,
    ) -> Listing[CourseClassOut]:
        """功能首页: the existing classes matching the query (course, class name, teaching point)."""
        return listing(list_course_classes(
            reader, actor, page_of(page, page_size), services.clock.now(), course_id=course_id, name=name,
            teaching_point_id=teaching_point_id,
        ), CourseClassOut)

    @post("/", sync_to_thread=True)
    def form(self, actor: Actor, services: Container, reader: Connection, data: CourseClassIn) -> CourseClassOut:
        """【手动组班】 a class of the teaching point: course, class name, grouping deadline, tutor."""
        class_id = services.teaching.form_class(
            actor, course_id=data.course_id, name=data.name, grouping_deadline=data.grouping_deadline,
            tutor_id=data.tutor_id,
        )
        return _class(reader, actor, services, class_id)

    @get("/{class_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, services: Container, reader: Connection, class_id: uuid.UUID) -> CourseClassOut:
        return _class(reader, actor, services, class_id)

    @patch("/{class_id:uuid}", sync_to_thread=True)
    def edit(
        self, actor: Actor, services: Container, reader: Connection, class_id: uuid.UUID, data: CourseClassEdit
    ) -> CourseClassOut:
        """【编辑】 the class name and tutor."""
        services.teaching.edit_class(actor, class_id, name=data.name, tutor_id=data.tutor_id)
        return _class(reader, actor, services, class_id)

    @get("/{class_id:uuid}/members", sync_to_thread=True)
    def members(
        self, actor: Actor, reader: Connection, class_id: uuid.UUID, roster: RosterFilter, page: int = 1,
        page_size: int = 20,
    ) -> Listing[ClassMemberOut]:
        """已选学生列表."""
        return listing(class_members(reader, actor, class_id, page_of(page, page_size), roster), ClassMemberOut)

    @get("/{class_id:uuid}/candidates", sync_to_thread=True)
    def candidates(
        self, actor: Actor, reader: Connection, class_id: uuid.UUID, roster: RosterFilter, page: int = 1,
        page_size: int = 20,
    ) -> Listing[ClassCandidateOut]:
        """未选学生列表: learners who paid the course and are in no class of it yet."""
        return listing(class_candidates(reader, actor, class_id, page_of(page, page_size), roster), ClassCandidateOut)

    @post("/{class_id:uuid}/members", sync_to_thread=True, status_code=200)
    def add(
        self, actor: Actor, services: Container, reader: Connection, class_id: uuid.UUID, data: MembersIn
    ) -> CourseClassOut:
        """【加入班级】 all the learners or none (409 naming every refused learner)."""
        services.teaching.add_to_class(actor, class_id, data.learner_ids)
        return _class(reader, actor, services, class_id)

    @delete("/{class_id:uuid}/members/{learner_id:uuid}", sync_to_thread=True, status_code=200)
    def remove(
        self, actor: Actor, services: Container, reader: Connection, class_id: uuid.UUID, learner_id: uuid.UUID
    ) -> CourseClassOut:
        """【移除】 the learner, to be grouped again."""
        services.teaching.remove_from_class(actor, class_id, learner_id)
        return _class(reader, actor, services, class_id)

    @post("/{class_id:uuid}/members/{learner_id:uuid}/move", sync_to_thread=True, status_code=200)
    def move(
        self, actor: Actor, services: Container, reader: Connection, class_id: uuid.UUID, learner_id: uuid.UUID,
        data: MoveIn,
    ) -> ClassMoveOut:
        """【调班】 to another class of the same course and teaching point."""
        services.teaching.move_learner(actor, class_id, learner_id, data.target_class_id, data.reason)
        return ClassMoveOut(
            from_=_class(reader, actor, services, class_id), to=_class(reader, actor, services, data.target_class_id)
        )
