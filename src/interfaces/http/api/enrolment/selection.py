"""Course selection (选课): the list of selections, selecting several courses for one learner, a
learner's courses with study access and the courses they may still select, and course drops
(unpaid at once, paid through a refund request)."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.enrolment.queries import (
    enrollments_by_id,
    get_enrollment,
    learner_courses,
    list_enrollments,
    selectable_courses,
)
from application.finance.queries import bills_by_id, refunds_by_id
from infrastructure.container import Container
from interfaces.http.api.common import ROSTER, Listing, listing, out, page_of
from interfaces.http.api.enrolment.schemas import (
    DropIn,
    DropOut,
    EnrollmentOut,
    SelectableCourseOut,
    SelectionIn,
    SelectionOut,
)


class EnrollmentController(Controller):
    path = "/enrollments"
    tags = ["enrolment"]
    dependencies = ROSTER

    @get("/", sync_to_thread=True)
    def index(
        self,
        actor: Actor,
        reader: Connection,
        roster: RosterFilter,
        page: int = 1,
        page_size: int = 20,
        learner_id: uuid.UUID | None = None,
        course_id: uuid.UUID | None = None,
        selection_batch_id: uuid.UUID | None = None,
        may_study: bool | None = None,
    ) -> Listing[EnrollmentOut]:
        return listing(list_enrollments(
            reader, actor, page_of(page, page_size), roster, learner_id=learner_id, course_id=course_id,
            selection_batch_id=selection_batch_id, may_study=may_study,
        ), EnrollmentOut)

    @post("/", sync_to_thread=True)
    def select(self, actor: Actor, services: Container, reader: Connection, data: SelectionIn) -> SelectionOut:
        """Selects several courses for one learner at once: all or none. Each course gets its
        bills (credit fee, and exam fee with a final exam) and its final-exam registration."""
        result = services.enrolment.select_courses(actor, data.learner_id, data.course_ids)
        return out({
            "enrollments": enrollments_by_id(reader, actor, result.enrollment_ids),
            "bills": bills_by_id(reader, actor, result.bill_ids),
            "exam_registration_ids": result.exam_registration_ids,
        }, SelectionOut)

    @get("/{enrollment_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, reader: Connection, enrollment_id: uuid.UUID) -> EnrollmentOut:
        return out(get_enrollment(reader, actor, enrollment_id), EnrollmentOut)


class CourseDropController(Controller):
    path = "/course-drops"
    tags = ["enrolment"]

    @post("/", sync_to_thread=True)
    def drop(self, actor: Actor, services: Container, reader: Connection, data: DropIn) -> DropOut:
        """Unpaid courses are dropped at once; each paid course becomes a refund request."""
        outcome = services.enrolment.drop_courses(actor, data.enrollment_ids, data.reason)
        return out({
            "dropped": enrollments_by_id(reader, actor, outcome.dropped),
            "refunds": refunds_by_id(reader, actor, outcome.refund_ids),
        }, DropOut)


class LearnerCourseController(Controller):
    path = "/learners/{learner_id:uuid}"
    tags = ["enrolment"]

    @get("/courses", sync_to_thread=True)
    def courses(self, actor: Actor, reader: Connection, learner_id: uuid.UUID) -> list[EnrollmentOut]:
        """The learner's courses with study access (the learner's own, or a staff reader's)."""
        return out(learner_courses(reader, actor, learner_id), list[EnrollmentOut])

    @get("/selectable-courses", sync_to_thread=True)
    def selectable(
        self, actor: Actor, services: Container, reader: Connection, learner_id: uuid.UUID
    ) -> list[SelectableCourseOut]:
        """The learner's programme courses, each with the conditions it does not meet yet."""
        return out(selectable_courses(reader, actor, learner_id, services.clock.now()), list[SelectableCourseOut])
