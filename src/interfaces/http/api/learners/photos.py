"""Learner photos (电子照片, requirements/learners.md §3): upload one photo for a learner, its history, the
photo in use, delete the latest; import a ZIP of photos named `<证件号码>.JPG`; export a roster
query's photos as a ZIP named by ID number or by student number, built by a background job
whose ZIP the user who started it downloads. ID numbers never appear in a URL: a learner is
addressed by id, an export by its job."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

import msgspec
from litestar import Controller, Response, delete, get, post
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.learners.photo_projection import (
    get_photo_export,
    get_photo_import,
    list_photo_roster,
    photo_history,
)
from application.learners.photos import (
    ENTRY_MAX_BYTES,
    EXPORT_KIND,
    IMPORT_KIND,
    ZIP_MAX_BYTES,
)
from infrastructure.container import Container
from interfaces.http.api.common import ROSTER, Listing, listing, one_file, out, page_of
from interfaces.http.api.learners.schemas import (
    PhotoExportIn,
    PhotoExportOut,
    PhotoHistoryOut,
    PhotoImportOut,
    PhotoRosterOut,
    PhotoUpload,
    ZipUpload,
)


def zip_response(title: str, content: bytes) -> Response[bytes]:
    return Response(
        content=content,
        media_type="application/zip",
        headers={
            "Content-Disposition": f"attachment; filename=\"learner-photos.zip\"; filename*=UTF-8''{quote(title)}",
            "Cache-Control": "private, no-store",
        },
    )


def _one_file(data: Any, what: str, max_bytes: int) -> tuple[str | None, bytes]:
    return one_file(data, max_bytes, "upload.file_required", f"请选择要上传的{what}（一次一个）")


def _history(reader: Connection, actor: Actor, learner_id: uuid.UUID) -> PhotoHistoryOut:
    return out(photo_history(reader, actor, learner_id), PhotoHistoryOut)


class LearnerPhotoController(Controller):
    path = "/learners/{learner_id:uuid}"
    tags = ["learners"]

    @post("/photos", sync_to_thread=True, status_code=201)
    def upload(
        self, actor: Actor, services: Container, reader: Connection, learner_id: uuid.UUID, data: PhotoUpload
    ) -> PhotoHistoryOut:
        """Multipart field `file`: one JPEG photo for this learner (the teaching point's own).
        Checked by its content against the spec: 422 `photo.spec` with `problems` listing what
        is wrong. Answers the learner's photo history with the new photo in use."""
        file_name, content = _one_file(data, "电子照片", ENTRY_MAX_BYTES)
        services.learner_photos.upload(actor, learner_id, file_name, content)
        return _history(reader, actor, learner_id)

    @get("/photos", sync_to_thread=True)
    def history(self, actor: Actor, reader: Connection, learner_id: uuid.UUID) -> PhotoHistoryOut:
        """Every photo uploaded for the learner, newest first, and the one in use (or null)."""
        return _history(reader, actor, learner_id)

    @get("/photo", sync_to_thread=True, media_type="image/jpeg")
    def current(self, actor: Actor, services: Container, learner_id: uuid.UUID) -> Response[bytes]:
        """The photo in use as image/jpeg; 404 `photo.none` when the learner has none."""
        content = services.learner_photos.current_photo(actor, learner_id)
        return Response(content=content, media_type="image/jpeg", headers={"Cache-Control": "private, no-store"})

    @delete("/photos/latest", sync_to_thread=True, status_code=200)
    def delete_latest(
        self, actor: Actor, services: Container, reader: Connection, learner_id: uuid.UUID
    ) -> PhotoHistoryOut:
        """删除照片: the latest photo is no longer used anywhere; the learner has no photo in use
        until the next upload (409 `photo.none` when there is none to delete)."""
        services.learner_photos.delete_latest(actor, learner_id)
        return _history(reader, actor, learner_id)


class LearnerPhotoBatchController(Controller):
    path = "/learner-photos"
    tags = ["learners"]
    dependencies = ROSTER

    @get("/", sync_to_thread=True)
    def index(
        self,
        actor: Actor,
        reader: Connection,
        roster: RosterFilter,
        photo_status: str | None = None,
        page: int = 1,
        page_size: int = 20,
    ) -> Listing[PhotoRosterOut]:
        """导入/导出电子照片: the roster filters plus 照片状态 (`photo_status=uploaded|missing`);
        each learner with `photo_status_label` (已上传/未上传), ID numbers masked."""
        return listing(list_photo_roster(reader, actor, page_of(page, page_size), roster, photo_status), PhotoRosterOut)

    @post("/imports", sync_to_thread=True, status_code=202)
    def import_zip(self, actor: Actor, services: Container, reader: Connection, data: ZipUpload) -> PhotoImportOut:
        """批量导入: multipart field `file`, a ZIP of photos named `<证件号码>.JPG` (at most 500
        photos, 20 MB). The archive is checked at once: a corrupt one, an unsafe path (`../`,
        absolute), an encrypted or oversized one is refused whole (422 `photo.zip_invalid`,
        nothing queued). The photos are then imported in the background: poll
        `GET /learner-photos/imports/{id}` for progress and each file's verdict."""
        file_name, content = _one_file(data, "ZIP 压缩包", ZIP_MAX_BYTES)
        job_id = services.learner_photos.start_import(actor, file_name, content)
        return out(get_photo_import(reader, actor, job_id, IMPORT_KIND), PhotoImportOut)

    @get("/imports/{job_id:uuid}", sync_to_thread=True)
    def import_progress(self, actor: Actor, reader: Connection, job_id: uuid.UUID) -> PhotoImportOut:
        """An import's status (排队中/导入中/已完成/失败), counters and each file's verdict."""
        return out(get_photo_import(reader, actor, job_id, IMPORT_KIND), PhotoImportOut)

    @post("/exports", sync_to_thread=True, status_code=202)
    def start_export(
        self, actor: Actor, services: Container, reader: Connection, data: PhotoExportIn
    ) -> PhotoExportOut:
        """导出照片: the photo in use of every learner the roster filters find, packed in the
        background into a ZIP named `<身份证号码>.JPG` (`naming=id_number`) or `<学号>.JPG`
        (`naming=student_number`). Answers the job: poll `GET /learner-photos/exports/{id}` for
        progress and each learner's result (learners without a photo are listed), then download
        `GET /learner-photos/exports/{id}/file`. Only the user who started it sees the job."""
        fields = msgspec.structs.asdict(data)
        naming, photo_status = fields.pop("naming"), fields.pop("photo_status")
        if not actor.is_school_staff:
            fields.pop("teaching_point_id", None)
        job_id = services.learner_photos.start_export(actor, RosterFilter.from_params(fields), naming, photo_status)
        return out(get_photo_export(reader, actor, job_id, EXPORT_KIND), PhotoExportOut)

    @get("/exports/{job_id:uuid}", sync_to_thread=True)
    def export_progress(self, actor: Actor, reader: Connection, job_id: uuid.UUID) -> PhotoExportOut:
        """An export's status (排队中/导出中/已完成/失败), counters, each learner's result and
        whether its ZIP can be downloaded (`downloadable`)."""
        return out(get_photo_export(reader, actor, job_id, EXPORT_KIND), PhotoExportOut)

    @get("/exports/{job_id:uuid}/file", sync_to_thread=True, media_type="application/zip")
    def export_file(self, actor: Actor, services: Container, job_id: uuid.UUID) -> Response[bytes]:
        """The ZIP of a finished export (409 `photo.export_not_ready` while it runs)."""
        title, content = services.learner_photos.exported_zip(actor, job_id)
        return zip_response(title, content)
