"""What Litestar injects into every API handler: the bearer token's account (`actor`), the
application's use cases (`services`) and a read connection to the read models (`reader`),
closed when the response is sent; and the seed's roster filters of list operations (`roster`,
declared by the controllers that take them). A handler names what it needs as a parameter."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from litestar import Request
from litestar.di import Provide
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.filters import RosterFilter
from infrastructure.container import Container
from interfaces.http.context import authenticated, container_of


async def provide_actor(request: Request[Any, Any, Any]) -> Actor:
    """Already resolved by the login guard (`context.require_login`), which answers 401 without a
    valid bearer token before any dependency is built."""
    return await authenticated(request)


def provide_services(request: Request[Any, Any, Any]) -> Container:
    return container_of(request)


def provide_reader(request: Request[Any, Any, Any]) -> Iterator[Connection]:
    """Its transaction starts at the first read and lasts until the response is sent; on SQLite
    that transaction holds the write lock. So a handler writes first and reads after, and a read
    that must come before the request's other database work goes through
    `convert.read_and_release`."""
    with container_of(request).engine.connect() as conn:
        yield conn


API_DEPENDENCIES = {
    "actor": Provide(provide_actor),
    "services": Provide(provide_services, sync_to_thread=False),
    "reader": Provide(provide_reader),
}


def roster_filter(
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
) -> RosterFilter:
    """The seed's list filters (学习批次, the five programme elements, 教学点, 学号, 姓名, status) as
    query parameters of every roster-like list: a controller declares `dependencies=ROSTER` and
    its handler takes `roster: RosterFilter`."""
    return RosterFilter(
        study_batch_id=study_batch_id, level=level, learner_type=learner_type, learner_source=learner_source,
        major=major, length_of_schooling=length_of_schooling, teaching_point_id=teaching_point_id,
        student_number=student_number, name=name, status=status,
    )


ROSTER = {"roster": Provide(roster_filter, sync_to_thread=False)}
