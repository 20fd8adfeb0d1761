"""Read side of status changes (学籍异动): the requests with their reviews (who decided each step
and when), a learner's status history (学籍状态变动记录), and the school's change-of-major window
(转专业申请期).

A learner sees their own requests; teaching-point staff the requests of their learners, and for a
transfer both the teaching point left and the one joined; school staff every request.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import msgspec
from sqlalchemy import (
    Column,
    Connection,
    Date,
    Select,
    String,
    Table,
    Text,
    Uuid,
    or_,
    select,
)

from application.admissions.projection import programmes
from application.admissions.queries import PROGRAMME_COLUMNS
from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.common.instant import Instant
from application.common.projection import Projection, Writes, handles, read_models
from application.common.queries import Page, PageOf, paged
from application.curriculum.projection import courses, selection_batches, utc
from application.curriculum.queries import aware, shape
from application.enrolment.projection import enrollments
from application.enrolment.queries import roster
from application.learners.projection import learners
from application.organisation.projection import teaching_points
from domains.enrolment.enrollment import EnrollmentStatus, may_still_be_dropped
from domains.learners.learner import LearnerStatus
from domains.learners.status_change import (
    ChangeOfMajorWindow,
    StatusChange,
    StatusChangeKind,
    StatusChangeStatus,
)
from domains.shared.errors import NotFound
from domains.shared.values import Role

status_changes = Table(
    "rm_status_changes",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("learner_id", Uuid, nullable=False, index=True),
    Column("kind", String(20), nullable=False, index=True),
    Column("status", String(30), nullable=False, index=True),
    Column("teaching_point_id", Uuid, nullable=False, index=True),
    Column("target_teaching_point_id", Uuid, index=True),
    Column("programme_id", Uuid, nullable=False),
    Column("target_programme_id", Uuid),
    Column("reason", String(200), nullable=False),
    Column("requested_by_role", String(30), nullable=False),
    Column("attachments", Text, nullable=False),
    Column("droppable_enrollment_ids", Text, nullable=False),
    Column("preliminary_comment", String(200)),
    Column("final_comment", String(200)),
    Column("reject_reason", String(200)),
    Column("requested_at", Instant(), nullable=False),
    Column("requested_by", String(60), nullable=False),
    Column("preliminary_reviewed_at", Instant()),
    Column("preliminary_reviewed_by", String(60)),
    Column("closed_at", Instant()),
    Column("closed_by", String(60)),  # who approved, rejected or cancelled it last
    Column("updated_at", Instant(), nullable=False),
)

change_of_major_windows = Table(
    "rm_change_of_major_windows",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("opens_on", Date, nullable=False),
    Column("closes_on", Date, nullable=False),
    Column("updated_at", Instant(), nullable=False),
)

_JSON = msgspec.json.Encoder(enc_hook=str)
S = StatusChangeStatus


def _who(e: Any) -> str:
    return str(e.meta.get("actor_name") or "")[:60]


class StatusChangesProjection(Projection):
    name = "status_changes"
    tables = (status_changes, change_of_major_windows)

    @handles(StatusChange.Requested)
    def _requested(self, conn: Writes, e: Any) -> None:
        by_learner = e.requested_by_role == Role.LEARNER.value
        conn.insert(
            status_changes,
            {
                "id": e.originator_id,
                "learner_id": e.learner_id,
                "kind": e.kind,
                "status": (S.PENDING_PRELIMINARY_REVIEW if by_learner else S.PENDING_FINAL_REVIEW).value,
                "teaching_point_id": e.teaching_point_id,
                "target_teaching_point_id": e.target_teaching_point_id,
                "programme_id": e.programme_id,
                "target_programme_id": e.target_programme_id,
                "reason": e.reason,
                "requested_by_role": e.requested_by_role,
                "attachments": _JSON.encode(list(e.attachments)).decode(),
                "droppable_enrollment_ids": _JSON.encode(list(e.droppable_enrollment_ids)).decode(),
                "requested_at": utc(e.requested_at),
                "requested_by": _who(e),
                "updated_at": utc(e.timestamp),
            },
        )

    def _set(self, conn: Writes, e: Any, **values: Any) -> None:
        conn.update(status_changes, {"id": e.originator_id}, {**values, "updated_at": utc(e.timestamp)})

    @handles(StatusChange.PreliminarilyApproved)
    def _preliminarily_approved(self, conn: Writes, e: Any) -> None:
        self._set(conn, e, status=S.PENDING_FINAL_REVIEW.value, preliminary_comment=e.comment,
                  preliminary_reviewed_at=utc(e.approved_at), preliminary_reviewed_by=_who(e))

    @handles(StatusChange.PreliminarilyRejected)
    def _preliminarily_rejected(self, conn: Writes, e: Any) -> None:
        self._set(conn, e, status=S.PRELIMINARILY_REJECTED.value, reject_reason=e.reason,
                  preliminary_reviewed_at=utc(e.rejected_at), preliminary_reviewed_by=_who(e),
                  closed_at=utc(e.rejected_at), closed_by=_who(e))

    @handles(StatusChange.Approved)
    def _approved(self, conn: Writes, e: Any) -> None:
        self._set(conn, e, status=S.APPROVED.value, final_comment=e.comment, closed_at=utc(e.approved_at),
                  closed_by=_who(e))

    @handles(StatusChange.Rejected)
    def _rejected(self, conn: Writes, e: Any) -> None:
        self._set(conn, e, status=S.REJECTED.value, reject_reason=e.reason, closed_at=utc(e.rejected_at),
                  closed_by=_who(e))

    @handles(StatusChange.Cancelled)
    def _cancelled(self, conn: Writes, e: Any) -> None:
        self._set(conn, e, status=S.CANCELLED.value, closed_at=utc(e.cancelled_at), closed_by=_who(e))

    @handles(ChangeOfMajorWindow.Set)
    def _window_set(self, conn: Writes, e: Any) -> None:
        conn.insert(change_of_major_windows, {
            "id": e.originator_id, "opens_on": date.fromisoformat(e.opens_on),
            "closes_on": date.fromisoformat(e.closes_on), "updated_at": utc(e.timestamp),
        })

    @handles(ChangeOfMajorWindow.Changed)
    def _window_changed(self, conn: Writes, e: Any) -> None:
        conn.update(change_of_major_windows, {"id": e.originator_id}, {
            "opens_on": date.fromisoformat(e.opens_on), "closes_on": date.fromisoformat(e.closes_on),
            "updated_at": utc(e.timestamp),
        })


# -- queries -------------------------------------------------------------------------------------------

READERS = (
    Role.TEACHING_POINT_ADMIN, Role.ACADEMIC_AFFAIRS, Role.FINANCE, Role.AUDITOR, Role.SYSTEM_ADMIN,
    Role.ACADEMIC_MENTOR, Role.HEAD_TEACHER, Role.LEARNER,
)
_target_tp = teaching_points.alias("target_tp")
_target_programme = programmes.alias("target_programme")


def _query() -> Select[Any]:
    return select(
        status_changes,
        learners.c.student_number,
        learners.c.name.label("learner_name"),
        learners.c.study_batch_id,
        learners.c.status.label("learner_status"),
        *PROGRAMME_COLUMNS,
        teaching_points.c.name.label("teaching_point_name"),
        _target_tp.c.name.label("target_teaching_point_name"),
        _target_programme.c.level.label("target_level"),
        _target_programme.c.major.label("target_major"),
        _target_programme.c.length_of_schooling.label("target_length_of_schooling"),
    ).select_from(
        status_changes.join(learners, learners.c.id == status_changes.c.learner_id)
        .join(programmes, programmes.c.id == status_changes.c.programme_id)
        .join(teaching_points, teaching_points.c.id == status_changes.c.teaching_point_id)
        .outerjoin(_target_tp, _target_tp.c.id == status_changes.c.target_teaching_point_id)
        .outerjoin(_target_programme, _target_programme.c.id == status_changes.c.target_programme_id)
    )


def _scoped(query: Select[Any], actor: Actor) -> Select[Any]:
    """A learner's own; a teaching point's learners' (a transfer: the point left and the point
    joined); everything for school staff."""
    if not actor.is_staff:
        return query.where(status_changes.c.learner_id == (actor.learner_id or uuid.UUID(int=0)))
    scope = actor.visible_teaching_point()
    if scope is None:
        return query
    return query.where(or_(status_changes.c.teaching_point_id == scope, status_changes.c.target_teaching_point_id == scope))


def _visible(actor: Actor, row: Any) -> bool:
    if not actor.is_staff:
        return actor.learner_id is not None and row["learner_id"] == actor.learner_id
    return actor.can_see_teaching_point(row["teaching_point_id"]) or (
        row["target_teaching_point_id"] is not None and actor.can_see_teaching_point(row["target_teaching_point_id"])
    )


def _shape(row: Any) -> dict[str, Any]:
    r = shape(row)
    status = StatusChangeStatus(r["status"])
    r["kind_label"] = StatusChangeKind(r["kind"]).label
    r["status_label"] = status.label
    r["cancellable"] = status.is_open
    r["requested_by_role_label"] = Role(r["requested_by_role"]).label
    r["attachments"] = [
        {"index": i, "file_name": a["file_name"], "content_type": a["content_type"], "size": a["size"]}
        for i, a in enumerate(msgspec.json.decode(r["attachments"]))
    ]
    r["droppable_enrollment_ids"] = [uuid.UUID(i) for i in msgspec.json.decode(r["droppable_enrollment_ids"])]
    return r


def list_status_changes(
    conn: Connection,
    actor: Actor,
    page: Page,
    filters: RosterFilter,
    *,
    kind: str | None = None,
    learner_id: uuid.UUID | None = None,
) -> PageOf:
    """The roster filters of requirements/common.md §2.1 (status is the request's) plus the kind and
    the learner."""
    actor.require(*READERS)
    query = roster(_scoped(_query(), actor), filters, status_changes)
    if kind:
        query = query.where(status_changes.c.kind == kind)
    if learner_id:
        query = query.where(status_changes.c.learner_id == learner_id)
    result = paged(conn, query, page, [status_changes.c.requested_at.desc(), status_changes.c.id])
    result.items = [_shape(r) for r in result.items]
    return result


def _from_to(r: dict[str, Any]) -> tuple[str, str]:
    """What the change moves the learner from and to: a teaching point, a programme, a status."""
    kind = StatusChangeKind(r["kind"])
    if kind is StatusChangeKind.TRANSFER:
        return r["teaching_point_name"], r["target_teaching_point_name"] or ""
    if kind is StatusChangeKind.CHANGE_OF_MAJOR:
        return f"{r['level']}{r['major']}", f"{r['target_level'] or ''}{r['target_major'] or ''}"
    return LearnerStatus.ENROLLED.label, LearnerStatus.WITHDRAWN.label


def status_history(conn: Connection, actor: Actor, learner_id: uuid.UUID) -> list[dict[str, Any]]:
    """学籍状态变动记录: every status change of a learner the actor may see (the caller checks
    that), newest first: its kind, from → to, its status, and when and by whom it was asked
    for, preliminarily reviewed and decided."""
    actor.require(*READERS)
    rows = conn.execute(
        _query().where(status_changes.c.learner_id == learner_id).order_by(
            status_changes.c.requested_at.desc(), status_changes.c.id
        )
    ).mappings()
    history = []
    for row in rows:
        r = _shape(row)
        r["from_label"], r["to_label"] = _from_to(r)
        r["decided"] = r["status"] in (S.APPROVED, S.REJECTED, S.PRELIMINARILY_REJECTED, S.CANCELLED)
        history.append(r)
    return history


def _row(conn: Connection, actor: Actor, status_change_id: uuid.UUID) -> Any:
    row = conn.execute(_query().where(status_changes.c.id == status_change_id)).mappings().first()
    if row is None or not _visible(actor, row):
        raise NotFound("not_found", "学籍异动申请不存在或不属于您的教学点")
    return row


def get_status_change(conn: Connection, actor: Actor, status_change_id: uuid.UUID) -> dict[str, Any]:
    """One request, with the courses it listed as still droppable and their status now."""
    actor.require(*READERS)
    r = _shape(_row(conn, actor, status_change_id))
    ids = r["droppable_enrollment_ids"]
    found = {c["enrollment_id"]: c for c in _courses(conn, enrollments.c.id.in_(ids))} if ids else {}
    r["droppable_courses"] = [found[i] for i in ids if i in found]
    return r


def attachment_of(conn: Connection, actor: Actor, status_change_id: uuid.UUID, index: int) -> dict[str, Any]:
    """A proof file of a request the actor may see: its stored reference, name and type."""
    actor.require(*READERS)
    row = _row(conn, actor, status_change_id)
    files = msgspec.json.decode(row["attachments"])
    if not 0 <= index < len(files):
        raise NotFound("not_found", "证明材料不存在")
    return dict(files[index])


def _courses(conn: Connection, *where: Any) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(
            enrollments.c.id.label("enrollment_id"), enrollments.c.course_id, enrollments.c.status,
            enrollments.c.drop_refund_id, enrollments.c.refund_status, courses.c.code.label("course_code"),
            courses.c.name.label("course_name"), selection_batches.c.name.label("selection_batch_name"),
            selection_batches.c.drop_starts_at, selection_batches.c.drop_ends_at,
        )
        .select_from(
            enrollments.join(courses, courses.c.id == enrollments.c.course_id)
            .join(selection_batches, selection_batches.c.id == enrollments.c.selection_batch_id)
        )
        .where(*where)
        .order_by(courses.c.code)
    ).mappings()
    result = []
    for row in rows:
        r = shape(row)
        r["status_label"] = EnrollmentStatus(r["status"]).label
        result.append(r)
    return result


def droppable_courses(conn: Connection, learner_id: uuid.UUID, now: datetime) -> list[dict[str, Any]]:
    """The learner's courses still inside their selection batch's drop period, neither dropped
    nor already asked to be dropped: what a withdrawal offers to drop first (退课)."""
    return [
        r
        for r in _courses(conn, enrollments.c.learner_id == learner_id)
        if may_still_be_dropped(EnrollmentStatus(r["status"]), drop_requested=r["drop_refund_id"] is not None)
        and aware(r["drop_starts_at"]) <= now < aware(r["drop_ends_at"])
    ]


def withdrawal_courses(conn: Connection, actor: Actor, learner_id: uuid.UUID, now: datetime) -> list[dict[str, Any]]:
    """What the screen shows before a withdrawal is asked for, for a learner the actor may act for
    (or, read-only, the auditor)."""
    actor.require(Role.TEACHING_POINT_ADMIN, Role.LEARNER, Role.AUDITOR)
    row = conn.execute(select(learners.c.teaching_point_id).where(learners.c.id == learner_id)).first()
    own = not actor.is_staff and actor.learner_id == learner_id
    if row is None or not (own or (actor.is_staff and actor.can_see_teaching_point(row[0]))):
        raise NotFound("not_found", "学生不存在或不属于您的教学点")
    return droppable_courses(conn, learner_id, now)


def change_of_major_window(conn: Connection, today: date) -> dict[str, Any] | None:
    """The school's change-of-major period and whether today is inside it (None: not set)."""
    row = conn.execute(select(change_of_major_windows)).mappings().first()
    if row is None:
        return None
    return {"opens_on": row["opens_on"], "closes_on": row["closes_on"],
            "open": row["opens_on"] <= today <= row["closes_on"]}
