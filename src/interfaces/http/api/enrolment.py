"""Course selection, a learner's courses with study access, course drops, exam registrations."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Controller, Request, get, post

from application.common.filters import RosterFilter
from application.enrolment.batch_selection import (
    get_batch_selection,
    list_batch_selections,
)
from application.enrolment.queries import (
    enrollments_by_id,
    get_enrollment,
    learner_courses,
    list_enrollments,
    selectable_courses,
)
from application.exams.queries import list_exam_registrations
from application.finance.queries import bills_by_id, refunds_by_id
from interfaces.http.api.common import ROSTER, Listing, listing, out, page_of
from interfaces.http.api.enrolment_out import (
    BatchSelectionDetailOut,
    BatchSelectionOut,
    DropOut,
    EnrollmentOut,
    ExamRegistrationOut,
    SelectableCourseOut,
    SelectionOut,
)
from interfaces.http.context import api_actor, container_of


class SelectionIn(msgspec.Struct):
    course_ids: list[uuid.UUID]
    learner_id: uuid.UUID | None = None  # a learner selecting for themselves may leave it out


class BatchSelectionIn(msgspec.Struct):
    learner_ids: list[uuid.UUID]
    course_ids: list[uuid.UUID]


class DropIn(msgspec.Struct):
    enrollment_ids: list[uuid.UUID]
    reason: str | None = None


class EnrollmentController(Controller):
    path = "/enrollments"
    tags = ["enrolment"]
    dependencies = ROSTER

    @get("/", sync_to_thread=True)
    def index(
        self,
        request: Request[Any, Any, Any],
        roster: RosterFilter,
        page: int = 1,
        page_size: int = 20,
        learner_id: uuid.UUID | None = None,
        course_id: uuid.UUID | None = None,
        selection_batch_id: uuid.UUID | None = None,
        may_study: bool | None = None,
    ) -> Listing[EnrollmentOut]:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return listing(list_enrollments(
                conn, actor, page_of(page, page_size), roster, learner_id=learner_id, course_id=course_id,
                selection_batch_id=selection_batch_id, may_study=may_study,
            ), EnrollmentOut)

    @post("/", sync_to_thread=True)
    def select(self, request: Request[Any, Any, Any], data: SelectionIn) -> SelectionOut:
        """Selects several courses for one learner at once: all or none. Each course gets its
        bills (credit fee, and exam fee with a final exam) and its final-exam registration."""
        actor = api_actor(request)
        c = container_of(request)
        result = c.enrolment.select_courses(actor, data.learner_id, data.course_ids)
        with c.engine.connect() as conn:
            return out({
                "enrollments": enrollments_by_id(conn, actor, result.enrollment_ids),
                "bills": bills_by_id(conn, actor, result.bill_ids),
                "exam_registration_ids": result.exam_registration_ids,
            }, SelectionOut)

    @get("/{enrollment_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], enrollment_id: uuid.UUID) -> EnrollmentOut:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return out(get_enrollment(conn, actor, enrollment_id), EnrollmentOut)


class BatchSelectionController(Controller):
    path = "/batch-selections"
    tags = ["enrolment"]

    @post("/", sync_to_thread=True, status_code=202)
    def start(
        self, request: Request[Any, Any, Any], data: BatchSelectionIn
    ) -> BatchSelectionDetailOut:
        """Batch selection for a cohort (one programme's learners of the teaching point): the
        chosen courses for every chosen learner, run in the background. Poll
        `GET /batch-selections/{id}` for progress and each learner's result."""
        actor = api_actor(request)
        c = container_of(request)
        job_id = c.batch_selections.start(actor, data.learner_ids, data.course_ids)
        with c.engine.connect() as conn:
            return out(get_batch_selection(conn, actor, job_id), BatchSelectionDetailOut)

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], page: int = 1, page_size: int = 20) -> Listing[BatchSelectionOut]:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return listing(list_batch_selections(conn, actor, page_of(page, page_size)), BatchSelectionOut)

    @get("/{job_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], job_id: uuid.UUID) -> BatchSelectionDetailOut:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return out(get_batch_selection(conn, actor, job_id), BatchSelectionDetailOut)


class CourseDropController(Controller):
    path = "/course-drops"
    tags = ["enrolment"]

    @post("/", sync_to_thread=True)
    def drop(self, request: Request[Any, Any, Any], data: DropIn) -> DropOut:
        """Unpaid courses are dropped at once; each paid course becomes a refund request."""
        actor = api_actor(request)
        c = container_of(request)
        outcome = c.enrolment.drop_courses(actor, data.enrollment_ids, data.reason)
        with c.engine.connect() as conn:
            return out({
                "dropped": enrollments_by_id(conn, actor, outcome.dropped),
                "refunds": refunds_by_id(conn, actor, outcome.refund_ids),
            }, DropOut)


class LearnerCourseController(Controller):
    path = "/learners/{learner_id:uuid}"
    tags = ["enrolment"]

    @get("/courses", sync_to_thread=True)
    def courses(self, request: Request[Any, Any, Any], learner_id: uuid.UUID) -> list[EnrollmentOut]:
        """The learner's courses with study access (the learner's own, or a staff reader's)."""
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return out(learner_courses(conn, actor, learner_id), list[EnrollmentOut])

    @get("/selectable-courses", sync_to_thread=True)
    def selectable(self, request: Request[Any, Any, Any], learner_id: uuid.UUID) -> list[SelectableCourseOut]:
        """The learner's programme courses, each with the conditions it does not meet yet."""
        actor = api_actor(request)
        c = container_of(request)
        with c.engine.connect() as conn:
            return out(selectable_courses(conn, actor, learner_id, c.clock.now()), list[SelectableCourseOut])


class ExamRegistrationController(Controller):
    path = "/exam-registrations"
    tags = ["exams"]
    dependencies = ROSTER

    @get("/", sync_to_thread=True)
    def index(
        self,
        request: Request[Any, Any, Any],
        roster: RosterFilter,
        page: int = 1,
        page_size: int = 20,
        exam_batch_id: uuid.UUID | None = None,
        course_id: uuid.UUID | None = None,
        learner_id: uuid.UUID | None = None,
        kind: str | None = None,
    ) -> Listing[ExamRegistrationOut]:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return listing(list_exam_registrations(
                conn, actor, page_of(page, page_size), roster, exam_batch_id=exam_batch_id, course_id=course_id,
                learner_id=learner_id, kind=kind,
            ), ExamRegistrationOut)


ENROLMENT_CONTROLLERS = [EnrollmentController, BatchSelectionController, CourseDropController, LearnerCourseController, ExamRegistrationController]
