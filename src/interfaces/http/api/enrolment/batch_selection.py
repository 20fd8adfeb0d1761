"""Batch selection (批量选课) for a cohort, run in the background, with each learner's result."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post
from sqlalchemy import Connection

from application.common.actor import Actor
from application.enrolment.batch_selection import (
    get_batch_selection,
    list_batch_selections,
)
from infrastructure.container import Container
from interfaces.http.api.common import Listing, listing, out, page_of
from interfaces.http.api.enrolment.schemas import (
    BatchSelectionDetailOut,
    BatchSelectionIn,
    BatchSelectionOut,
)


class BatchSelectionController(Controller):
    path = "/batch-selections"
    tags = ["enrolment"]

    @post("/", sync_to_thread=True, status_code=202)
    def start(
        self, actor: Actor, services: Container, reader: Connection, data: BatchSelectionIn
    ) -> BatchSelectionDetailOut:
        """Batch selection for a cohort (one programme's learners of the teaching point): the
        chosen courses for every chosen learner, run in the background. Poll
        `GET /batch-selections/{id}` for progress and each learner's result."""
        job_id = services.batch_selections.start(actor, data.learner_ids, data.course_ids)
        return out(get_batch_selection(reader, actor, job_id), BatchSelectionDetailOut)

    @get("/", sync_to_thread=True)
    def index(
        self, actor: Actor, reader: Connection, page: int = 1, page_size: int = 20
    ) -> Listing[BatchSelectionOut]:
        return listing(list_batch_selections(reader, actor, page_of(page, page_size)), BatchSelectionOut)

    @get("/{job_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, reader: Connection, job_id: uuid.UUID) -> BatchSelectionDetailOut:
        return out(get_batch_selection(reader, actor, job_id), BatchSelectionDetailOut)
