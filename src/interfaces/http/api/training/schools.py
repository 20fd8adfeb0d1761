"""School training platforms (校级培训平台): the centre registers schools and appoints their
administrators and its own; a school's people and its training list."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post, put
from sqlalchemy import Connection

from application.common.actor import Actor
from application.training import learning_queries as q
from infrastructure.container import Container
from interfaces.http.api.common import out
from interfaces.http.api.training.schemas import (
    AdminIn,
    AppointedOut,
    MemberOut,
    SchoolIn,
    SchoolOut,
    TrainingListIn,
)


def _school(reader: Connection, actor: Actor, school_id: uuid.UUID) -> SchoolOut:
    return out(q.get_school(reader, actor, school_id), SchoolOut)


class TrainingSchoolController(Controller):
    path = "/training/schools"
    tags = ["training"]

    @get("/", sync_to_thread=True)
    def index(self, actor: Actor, reader: Connection) -> list[SchoolOut]:
        return out(q.list_schools(reader, actor), list[SchoolOut])

    @post("/", sync_to_thread=True, status_code=201)
    def create(self, actor: Actor, services: Container, reader: Connection, data: SchoolIn) -> SchoolOut:
        school_id = services.training.schools.register_school(actor, data.name, data.campus_ranges)
        return _school(reader, actor, school_id)

    @get("/{school_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, reader: Connection, school_id: uuid.UUID) -> SchoolOut:
        return _school(reader, actor, school_id)

    @put("/{school_id:uuid}", sync_to_thread=True)
    def edit(
        self, actor: Actor, services: Container, reader: Connection, school_id: uuid.UUID, data: SchoolIn
    ) -> SchoolOut:
        services.training.schools.edit_school(actor, school_id, data.name, data.campus_ranges)
        return _school(reader, actor, school_id)

    @post("/{school_id:uuid}/admins", sync_to_thread=True, status_code=201)
    def appoint(self, actor: Actor, services: Container, school_id: uuid.UUID, data: AdminIn) -> AppointedOut:
        account_id = services.training.schools.appoint_admin(
            actor, role_name="training_school_admin", school_id=school_id, username=data.username,
            name=data.name, password=data.password, confirm_password=data.confirm_password,
        )
        return AppointedOut(account_id=account_id)

    @get("/{school_id:uuid}/members", sync_to_thread=True)
    def members(
        self, actor: Actor, reader: Connection, school_id: uuid.UUID, role: str | None = None
    ) -> list[MemberOut]:
        return out(q.list_members(reader, actor, school_id, role), list[MemberOut])

    @put("/{school_id:uuid}/training-list", sync_to_thread=True)
    def set_training_list(
        self, actor: Actor, services: Container, reader: Connection, school_id: uuid.UUID, data: TrainingListIn
    ) -> SchoolOut:
        services.training.schools.set_training_list(actor, school_id, data.course_ids)
        return _school(reader, actor, school_id)


class TrainingCentreAdminController(Controller):
    path = "/training/centre-admins"
    tags = ["training"]

    @post("/", sync_to_thread=True, status_code=201)
    def appoint(self, actor: Actor, services: Container, data: AdminIn) -> AppointedOut:
        account_id = services.training.schools.appoint_admin(
            actor, role_name="training_centre_admin", school_id=None, username=data.username,
            name=data.name, password=data.password, confirm_password=data.confirm_password,
        )
        return AppointedOut(account_id=account_id)
