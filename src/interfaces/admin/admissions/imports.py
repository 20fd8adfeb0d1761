"""Admin pages of the bulk import of application forms (批量导入报名表): upload a CSV for an
admission batch, then a job page whose progress bar a few lines of vanilla JavaScript refresh
from a small JSON endpoint until the job is finished, then the result of every row."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template
from sqlalchemy import Connection

from application.admissions.imports import (
    IMPORT_COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    OPTIONAL_COLUMNS,
    get_import,
    import_template,
    list_imports,
)
from application.common.actor import Actor
from application.common.queries import Page
from domains.shared.errors import DomainError, NotFound
from domains.shared.values import Role
from infrastructure.container import Container
from interfaces.admin.admissions.forms import open_admission_batches
from interfaces.admin.common.forms import (
    Multipart,
    error_field,
    one_upload,
    page_number,
    parse_id,
)
from interfaces.admin.common.guards import requires_role
from interfaces.admin.common.jobs import JobProgress, progress, progress_response
from interfaces.admin.common.rendering import page

TEMPLATE_NAME = "报名表导入模板.csv"
FAILED_ROWS_NAME = "未导入的报名表.csv"


class ImportPages(Controller):
    path = "/admin/application-forms/imports"

    def _index(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
               status_code: int = 200, **context: Any) -> Template:
        today = services.clock.today()
        jobs = list_imports(reader, actor, Page(number=page_number(request), size=10))
        context.setdefault("form", {})
        return page(
            request, "imports_index.html", actor, status_code=status_code, batches=open_admission_batches(reader, today),
            result=jobs, columns=IMPORT_COLUMNS, optional=OPTIONAL_COLUMNS, max_rows=MAX_ROWS, today=today, **context,
        )

    @get("/", sync_to_thread=True, guards=[requires_role(Role.TEACHING_POINT_ADMIN)])
    def index(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection) -> Template:
        return self._index(request, actor, services, reader)

    @post("/", sync_to_thread=True, guards=[requires_role(Role.TEACHING_POINT_ADMIN)])
    def upload(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Multipart
    ) -> Response[Any]:
        form = {"admission_batch_id": str(data.get("admission_batch_id") or "")}
        try:
            upload = one_upload(data, "import.file_required", "请选择要导入的 CSV 文件")
            batch_id = parse_id(data.get("admission_batch_id"), "import.admission_batch_required", "请选择招生批次",
                                "admission_batch_id")
            content = upload.file.read(MAX_BYTES + 1)
            job_id = services.form_imports.start(actor, batch_id, upload.filename, content)
        except DomainError as exc:
            if exc.kind == "forbidden":
                raise
            return self._index(request, actor, services, reader, 422, form=form, error=exc.message,
                               error_field=error_field(exc))
        return Redirect(f"/admin/application-forms/imports/{job_id}")

    @get("/template", sync_to_thread=True)
    def template(self, actor: Actor) -> Response[bytes]:
        return Response(
            content=import_template(actor),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": "attachment; filename=\"form-import-template.csv\"; "
                f"filename*=UTF-8''{quote(TEMPLATE_NAME)}"
            },
        )

    @get("/{job_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, job_id: uuid.UUID) -> Template:
        job = get_import(reader, actor, job_id)
        return page(request, "imports_show.html", actor, job=job, progress=progress(job))

    @get("/{job_id:uuid}/failed-rows.csv", sync_to_thread=True)
    def failed_rows(self, actor: Actor, services: Container, reader: Connection, job_id: uuid.UUID) -> Response[bytes]:
        """未导入的行: the refused rows with their reasons, to correct and import again."""
        content = services.form_imports.failed_rows(reader, actor, job_id)
        if content is None:
            raise NotFound("not_found", "该导入任务没有未导入的行")
        return Response(
            content=content,
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": "attachment; filename=\"failed-rows.csv\"; "
                f"filename*=UTF-8''{quote(FAILED_ROWS_NAME)}"
            },
        )

    @get("/{job_id:uuid}/progress", sync_to_thread=True)
    def progress_of(self, actor: Actor, reader: Connection, job_id: uuid.UUID) -> Response[JobProgress]:
        return progress_response(get_import(reader, actor, job_id))
