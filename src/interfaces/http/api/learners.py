"""The learner roster (学籍) and a learner's own record."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, get

from application.common.filters import RosterFilter
from application.learners.queries import get_learner, list_learners
from interfaces.http.api.common import ListOut, list_out, page_of
from interfaces.http.context import api_actor, container_of


class LearnerController(Controller):
    path = "/learners"
    tags = ["learners"]

    @get("/", sync_to_thread=True)
    def index(
        self,
        request: Request[Any, Any, Any],
        page: int = 1,
        page_size: int = 20,
        study_batch_id: uuid.UUID | None = None,
        level: str | None = None,
        learner_type: str | None = None,
        learner_source: str | None = None,
        major: str | None = None,
        length_of_schooling: str | None = None,
        teaching_point_id: uuid.UUID | None = None,
        student_number: str | None = None,
        name: str | None = None,
        status: str | None = None,
    ) -> ListOut:
        actor = api_actor(request)
        filters = RosterFilter(
            study_batch_id=study_batch_id, level=level, learner_type=learner_type, learner_source=learner_source,
            major=major, length_of_schooling=length_of_schooling, teaching_point_id=teaching_point_id,
            student_number=student_number, name=name, status=status,
        )
        with container_of(request).engine.connect() as conn:
            return list_out(list_learners(conn, actor, page_of(page, page_size), filters))

    @get("/{learner_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], learner_id: uuid.UUID) -> dict[str, Any]:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return get_learner(conn, actor, learner_id)
