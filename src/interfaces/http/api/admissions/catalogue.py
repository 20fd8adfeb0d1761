"""The admissions catalogue: study batches, admission batches with their period, programmes and
where they are offered. Staff read it; learners may not."""

from __future__ import annotations

import uuid

import msgspec
from litestar import Controller, get, patch, post, put
from sqlalchemy import Connection

from application.admissions.queries import (
    list_admission_batches,
    list_programmes,
    list_study_batches,
)
from application.common.actor import Actor
from infrastructure.container import Container
from interfaces.http.api.admissions.schemas import (
    AdmissionBatchIn,
    AdmissionBatchOut,
    OfferingsIn,
    PeriodIn,
    ProgrammeIn,
    ProgrammeOut,
    StudyBatchIn,
    StudyBatchOut,
)
from interfaces.http.api.common import CreatedOut, out, staff_only


class CatalogueController(Controller):
    tags = ["admissions"]

    @get("/study-batches", sync_to_thread=True, guards=[staff_only])
    def study_batches(self, reader: Connection) -> list[StudyBatchOut]:
        return out(list_study_batches(reader), list[StudyBatchOut])

    @post("/study-batches", sync_to_thread=True)
    def create_study_batch(self, actor: Actor, services: Container, data: StudyBatchIn) -> CreatedOut:
        return CreatedOut(id=services.admissions.register_study_batch(actor, data.code, data.name))

    @get("/admission-batches", sync_to_thread=True, guards=[staff_only])
    def admission_batches(self, reader: Connection) -> list[AdmissionBatchOut]:
        return out(list_admission_batches(reader), list[AdmissionBatchOut])

    @post("/admission-batches", sync_to_thread=True)
    def create_admission_batch(self, actor: Actor, services: Container, data: AdmissionBatchIn) -> CreatedOut:
        batch_id = services.admissions.register_admission_batch(
            actor, data.code, data.name, data.study_batch_id, data.opens_on, data.closes_on
        )
        return CreatedOut(id=batch_id)

    @patch("/admission-batches/{batch_id:uuid}/period", sync_to_thread=True)
    def change_period(self, actor: Actor, services: Container, batch_id: uuid.UUID, data: PeriodIn) -> CreatedOut:
        services.admissions.change_admission_period(actor, batch_id, data.opens_on, data.closes_on, data.reason)
        return CreatedOut(id=batch_id)

    @get("/programmes", sync_to_thread=True, guards=[staff_only])
    def programmes(
        self, actor: Actor, reader: Connection, teaching_point_id: uuid.UUID | None = None
    ) -> list[ProgrammeOut]:
        if actor.teaching_point_id is not None:
            teaching_point_id = actor.teaching_point_id
        return out(list_programmes(reader, teaching_point_id), list[ProgrammeOut])

    @post("/programmes", sync_to_thread=True)
    def create_programme(self, actor: Actor, services: Container, data: ProgrammeIn) -> CreatedOut:
        return CreatedOut(id=services.admissions.register_programme(actor, **msgspec.structs.asdict(data)))

    @put("/programmes/{programme_id:uuid}/teaching-points", sync_to_thread=True)
    def set_offerings(
        self, actor: Actor, services: Container, programme_id: uuid.UUID, data: OfferingsIn
    ) -> CreatedOut:
        services.admissions.set_programme_teaching_points(actor, programme_id, data.teaching_point_ids)
        return CreatedOut(id=programme_id)
