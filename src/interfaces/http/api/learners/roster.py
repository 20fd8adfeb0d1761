"""The learner roster (学籍) and a learner's own record."""

from __future__ import annotations

import uuid

from litestar import Controller, get
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.learners.queries import get_learner, list_learners
from interfaces.http.api.common import ROSTER, Listing, listing, out, page_of
from interfaces.http.api.learners.schemas import LearnerOut


class LearnerController(Controller):
    path = "/learners"
    tags = ["learners"]
    dependencies = ROSTER

    @get("/", sync_to_thread=True)
    def index(
        self, actor: Actor, reader: Connection, roster: RosterFilter, page: int = 1, page_size: int = 20
    ) -> Listing[LearnerOut]:
        return listing(list_learners(reader, actor, page_of(page, page_size), roster), LearnerOut)

    @get("/{learner_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, reader: Connection, learner_id: uuid.UUID) -> LearnerOut:
        return out(get_learner(reader, actor, learner_id), LearnerOut)
