"""Admin pages of the bulk import of application forms (批量导入报名表): upload a CSV for an
admission batch, then a job page whose progress bar a few lines of vanilla JavaScript refresh
from a small JSON endpoint until the job is finished, then the result of every row."""

from __future__ import annotations

import uuid
from typing import Annotated, Any
from urllib.parse import quote

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

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
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.values import Role
from interfaces.admin.admissions.forms import open_admission_batches
from interfaces.admin.common.forms import error_field, page_number, parse_id
from interfaces.admin.common.jobs import progress, progress_response
from interfaces.admin.common.rendering import page
from interfaces.admin.common.session import admin_actor
from interfaces.http.context import container_of

Multipart = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]
TEMPLATE_NAME = "报名表导入模板.csv"

class ImportPages(Controller):
    path = "/admin/application-forms/imports"

    def _index(self, request: Request[Any, Any, Any], actor: Actor, status_code: int = 200, **context: Any) -> Template:
        c = container_of(request)
        with c.engine.connect() as conn:
            batches = open_admission_batches(conn, c.clock.today())
            jobs = list_imports(conn, actor, Page(number=page_number(request), size=10))
        context.setdefault("form", {})
        return page(
            request, "imports_index.html", actor, status_code=status_code, batches=batches, result=jobs,
            columns=IMPORT_COLUMNS, optional=OPTIONAL_COLUMNS, max_rows=MAX_ROWS, today=c.clock.today(), **context,
        )

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any]) -> Template:
        actor = admin_actor(request)
        actor.require(Role.TEACHING_POINT_ADMIN)
        return self._index(request, actor)

    @post("/", sync_to_thread=True)
    def upload(self, request: Request[Any, Any, Any], data: Multipart) -> Response[Any]:
        actor = admin_actor(request)
        actor.require(Role.TEACHING_POINT_ADMIN)
        form = {"admission_batch_id": str(data.get("admission_batch_id") or "")}
        try:
            upload = data.get("file")
            if isinstance(upload, list):
                upload = upload[0] if len(upload) == 1 else None
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise InvalidInput("import.file_required", "请选择要导入的 CSV 文件", field="file")
            batch_id = parse_id(data.get("admission_batch_id"), "import.admission_batch_required", "请选择招生批次",
                                "admission_batch_id")
            content = upload.file.read(MAX_BYTES + 1)
            job_id = container_of(request).form_imports.start(actor, batch_id, upload.filename, content)
        except DomainError as exc:
            if exc.kind == "forbidden":
                raise
            return self._index(request, actor, 422, form=form, error=exc.message, error_field=error_field(exc))
        return Redirect(f"/admin/application-forms/imports/{job_id}")

    @get("/template", sync_to_thread=True)
    def template(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        actor = admin_actor(request)
        return Response(
            content=import_template(actor),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": "attachment; filename=\"form-import-template.csv\"; "
                f"filename*=UTF-8''{quote(TEMPLATE_NAME)}"
            },
        )

    @get("/{job_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], job_id: uuid.UUID) -> Template:
        actor = admin_actor(request)
        with container_of(request).engine.connect() as conn:
            job = get_import(conn, actor, job_id)
        return page(request, "imports_show.html", actor, job=job, progress=progress(job))

    @get("/{job_id:uuid}/progress", sync_to_thread=True)
    def progress_of(self, request: Request[Any, Any, Any], job_id: uuid.UUID) -> Response[dict[str, Any]]:
        actor = admin_actor(request)
        with container_of(request).engine.connect() as conn:
            job = get_import(conn, actor, job_id)
        return progress_response(job)
