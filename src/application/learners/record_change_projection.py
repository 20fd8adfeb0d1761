"""Read side of the learner record (学籍信息, requirements/learners.md §2): each learner's basic information,
prior education and contact details with the record's confirmation state, and every change
request with its handling (修改和处理记录).

A learner sees their own record; teaching-point staff their learners'; school staff (auditors
included, read only) every record. ID numbers are masked wherever requests are listed.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Select,
    String,
    Table,
    Text,
    Uuid,
    select,
)

from application.admissions.projection import programmes
from application.admissions.queries import PROGRAMME_COLUMNS
from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.common.instant import Instant
from application.common.projection import Projection, Writes, handles, read_models
from application.common.queries import Page, PageOf, paged
from application.curriculum.projection import utc
from application.curriculum.queries import shape
from application.enrolment.queries import roster
from application.learners.projection import learners
from application.learners.queries import get_learner
from application.learners.status_change_projection import status_history
from application.organisation.projection import teaching_points
from domains.learners.learner import Learner
from domains.learners.record_change import (
    BASIC_FIELDS,
    CONTACT_FIELDS,
    PRIOR_EDUCATION_FIELDS,
    RECORD_FIELDS,
    RecordChangeRequest,
    RecordStatus,
    RequestStatus,
)
from domains.shared.errors import NotFound
from domains.shared.values import Role, mask_id_number

learner_records = Table(
    "rm_learner_records",
    read_models,
    Column("learner_id", Uuid, primary_key=True),
    Column("details", Text, nullable=False),  # basic information, prior education and contact details
    Column("record_status", String(20), nullable=False),
    Column("record_confirmed", Boolean, nullable=False),
    Column("self_request_used", Boolean, nullable=False),
    Column("pending_request_id", Uuid),
    Column("updated_at", Instant(), nullable=False),
)

record_changes = Table(
    "rm_record_changes",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("learner_id", Uuid, nullable=False, index=True),
    Column("teaching_point_id", Uuid, nullable=False, index=True),
    Column("status", String(20), nullable=False, index=True),
    Column("changes", Text, nullable=False),
    Column("previous", Text, nullable=False),
    Column("reason", String(200)),
    Column("attachments", Text, nullable=False),
    Column("requested_by_role", String(30), nullable=False),
    Column("requested_at", Instant(), nullable=False),
    Column("recorded_at", Instant(), nullable=False),  # orders requests of the same moment
    Column("comment", String(200)),
    Column("reject_reason", String(200)),
    Column("reviewed_at", Instant()),
)

_JSON = msgspec.json.Encoder(enc_hook=str)
_DETAIL_FIELDS = (*RECORD_FIELDS, *CONTACT_FIELDS)
_ID_FIELDS = frozenset({"id_number", "original_id_number"})


def _json(value: Any) -> str:
    return _JSON.encode(value).decode()


class LearnerRecordsProjection(Projection):
    name = "learner_records"
    tables = (learner_records, record_changes)

    def _details(self, conn: Writes, learner_id: uuid.UUID) -> dict[str, Any]:
        found = conn.execute(select(learner_records.c.details).where(learner_records.c.learner_id == learner_id)).scalar_one()
        return dict(msgspec.json.decode(found))

    def _set(self, conn: Writes, e: Any, **values: Any) -> None:
        conn.update(learner_records, {"learner_id": e.originator_id}, {**values, "updated_at": utc(e.timestamp)})

    @handles(Learner.Admitted)
    def _admitted(self, conn: Writes, e: Any) -> None:
        conn.insert(learner_records, {
            "learner_id": e.originator_id,
            "details": _json({k: e.personal.get(k) for k in _DETAIL_FIELDS}),
            "record_status": RecordStatus.UNCONFIRMED.value,
            "record_confirmed": False,
            "self_request_used": False,
            "pending_request_id": None,
            "updated_at": utc(e.timestamp),
        })

    @handles(Learner.ContactDetailsChanged)
    def _contact_changed(self, conn: Writes, e: Any) -> None:
        details = {**self._details(conn, e.originator_id), "email": e.email, "mobile": e.mobile}
        self._set(conn, e, details=_json(details))

    @handles(Learner.RecordConfirmed)
    def _confirmed(self, conn: Writes, e: Any) -> None:
        self._set(conn, e, record_status=RecordStatus.CONFIRMED.value, record_confirmed=True)

    @handles(Learner.RecordChangeOpened)
    def _opened(self, conn: Writes, e: Any) -> None:
        values: dict[str, Any] = {"record_status": RecordStatus.PENDING_REVIEW.value, "pending_request_id": e.record_change_id}
        if e.by_learner:
            values["self_request_used"] = True
        self._set(conn, e, **values)

    @handles(Learner.RecordChangeApproved)
    def _approved(self, conn: Writes, e: Any) -> None:
        details = {**self._details(conn, e.originator_id), **e.changes}
        self._set(conn, e, details=_json(details), record_status=RecordStatus.APPROVED.value, pending_request_id=None)

    @handles(Learner.RecordChangeRejected)
    def _rejected(self, conn: Writes, e: Any) -> None:
        self._set(conn, e, record_status=RecordStatus.REJECTED.value, pending_request_id=None)

    @handles(RecordChangeRequest.Requested)
    def _requested(self, conn: Writes, e: Any) -> None:
        conn.insert(record_changes, {
            "id": e.originator_id,
            "learner_id": e.learner_id,
            "teaching_point_id": e.teaching_point_id,
            "status": RequestStatus.PENDING_REVIEW.value,
            "changes": _json(e.changes),
            "previous": _json(e.previous),
            "reason": e.reason,
            "attachments": _json(list(e.attachments)),
            "requested_by_role": e.requested_by_role,
            "requested_at": utc(e.requested_at),
            "recorded_at": utc(e.timestamp),
            "comment": None,
            "reject_reason": None,
            "reviewed_at": None,
        })

    @handles(RecordChangeRequest.Approved)
    def _request_approved(self, conn: Writes, e: Any) -> None:
        conn.update(record_changes, {"id": e.originator_id}, {
            "status": RequestStatus.APPROVED.value, "comment": e.comment, "reviewed_at": utc(e.reviewed_at),
        })

    @handles(RecordChangeRequest.Rejected)
    def _request_rejected(self, conn: Writes, e: Any) -> None:
        conn.update(record_changes, {"id": e.originator_id}, {
            "status": RequestStatus.REJECTED.value, "reject_reason": e.reason, "reviewed_at": utc(e.reviewed_at),
        })


# -- queries -------------------------------------------------------------------------------------------

READERS = (
    Role.TEACHING_POINT_ADMIN, Role.ACADEMIC_AFFAIRS, Role.FINANCE, Role.AUDITOR, Role.SYSTEM_ADMIN,
    Role.ACADEMIC_MENTOR, Role.HEAD_TEACHER, Role.LEARNER,
)


_NEWEST_FIRST = (record_changes.c.requested_at.desc(), record_changes.c.recorded_at.desc(), record_changes.c.id)


def _shown(field: str, value: Any, masked: bool) -> Any:
    return mask_id_number(value) if masked and field in _ID_FIELDS and value else value


def _request(row: Any, masked: bool) -> dict[str, Any]:
    r = shape(row)
    changes, previous = msgspec.json.decode(r.pop("changes")), msgspec.json.decode(r.pop("previous"))
    r["status_label"] = RequestStatus(r["status"]).label
    r["requested_by_role_label"] = Role(r["requested_by_role"]).label
    r["changes"] = [
        {
            "field": k, "label": RECORD_FIELDS[k],
            "before": _shown(k, previous.get(k), masked), "after": _shown(k, v, masked),
        }
        for k, v in changes.items()
    ]
    r["attachments"] = [
        {"index": i, "file_name": a["file_name"], "content_type": a["content_type"], "size": a["size"]}
        for i, a in enumerate(msgspec.json.decode(r["attachments"]))
    ]
    return r


def _requests(learner_id: uuid.UUID) -> Select[Any]:
    return (
        select(record_changes)
        .where(record_changes.c.learner_id == learner_id)
        .order_by(*_NEWEST_FIRST)
    )


def learner_record(conn: Connection, actor: Actor, learner_id: uuid.UUID) -> dict[str, Any]:
    """The record page: who the learner is, the record's state and details, what the learner may
    still do by themselves, every change request with its handling (修改和处理记录), and every
    status change (学籍状态变动记录)."""
    actor.require(*READERS)
    learner = get_learner(conn, actor, learner_id)
    row = conn.execute(select(learner_records).where(learner_records.c.learner_id == learner_id)).mappings().one()
    details = msgspec.json.decode(row["details"])
    status = RecordStatus(row["record_status"])
    pending = row["pending_request_id"] is not None
    return {
        "learner_id": learner_id,
        "student_number": learner["student_number"],
        "name": details.get("name"),
        "teaching_point_id": learner["teaching_point_id"],
        "teaching_point_name": learner["teaching_point_name"],
        "record_status": status.value,
        "record_status_label": status.label,
        "record_confirmed": row["record_confirmed"],
        "self_request_used": row["self_request_used"],
        "pending_request_id": row["pending_request_id"],
        "may_confirm": not row["record_confirmed"] and not pending,
        "may_request_by_learner": not (row["record_confirmed"] or row["self_request_used"] or pending),
        "basic": [{"field": k, "label": RECORD_FIELDS[k], "value": details.get(k)} for k in BASIC_FIELDS],
        "prior_education": [{"field": k, "label": RECORD_FIELDS[k], "value": details.get(k)} for k in PRIOR_EDUCATION_FIELDS],
        "contact": {"email": details.get("email"), "mobile": details.get("mobile")},
        "requests": [_request(r, masked=True) for r in conn.execute(_requests(learner_id)).mappings()],
        "status_history": status_history(conn, actor, learner_id),
    }


def list_record_changes(
    conn: Connection, actor: Actor, learner_id: uuid.UUID, page: Page, status: str | None = None
) -> PageOf:
    """One learner's change requests, newest first, ID numbers masked."""
    actor.require(*READERS)
    get_learner(conn, actor, learner_id)  # the learner is visible to the actor
    query = select(record_changes).where(record_changes.c.learner_id == learner_id)
    if status:
        query = query.where(record_changes.c.status == status)
    result = paged(conn, query, page, list(_NEWEST_FIRST))
    result.items = [_request(r, masked=True) for r in result.items]
    return result


def list_all_record_changes(
    conn: Connection, actor: Actor, page: Page, filters: RosterFilter, learner_id: uuid.UUID | None = None
) -> PageOf:
    """The review queue: requests of every learner the actor may see (a teaching point its own
    learners, a learner their own, school staff all) with the roster filters of
    requirements/common.md §2.1 (status is the request's: pending_review, approved, rejected),
    newest first, ID numbers masked."""
    actor.require(*READERS)
    query = select(
        record_changes,
        learners.c.student_number,
        learners.c.name.label("learner_name"),
        *PROGRAMME_COLUMNS,
        teaching_points.c.name.label("teaching_point_name"),
    ).select_from(
        record_changes.join(learners, learners.c.id == record_changes.c.learner_id)
        .join(programmes, programmes.c.id == learners.c.programme_id)
        .join(teaching_points, teaching_points.c.id == learners.c.teaching_point_id)
    )
    if not actor.is_staff:
        query = query.where(record_changes.c.learner_id == (actor.learner_id or uuid.UUID(int=0)))
    elif (scope := actor.visible_teaching_point()) is not None:
        query = query.where(learners.c.teaching_point_id == scope)
    if learner_id:
        query = query.where(record_changes.c.learner_id == learner_id)
    result = paged(conn, roster(query, filters, record_changes), page, list(_NEWEST_FIRST))
    result.items = [_request(r, masked=True) for r in result.items]
    return result


def _row(conn: Connection, actor: Actor, learner_id: uuid.UUID, request_id: uuid.UUID) -> Any:
    get_learner(conn, actor, learner_id)
    row = conn.execute(
        select(record_changes).where(record_changes.c.id == request_id, record_changes.c.learner_id == learner_id)
    ).mappings().first()
    if row is None:
        raise NotFound("not_found", "学籍信息变更申请不存在")
    return row


def get_record_change(conn: Connection, actor: Actor, learner_id: uuid.UUID, request_id: uuid.UUID) -> dict[str, Any]:
    actor.require(*READERS)
    return _request(_row(conn, actor, learner_id, request_id), masked=False)


def record_change_attachment(
    conn: Connection, actor: Actor, learner_id: uuid.UUID, request_id: uuid.UUID, index: int
) -> dict[str, Any]:
    """A proof file of a request the actor may see: its stored reference, name and type."""
    actor.require(*READERS)
    files = msgspec.json.decode(_row(conn, actor, learner_id, request_id)["attachments"])
    if not 0 <= index < len(files):
        raise NotFound("not_found", "证明材料不存在")
    return dict(files[index])
