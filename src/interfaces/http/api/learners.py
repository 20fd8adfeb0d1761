"""The learner roster (学籍) and a learner's own record."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, get

from application.common.filters import RosterFilter
from application.learners.queries import get_learner, list_learners
from interfaces.http.api.common import ROSTER, Listing, listing, out, page_of
from interfaces.http.api.learner_records_out import LearnerOut
from interfaces.http.context import api_actor, container_of


class LearnerController(Controller):
    path = "/learners"
    tags = ["learners"]
    dependencies = ROSTER

    @get("/", sync_to_thread=True)
    def index(
        self,
        request: Request[Any, Any, Any],
        roster: RosterFilter,
        page: int = 1,
        page_size: int = 20,
    ) -> Listing[LearnerOut]:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return listing(list_learners(conn, actor, page_of(page, page_size), roster), LearnerOut)

    @get("/{learner_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], learner_id: uuid.UUID) -> LearnerOut:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return out(get_learner(conn, actor, learner_id), LearnerOut)
