"""School-recognised hours: offline activities a school organises, and declarations of outside
training a trainee makes and the school reviews."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post
from sqlalchemy import Connection

from application.common.actor import Actor
from application.training import learning_queries as q
from infrastructure.container import Container
from interfaces.http.api.common import CreatedOut, out
from interfaces.http.api.training.schemas import (
    ActivityIn,
    ActivityOut,
    AttendanceIn,
    DeclarationIn,
    DeclarationOut,
    DeclarationReviewIn,
)


class TrainingActivityController(Controller):
    path = "/training"
    tags = ["training"]

    @get("/offline-activities", sync_to_thread=True)
    def activities(self, actor: Actor, reader: Connection) -> list[ActivityOut]:
        return out(q.list_activities(reader, actor), list[ActivityOut])

    @post("/offline-activities", sync_to_thread=True, status_code=201)
    def organise(self, actor: Actor, services: Container, data: ActivityIn) -> CreatedOut:
        return CreatedOut(id=services.training.activities.organise(actor, data.title, data.held_on, data.tenths))

    @post("/offline-activities/{activity_id:uuid}/participants", sync_to_thread=True, status_code=204)
    def participant(self, actor: Actor, services: Container, activity_id: uuid.UUID, data: AttendanceIn) -> None:
        services.training.activities.record_participation(actor, activity_id, data.trainee_id)

    @get("/declarations", sync_to_thread=True)
    def declarations(self, actor: Actor, reader: Connection, status: str | None = None) -> list[DeclarationOut]:
        return out(q.list_declarations(reader, actor, status), list[DeclarationOut])

    @post("/declarations", sync_to_thread=True, status_code=201)
    def declare(self, actor: Actor, services: Container, data: DeclarationIn) -> CreatedOut:
        declaration_id = services.training.activities.declare(
            actor, data.title, data.organiser, data.held_on, data.tenths
        )
        return CreatedOut(id=declaration_id)

    @post("/declarations/{declaration_id:uuid}/review", sync_to_thread=True, status_code=204)
    def review(
        self, actor: Actor, services: Container, declaration_id: uuid.UUID, data: DeclarationReviewIn
    ) -> None:
        services.training.activities.review_declaration(actor, declaration_id, data.recognise, data.reason)
