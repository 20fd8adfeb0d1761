"""Batches, programmes, application forms, quick registrations and school review."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import msgspec
from litestar import Controller, Request, get, patch, post, put

from application.admissions.queries import (
    get_form,
    list_admission_batches,
    list_forms,
    list_programmes,
    list_study_batches,
)
from application.common.actor import Actor
from application.common.filters import RosterFilter
from domains.admissions.application_form import FormStatus
from interfaces.http.api.admissions_out import (
    AdmissionBatchOut,
    ApplicationFormOut,
    BatchReviewOut,
    ProgrammeOut,
    QuickRegisteredOut,
    ReviewResultOut,
    StudyBatchOut,
)
from interfaces.http.api.common import (
    ROSTER,
    CreatedOut,
    Listing,
    listing,
    out,
    page_of,
)
from interfaces.http.context import ANONYMOUS, api_actor, container_of


class StudyBatchIn(msgspec.Struct):
    code: str
    name: str


class AdmissionBatchIn(msgspec.Struct):
    code: str
    name: str
    study_batch_id: uuid.UUID
    opens_on: str
    closes_on: str


class PeriodIn(msgspec.Struct):
    opens_on: str
    closes_on: str
    reason: str | None = None


class ProgrammeIn(msgspec.Struct):
    code: str
    level: str
    learner_type: str
    learner_source: str
    major: str
    length_of_schooling: str
    teaching_point_ids: list[uuid.UUID] = []


class OfferingsIn(msgspec.Struct):
    teaching_point_ids: list[uuid.UUID]


def _staff(request: Request[Any, Any, Any]) -> Actor:
    actor = api_actor(request)
    if not actor.is_staff:
        from domains.shared.errors import Forbidden

        raise Forbidden("auth.role_not_allowed", "学生无权查看该信息")
    return actor


class CatalogueController(Controller):
    tags = ["admissions"]

    @get("/study-batches", sync_to_thread=True)
    def study_batches(self, request: Request[Any, Any, Any]) -> list[StudyBatchOut]:
        _staff(request)
        with container_of(request).engine.connect() as conn:
            return out(list_study_batches(conn), list[StudyBatchOut])

    @post("/study-batches", sync_to_thread=True)
    def create_study_batch(self, request: Request[Any, Any, Any], data: StudyBatchIn) -> CreatedOut:
        c = container_of(request)
        batch_id = c.admissions.register_study_batch(api_actor(request), data.code, data.name)
        return CreatedOut(id=batch_id)

    @get("/admission-batches", sync_to_thread=True)
    def admission_batches(self, request: Request[Any, Any, Any]) -> list[AdmissionBatchOut]:
        _staff(request)
        with container_of(request).engine.connect() as conn:
            return out(list_admission_batches(conn), list[AdmissionBatchOut])

    @post("/admission-batches", sync_to_thread=True)
    def create_admission_batch(self, request: Request[Any, Any, Any], data: AdmissionBatchIn) -> CreatedOut:
        c = container_of(request)
        batch_id = c.admissions.register_admission_batch(
            api_actor(request), data.code, data.name, data.study_batch_id, data.opens_on, data.closes_on
        )
        return CreatedOut(id=batch_id)

    @patch("/admission-batches/{batch_id:uuid}/period", sync_to_thread=True)
    def change_period(self, request: Request[Any, Any, Any], batch_id: uuid.UUID, data: PeriodIn) -> CreatedOut:
        container_of(request).admissions.change_admission_period(
            api_actor(request), batch_id, data.opens_on, data.closes_on, data.reason
        )
        return CreatedOut(id=batch_id)

    @get("/programmes", sync_to_thread=True)
    def programmes(self, request: Request[Any, Any, Any], teaching_point_id: uuid.UUID | None = None) -> list[ProgrammeOut]:
        actor = _staff(request)
        if actor.teaching_point_id is not None:
            teaching_point_id = actor.teaching_point_id
        with container_of(request).engine.connect() as conn:
            return out(list_programmes(conn, teaching_point_id), list[ProgrammeOut])

    @post("/programmes", sync_to_thread=True)
    def create_programme(self, request: Request[Any, Any, Any], data: ProgrammeIn) -> CreatedOut:
        c = container_of(request)
        programme_id = c.admissions.register_programme(api_actor(request), **msgspec.structs.asdict(data))
        return CreatedOut(id=programme_id)

    @put("/programmes/{programme_id:uuid}/teaching-points", sync_to_thread=True)
    def set_offerings(self, request: Request[Any, Any, Any], programme_id: uuid.UUID, data: OfferingsIn) -> CreatedOut:
        container_of(request).admissions.set_programme_teaching_points(api_actor(request), programme_id, data.teaching_point_ids)
        return CreatedOut(id=programme_id)


class Applicant(msgspec.Struct):
    name: str
    id_number: str
    ethnicity: str
    mobile: str
    address: str
    prior_level: str
    prior_school: str
    prior_graduation_date: str
    prior_certificate_number: str
    email: str | None = None
    occupation: str | None = None
    prior_major: str | None = None
    original_name: str | None = None
    original_id_number: str | None = None


class FormIn(msgspec.Struct):
    admission_batch_id: uuid.UUID
    programme_id: uuid.UUID
    applicant: Applicant
    teaching_point_id: uuid.UUID | None = None


class CompletionIn(msgspec.Struct):
    admission_batch_id: uuid.UUID
    programme_id: uuid.UUID
    applicant: Applicant


class QuickRegistrationIn(msgspec.Struct):
    name: str
    mobile: str
    intended_major: str
    teaching_point_id: uuid.UUID | None = None


class ReviewIn(msgspec.Struct):
    comment: str | None = None


class BatchApprovalIn(msgspec.Struct):
    form_ids: list[uuid.UUID]
    comment: str | None = None


class ApplicationFormController(Controller):
    path = "/application-forms"
    tags = ["admissions"]
    dependencies = ROSTER

    @get("/", sync_to_thread=True)
    def index(
        self,
        request: Request[Any, Any, Any],
        roster: RosterFilter,
        page: int = 1,
        page_size: int = 20,
    ) -> Listing[ApplicationFormOut]:
        """Filtered by the roster filters (requirements/common.md §2.1); a form has no student number yet, so that
        parameter is ignored here."""
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return listing(list_forms(conn, actor, page_of(page, page_size), roster), ApplicationFormOut)

    @post("/", sync_to_thread=True)
    def enter(self, request: Request[Any, Any, Any], data: FormIn) -> ApplicationFormOut:
        actor = api_actor(request)
        c = container_of(request)
        form_id = c.admissions.enter_form(
            actor,
            admission_batch_id=data.admission_batch_id,
            programme_id=data.programme_id,
            applicant=msgspec.structs.asdict(data.applicant),
            teaching_point_id=data.teaching_point_id,
        )
        with c.engine.connect() as conn:
            return out(get_form(conn, actor, form_id), ApplicationFormOut)

    @get("/{form_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], form_id: uuid.UUID) -> ApplicationFormOut:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return out(get_form(conn, actor, form_id), ApplicationFormOut)

    @post("/{form_id:uuid}/completion", sync_to_thread=True, status_code=200)
    def complete(self, request: Request[Any, Any, Any], form_id: uuid.UUID, data: CompletionIn) -> ApplicationFormOut:
        actor = api_actor(request)
        c = container_of(request)
        c.admissions.complete_quick_registration(
            actor, form_id, admission_batch_id=data.admission_batch_id, programme_id=data.programme_id,
            applicant=msgspec.structs.asdict(data.applicant),
        )
        with c.engine.connect() as conn:
            return out(get_form(conn, actor, form_id), ApplicationFormOut)

    @post("/{form_id:uuid}/approval", sync_to_thread=True, status_code=200)
    def approve(self, request: Request[Any, Any, Any], form_id: uuid.UUID, data: ReviewIn) -> ApplicationFormOut:
        actor = api_actor(request)
        c = container_of(request)
        c.admissions.approve_form(actor, form_id, data.comment)
        with c.engine.connect() as conn:
            return out(get_form(conn, actor, form_id), ApplicationFormOut)

    @post("/{form_id:uuid}/rejection", sync_to_thread=True, status_code=200)
    def reject(self, request: Request[Any, Any, Any], form_id: uuid.UUID, data: ReviewIn) -> ApplicationFormOut:
        actor = api_actor(request)
        c = container_of(request)
        c.admissions.reject_form(actor, form_id, data.comment or "")
        with c.engine.connect() as conn:
            return out(get_form(conn, actor, form_id), ApplicationFormOut)

    @post("/approvals", sync_to_thread=True, status_code=200)
    def approve_many(self, request: Request[Any, Any, Any], data: BatchApprovalIn) -> BatchReviewOut:
        outcomes = container_of(request).admissions.approve_forms(api_actor(request), data.form_ids, data.comment)
        return BatchReviewOut(
            approved=sum(o.ok for o in outcomes),
            refused=sum(not o.ok for o in outcomes),
            results=out([dataclasses.asdict(o) for o in outcomes], list[ReviewResultOut]),
        )


class QuickRegistrationController(Controller):
    path = "/public/quick-registrations"
    tags = ["public"]

    @post("/", sync_to_thread=True)
    def create(self, request: Request[Any, Any, Any], data: QuickRegistrationIn) -> QuickRegisteredOut:
        form_id = container_of(request).admissions.quick_register(
            ANONYMOUS, data.name, data.mobile, data.intended_major, data.teaching_point_id
        )
        return QuickRegisteredOut(id=form_id, status=FormStatus.QUICK_REGISTERED)
