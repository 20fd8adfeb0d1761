"""The learner record (学籍信息, requirements/learners.md §2): the record page, contact details changed at
once by the teaching point, the learner's confirmation, and change requests of basic information
and prior education reviewed by academic affairs, with their history (修改和处理记录)."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post, put

from application.common.filters import RosterFilter
from application.learners.proof_files import Upload
from application.learners.record_change_projection import (
    get_record_change,
    learner_record,
    list_all_record_changes,
    list_record_changes,
    record_change_attachment,
)
from interfaces.http.api.common import ROSTER, Listing, listing, out, page_of
from interfaces.http.api.learner_records_out import (
    LearnerRecordOut,
    QueuedRecordChangeOut,
    RecordChangeOut,
)
from interfaces.http.context import api_actor, container_of
from interfaces.http.files import stored_file_response


class ContactIn(msgspec.Struct):
    mobile: str | None = None  # 移动电话: 11 digits
    email: str | None = None
    reason: str | None = None


class AttachmentIn(msgspec.Struct):
    file_name: str | None = None
    content: bytes = b""  # base64 in JSON; the type is decided from these bytes, never from the name


class RecordChangeIn(msgspec.Struct):
    changes: dict[str, str | None]  # field -> new value (basic information / prior education)
    reason: str | None = None
    attachments: list[AttachmentIn] = msgspec.field(default_factory=list)


class CommentIn(msgspec.Struct):
    comment: str | None = None


class ReasonIn(msgspec.Struct):
    reason: str | None = None


Req = Request[Any, Any, Any]


class LearnerRecordController(Controller):
    path = "/learners/{learner_id:uuid}"
    tags = ["learners"]

    def _record(self, request: Req, learner_id: uuid.UUID) -> LearnerRecordOut:
        with container_of(request).engine.connect() as conn:
            return out(learner_record(conn, api_actor(request), learner_id), LearnerRecordOut)

    def _request(self, request: Req, learner_id: uuid.UUID, request_id: uuid.UUID) -> RecordChangeOut:
        with container_of(request).engine.connect() as conn:
            return out(get_record_change(conn, api_actor(request), learner_id, request_id), RecordChangeOut)

    @get("/record", sync_to_thread=True)
    def record(self, request: Req, learner_id: uuid.UUID) -> LearnerRecordOut:
        """The record's state (未确认/已确认/待审核/审核通过/审核驳回), its details, what the learner
        may still do, and every change request with its handling."""
        return self._record(request, learner_id)

    @put("/contact-details", sync_to_thread=True, status_code=200)
    def contact(self, request: Req, learner_id: uuid.UUID, data: ContactIn) -> LearnerRecordOut:
        """联系方式 by the learner's teaching point: no review, effective at once."""
        container_of(request).learner_records.change_contact_details(
            api_actor(request), learner_id, data.email, data.mobile, data.reason
        )
        return self._record(request, learner_id)

    @post("/record-confirmation", sync_to_thread=True, status_code=200)
    def confirm(self, request: Req, learner_id: uuid.UUID) -> LearnerRecordOut:
        """The learner confirms their own record as correct (已确认), once."""
        container_of(request).learner_records.confirm(api_actor(request), learner_id)
        return self._record(request, learner_id)

    @post("/record-changes", sync_to_thread=True)
    def create(self, request: Req, learner_id: uuid.UUID, data: RecordChangeIn) -> Response[RecordChangeOut]:
        """By the teaching point, or by the learner (their one chance): 待审核. Proof files: PNG,
        JPG or PDF, at most 5 MB each."""
        request_id = container_of(request).learner_records.request_change(
            api_actor(request), learner_id, dict(data.changes), data.reason,
            [Upload(a.file_name, a.content) for a in data.attachments],
        )
        return Response(self._request(request, learner_id, request_id), status_code=201)

    @get("/record-changes", sync_to_thread=True)
    def index(
        self, request: Req, learner_id: uuid.UUID, status: str | None = None, page: int = 1, page_size: int = 20
    ) -> Listing[RecordChangeOut]:
        """修改和处理记录: the learner's requests, newest first (ID numbers masked)."""
        with container_of(request).engine.connect() as conn:
            return listing(
                list_record_changes(conn, api_actor(request), learner_id, page_of(page, page_size), status), RecordChangeOut
            )

    @get("/record-changes/{request_id:uuid}", sync_to_thread=True)
    def show(self, request: Req, learner_id: uuid.UUID, request_id: uuid.UUID) -> RecordChangeOut:
        return self._request(request, learner_id, request_id)

    @get("/record-changes/{request_id:uuid}/attachments/{index:int}", sync_to_thread=True, media_type="*/*")
    def attachment(self, request: Req, learner_id: uuid.UUID, request_id: uuid.UUID, index: int) -> Response[bytes]:
        c = container_of(request)
        with c.engine.connect() as conn:
            ref = record_change_attachment(conn, api_actor(request), learner_id, request_id, index)["ref"]
        return stored_file_response(c, ref)

    @post("/record-changes/{request_id:uuid}/approval", sync_to_thread=True, status_code=200)
    def approve(self, request: Req, learner_id: uuid.UUID, request_id: uuid.UUID, data: CommentIn | None = None) -> RecordChangeOut:
        """审核通过 by academic affairs: the record changes at once."""
        container_of(request).learner_records.approve(api_actor(request), learner_id, request_id, data.comment if data else None)
        return self._request(request, learner_id, request_id)

    @post("/record-changes/{request_id:uuid}/rejection", sync_to_thread=True, status_code=200)
    def reject(self, request: Req, learner_id: uuid.UUID, request_id: uuid.UUID, data: ReasonIn) -> RecordChangeOut:
        """审核驳回 by academic affairs (a reason is required): the record stays as it was."""
        container_of(request).learner_records.reject(api_actor(request), learner_id, request_id, data.reason)
        return self._request(request, learner_id, request_id)


class RecordChangeQueueController(Controller):
    path = "/record-changes"
    tags = ["learners"]
    dependencies = ROSTER

    @get("/", sync_to_thread=True)
    def index(
        self, request: Req, roster: RosterFilter, learner_id: uuid.UUID | None = None, page: int = 1, page_size: int = 20
    ) -> Listing[QueuedRecordChangeOut]:
        """The review queue of 学籍信息变更申请: the roster filters of requirements/common.md §2.1
        (status: the request's, e.g. pending_review for 待审核), ID numbers masked."""
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return listing(list_all_record_changes(conn, actor, page_of(page, page_size), roster, learner_id), QueuedRecordChangeOut)


LEARNER_RECORD_CONTROLLERS = [LearnerRecordController, RecordChangeQueueController]
