"""The admin UI's router: every context's page controllers under one router that injects the
actor, the services and a read connection, keeps auditors read-only and renders refusals as
Chinese error pages."""

from __future__ import annotations

from litestar import Router
from litestar.exceptions import HTTPException

from domains.shared.errors import DomainError
from interfaces.admin import (
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
from interfaces.admin.common.dependencies import ADMIN_DEPENDENCIES
from interfaces.admin.common.guards import auditors_read_only
from interfaces.admin.common.rendering import (
    error_page,
    http_error_page,
    login_redirect,
)
from interfaces.admin.common.session import LoginRequired
from interfaces.admin.home import HomePage

CONTEXTS = (identity, organisation, admissions, learners, curriculum, enrolment, finance, exams, teaching, training, audit)


def admin_router() -> Router:
    return Router(
        path="/",
        route_handlers=[HomePage, *(controller for context in CONTEXTS for controller in context.CONTROLLERS)],
        dependencies=ADMIN_DEPENDENCIES,
        exception_handlers={LoginRequired: login_redirect, DomainError: error_page, HTTPException: http_error_page},
        guards=[auditors_read_only],
        include_in_schema=False,
    )
