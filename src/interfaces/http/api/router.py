"""The /api/v1 router: every context package's controllers, behind the login guard, with the
actor, the services and a read connection for their handlers to take."""

from __future__ import annotations

from litestar import Router
from litestar.types import ControllerRouterHandler

from interfaces.http.api import (
    admissions,
    audit,
    curriculum,
    enrolment,
    exams,
    finance,
    identity,
    learners,
    organisation,
    teaching,
    training,
)
from interfaces.http.api.common.dependencies import API_DEPENDENCIES
from interfaces.http.context import require_login

CONTEXTS = [identity, organisation, admissions, learners, curriculum, enrolment, exams, finance, teaching, training, audit]

CONTROLLERS: list[ControllerRouterHandler] = [controller for context in CONTEXTS for controller in context.CONTROLLERS]


def api_router() -> Router:
    return Router(path="/api/v1", route_handlers=CONTROLLERS, guards=[require_login], dependencies=API_DEPENDENCIES)
