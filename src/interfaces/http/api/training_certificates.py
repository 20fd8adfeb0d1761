"""The certificate ledger (学分与证书打印, requirements/training.md §6) over HTTP: a trainee's pool, remaining
printable and certificates; the school's allowances, error reports and batch generation; the
centre's corrections; and the public verification of a certificate (no login)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import msgspec
from litestar import Controller, Request, Response, delete, get, post, put

from application.common.actor import Actor
from application.training.certificate_queries import (
    CertificateFilter,
    LedgerFilter,
    certificate_row,
    export_certificates,
    get_batch,
    get_certificate,
    ledger_view,
    list_batches,
    list_certificates,
    list_ledgers,
    verify,
)
from domains.shared.errors import InvalidInput
from domains.training.ledger import check_year
from interfaces.admin.common.exports import XLSX, workbook_bytes, xlsx_response
from interfaces.http.api.common import Listing, Reason, listing, out, page_of
from interfaces.http.api.training_certificates_out import (
    AllowancesOut,
    CertificateBatchDetailOut,
    CertificateBatchOut,
    CertificateDetailOut,
    CertificateOut,
    LedgerOut,
    LedgerSummaryOut,
    VerificationOut,
)
from interfaces.http.context import api_actor, container_of


class ApplicationIn(msgspec.Struct):
    source_ids: list[uuid.UUID]  # items of the eligible pool (course or lecture ids)


class AllowanceIn(msgspec.Struct):
    hours: str  # "50" or "52.5": tenths of an hour at most


class AllowancesIn(msgspec.Struct):
    trainee_ids: list[uuid.UUID]
    year: int
    hours: str


class ErrorReportIn(msgspec.Struct):
    field: str  # trainee_name (姓名) | year (学时年份)
    correct_value: str
    note: str | None = None


class CorrectionIn(msgspec.Struct):
    value: str | None = None  # defaults to the reported correct value
    note: str | None = None


class BatchIn(msgspec.Struct):
    trainee_ids: list[uuid.UUID] | None = None  # None: every trainee of the school with hours in the pool


def _year(request: Request[Any, Any, Any], year: int | None) -> int:
    return check_year(year) if year is not None else container_of(request).clock.today().year


def _date(raw: str | None, field: str) -> datetime.date | None:
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput("date.malformed", "日期须为 YYYY-MM-DD", field=field) from None


def certificate_filter(
    training_school_id: uuid.UUID | None = None,
    trainee_id: uuid.UUID | None = None,
    year: int | None = None,
    serial: str | None = None,
    name: str | None = None,
    issued_from: str | None = None,
    issued_to: str | None = None,
    open_report: bool = False,
    amended: bool = False,
) -> CertificateFilter:
    return CertificateFilter(
        training_school_id=training_school_id, trainee_id=trainee_id, year=check_year(year) if year is not None else None,
        serial=serial, name=name,
        issued_from=_date(issued_from, "issued_from"), issued_to=_date(issued_to, "issued_to"),
        open_report=open_report, amended=amended,
    )


def verify_base(request: Request[Any, Any, Any]) -> str:
    return str(request.base_url).rstrip("/")


class CertificateLedgerController(Controller):
    path = "/certificate-ledgers"
    tags = ["training"]

    def _show(
        self, request: Request[Any, Any, Any], actor: Actor, trainee_id: uuid.UUID, year: int | None
    ) -> LedgerOut:
        with container_of(request).engine.connect() as conn:
            return out(ledger_view(conn, actor, trainee_id, _year(request, year)), LedgerOut)

    @get("/me", sync_to_thread=True)
    def mine(self, request: Request[Any, Any, Any], year: int | None = None) -> LedgerOut:
        """学分与证书打印 of the trainee: eligible pool, allowance and remaining printable for the
        year (default: this year), the most one application may select, certificate records and
        the hours detail."""
        actor = api_actor(request)
        return self._show(request, actor, actor.user_id or uuid.UUID(int=0), year)

    @get("/", sync_to_thread=True)
    def index(
        self, request: Request[Any, Any, Any], year: int | None = None, training_school_id: uuid.UUID | None = None,
        name: str | None = None, username: str | None = None, with_pool: bool = False, page: int = 1,
        page_size: int = 20,
    ) -> Listing[LedgerSummaryOut]:
        """Trainees' ledgers: a school administrator's school, the centre every school."""
        actor = api_actor(request)
        filters = LedgerFilter(training_school_id=training_school_id, name=name, username=username, with_pool=with_pool)
        with container_of(request).engine.connect() as conn:
            return listing(list_ledgers(conn, actor, page_of(page, page_size), _year(request, year), filters), LedgerSummaryOut)

    @get("/{trainee_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], trainee_id: uuid.UUID, year: int | None = None) -> LedgerOut:
        return self._show(request, api_actor(request), trainee_id, year)

    @put("/{trainee_id:uuid}/allowances/{year:int}", sync_to_thread=True, status_code=200)
    def set_allowance(
        self, request: Request[Any, Any, Any], trainee_id: uuid.UUID, year: int, data: AllowanceIn
    ) -> LedgerOut:
        """可打印学时 of the trainee for the year (校级管理员); each change is recorded."""
        actor = api_actor(request)
        container_of(request).certificate_ledgers.set_allowance(actor, trainee_id, year, data.hours)
        return self._show(request, actor, trainee_id, year)

    @post("/allowances", sync_to_thread=True, status_code=200)
    def set_allowances(self, request: Request[Any, Any, Any], data: AllowancesIn) -> AllowancesOut:
        """The same allowance for several trainees of the school at once."""
        return out(container_of(request).certificate_ledgers.set_allowances(
            api_actor(request), data.trainee_ids, data.year, data.hours
        ), AllowancesOut)


class CertificateController(Controller):
    path = "/certificates"
    tags = ["training"]

    def _show(self, request: Request[Any, Any, Any], actor: Actor, serial: str) -> CertificateDetailOut:
        with container_of(request).engine.connect() as conn:
            return out(get_certificate(conn, actor, serial=serial), CertificateDetailOut)

    def _id(self, request: Request[Any, Any, Any], actor: Actor, serial: str) -> uuid.UUID:
        with container_of(request).engine.connect() as conn:
            return certificate_row(conn, actor, serial=serial)["id"]  # type: ignore[no-any-return]

    @post("/", sync_to_thread=True)
    def apply(self, request: Request[Any, Any, Any], data: ApplicationIn) -> Response[CertificateDetailOut]:
        """A trainee's application: refused (409) when the selection exceeds the remaining
        printable by more than 2.0 hours; the certificate is issued at once."""
        c = container_of(request)
        actor = api_actor(request)
        certificate_id = c.certificate_ledgers.apply(actor, data.source_ids)
        with c.engine.connect() as conn:
            return Response(out(get_certificate(conn, actor, certificate_id=certificate_id), CertificateDetailOut), status_code=201)

    @get("/", sync_to_thread=True)
    def index(
        self, request: Request[Any, Any, Any], training_school_id: uuid.UUID | None = None,
        trainee_id: uuid.UUID | None = None, year: int | None = None, serial: str | None = None,
        name: str | None = None, issued_from: str | None = None, issued_to: str | None = None,
        open_report: bool = False, amended: bool = False, page: int = 1, page_size: int = 20,
    ) -> Listing[CertificateOut]:
        """Certificates newest first: a trainee's own, a school's, the centre's every school."""
        filters = certificate_filter(training_school_id, trainee_id, year, serial, name, issued_from, issued_to,
                                     open_report, amended)
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return listing(list_certificates(conn, actor, page_of(page, page_size), filters), CertificateOut)

    @get("/export.xlsx", sync_to_thread=True, media_type=XLSX)
    def export(
        self, request: Request[Any, Any, Any], training_school_id: uuid.UUID | None = None, year: int | None = None,
        serial: str | None = None, name: str | None = None, issued_from: str | None = None,
        issued_to: str | None = None, open_report: bool = False, amended: bool = False,
    ) -> Response[bytes]:
        """The filtered certificate list as an Excel file (school administrator, centre)."""
        filters = certificate_filter(training_school_id, None, year, serial, name, issued_from, issued_to,
                                     open_report, amended)
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            rows = export_certificates(conn, actor, filters)
        return certificate_workbook(rows)

    @get("/{serial:str}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], serial: str) -> CertificateDetailOut:
        """Current details, items, the waiting error report and the history (both values of
        every correction)."""
        return self._show(request, api_actor(request), serial)

    @get("/{serial:str}/pdf", sync_to_thread=True, media_type="application/pdf")
    def pdf(self, request: Request[Any, Any, Any], serial: str) -> Response[bytes]:
        """下载/重新打印 at any time: no hours are deducted again."""
        c = container_of(request)
        actor = api_actor(request)
        filename, content = c.certificate_ledgers.download(
            actor, self._id(request, actor, serial), verify_base(request), c.certificate_renderer
        )
        return pdf_response(filename, content)

    @delete("/{serial:str}", sync_to_thread=True, status_code=200)
    def revoke(self, request: Request[Any, Any, Any], serial: str) -> None:
        """已生成的证书不得撤销: always refused (409 certificate.irrevocable)."""
        actor = api_actor(request)
        container_of(request).certificate_ledgers.revoke(actor, self._id(request, actor, serial))

    @post("/{serial:str}/error-reports", sync_to_thread=True, status_code=200)
    def report_error(self, request: Request[Any, Any, Any], serial: str, data: ErrorReportIn) -> CertificateDetailOut:
        """校级管理员报备 a wrong name or year with its correct value."""
        actor = api_actor(request)
        container_of(request).certificate_ledgers.report_error(
            actor, self._id(request, actor, serial), data.field, data.correct_value, data.note
        )
        return self._show(request, actor, serial)

    @post("/{serial:str}/correction", sync_to_thread=True, status_code=200)
    def correct(self, request: Request[Any, Any, Any], serial: str, data: CorrectionIn | None = None) -> CertificateDetailOut:
        """网培中心修改并备案 the reported detail (an amendment; the history keeps both values)."""
        actor = api_actor(request)
        container_of(request).certificate_ledgers.correct(
            actor, self._id(request, actor, serial), data.value if data else None, data.note if data else None
        )
        return self._show(request, actor, serial)

    @post("/{serial:str}/report-declined", sync_to_thread=True, status_code=200)
    def decline(self, request: Request[Any, Any, Any], serial: str, data: Reason) -> CertificateDetailOut:
        actor = api_actor(request)
        container_of(request).certificate_ledgers.decline_report(actor, self._id(request, actor, serial), data.reason)
        return self._show(request, actor, serial)

    @get("/{serial:str}/verification", sync_to_thread=True)
    def verification(self, request: Request[Any, Any, Any], serial: str, code: str | None = None) -> VerificationOut:
        """Public (no login): genuine or not, with the current details and amendments when the
        code from the certificate's QR link matches; nothing beyond what the certificate shows."""
        with container_of(request).engine.connect() as conn:
            return out(verify(conn, serial, code), VerificationOut)


class CertificateBatchController(Controller):
    path = "/certificate-batches"
    tags = ["training"]

    def _show(self, request: Request[Any, Any, Any], actor: Actor, job_id: uuid.UUID) -> CertificateBatchDetailOut:
        with container_of(request).engine.connect() as conn:
            return out(get_batch(conn, actor, job_id), CertificateBatchDetailOut)

    @post("/", sync_to_thread=True, status_code=202)
    def start(self, request: Request[Any, Any, Any], data: BatchIn) -> CertificateBatchDetailOut:
        """批量生成证书 for chosen trainees of the school (or all with hours in the pool)."""
        actor = api_actor(request)
        job_id = container_of(request).certificate_ledgers.start_batch(actor, data.trainee_ids)
        return self._show(request, actor, job_id)

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], page: int = 1, page_size: int = 20) -> Listing[CertificateBatchOut]:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return listing(list_batches(conn, actor, page_of(page, page_size)), CertificateBatchOut)

    @get("/{job_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], job_id: uuid.UUID) -> CertificateBatchDetailOut:
        """Progress and each trainee's result so far."""
        return self._show(request, api_actor(request), job_id)


EXPORT_COLUMNS = [
    ("serial", "证书编号"), ("trainee_name", "姓名"), ("school_name", "学校"), ("year", "学时年份"),
    ("total_hours", "学时"), ("item_titles", "课程/讲座"), ("issued_on", "发证日期"), ("amendments", "更正次数"),
    ("open_report_field_label", "待更正"), ("downloads", "下载次数"),
]


def certificate_workbook(rows: list[dict[str, Any]]) -> Response[bytes]:
    for r in rows:
        r["item_titles"] = "、".join(f"{i['title']}（{i['hours']}）" for i in r["items"])
    content, _ = workbook_bytes("证书列表", EXPORT_COLUMNS, rows)
    return xlsx_response(content, "证书列表.xlsx", "certificates.xlsx")


def pdf_response(filename: str, content: bytes) -> Response[bytes]:
    return Response(
        content, media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"},
    )


TRAINING_CERTIFICATE_CONTROLLERS = [CertificateLedgerController, CertificateController, CertificateBatchController]
