"""Application forms (报名表): entry, quick registration and its completion, school review one by
one or in batches."""

from __future__ import annotations

import dataclasses
import uuid

import msgspec
from litestar import Controller, get, post
from sqlalchemy import Connection

from application.admissions.queries import get_form, list_forms
from application.common.actor import Actor
from application.common.filters import RosterFilter
from domains.admissions.application_form import FormStatus
from infrastructure.container import Container
from interfaces.http.api.admissions.schemas import (
    ApplicationFormOut,
    BatchApprovalIn,
    BatchReviewOut,
    CompletionIn,
    FormIn,
    QuickRegisteredOut,
    QuickRegistrationIn,
    ReviewIn,
    ReviewResultOut,
)
from interfaces.http.api.common import ROSTER, Listing, listing, out, page_of
from interfaces.http.context import ANONYMOUS


def _form(reader: Connection, actor: Actor, form_id: uuid.UUID) -> ApplicationFormOut:
    return out(get_form(reader, actor, form_id), ApplicationFormOut)


class ApplicationFormController(Controller):
    path = "/application-forms"
    tags = ["admissions"]
    dependencies = ROSTER

    @get("/", sync_to_thread=True)
    def index(
        self, actor: Actor, reader: Connection, roster: RosterFilter, page: int = 1, page_size: int = 20
    ) -> Listing[ApplicationFormOut]:
        """Filtered by the roster filters (requirements/common.md §2.1); a form has no student number yet, so that
        parameter is ignored here."""
        return listing(list_forms(reader, actor, page_of(page, page_size), roster), ApplicationFormOut)

    @post("/", sync_to_thread=True)
    def enter(self, actor: Actor, services: Container, reader: Connection, data: FormIn) -> ApplicationFormOut:
        form_id = services.admissions.enter_form(
            actor,
            admission_batch_id=data.admission_batch_id,
            programme_id=data.programme_id,
            applicant=msgspec.structs.asdict(data.applicant),
            teaching_point_id=data.teaching_point_id,
        )
        return _form(reader, actor, form_id)

    @get("/{form_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, reader: Connection, form_id: uuid.UUID) -> ApplicationFormOut:
        return _form(reader, actor, form_id)

    @post("/{form_id:uuid}/completion", sync_to_thread=True, status_code=200)
    def complete(
        self, actor: Actor, services: Container, reader: Connection, form_id: uuid.UUID, data: CompletionIn
    ) -> ApplicationFormOut:
        services.admissions.complete_quick_registration(
            actor, form_id, admission_batch_id=data.admission_batch_id, programme_id=data.programme_id,
            applicant=msgspec.structs.asdict(data.applicant),
        )
        return _form(reader, actor, form_id)

    @post("/{form_id:uuid}/approval", sync_to_thread=True, status_code=200)
    def approve(
        self, actor: Actor, services: Container, reader: Connection, form_id: uuid.UUID, data: ReviewIn
    ) -> ApplicationFormOut:
        services.admissions.approve_form(actor, form_id, data.comment)
        return _form(reader, actor, form_id)

    @post("/{form_id:uuid}/rejection", sync_to_thread=True, status_code=200)
    def reject(
        self, actor: Actor, services: Container, reader: Connection, form_id: uuid.UUID, data: ReviewIn
    ) -> ApplicationFormOut:
        services.admissions.reject_form(actor, form_id, data.comment or "")
        return _form(reader, actor, form_id)

    @post("/approvals", sync_to_thread=True, status_code=200)
    def approve_many(self, actor: Actor, services: Container, data: BatchApprovalIn) -> BatchReviewOut:
        outcomes = services.admissions.approve_forms(actor, data.form_ids, data.comment)
        return BatchReviewOut(
            approved=sum(o.ok for o in outcomes),
            refused=sum(not o.ok for o in outcomes),
            results=out([dataclasses.asdict(o) for o in outcomes], list[ReviewResultOut]),
        )


class QuickRegistrationController(Controller):
    path = "/public/quick-registrations"
    tags = ["public"]

    @post("/", sync_to_thread=True)
    def create(self, services: Container, data: QuickRegistrationIn) -> QuickRegisteredOut:
        form_id = services.admissions.quick_register(
            ANONYMOUS, data.name, data.mobile, data.intended_major, data.teaching_point_id
        )
        return QuickRegisteredOut(id=form_id, status=FormStatus.QUICK_REGISTERED)
