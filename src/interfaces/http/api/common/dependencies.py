"""What Litestar injects into every API handler: the bearer token's account (`actor`), the
application's use cases (`services`) and a read connection to the read models (`reader`),
closed when the response is sent; and the roster filters (requirements/common.md §2.1) of list
operations (`roster`, declared by the controllers that take them). A handler names what it needs as a parameter."""

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
from infrastructure.database import reader
from interfaces.http.context import authenticated, container_of


async def provide_actor(request: Request[Any, Any, Any]) -> Actor:
    """Already resolved by the login guard (`context.require_login`), which answers 401 without a
    valid bearer token before any dependency is built."""
    return await authenticated(request)


def provide_services(request: Request[Any, Any, Any]) -> Container:
    return container_of(request)


def provide_reader(request: Request[Any, Any, Any]) -> Iterator[Connection]:
    """A read connection that holds no transaction (`infrastructure.database.reader`): the
    handler may read before and after a use case writes, and each read sees the latest state."""
    with reader(container_of(request).engine) as conn:
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
    """The roster filters of requirements/common.md §2.1 (学习批次, the five programme elements,
    教学点, 学号, 姓名, status) as query parameters of every roster-like list: a controller declares
    `dependencies=ROSTER` and its handler takes `roster: RosterFilter`."""
    return RosterFilter(
        study_batch_id=study_batch_id, level=level, learner_type=learner_type, learner_source=learner_source,
        major=major, length_of_schooling=length_of_schooling, teaching_point_id=teaching_point_id,
        student_number=student_number, name=name, status=status,
    )


ROSTER = {"roster": Provide(roster_filter, sync_to_thread=False)}
