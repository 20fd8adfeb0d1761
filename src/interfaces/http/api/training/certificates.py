"""The certificate ledger (学分与证书打印, requirements/training.md §6) over HTTP: a trainee's pool, remaining
printable and certificates; the school's allowances, error reports and batch generation; the
centre's corrections; and the public verification of a certificate (no login)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from litestar import Controller, Request, Response, delete, get, post, put
from sqlalchemy import Connection

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
from infrastructure.container import Container
from interfaces.admin.common.exports import XLSX, workbook_bytes, xlsx_response
from interfaces.http.api.common import (
    Listing,
    ReasonIn,
    listing,
    out,
    page_of,
)
from interfaces.http.api.training.schemas import (
    AllowanceIn,
    AllowancesIn,
    AllowancesOut,
    ApplicationIn,
    BatchIn,
    CertificateBatchDetailOut,
    CertificateBatchOut,
    CertificateDetailOut,
    CertificateOut,
    CorrectionIn,
    ErrorReportIn,
    LedgerOut,
    LedgerSummaryOut,
    VerificationOut,
)


def _year(services: Container, year: int | None) -> int:
    return check_year(year) if year is not None else services.clock.today().year


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


def _ledger(
    reader: Connection, actor: Actor, services: Container, trainee_id: uuid.UUID, year: int | None
) -> LedgerOut:
    return out(ledger_view(reader, actor, trainee_id, _year(services, year)), LedgerOut)


class CertificateLedgerController(Controller):
    path = "/certificate-ledgers"
    tags = ["training"]

    @get("/me", sync_to_thread=True)
    def mine(self, actor: Actor, services: Container, reader: Connection, year: int | None = None) -> LedgerOut:
        """学分与证书打印 of the trainee: eligible pool, allowance and remaining printable for the
        year (default: this year), the most one application may select, certificate records and
        the hours detail."""
        return _ledger(reader, actor, services, actor.user_id or uuid.UUID(int=0), year)

    @get("/", sync_to_thread=True)
    def index(
        self, actor: Actor, services: Container, reader: Connection, year: int | None = None,
        training_school_id: uuid.UUID | None = None, name: str | None = None, username: str | None = None,
        with_pool: bool = False, page: int = 1, page_size: int = 20,
    ) -> Listing[LedgerSummaryOut]:
        """Trainees' ledgers: a school administrator's school, the centre every school."""
        filters = LedgerFilter(training_school_id=training_school_id, name=name, username=username, with_pool=with_pool)
        return listing(
            list_ledgers(reader, actor, page_of(page, page_size), _year(services, year), filters), LedgerSummaryOut
        )

    @get("/{trainee_id:uuid}", sync_to_thread=True)
    def show(
        self, actor: Actor, services: Container, reader: Connection, trainee_id: uuid.UUID, year: int | None = None
    ) -> LedgerOut:
        return _ledger(reader, actor, services, trainee_id, year)

    @put("/{trainee_id:uuid}/allowances/{year:int}", sync_to_thread=True, status_code=200)
    def set_allowance(
        self, actor: Actor, services: Container, reader: Connection, trainee_id: uuid.UUID, year: int,
        data: AllowanceIn,
    ) -> LedgerOut:
        """可打印学时 of the trainee for the year (校级管理员); each change is recorded."""
        services.certificate_ledgers.set_allowance(actor, trainee_id, year, data.hours)
        return _ledger(reader, actor, services, trainee_id, year)

    @post("/allowances", sync_to_thread=True, status_code=200)
    def set_allowances(self, actor: Actor, services: Container, data: AllowancesIn) -> AllowancesOut:
        """The same allowance for several trainees of the school at once."""
        return out(
            services.certificate_ledgers.set_allowances(actor, data.trainee_ids, data.year, data.hours), AllowancesOut
        )


def _certificate(reader: Connection, actor: Actor, serial: str) -> CertificateDetailOut:
    return out(get_certificate(reader, actor, serial=serial), CertificateDetailOut)


def _certificate_id(reader: Connection, actor: Actor, serial: str) -> uuid.UUID:
    """The certificate's id for a use case, which then uses the database itself."""
    return certificate_row(reader, actor, serial=serial)["id"]  # type: ignore[no-any-return]


class CertificateController(Controller):
    path = "/certificates"
    tags = ["training"]

    @post("/", sync_to_thread=True)
    def apply(
        self, actor: Actor, services: Container, reader: Connection, data: ApplicationIn
    ) -> Response[CertificateDetailOut]:
        """A trainee's application: refused (409) when the selection exceeds the remaining
        printable by more than 2.0 hours; the certificate is issued at once."""
        certificate_id = services.certificate_ledgers.apply(actor, data.source_ids)
        return Response(
            out(get_certificate(reader, actor, certificate_id=certificate_id), CertificateDetailOut), status_code=201
        )

    @get("/", sync_to_thread=True)
    def index(
        self, actor: Actor, reader: Connection, training_school_id: uuid.UUID | None = None,
        trainee_id: uuid.UUID | None = None, year: int | None = None, serial: str | None = None,
        name: str | None = None, issued_from: str | None = None, issued_to: str | None = None,
        open_report: bool = False, amended: bool = False, page: int = 1, page_size: int = 20,
    ) -> Listing[CertificateOut]:
        """Certificates newest first: a trainee's own, a school's, the centre's every school."""
        filters = certificate_filter(training_school_id, trainee_id, year, serial, name, issued_from, issued_to,
                                     open_report, amended)
        return listing(list_certificates(reader, actor, page_of(page, page_size), filters), CertificateOut)

    @get("/export.xlsx", sync_to_thread=True, media_type=XLSX)
    def export(
        self, actor: Actor, reader: Connection, training_school_id: uuid.UUID | None = None, year: int | None = None,
        serial: str | None = None, name: str | None = None, issued_from: str | None = None,
        issued_to: str | None = None, open_report: bool = False, amended: bool = False,
    ) -> Response[bytes]:
        """The filtered certificate list as an Excel file (school administrator, centre)."""
        filters = certificate_filter(training_school_id, None, year, serial, name, issued_from, issued_to,
                                     open_report, amended)
        return certificate_workbook(export_certificates(reader, actor, filters))

    @get("/{serial:str}", sync_to_thread=True)
    def show(self, actor: Actor, reader: Connection, serial: str) -> CertificateDetailOut:
        """Current details, items, the waiting error report and the history (both values of
        every correction)."""
        return _certificate(reader, actor, serial)

    @get("/{serial:str}/pdf", sync_to_thread=True, media_type="application/pdf")
    def pdf(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, serial: str
    ) -> Response[bytes]:
        """下载/重新打印 at any time: no hours are deducted again."""
        filename, content = services.certificate_ledgers.download(
            actor, _certificate_id(reader, actor, serial), verify_base(request), services.certificate_renderer
        )
        return pdf_response(filename, content)

    @delete("/{serial:str}", sync_to_thread=True, status_code=200)
    def revoke(self, actor: Actor, services: Container, reader: Connection, serial: str) -> None:
        """已生成的证书不得撤销: always refused (409 certificate.irrevocable)."""
        services.certificate_ledgers.revoke(actor, _certificate_id(reader, actor, serial))

    @post("/{serial:str}/error-reports", sync_to_thread=True, status_code=200)
    def report_error(
        self, actor: Actor, services: Container, reader: Connection, serial: str, data: ErrorReportIn
    ) -> CertificateDetailOut:
        """校级管理员报备 a wrong name or year with its correct value."""
        services.certificate_ledgers.report_error(
            actor, _certificate_id(reader, actor, serial), data.field, data.correct_value, data.note
        )
        return _certificate(reader, actor, serial)

    @post("/{serial:str}/correction", sync_to_thread=True, status_code=200)
    def correct(
        self, actor: Actor, services: Container, reader: Connection, serial: str, data: CorrectionIn | None = None
    ) -> CertificateDetailOut:
        """网培中心修改并备案 the reported detail (an amendment; the history keeps both values)."""
        services.certificate_ledgers.correct(
            actor, _certificate_id(reader, actor, serial), data.value if data else None, data.note if data else None
        )
        return _certificate(reader, actor, serial)

    @post("/{serial:str}/report-declined", sync_to_thread=True, status_code=200)
    def decline(
        self, actor: Actor, services: Container, reader: Connection, serial: str, data: ReasonIn
    ) -> CertificateDetailOut:
        services.certificate_ledgers.decline_report(actor, _certificate_id(reader, actor, serial), data.reason)
        return _certificate(reader, actor, serial)

    @get("/{serial:str}/verification", sync_to_thread=True)
    def verification(self, reader: Connection, serial: str, code: str | None = None) -> VerificationOut:
        """Public (no login): genuine or not, with the current details and amendments when the
        code from the certificate's QR link matches; nothing beyond what the certificate shows."""
        return out(verify(reader, serial, code), VerificationOut)


def _batch(reader: Connection, actor: Actor, job_id: uuid.UUID) -> CertificateBatchDetailOut:
    return out(get_batch(reader, actor, job_id), CertificateBatchDetailOut)


class CertificateBatchController(Controller):
    path = "/certificate-batches"
    tags = ["training"]

    @post("/", sync_to_thread=True, status_code=202)
    def start(self, actor: Actor, services: Container, reader: Connection, data: BatchIn) -> CertificateBatchDetailOut:
        """批量生成证书 for chosen trainees of the school (or all with hours in the pool)."""
        job_id = services.certificate_ledgers.start_batch(actor, data.trainee_ids)
        return _batch(reader, actor, job_id)

    @get("/", sync_to_thread=True)
    def index(
        self, actor: Actor, reader: Connection, page: int = 1, page_size: int = 20
    ) -> Listing[CertificateBatchOut]:
        return listing(list_batches(reader, actor, page_of(page, page_size)), CertificateBatchOut)

    @get("/{job_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, reader: Connection, job_id: uuid.UUID) -> CertificateBatchDetailOut:
        """Progress and each trainee's result so far."""
        return _batch(reader, actor, job_id)


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
