"""Status changes (学籍异动, requirements/learners.md §4): transfer of teaching point, change of major and
withdrawal, asked by the learner or the teaching point, reviewed by the teaching point (初审) and
the school (复审); and the school's change-of-major window (转专业申请期)."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post, put

from application.common.filters import RosterFilter
from application.learners.status_change_projection import (
    attachment_of,
    change_of_major_window,
    get_status_change,
    list_status_changes,
)
from application.learners.status_changes import Upload
from interfaces.http.api.common import ROSTER, Listing, listing, out, page_of
from interfaces.http.api.status_changes_out import (
    ChangeOfMajorWindowOut,
    StatusChangeDetailOut,
    StatusChangeOut,
    WindowOut,
    WithdrawalCoursesOut,
)
from interfaces.http.context import api_actor, container_of
from interfaces.http.files import stored_file_response


class AttachmentIn(msgspec.Struct):
    file_name: str | None = None
    content: bytes = b""  # base64 in JSON; the type is decided from these bytes, never from the name


class StatusChangeIn(msgspec.Struct):
    kind: str  # transfer (转教学点) | change_of_major (转专业) | withdrawal (退学)
    reason: str | None = None
    student_number: str | None = None  # the full student number (a teaching point asking for its learner), or
    learner_id: uuid.UUID | None = None  # the learner (a learner asking for themselves may leave both out)
    target_teaching_point_id: uuid.UUID | None = None  # transfer
    target_programme_id: uuid.UUID | None = None  # change of major
    attachments: list[AttachmentIn] = msgspec.field(default_factory=list)


class CommentIn(msgspec.Struct):
    comment: str | None = None


class ReasonIn(msgspec.Struct):
    reason: str | None = None


class WindowIn(msgspec.Struct):
    opens_on: str
    closes_on: str


class StatusChangeController(Controller):
    path = "/status-changes"
    tags = ["learners"]
    dependencies = ROSTER

    def _show(self, request: Request[Any, Any, Any], status_change_id: uuid.UUID) -> StatusChangeDetailOut:
        with container_of(request).engine.connect() as conn:
            return out(get_status_change(conn, api_actor(request), status_change_id), StatusChangeDetailOut)

    @post("/", sync_to_thread=True)
    def create(self, request: Request[Any, Any, Any], data: StatusChangeIn) -> Response[StatusChangeDetailOut]:
        """A learner's request waits for the teaching point's 初审 (待初审); one the teaching point
        enters is already 初审通过. Proof files: PNG, JPG or PDF, at most 5 MB each."""
        status_change_id = container_of(request).status_changes.request(
            api_actor(request),
            data.kind,
            data.reason,
            learner_id=data.learner_id,
            student_number=data.student_number,
            target_teaching_point_id=data.target_teaching_point_id,
            target_programme_id=data.target_programme_id,
            attachments=[Upload(a.file_name, a.content) for a in data.attachments],
        )
        return Response(self._show(request, status_change_id), status_code=201)

    @get("/", sync_to_thread=True)
    def index(
        self,
        request: Request[Any, Any, Any],
        roster: RosterFilter,
        kind: str | None = None,
        learner_id: uuid.UUID | None = None,
        page: int = 1,
        page_size: int = 20,
    ) -> Listing[StatusChangeOut]:
        """The roster filters of requirements/common.md §2.1 (status: the request's) plus kind and learner."""
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return listing(
                list_status_changes(conn, actor, page_of(page, page_size), roster, kind=kind, learner_id=learner_id),
                StatusChangeOut,
            )

    @get("/withdrawal-courses", sync_to_thread=True)
    def withdrawal_prompt(
        self, request: Request[Any, Any, Any], learner_id: uuid.UUID | None = None, student_number: str | None = None
    ) -> WithdrawalCoursesOut:
        """Before a withdrawal: the learner's courses still inside their drop period, to be
        dropped first through POST /enrollments/drops (the normal drop flow)."""
        return out(container_of(request).status_changes.withdrawal_courses(
            api_actor(request), learner_id=learner_id, student_number=student_number
        ), WithdrawalCoursesOut)

    @get("/{status_change_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], status_change_id: uuid.UUID) -> StatusChangeDetailOut:
        return self._show(request, status_change_id)

    @get("/{status_change_id:uuid}/attachments/{index:int}", sync_to_thread=True, media_type="*/*")
    def attachment(self, request: Request[Any, Any, Any], status_change_id: uuid.UUID, index: int) -> Response[bytes]:
        c = container_of(request)
        with c.engine.connect() as conn:
            found = attachment_of(conn, api_actor(request), status_change_id, index)
        return stored_file_response(c, found["ref"])

    def _step(self, request: Request[Any, Any, Any], status_change_id: uuid.UUID, action: str, *args: Any) -> StatusChangeDetailOut:
        getattr(container_of(request).status_changes, action)(api_actor(request), status_change_id, *args)
        return self._show(request, status_change_id)

    @post("/{status_change_id:uuid}/preliminary-approval", sync_to_thread=True, status_code=200)
    def preliminary_approve(self, request: Request[Any, Any, Any], status_change_id: uuid.UUID, data: CommentIn | None = None) -> StatusChangeDetailOut:
        """初审通过 by the learner's teaching point."""
        return self._step(request, status_change_id, "approve_preliminarily", data.comment if data else None)

    @post("/{status_change_id:uuid}/preliminary-rejection", sync_to_thread=True, status_code=200)
    def preliminary_reject(self, request: Request[Any, Any, Any], status_change_id: uuid.UUID, data: ReasonIn) -> StatusChangeDetailOut:
        """初审驳回 (a reason is required): the learner may ask again."""
        return self._step(request, status_change_id, "reject_preliminarily", data.reason)

    @post("/{status_change_id:uuid}/approval", sync_to_thread=True, status_code=200)
    def approve(self, request: Request[Any, Any, Any], status_change_id: uuid.UUID, data: CommentIn | None = None) -> StatusChangeDetailOut:
        """复审通过: the learner's teaching point, programme or status (已退学) changes at once."""
        return self._step(request, status_change_id, "approve", data.comment if data else None)

    @post("/{status_change_id:uuid}/rejection", sync_to_thread=True, status_code=200)
    def reject(self, request: Request[Any, Any, Any], status_change_id: uuid.UUID, data: ReasonIn) -> StatusChangeDetailOut:
        """复审驳回 (a reason is required)."""
        return self._step(request, status_change_id, "reject", data.reason)

    @post("/{status_change_id:uuid}/cancellation", sync_to_thread=True, status_code=200)
    def cancel(self, request: Request[Any, Any, Any], status_change_id: uuid.UUID, data: ReasonIn | None = None) -> StatusChangeDetailOut:
        """撤销 by the requester while the school has not decided."""
        return self._step(request, status_change_id, "cancel", data.reason if data else None)


class ChangeOfMajorWindowController(Controller):
    path = "/change-of-major-window"
    tags = ["learners"]

    def _show(self, request: Request[Any, Any, Any]) -> ChangeOfMajorWindowOut:
        c = container_of(request)
        with c.engine.connect() as conn:
            window = change_of_major_window(conn, c.clock.today())
        return ChangeOfMajorWindowOut(window=out(window, WindowOut) if window is not None else None)

    @get("/", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any]) -> ChangeOfMajorWindowOut:
        """The school's change-of-major period (null: not set) and whether today is inside it."""
        api_actor(request)
        return self._show(request)

    @put("/", sync_to_thread=True, status_code=200)
    def change(self, request: Request[Any, Any, Any], data: WindowIn) -> ChangeOfMajorWindowOut:
        """Academic affairs sets or moves the period (both days included)."""
        container_of(request).status_changes.set_change_of_major_window(api_actor(request), data.opens_on, data.closes_on)
        return self._show(request)


STATUS_CHANGE_CONTROLLERS = [StatusChangeController, ChangeOfMajorWindowController]
