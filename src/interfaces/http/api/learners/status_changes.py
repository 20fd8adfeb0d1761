"""Status changes (学籍异动, requirements/learners.md §4): transfer of teaching point, change of major and
withdrawal, asked by the learner or the teaching point, reviewed by the teaching point (初审) and
the school (复审); and the school's change-of-major window (转专业申请期)."""

from __future__ import annotations

import uuid

from litestar import Controller, Response, get, post, put
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.learners.status_change_projection import (
    attachment_of,
    change_of_major_window,
    get_status_change,
    list_status_changes,
)
from application.learners.status_changes import Upload
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
    ChangeOfMajorWindowOut,
    StatusChangeDetailOut,
    StatusChangeIn,
    StatusChangeOut,
    WindowIn,
    WindowOut,
    WithdrawalCoursesOut,
)
from interfaces.http.files import stored_file_response


def _status_change(reader: Connection, actor: Actor, status_change_id: uuid.UUID) -> StatusChangeDetailOut:
    return out(get_status_change(reader, actor, status_change_id), StatusChangeDetailOut)


class StatusChangeController(Controller):
    path = "/status-changes"
    tags = ["learners"]
    dependencies = ROSTER

    @post("/", sync_to_thread=True)
    def create(
        self, actor: Actor, services: Container, reader: Connection, data: StatusChangeIn
    ) -> Response[StatusChangeDetailOut]:
        """A learner's request waits for the teaching point's 初审 (待初审); one the teaching point
        enters is already 初审通过. Proof files: PNG, JPG or PDF, at most 5 MB each."""
        status_change_id = services.status_changes.request(
            actor,
            data.kind,
            data.reason,
            learner_id=data.learner_id,
            student_number=data.student_number,
            target_teaching_point_id=data.target_teaching_point_id,
            target_programme_id=data.target_programme_id,
            attachments=[Upload(a.file_name, a.content) for a in data.attachments],
        )
        return Response(_status_change(reader, actor, status_change_id), status_code=201)

    @get("/", sync_to_thread=True)
    def index(
        self,
        actor: Actor,
        reader: Connection,
        roster: RosterFilter,
        kind: str | None = None,
        learner_id: uuid.UUID | None = None,
        page: int = 1,
        page_size: int = 20,
    ) -> Listing[StatusChangeOut]:
        """The roster filters of requirements/common.md §2.1 (status: the request's) plus kind and learner."""
        return listing(
            list_status_changes(reader, actor, page_of(page, page_size), roster, kind=kind, learner_id=learner_id),
            StatusChangeOut,
        )

    @get("/withdrawal-courses", sync_to_thread=True)
    def withdrawal_prompt(
        self, actor: Actor, services: Container, learner_id: uuid.UUID | None = None, student_number: str | None = None
    ) -> WithdrawalCoursesOut:
        """Before a withdrawal: the learner's courses still inside their drop period, to be
        dropped first through POST /enrollments/drops (the normal drop flow)."""
        return out(services.status_changes.withdrawal_courses(
            actor, learner_id=learner_id, student_number=student_number
        ), WithdrawalCoursesOut)

    @get("/{status_change_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, reader: Connection, status_change_id: uuid.UUID) -> StatusChangeDetailOut:
        return _status_change(reader, actor, status_change_id)

    @get("/{status_change_id:uuid}/attachments/{index:int}", sync_to_thread=True, media_type="*/*")
    def attachment(
        self, actor: Actor, services: Container, reader: Connection, status_change_id: uuid.UUID, index: int
    ) -> Response[bytes]:
        found = attachment_of(reader, actor, status_change_id, index)
        return stored_file_response(services, found["ref"])

    @post("/{status_change_id:uuid}/preliminary-approval", sync_to_thread=True, status_code=200)
    def preliminary_approve(
        self, actor: Actor, services: Container, reader: Connection, status_change_id: uuid.UUID,
        data: CommentIn | None = None,
    ) -> StatusChangeDetailOut:
        """初审通过 by the learner's teaching point."""
        services.status_changes.approve_preliminarily(actor, status_change_id, data.comment if data else None)
        return _status_change(reader, actor, status_change_id)

    @post("/{status_change_id:uuid}/preliminary-rejection", sync_to_thread=True, status_code=200)
    def preliminary_reject(
        self, actor: Actor, services: Container, reader: Connection, status_change_id: uuid.UUID, data: ReasonIn
    ) -> StatusChangeDetailOut:
        """初审驳回 (a reason is required): the learner may ask again."""
        services.status_changes.reject_preliminarily(actor, status_change_id, data.reason)
        return _status_change(reader, actor, status_change_id)

    @post("/{status_change_id:uuid}/approval", sync_to_thread=True, status_code=200)
    def approve(
        self, actor: Actor, services: Container, reader: Connection, status_change_id: uuid.UUID,
        data: CommentIn | None = None,
    ) -> StatusChangeDetailOut:
        """复审通过: the learner's teaching point, programme or status (已退学) changes at once."""
        services.status_changes.approve(actor, status_change_id, data.comment if data else None)
        return _status_change(reader, actor, status_change_id)

    @post("/{status_change_id:uuid}/rejection", sync_to_thread=True, status_code=200)
    def reject(
        self, actor: Actor, services: Container, reader: Connection, status_change_id: uuid.UUID, data: ReasonIn
    ) -> StatusChangeDetailOut:
        """复审驳回 (a reason is required)."""
        services.status_changes.reject(actor, status_change_id, data.reason)
        return _status_change(reader, actor, status_change_id)

    @post("/{status_change_id:uuid}/cancellation", sync_to_thread=True, status_code=200)
    def cancel(
        self, actor: Actor, services: Container, reader: Connection, status_change_id: uuid.UUID,
        data: ReasonIn | None = None,
    ) -> StatusChangeDetailOut:
        """撤销 by the requester while the school has not decided."""
        services.status_changes.cancel(actor, status_change_id, data.reason if data else None)
        return _status_change(reader, actor, status_change_id)


def _window(reader: Connection, services: Container) -> ChangeOfMajorWindowOut:
    window = change_of_major_window(reader, services.clock.today())
    return ChangeOfMajorWindowOut(window=out(window, WindowOut) if window is not None else None)


class ChangeOfMajorWindowController(Controller):
    path = "/change-of-major-window"
    tags = ["learners"]

    @get("/", sync_to_thread=True)
    def show(self, services: Container, reader: Connection) -> ChangeOfMajorWindowOut:
        """The school's change-of-major period (null: not set) and whether today is inside it."""
        return _window(reader, services)

    @put("/", sync_to_thread=True, status_code=200)
    def change(self, actor: Actor, services: Container, reader: Connection, data: WindowIn) -> ChangeOfMajorWindowOut:
        """Academic affairs sets or moves the period (both days included)."""
        services.status_changes.set_change_of_major_window(actor, data.opens_on, data.closes_on)
        return _window(reader, services)
