"""Bulk import of application forms from CSV: upload, progress with per-row results, template."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from litestar import Controller, Response, get, post
from sqlalchemy import Connection

from application.admissions.imports import (
    MAX_BYTES,
    get_import,
    import_template,
    list_imports,
)
from application.common.actor import Actor
from domains.shared.errors import InvalidInput
from infrastructure.container import Container
from interfaces.http.api.admissions.schemas import (
    FormImportDetailOut,
    FormImportOut,
    FormsUpload,
)
from interfaces.http.api.common import Listing, listing, one_file, out, page_of

TEMPLATE_NAME = "报名表导入模板.csv"


def _batch_id(raw: Any) -> uuid.UUID:
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        raise InvalidInput("import.admission_batch_required", "请选择招生批次", field="admission_batch_id")
    try:
        return uuid.UUID(text)
    except ValueError:
        raise InvalidInput("import.admission_batch_unknown", "所选招生批次不存在", field="admission_batch_id") from None


class ImportController(Controller):
    path = "/application-forms/imports"
    tags = ["admissions"]

    @post("/", sync_to_thread=True, status_code=202)
    def upload(self, actor: Actor, services: Container, reader: Connection, data: FormsUpload) -> FormImportDetailOut:
        """Multipart fields `file` (the CSV) and `admission_batch_id`. The file is checked at
        once (422 with a code when refused, nothing queued); the import itself runs in the
        background: poll `GET /application-forms/imports/{id}` for progress and row results."""
        file_name, content = one_file(data, MAX_BYTES, "import.file_required", "请选择要导入的 CSV 文件（一次一个）")
        batch_id = _batch_id(data.get("admission_batch_id"))
        job_id = services.form_imports.start(actor, batch_id, file_name, content)
        return out(get_import(reader, actor, job_id), FormImportDetailOut)

    @get("/", sync_to_thread=True)
    def index(self, actor: Actor, reader: Connection, page: int = 1, page_size: int = 20) -> Listing[FormImportOut]:
        return listing(list_imports(reader, actor, page_of(page, page_size)), FormImportOut)

    @get("/template", sync_to_thread=True, media_type="text/csv; charset=utf-8")
    def template(self, actor: Actor) -> Response[bytes]:
        return Response(
            content=import_template(actor),
            media_type="text/csv",  # Litestar adds the charset
            headers={
                "Content-Disposition": 'attachment; filename="form-import-template.csv"; '
                f"filename*=UTF-8''{quote(TEMPLATE_NAME)}"
            },
        )

    @get("/{job_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, reader: Connection, job_id: uuid.UUID) -> FormImportDetailOut:
        return out(get_import(reader, actor, job_id), FormImportDetailOut)
