"""What Litestar injects into every admin page handler: the signed-in staff member (`actor`),
the application's use cases (`services`) and a read connection to the read models (`reader`),
closed when the response is sent. A handler names what it needs as a parameter."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from litestar import Request
from litestar.di import Provide
from sqlalchemy import Connection

from application.common.actor import Actor
from infrastructure.container import Container
from infrastructure.database import reader
from interfaces.admin.common.session import admin_actor
from interfaces.http.context import container_of


def provide_actor(request: Request[Any, Any, Any]) -> Actor:
    return admin_actor(request)


def provide_services(request: Request[Any, Any, Any]) -> Container:
    return container_of(request)


def provide_reader(request: Request[Any, Any, Any]) -> Iterator[Connection]:
    with reader(container_of(request).engine) as conn:
        yield conn


ADMIN_DEPENDENCIES = {
    "actor": Provide(provide_actor, sync_to_thread=True),
    "services": Provide(provide_services, sync_to_thread=False),
    "reader": Provide(provide_reader),
}
