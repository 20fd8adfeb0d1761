"""批量选课 (seed 001 §4.2.3): query one study batch and one programme's learners of the teaching
point, tick learners and the programme's courses (filterable by 建议开课学期), and select them
for every ticked learner as a background job; then the job page with its progress bar and each
learner's result, and the teaching point's earlier batch selections."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template

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
from interfaces.admin.common.forms import Form, as_list, page_number, uuids
from interfaces.admin.common.jobs import progress, progress_response
from interfaces.admin.common.lists import ELEMENTS
from interfaces.admin.common.rendering import page
from interfaces.admin.common.session import admin_actor
from interfaces.http.context import container_of

COHORT_KEYS = ("study_batch_id", "level", "learner_type", "learner_source", "major", "length_of_schooling",
               "student_number", "name")


def _semester(raw: Any) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else None
    except ValueError:
        return None


class BatchSelectionPages(Controller):
    path = "/admin/enrollments/batches"

    def _index(
        self, request: Request[Any, Any, Any], actor: Actor, params: dict[str, str], status_code: int = 200,
        **context: Any,
    ) -> Template:
        c = container_of(request)
        found: dict[str, Any] | None = None
        courses: list[dict[str, Any]] = []
        with c.engine.connect() as conn:
            if params.get("study_batch_id"):
                try:
                    found = cohort(conn, actor, RosterFilter.from_params(params))
                    courses = list_programme_courses(conn, actor, found["programme"]["id"], _semester(params.get("semester")))
                except DomainError as exc:
                    if exc.kind == "forbidden":
                        raise
                    context.setdefault("error", exc.message)
            batches = list_study_batches(conn)
            choices = filter_choices(conn)
            jobs = list_batch_selections(conn, actor, Page(number=page_number(request), size=10))
        return page(
            request, "enrollments_batches.html", actor, status_code=status_code, params=params, batches=batches,
            choices=choices, elements=ELEMENTS, cohort=found, courses=courses, jobs=jobs, **context,
        )

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any]) -> Template:
        actor = admin_actor(request)
        actor.require(Role.TEACHING_POINT_ADMIN)
        params = {k: str(v).strip() for k in (*COHORT_KEYS, "semester") if (v := request.query_params.get(k))}
        return self._index(request, actor, params)

    @post("/", sync_to_thread=True)
    def start(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        actor = admin_actor(request)
        actor.require(Role.TEACHING_POINT_ADMIN)
        params = {k: str(v).strip() for k in (*COHORT_KEYS, "semester") if (v := data.get(k))}
        learner_ids = uuids(as_list(data.get("learner_ids")))
        course_ids = uuids(as_list(data.get("course_ids")))
        try:
            if not learner_ids:
                raise InvalidInput("batch_selection.learner_ids_required", "请勾选要选课的学生")
            if not course_ids:
                raise InvalidInput("batch_selection.course_ids_required", "请勾选要选的课程")
            job_id = container_of(request).batch_selections.start(actor, learner_ids, course_ids)
        except DomainError as exc:
            if exc.kind == "forbidden":
                raise
            return self._index(
                request, actor, params, 422, error=exc.message,
                ticked_learners={str(x) for x in learner_ids}, ticked_courses={str(x) for x in course_ids},
            )
        return Redirect(f"/admin/enrollments/batches/{job_id}")

    @get("/{job_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], job_id: uuid.UUID) -> Template:
        actor = admin_actor(request)
        with container_of(request).engine.connect() as conn:
            job = get_batch_selection(conn, actor, job_id)
        return page(request, "enrollments_batch_job.html", actor, job=job, progress=progress(job))

    @get("/{job_id:uuid}/progress", sync_to_thread=True)
    def progress_of(self, request: Request[Any, Any, Any], job_id: uuid.UUID) -> Response[dict[str, Any]]:
        actor = admin_actor(request)
        with container_of(request).engine.connect() as conn:
            return progress_response(get_batch_selection(conn, actor, job_id))
