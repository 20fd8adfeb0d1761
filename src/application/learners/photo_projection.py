"""Read side of learner photos (电子照片, requirements/learners.md §3): every upload of each learner with the
one in use, and the photos of a roster query for export.

A learner sees their own photos; teaching-point staff their learners'; school staff (auditors
included, read only) everyone's.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Boolean, Column, Connection, Integer, String, Table, Uuid, exists, select

from application.admissions.projection import programmes
from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.common.instant import Instant
from application.common.jobs import JobStatus, bulk_job_items_view, bulk_jobs_view
from application.common.projection import Projection, Writes, handles, read_models
from application.common.queries import Page, PageOf, in_scope, paged
from application.curriculum.projection import utc
from application.learners.projection import learners
from application.learners.queries import get_learner, roster_query, roster_row
from domains.learners.photo import LearnerPhotos
from domains.shared.errors import InvalidInput, NotFound
from domains.shared.values import Role

learner_photos = Table(
    "rm_learner_photos",
    read_models,
    Column("learner_id", Uuid, primary_key=True),
    Column("number", Integer, primary_key=True),  # 1 for the first upload, then 2, ...
    Column("ref", String(64), nullable=False),  # the file in the file store
    Column("file_name", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("quality", Integer),
    Column("uploaded_at", Instant(), nullable=False),
    Column("uploaded_by", String(60), nullable=False),
    Column("is_current", Boolean, nullable=False, index=True),
    Column("deleted_at", Instant()),
    Column("deleted_by", String(60)),
)


class LearnerPhotosProjection(Projection):
    name = "learner_photos"
    tables = (learner_photos,)

    @handles(LearnerPhotos.Uploaded)
    def _uploaded(self, conn: Writes, e: Any) -> None:
        if e.number > 1:
            conn.update(learner_photos, {"learner_id": e.learner_id}, {"is_current": False})
        conn.insert(
            learner_photos,
            {
                "learner_id": e.learner_id,
                "number": e.number,
                "ref": e.ref,
                "file_name": e.file_name,
                "size": e.size,
                "width": e.width,
                "height": e.height,
                "quality": e.quality,
                "uploaded_at": utc(e.timestamp),
                "uploaded_by": str(e.meta.get("actor_name") or "")[:60],
                "is_current": True,
                "deleted_at": None,
                "deleted_by": None,
            },
        )

    @handles(LearnerPhotos.LatestDeleted)
    def _deleted(self, conn: Writes, e: Any) -> None:
        conn.update(
            learner_photos,
            {"learner_id": e.learner_id, "number": e.number},
            {"is_current": False, "deleted_at": utc(e.timestamp), "deleted_by": str(e.meta.get("actor_name") or "")[:60]},
        )


def _shape(row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    row["status_label"] = "使用中" if row["is_current"] else ("已删除" if row["deleted_at"] else "历史照片")
    row.pop("ref", None)
    return row


def photo_history(conn: Connection, actor: Actor, learner_id: uuid.UUID) -> dict[str, Any]:
    """Every photo uploaded for the learner, newest first, the one in use (or None), and the id
    whose audit trail records every upload and deletion."""
    get_learner(conn, actor, learner_id)  # not found unless the actor may see the learner
    rows = conn.execute(
        select(learner_photos).where(learner_photos.c.learner_id == learner_id).order_by(learner_photos.c.number.desc())
    ).mappings()
    photos = [_shape(r) for r in rows]
    current = next((p for p in photos if p["is_current"]), None)
    return {
        "learner_id": learner_id,
        "audit_id": LearnerPhotos.create_id(learner_id),  # the photos' audit trail (审计记录)
        "status_label": "已上传" if current else "未上传",
        "current": current,
        "photos": photos,
    }


def current_photo_ref(conn: Connection, actor: Actor, learner_id: uuid.UUID) -> str:
    """The stored file of the photo in use; not found when the learner has none."""
    get_learner(conn, actor, learner_id)
    ref = conn.execute(
        select(learner_photos.c.ref).where(learner_photos.c.learner_id == learner_id, learner_photos.c.is_current)
    ).scalar_one_or_none()
    if ref is None:
        raise NotFound("photo.none", "该学生没有可用的电子照片")
    return str(ref)


PHOTO_STATUSES = {"uploaded": "已上传", "missing": "未上传"}
EXPORTERS = (Role.TEACHING_POINT_ADMIN, Role.ACADEMIC_AFFAIRS, Role.FINANCE, Role.AUDITOR, Role.SYSTEM_ADMIN)
# Starting an export is a job of its own: the auditor reads everything but starts nothing.
EXPORT_STARTERS = tuple(r for r in EXPORTERS if r is not Role.AUDITOR)


def _photo_status(photo_status: str | None) -> Any:
    """照片状态 (`uploaded` / `missing`, or none) as a condition on the learners, or None."""
    if photo_status not in (None, "", *PHOTO_STATUSES):
        raise InvalidInput("photo.status", "照片状态须为 uploaded（已上传）或 missing（未上传）", field="photo_status")
    if not photo_status:
        return None
    has_photo = exists().where(learner_photos.c.learner_id == learners.c.id, learner_photos.c.is_current)
    return has_photo if photo_status == "uploaded" else ~has_photo


def export_roster(
    conn: Connection, actor: Actor, filters: RosterFilter, limit: int, photo_status: str | None = None
) -> list[tuple[uuid.UUID, bool]]:
    """Every learner the roster query and 照片状态 find (the actor's scope), by student number,
    and whether each has a photo in use; at most `limit` + 1 (so a caller can tell the query is
    too large)."""
    actor.require(*EXPORTERS)
    has_photo = exists().where(learner_photos.c.learner_id == learners.c.id, learner_photos.c.is_current)
    query = select(learners.c.id, has_photo.label("has_photo")).select_from(
        learners.join(programmes, programmes.c.id == learners.c.programme_id)
    )
    query = in_scope(query, actor, learners.c.teaching_point_id)
    if (condition := _photo_status(photo_status)) is not None:
        query = query.where(condition)
    query = filters.apply(query, learners).order_by(learners.c.student_number, learners.c.id).limit(limit + 1)
    return [(learner_id, bool(photo)) for learner_id, photo in conn.execute(query).tuples()]


def export_photos(conn: Connection, learner_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """For an export job: each learner's student number, name, ID number and the stored file of
    the photo in use (None when there is none)."""
    rows = conn.execute(
        select(learners.c.id, learners.c.student_number, learners.c.name, learners.c.id_number, learner_photos.c.ref)
        .select_from(
            learners.outerjoin(
                learner_photos, (learner_photos.c.learner_id == learners.c.id) & learner_photos.c.is_current
            )
        )
        .where(learners.c.id.in_(learner_ids))
    ).mappings()
    return {row["id"]: dict(row) for row in rows}


IMPORT_STATUS_LABELS = {
    JobStatus.QUEUED: "排队中",
    JobStatus.RUNNING: "导入中",
    JobStatus.DONE: "已完成",
    JobStatus.FAILED: "失败",
}
EXPORT_STATUS_LABELS = {**IMPORT_STATUS_LABELS, JobStatus.RUNNING: "导出中"}


def _job(conn: Connection, job_id: uuid.UUID, kind: str) -> dict[str, Any] | None:
    """A photo job's row and each item's result so far (in order), or None."""
    j = bulk_jobs_view.c
    row = conn.execute(
        select(
            j.id, j.status, j.filename, j.teaching_point_id, j.actor_id, j.actor_name, j.total, j.processed,
            j.succeeded, j.failed, j.error, j.created_at, j.started_at, j.finished_at,
        ).where(j.id == job_id, j.kind == kind)
    ).mappings().first()
    if row is None:
        return None
    job = dict(row)
    r = bulk_job_items_view.c
    job["files"] = [
        dict(x)
        for x in conn.execute(
            select(r.row, r.ok, r.message, r.record_id.label("learner_id"))
            .where(r.job_id == job_id, r.ok.is_not(None))
            .order_by(r.row)
        ).mappings()
    ]
    return job


def get_photo_import(conn: Connection, actor: Actor, job_id: uuid.UUID, kind: str) -> dict[str, Any]:
    """One ZIP import of photos: its progress and each file's verdict so far (in archive order)."""
    actor.require(Role.TEACHING_POINT_ADMIN, Role.ACADEMIC_AFFAIRS, Role.AUDITOR, Role.SYSTEM_ADMIN)
    job = _job(conn, job_id, kind)
    if job is None or not actor.can_see_teaching_point(job["teaching_point_id"]):
        raise NotFound("not_found", "电子照片导入任务不存在或不属于您的教学点")
    job["status_label"] = IMPORT_STATUS_LABELS.get(job["status"], job["status"])
    return job


def get_photo_export(conn: Connection, actor: Actor, job_id: uuid.UUID, kind: str) -> dict[str, Any]:
    """One export of photos, for the user who started it only (its ZIP holds photos named by ID
    number): its progress, each learner's result (in query order) and whether it can be
    downloaded."""
    actor.require(*EXPORTERS)
    job = _job(conn, job_id, kind)
    if (
        job is None
        or job["actor_id"] != actor.user_id
        or job["teaching_point_id"] != actor.teaching_point_id
    ):
        raise NotFound("not_found", "电子照片导出任务不存在或不是您发起的")
    job["status_label"] = EXPORT_STATUS_LABELS.get(job["status"], job["status"])
    job["learners"] = job.pop("files")
    job["downloadable"] = job["status"] == JobStatus.DONE
    return job


def list_photo_roster(
    conn: Connection, actor: Actor, page: Page, filters: RosterFilter, photo_status: str | None = None
) -> PageOf:
    """导入/导出电子照片的学生列表: the roster with the roster filters (requirements/common.md §2.1)
    and 照片状态 (已上传 / 未上传, `uploaded` / `missing`); ID numbers masked."""
    actor.require(*EXPORTERS)
    condition = _photo_status(photo_status)
    has_photo = exists().where(learner_photos.c.learner_id == learners.c.id, learner_photos.c.is_current)
    query = roster_query().add_columns(has_photo.label("has_photo"))
    query = in_scope(query, actor, learners.c.teaching_point_id)
    if condition is not None:
        query = query.where(condition)
    result = paged(conn, filters.apply(query, learners), page, [learners.c.student_number])
    items = []
    for row in result.items:
        row = roster_row(row, masked=True)
        row["has_photo"] = bool(row["has_photo"])
        row["photo_status_label"] = PHOTO_STATUSES["uploaded" if row["has_photo"] else "missing"]
        items.append(row)
    result.items = items
    return result
