"""Response bodies of learners' electronic photos (电子照片): a learner's photos, the photo roster,
ZIP imports and exports."""

from __future__ import annotations

import uuid
from datetime import datetime

from interfaces.http.api.common import JobOut, Out
from interfaces.http.api.learner_records_out import LearnerOut


class PhotoOut(Out):
    learner_id: uuid.UUID
    number: int
    file_name: str
    size: int  # bytes
    width: int
    height: int
    quality: int | None  # JPEG quality estimate
    uploaded_at: datetime
    uploaded_by: str
    is_current: bool
    deleted_at: datetime | None
    deleted_by: str | None
    status_label: str


class PhotoHistoryOut(Out):
    """Every photo of the learner, newest first, and the one in use."""

    learner_id: uuid.UUID
    audit_id: uuid.UUID  # the aggregate whose audit trail records every upload and deletion
    status_label: str
    current: PhotoOut | None
    photos: list[PhotoOut]


class PhotoRosterOut(LearnerOut):
    has_photo: bool
    photo_status_label: str


class PhotoJobItemOut(Out):
    row: int
    ok: bool
    message: str | None
    learner_id: uuid.UUID | None


class _PhotoJobOut(JobOut):
    teaching_point_id: uuid.UUID | None
    actor_id: uuid.UUID | None
    actor_name: str | None


class PhotoImportOut(_PhotoJobOut):
    files: list[PhotoJobItemOut]  # each file of the archive, in archive order


class PhotoExportOut(_PhotoJobOut):
    learners: list[PhotoJobItemOut]
    downloadable: bool
