"""批量选课 (requirements/enrolment.md §2.3): query one study batch and one programme's learners of the teaching
point, tick learners and the programme's courses (filterable by 建议开课学期), and select them
for every ticked learner as a background job; then the job page with its progress bar and each
learner's result, and the teaching point's earlier batch selections."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template
from sqlalchemy import Connection

from application.admissions.queries import filter_choices, list_study_batches
from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.common.queries import Page
from application.curriculum.queries import list_programme_courses
from application.enrolment.batch_selection import (
    cohort,
    get_batch_selection,
    list_batch_selections,
)
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.values import Role
from infrastructure.container import Container
from interfaces.admin.common.forms import Form, as_list, page_number, uuids
from interfaces.admin.common.guards import requires_role
from interfaces.admin.common.jobs import JobProgress, progress, progress_response
from interfaces.admin.common.lists import ELEMENTS
from interfaces.admin.common.rendering import page

COHORT_KEYS = ("study_batch_id", "level", "learner_type", "learner_source", "major", "length_of_schooling",
               "student_number", "name")


def _semester(raw: Any) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else None
    except ValueError:
        return None


class BatchSelectionPages(Controller):
    """The query and the start are the teaching point's; a job page is read by whoever the
    query lets see the job (the teaching point's own, school staff every one)."""

    path = "/admin/enrollments/batches"

    def _index(
        self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, params: dict[str, str],
        status_code: int = 200, **context: Any,
    ) -> Template:
        found: dict[str, Any] | None = None
        courses: list[dict[str, Any]] = []
        if params.get("study_batch_id"):
            try:
                found = cohort(reader, actor, RosterFilter.from_params(params))
                courses = list_programme_courses(reader, actor, found["programme"]["id"], _semester(params.get("semester")))
            except DomainError as exc:
                if exc.kind == "forbidden":
                    raise
                context.setdefault("error", exc.message)
        batches = list_study_batches(reader)
        choices = filter_choices(reader)
        jobs = list_batch_selections(reader, actor, Page(number=page_number(request), size=10))
        return page(
            request, "enrollments_batches.html", actor, status_code=status_code, params=params, batches=batches,
            choices=choices, elements=ELEMENTS, cohort=found, courses=courses, jobs=jobs, **context,
        )

    @get("/", sync_to_thread=True, guards=[requires_role(Role.TEACHING_POINT_ADMIN)])
    def index(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        params = {k: str(v).strip() for k in (*COHORT_KEYS, "semester") if (v := request.query_params.get(k))}
        return self._index(request, actor, reader, params)

    @post("/", sync_to_thread=True, guards=[requires_role(Role.TEACHING_POINT_ADMIN)])
    def start(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Form,
    ) -> Response[Any]:
        params = {k: str(v).strip() for k in (*COHORT_KEYS, "semester") if (v := data.get(k))}
        learner_ids = uuids(as_list(data.get("learner_ids")))
        course_ids = uuids(as_list(data.get("course_ids")))
        try:
            if not learner_ids:
                raise InvalidInput("batch_selection.learner_ids_required", "请勾选要选课的学生")
            if not course_ids:
                raise InvalidInput("batch_selection.course_ids_required", "请勾选要选的课程")
            job_id = services.batch_selections.start(actor, learner_ids, course_ids)
        except DomainError as exc:
            if exc.kind == "forbidden":
                raise
            return self._index(
                request, actor, reader, params, 422, error=exc.message,
                ticked_learners={str(x) for x in learner_ids}, ticked_courses={str(x) for x in course_ids},
            )
        return Redirect(f"/admin/enrollments/batches/{job_id}")

    @get("/{job_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, job_id: uuid.UUID) -> Template:
        job = get_batch_selection(reader, actor, job_id)
        return page(request, "enrollments_batch_job.html", actor, job=job, progress=progress(job))

    @get("/{job_id:uuid}/progress", sync_to_thread=True)
    def progress_of(self, actor: Actor, reader: Connection, job_id: uuid.UUID) -> Response[JobProgress]:
        return progress_response(get_batch_selection(reader, actor, job_id))
