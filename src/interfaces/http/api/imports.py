"""Bulk import of application forms from CSV: upload, progress with per-row results, template."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, Response, get, post

from application.admissions.imports import (
    MAX_BYTES,
    get_import,
    import_template,
    list_imports,
)
from domains.shared.errors import InvalidInput
from interfaces.http.api.admissions_out import FormImportDetailOut, FormImportOut
from interfaces.http.api.common import (
    Listing,
    listing,
    one_file,
    out,
    page_of,
    upload_body,
)
from interfaces.http.context import api_actor, container_of

TEMPLATE_NAME = "报名表导入模板.csv"
FormsUpload = upload_body("报名表 CSV 文件（按导入模板）", admission_batch_id="招生批次 id（uuid）")


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
    def upload(
        self,
        request: Request[Any, Any, Any],
        data: FormsUpload,
    ) -> FormImportDetailOut:
        """Multipart fields `file` (the CSV) and `admission_batch_id`. The file is checked at
        once (422 with a code when refused, nothing queued); the import itself runs in the
        background: poll `GET /application-forms/imports/{id}` for progress and row results."""
        actor = api_actor(request)
        c = container_of(request)
        file_name, content = one_file(data, MAX_BYTES, "import.file_required", "请选择要导入的 CSV 文件（一次一个）")
        batch_id = _batch_id(data.get("admission_batch_id"))
        job_id = c.form_imports.start(actor, batch_id, file_name, content)
        with c.engine.connect() as conn:
            return out(get_import(conn, actor, job_id), FormImportDetailOut)

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], page: int = 1, page_size: int = 20) -> Listing[FormImportOut]:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return listing(list_imports(conn, actor, page_of(page, page_size)), FormImportOut)

    @get("/template", sync_to_thread=True, media_type="text/csv; charset=utf-8")
    def template(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        actor = api_actor(request)
        return Response(
            content=import_template(actor),
            media_type="text/csv",  # Litestar adds the charset
            headers={
                "Content-Disposition": 'attachment; filename="form-import-template.csv"; '
                f"filename*=UTF-8''{quote(TEMPLATE_NAME)}"
            },
        )

    @get("/{job_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], job_id: uuid.UUID) -> FormImportDetailOut:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return out(get_import(conn, actor, job_id), FormImportDetailOut)
