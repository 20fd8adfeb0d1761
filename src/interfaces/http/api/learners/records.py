"""The learner record (学籍信息, requirements/learners.md §2): the record page, contact details changed at
once by the teaching point, the learner's confirmation, and change requests of basic information
and prior education reviewed by academic affairs, with their history (修改和处理记录)."""

from __future__ import annotations

import uuid

from litestar import Controller, Response, get, post, put
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.learners.proof_files import Upload
from application.learners.record_change_projection import (
    get_record_change,
    learner_record,
    list_all_record_changes,
    list_record_changes,
    record_change_attachment,
)
from infrastructure.container import Container
from interfaces.http.api.common import (
    ROSTER,
    CommentIn,
    Listing,
    ReasonIn,
    listing,
    out,
    page_of,
)
from interfaces.http.api.learners.schemas import (
    LearnerContactIn,
    LearnerRecordOut,
    QueuedRecordChangeOut,
    RecordChangeIn,
    RecordChangeOut,
)
from interfaces.http.files import stored_file_response


def _record(reader: Connection, actor: Actor, learner_id: uuid.UUID) -> LearnerRecordOut:
    return out(learner_record(reader, actor, learner_id), LearnerRecordOut)


def _request(reader: Connection, actor: Actor, learner_id: uuid.UUID, request_id: uuid.UUID) -> RecordChangeOut:
    return out(get_record_change(reader, actor, learner_id, request_id), RecordChangeOut)


class LearnerRecordController(Controller):
    path = "/learners/{learner_id:uuid}"
    tags = ["learners"]

    @get("/record", sync_to_thread=True)
    def record(self, actor: Actor, reader: Connection, learner_id: uuid.UUID) -> LearnerRecordOut:
        """The record's state (未确认/已确认/待审核/审核通过/审核驳回), its details, what the learner
        may still do, and every change request with its handling."""
        return _record(reader, actor, learner_id)

    @put("/contact-details", sync_to_thread=True, status_code=200)
    def contact(
        self, actor: Actor, services: Container, reader: Connection, learner_id: uuid.UUID, data: LearnerContactIn
    ) -> LearnerRecordOut:
        """联系方式 by the learner's teaching point: no review, effective at once."""
        services.learner_records.change_contact_details(actor, learner_id, data.email, data.mobile, data.reason)
        return _record(reader, actor, learner_id)

    @post("/record-confirmation", sync_to_thread=True, status_code=200)
    def confirm(
        self, actor: Actor, services: Container, reader: Connection, learner_id: uuid.UUID
    ) -> LearnerRecordOut:
        """The learner confirms their own record as correct (已确认), once."""
        services.learner_records.confirm(actor, learner_id)
        return _record(reader, actor, learner_id)

    @post("/record-changes", sync_to_thread=True)
    def create(
        self, actor: Actor, services: Container, reader: Connection, learner_id: uuid.UUID, data: RecordChangeIn
    ) -> Response[RecordChangeOut]:
        """By the teaching point, or by the learner (their one chance): 待审核. Proof files: PNG,
        JPG or PDF, at most 5 MB each."""
        request_id = services.learner_records.request_change(
            actor, learner_id, dict(data.changes), data.reason,
            [Upload(a.file_name, a.content) for a in data.attachments],
        )
        return Response(_request(reader, actor, learner_id, request_id), status_code=201)

    @get("/record-changes", sync_to_thread=True)
    def index(
        self, actor: Actor, reader: Connection, learner_id: uuid.UUID, status: str | None = None, page: int = 1,
        page_size: int = 20,
    ) -> Listing[RecordChangeOut]:
        """修改和处理记录: the learner's requests, newest first (ID numbers masked)."""
        return listing(
            list_record_changes(reader, actor, learner_id, page_of(page, page_size), status), RecordChangeOut
        )

    @get("/record-changes/{request_id:uuid}", sync_to_thread=True)
    def show(
        self, actor: Actor, reader: Connection, learner_id: uuid.UUID, request_id: uuid.UUID
    ) -> RecordChangeOut:
        return _request(reader, actor, learner_id, request_id)

    @get("/record-changes/{request_id:uuid}/attachments/{index:int}", sync_to_thread=True, media_type="*/*")
    def attachment(
        self, actor: Actor, services: Container, reader: Connection, learner_id: uuid.UUID, request_id: uuid.UUID,
        index: int,
    ) -> Response[bytes]:
        found = record_change_attachment(reader, actor, learner_id, request_id, index)
        return stored_file_response(services, found["ref"])

    @post("/record-changes/{request_id:uuid}/approval", sync_to_thread=True, status_code=200)
    def approve(
        self, actor: Actor, services: Container, reader: Connection, learner_id: uuid.UUID, request_id: uuid.UUID,
        data: CommentIn | None = None,
    ) -> RecordChangeOut:
        """审核通过 by academic affairs: the record changes at once."""
        services.learner_records.approve(actor, learner_id, request_id, data.comment if data else None)
        return _request(reader, actor, learner_id, request_id)

    @post("/record-changes/{request_id:uuid}/rejection", sync_to_thread=True, status_code=200)
    def reject(
        self, actor: Actor, services: Container, reader: Connection, learner_id: uuid.UUID, request_id: uuid.UUID,
        data: ReasonIn,
    ) -> RecordChangeOut:
        """审核驳回 by academic affairs (a reason is required): the record stays as it was."""
        services.learner_records.reject(actor, learner_id, request_id, data.reason)
        return _request(reader, actor, learner_id, request_id)


class RecordChangeQueueController(Controller):
    path = "/record-changes"
    tags = ["learners"]
    dependencies = ROSTER

    @get("/", sync_to_thread=True)
    def index(
        self, actor: Actor, reader: Connection, roster: RosterFilter, learner_id: uuid.UUID | None = None,
        page: int = 1, page_size: int = 20,
    ) -> Listing[QueuedRecordChangeOut]:
        """The review queue of 学籍信息变更申请: the roster filters of requirements/common.md §2.1
        (status: the request's, e.g. pending_review for 待审核), ID numbers masked."""
        return listing(
            list_all_record_changes(reader, actor, page_of(page, page_size), roster, learner_id), QueuedRecordChangeOut
        )
