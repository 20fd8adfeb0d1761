"""Teaching points (教学点): the school registers and edits them; the public quick-registration
page lists the enabled ones."""

from __future__ import annotations

import uuid

from litestar import Controller, get, patch, post
from sqlalchemy import Connection

from application.common.actor import Actor
from application.organisation.queries import (
    get_teaching_point,
    list_teaching_points,
    teaching_point_choices,
)
from infrastructure.container import Container
from interfaces.http.api.common import Listing, ReasonIn, listing, out, page_of
from interfaces.http.api.organisation.schemas import (
    TeachingPointChoiceOut,
    TeachingPointContactIn,
    TeachingPointIn,
    TeachingPointOut,
)


def _teaching_point(reader: Connection, actor: Actor, teaching_point_id: uuid.UUID) -> TeachingPointOut:
    return out(get_teaching_point(reader, actor, teaching_point_id), TeachingPointOut)


class TeachingPointController(Controller):
    path = "/teaching-points"
    tags = ["organisation"]

    @get("/", sync_to_thread=True)
    def index(
        self, actor: Actor, reader: Connection, page: int = 1, page_size: int = 20, q: str | None = None,
        enabled: bool | None = None,
    ) -> Listing[TeachingPointOut]:
        return listing(list_teaching_points(reader, actor, page_of(page, page_size), q, enabled), TeachingPointOut)

    @post("/", sync_to_thread=True)
    def create(self, actor: Actor, services: Container, reader: Connection, data: TeachingPointIn) -> TeachingPointOut:
        tp_id = services.organisation.register_teaching_point(
            actor, data.code, data.name, data.address, data.recruiters, data.phones
        )
        return _teaching_point(reader, actor, tp_id)

    @get("/{teaching_point_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, reader: Connection, teaching_point_id: uuid.UUID) -> TeachingPointOut:
        return _teaching_point(reader, actor, teaching_point_id)

    @patch("/{teaching_point_id:uuid}/contact-details", sync_to_thread=True)
    def edit_contact(
        self, actor: Actor, services: Container, reader: Connection, teaching_point_id: uuid.UUID,
        data: TeachingPointContactIn,
    ) -> TeachingPointOut:
        services.organisation.edit_contact_details(
            actor, teaching_point_id, data.address, data.recruiters, data.phones, data.reason
        )
        return _teaching_point(reader, actor, teaching_point_id)

    @post("/{teaching_point_id:uuid}/enable", sync_to_thread=True, status_code=200)
    def enable(
        self, actor: Actor, services: Container, reader: Connection, teaching_point_id: uuid.UUID, data: ReasonIn
    ) -> TeachingPointOut:
        services.organisation.set_enabled(actor, teaching_point_id, True, data.reason)
        return _teaching_point(reader, actor, teaching_point_id)

    @post("/{teaching_point_id:uuid}/disable", sync_to_thread=True, status_code=200)
    def disable(
        self, actor: Actor, services: Container, reader: Connection, teaching_point_id: uuid.UUID, data: ReasonIn
    ) -> TeachingPointOut:
        services.organisation.set_enabled(actor, teaching_point_id, False, data.reason)
        return _teaching_point(reader, actor, teaching_point_id)


class PublicTeachingPointController(Controller):
    path = "/public/teaching-points"
    tags = ["public"]

    @get("/", sync_to_thread=True)
    def index(self, reader: Connection) -> list[TeachingPointChoiceOut]:
        """Enabled teaching points for the public quick-registration page."""
        return out(teaching_point_choices(reader), list[TeachingPointChoiceOut])
