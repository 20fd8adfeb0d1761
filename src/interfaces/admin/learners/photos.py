"""导入/导出电子照片 (requirements/learners.md §3): the photo roster with the roster filters
(requirements/common.md §2.1) and 照片状态 (已上传/未上传), a ZIP import run in the background with
its progress bar and one verdict per file, an export of the current query's photos as a ZIP named by
ID number or by student number (a background job with its progress bar, each learner's result and
the ZIP to download for the user who started it); and one learner's photos: the photo in use, the
history, upload one photo, delete the latest."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template
from sqlalchemy import Connection

from application.common.actor import Actor
from application.learners.photo_projection import (
    PHOTO_STATUSES,
    get_photo_export,
    get_photo_import,
    list_photo_roster,
    photo_history,
)
from application.learners.photos import (
    ENTRY_MAX_BYTES,
    EXPORT_KIND,
    IMPORT_KIND,
    NAMINGS,
    ZIP_MAX_BYTES,
)
from application.learners.queries import get_learner
from domains.shared.errors import DomainError
from domains.shared.values import Role
from infrastructure.container import Container
from interfaces.admin.common.forms import (
    Form,
    Multipart,
    done,
    one_upload,
    page_of,
)
from interfaces.admin.common.jobs import JobProgress, progress, progress_response
from interfaces.admin.common.lists import choices_of, filters_from, filters_of
from interfaces.admin.common.rendering import page
from interfaces.admin.learners.roster import STATUSES
from interfaces.http.api.learners.photos import zip_response

ROSTER = "/admin/learner-photos"


def _upload(data: Any, what: str, max_bytes: int) -> tuple[str, bytes]:
    """The one file chosen in the form's `file` field, read up to one byte past `max_bytes`."""
    upload = one_upload(data, "upload.file_required", f"请选择要上传的{what}")
    return upload.filename, upload.file.read(max_bytes + 1)


def _refused(exc: DomainError) -> str:
    if exc.kind == "forbidden":
        raise exc
    return exc.message


class PhotoRosterPages(Controller):
    path = ROSTER

    def _index(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, status_code: int = 200,
               **context: Any) -> Template:
        filters, params = filters_of(request, actor)
        photo_status = request.query_params.get("photo_status") or ""
        if photo_status in PHOTO_STATUSES:
            params["photo_status"] = photo_status
        result = list_photo_roster(reader, actor, page_of(request), filters, params.get("photo_status"))
        return page(
            request, "photos_list.html", actor, status_code=status_code, result=result, statuses=STATUSES,
            photo_statuses=list(PHOTO_STATUSES.items()), namings=NAMINGS, params=params,
            may_import=actor.teaching_point_id is not None,
            # Auditors post no forms in the admin UI (they export through the API).
            may_export=Role.AUDITOR not in actor.roles, **choices_of(reader, actor), **context,
        )

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        return self._index(request, actor, reader)

    @post("/imports", sync_to_thread=True)
    def import_zip(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Multipart
    ) -> Response[Any]:
        try:
            file_name, content = _upload(data, "照片 ZIP 压缩包", ZIP_MAX_BYTES)
            job_id = services.learner_photos.start_import(actor, file_name, content)
        except DomainError as exc:
            return self._index(request, actor, reader, 422, error=_refused(exc))
        return Redirect(f"{ROSTER}/imports/{job_id}")

    @get("/imports/{job_id:uuid}", sync_to_thread=True)
    def import_job(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, job_id: uuid.UUID) -> Template:
        job = get_photo_import(reader, actor, job_id, IMPORT_KIND)
        return page(request, "photos_import.html", actor, job=job, progress=progress(job))

    @get("/imports/{job_id:uuid}/progress", sync_to_thread=True)
    def import_progress(self, actor: Actor, reader: Connection, job_id: uuid.UUID) -> Response[JobProgress]:
        return progress_response(get_photo_import(reader, actor, job_id, IMPORT_KIND))

    @post("/exports", sync_to_thread=True)
    def start_export(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Form
    ) -> Response[Any]:
        filters, _ = filters_from(data, actor)
        try:
            job_id = services.learner_photos.start_export(
                actor, filters, data.get("naming") or None, data.get("photo_status") or None
            )
        except DomainError as exc:
            return self._index(request, actor, reader, 422, error=_refused(exc))
        return Redirect(f"{ROSTER}/exports/{job_id}")

    @get("/exports/{job_id:uuid}", sync_to_thread=True)
    def export_job(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, job_id: uuid.UUID) -> Template:
        job = get_photo_export(reader, actor, job_id, EXPORT_KIND)
        missing = [x for x in job["learners"] if not x["ok"]]
        return page(request, "photos_export.html", actor, job=job, progress=progress(job), missing=missing)

    @get("/exports/{job_id:uuid}/progress", sync_to_thread=True)
    def export_progress(self, actor: Actor, reader: Connection, job_id: uuid.UUID) -> Response[JobProgress]:
        return progress_response(get_photo_export(reader, actor, job_id, EXPORT_KIND))

    @get("/exports/{job_id:uuid}/file", sync_to_thread=True)
    def export_file(self, actor: Actor, services: Container, job_id: uuid.UUID) -> Response[bytes]:
        title, content = services.learner_photos.exported_zip(actor, job_id)
        return zip_response(title, content)


class LearnerPhotoPages(Controller):
    path = "/admin/learners/{learner_id:uuid}"

    def _show(
        self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, learner_id: uuid.UUID,
        status_code: int = 200, **context: Any,
    ) -> Template:
        learner = get_learner(reader, actor, learner_id)
        album = photo_history(reader, actor, learner_id)
        return page(
            request, "photos_learner.html", actor, status_code=status_code, learner=learner, album=album,
            may_change=actor.teaching_point_id is not None, **context,
        )

    @get("/photos", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, learner_id: uuid.UUID) -> Template:
        return self._show(request, actor, reader, learner_id)

    @get("/photo", sync_to_thread=True)
    def current(self, actor: Actor, services: Container, learner_id: uuid.UUID) -> Response[bytes]:
        content = services.learner_photos.current_photo(actor, learner_id)
        return Response(content=content, media_type="image/jpeg", headers={"Cache-Control": "private, no-store"})

    @post("/photos", sync_to_thread=True)
    def upload(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        learner_id: uuid.UUID, data: Multipart,
    ) -> Response[Any]:
        try:
            file_name, content = _upload(data, "电子照片", ENTRY_MAX_BYTES)
            services.learner_photos.upload(actor, learner_id, file_name, content)
        except DomainError as exc:
            return self._show(request, actor, reader, learner_id, 422, error=_refused(exc))
        return done(request, f"/admin/learners/{learner_id}/photos", "电子照片已上传，现为使用中的照片")

    @post("/photos/latest/deletion", sync_to_thread=True)
    def delete_latest(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        learner_id: uuid.UUID, data: Form,
    ) -> Response[Any]:
        try:
            services.learner_photos.delete_latest(actor, learner_id)
        except DomainError as exc:
            return self._show(request, actor, reader, learner_id, 422, error=_refused(exc))
        return done(request, f"/admin/learners/{learner_id}/photos", "最新照片已删除")
