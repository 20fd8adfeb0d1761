"""Read models of the school and its teaching points."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Column, Connection, String, Table, Uuid, insert, update

from application.common.instant import Instant
from application.common.projection import Projection, handles, read_models
from domains.organisation.teaching_point import School, TeachingPoint

schools = Table(
    "rm_schools",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("code", String(20), nullable=False),
    Column("name", String(60), nullable=False),
)

teaching_points = Table(
    "rm_teaching_points",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("code", String(20), nullable=False, unique=True),
    Column("name", String(60), nullable=False),
    Column("address", String(200)),
    Column("recruiters", String(1000), nullable=False, default=""),
    Column("phones", String(1000), nullable=False, default=""),
    Column("enabled", Boolean, nullable=False),
    Column("registered_at", Instant(), nullable=False),
    Column("updated_at", Instant(), nullable=False),
)


class OrganisationProjection(Projection):
    name = "organisation"
    tables = (schools, teaching_points)

    @handles(School.Registered)
    def _school(self, conn: Connection, e: Any) -> None:
        conn.execute(insert(schools).values(id=e.originator_id, code=e.code, name=e.name))

    @handles(TeachingPoint.Registered)
    def _registered(self, conn: Connection, e: Any) -> None:
        conn.execute(
            insert(teaching_points).values(
                id=e.originator_id,
                code=e.code,
                name=e.name,
                address=e.address,
                recruiters=",".join(e.recruiters),
                phones=",".join(e.phones),
                enabled=True,
                registered_at=e.timestamp,
                updated_at=e.timestamp,
            )
        )

    @handles(TeachingPoint.ContactDetailsEdited)
    def _contact(self, conn: Connection, e: Any) -> None:
        conn.execute(
            update(teaching_points)
            .where(teaching_points.c.id == e.originator_id)
            .values(
                address=e.address,
                recruiters=",".join(e.recruiters),
                phones=",".join(e.phones),
                updated_at=e.timestamp,
            )
        )

    @handles(TeachingPoint.Disabled, TeachingPoint.Enabled)
    def _status(self, conn: Connection, e: Any) -> None:
        conn.execute(
            update(teaching_points)
            .where(teaching_points.c.id == e.originator_id)
            .values(enabled=isinstance(e, TeachingPoint.Enabled), updated_at=e.timestamp)
        )
