"""学分与证书打印 (requirements/training.md §6): the certificate ledger's pages.

- `/training/certificates` (参训教师, 我的证书): the eligible pool with check boxes and a live total,
  the remaining printable for the year and the most one application may select, 申请证书, the
  certificate records with 下载 / 重新打印 (no hours are deducted again) and 我的学时明细.
- `/admin/training/ledgers` (校级管理员: the school's trainees; 网培中心: every school): ledgers with
  the year's allowance, consumed and remaining printable; setting 可打印学时 for one or many.
- `/admin/training/certificates`: certificates with filters and an Excel export; one certificate
  with its items, history (both values of every correction), 报告错误 (school), 更正 / 不予更正
  (centre), download and the audit tab.
- `/admin/training/certificate-batches`: 批量生成证书 as a background job with progress.
- `/verify/{serial}?code=…`: the public verification page the certificate's QR code opens.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.queries import Page
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
    schools_with_certificates,
    verify,
)
from application.training.learning_queries import school_choices
from domains.shared.errors import DomainError
from domains.shared.values import Role
from domains.training.ledger import AmendableField, CertificateLedger
from infrastructure.container import Container
from interfaces.admin.common.forms import (
    Form,
    as_list,
    done,
    refusal_status,
    uuid_param,
    uuids,
)
from interfaces.admin.common.jobs import progress, progress_response
from interfaces.admin.common.rendering import audit_tab, page
from interfaces.admin.training.portal import (
    TRAINEE_DEPENDENCIES,
    TRAINEE_EXCEPTIONS,
    portal,
)
from interfaces.admin.training.portal import done as portal_done
from interfaces.http.api.training.certificates import (
    certificate_workbook,
    pdf_response,
    verify_base,
)

BASE = "/admin/training"
MINE = "/training/certificates"
FIELDS = [(f.value, f.label) for f in AmendableField]

Req = Request[Any, Any, Any]


def _int(raw: Any) -> int | None:
    """A small whole number typed into a filter (a year, a page); anything else is ignored."""
    text = str(raw or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else None


def _date(raw: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def _flag(raw: Any) -> bool:
    return str(raw or "") in ("1", "true", "on")


def _certificate_id(reader: Connection, actor: Actor, serial: str) -> uuid.UUID:
    """The certificate a serial names (a certificate the actor may see, or 404)."""
    return certificate_row(reader, actor, serial=serial)["id"]  # type: ignore[no-any-return]


def _download(request: Req, actor: Actor, services: Container, reader: Connection, serial: str) -> Response[bytes]:
    certificate_id = _certificate_id(reader, actor, serial)
    filename, content = services.certificate_ledgers.download(
        actor, certificate_id, verify_base(request), services.certificate_renderer
    )
    return pdf_response(filename, content)


# -- the trainee's own page ----------------------------------------------------------------------------


class MyCertificatePages(Controller):
    path = MINE
    dependencies = TRAINEE_DEPENDENCIES
    exception_handlers = TRAINEE_EXCEPTIONS

    def _page(self, request: Req, trainee: Actor, services: Container, reader: Connection, status_code: int = 200,
              **context: Any) -> Template:
        year = services.clock.today().year
        try:
            ledger = ledger_view(reader, trainee, trainee.user_id or uuid.UUID(int=0), year)
        except DomainError:
            ledger = None  # no hours credited yet
        return portal(request, "training_certificates_mine.html", trainee, status_code=status_code, ledger=ledger,
                      year=year, **context)

    @get("/", sync_to_thread=True)
    def show(self, request: Req, trainee: Actor, services: Container, reader: Connection) -> Template:
        return self._page(request, trainee, services, reader)

    @post("/apply", sync_to_thread=True)
    def apply(self, request: Req, trainee: Actor, services: Container, reader: Connection, data: Form) -> Response[Any]:
        chosen = uuids(as_list(data.get("source_ids")))
        try:
            certificate_id = services.certificate_ledgers.apply(trainee, chosen)
        except DomainError as exc:
            return self._page(request, trainee, services, reader, 409 if exc.kind == "conflict" else 422,
                              error=exc.message, chosen={str(x) for x in chosen})
        serial = certificate_row(reader, trainee, certificate_id=certificate_id)["serial"]
        return portal_done(request, MINE, f"证书 {serial} 已生成，可在“证书打印记录”中下载或重新打印（不再扣除学时）")

    @get("/{serial:str}/pdf", sync_to_thread=True)
    def pdf(self, request: Req, trainee: Actor, services: Container, reader: Connection, serial: str) -> Response[bytes]:
        return _download(request, trainee, services, reader, serial)


# -- ledgers (school, centre) ---------------------------------------------------------------------------


class LedgerPages(Controller):
    path = f"{BASE}/ledgers"

    def _list(self, request: Req, actor: Actor, services: Container, reader: Connection, status_code: int = 200,
              **context: Any) -> Template:
        q = request.query_params
        year = _int(q.get("year")) or services.clock.today().year
        filters = LedgerFilter(name=q.get("name") or None, username=q.get("username") or None,
                               with_pool=_flag(q.get("with_pool")), training_school_id=uuid_param(q.get("training_school_id")))
        result = list_ledgers(reader, actor, Page(number=_int(q.get("page")) or 1), year, filters)
        schools = school_choices(reader) if actor.has(Role.TRAINING_CENTRE_ADMIN, Role.AUDITOR) else []
        return page(request, "training_certificate_ledgers.html", actor, status_code=status_code, result=result,
                    year=year, params=dict(q), schools=schools, **context)

    @get("/", sync_to_thread=True)
    def index(self, request: Req, actor: Actor, services: Container, reader: Connection) -> Template:
        return self._list(request, actor, services, reader)

    @post("/allowances", sync_to_thread=True)
    def set_allowances(
        self, request: Req, actor: Actor, services: Container, reader: Connection, data: Form
    ) -> Response[Any]:
        """The same 可打印学时 for the ticked trainees."""
        trainee_ids = uuids(as_list(data.get("trainee_ids")))
        try:
            changed = services.certificate_ledgers.set_allowances(
                actor, trainee_ids, str(data.get("year") or ""), str(data.get("hours") or "")
            )
        except DomainError as exc:
            return self._list(request, actor, services, reader, refusal_status(exc), error=exc.message, form=data)
        return done(request, f"{BASE}/ledgers?year={data.get('year')}",
                    f"已为 {changed['changed']} 名参训教师设置可打印学时（{changed['unchanged']} 名原已是该值）")

    def _show(self, request: Req, actor: Actor, services: Container, reader: Connection, trainee_id: uuid.UUID,
              status_code: int = 200, **context: Any) -> Template:
        year = _int(request.query_params.get("year")) or services.clock.today().year
        ledger = ledger_view(reader, actor, trainee_id, year)
        return page(request, "training_certificate_ledger.html", actor, status_code=status_code, ledger=ledger,
                    year=year, history=audit_tab(reader, CertificateLedger.create_id(trainee_id)), **context)

    @get("/{trainee_id:uuid}", sync_to_thread=True)
    def show(
        self, request: Req, actor: Actor, services: Container, reader: Connection, trainee_id: uuid.UUID
    ) -> Template:
        return self._show(request, actor, services, reader, trainee_id)

    @post("/{trainee_id:uuid}/allowance", sync_to_thread=True)
    def set_allowance(
        self, request: Req, actor: Actor, services: Container, reader: Connection, trainee_id: uuid.UUID, data: Form
    ) -> Response[Any]:
        year = str(data.get("year") or "")
        try:
            services.certificate_ledgers.set_allowance(actor, trainee_id, year, str(data.get("hours") or ""))
        except DomainError as exc:
            if exc.kind == "not_found":
                raise
            return self._show(request, actor, services, reader, trainee_id, refusal_status(exc),
                              error=exc.message, form=data)
        return done(request, f"{BASE}/ledgers/{trainee_id}?year={year}", f"已设置 {year} 年度可打印学时")


# -- certificates ---------------------------------------------------------------------------------------


def _certificate_filter(q: Any) -> CertificateFilter:
    return CertificateFilter(
        training_school_id=uuid_param(q.get("training_school_id")), year=_int(q.get("year")), serial=q.get("serial") or None,
        name=q.get("name") or None, issued_from=_date(q.get("issued_from")), issued_to=_date(q.get("issued_to")),
        open_report=_flag(q.get("open_report")), amended=_flag(q.get("amended")),
    )


class CertificatePages(Controller):
    path = f"{BASE}/certificates"

    @get("/", sync_to_thread=True)
    def index(self, request: Req, actor: Actor, reader: Connection) -> Template:
        q = request.query_params
        result = list_certificates(reader, actor, Page(number=_int(q.get("page")) or 1), _certificate_filter(q))
        return page(request, "training_certificates_list.html", actor, result=result, params=dict(q),
                    schools=schools_with_certificates(reader, actor))

    @get("/export.xlsx", sync_to_thread=True)
    def export(self, request: Req, actor: Actor, reader: Connection) -> Response[bytes]:
        return certificate_workbook(export_certificates(reader, actor, _certificate_filter(request.query_params)))

    def _show(self, request: Req, actor: Actor, reader: Connection, serial: str, status_code: int = 200,
              **context: Any) -> Template:
        r = get_certificate(reader, actor, serial=serial)
        return page(request, "training_certificate_show.html", actor, status_code=status_code, r=r, fields=FIELDS,
                    history=audit_tab(reader, r["id"]), **context)

    @get("/{serial:str}", sync_to_thread=True)
    def show(self, request: Req, actor: Actor, reader: Connection, serial: str) -> Template:
        return self._show(request, actor, reader, serial)

    @get("/{serial:str}/pdf", sync_to_thread=True)
    def pdf(self, request: Req, actor: Actor, services: Container, reader: Connection, serial: str) -> Response[bytes]:
        return _download(request, actor, services, reader, serial)

    def _step(self, request: Req, actor: Actor, services: Container, reader: Connection, serial: str,
              data: dict[str, Any], action: str, message: str, *args: Any) -> Response[Any]:
        certificate_id = _certificate_id(reader, actor, serial)
        try:
            getattr(services.certificate_ledgers, action)(actor, certificate_id, *args)
        except DomainError as exc:
            if exc.kind == "not_found":
                raise
            return self._show(request, actor, reader, serial, refusal_status(exc), error=exc.message,
                              form=data, failed=action)
        return done(request, f"{BASE}/certificates/{serial}", message)

    @post("/{serial:str}/error-report", sync_to_thread=True)
    def report(
        self, request: Req, actor: Actor, services: Container, reader: Connection, serial: str, data: Form
    ) -> Response[Any]:
        return self._step(request, actor, services, reader, serial, data, "report_error", "已向网培中心报告证书信息错误",
                          str(data.get("field") or ""), str(data.get("correct_value") or ""),
                          str(data.get("note") or "") or None)

    @post("/{serial:str}/correction", sync_to_thread=True)
    def correct(
        self, request: Req, actor: Actor, services: Container, reader: Connection, serial: str, data: Form
    ) -> Response[Any]:
        return self._step(request, actor, services, reader, serial, data, "correct", "证书信息已更正并备案",
                          str(data.get("value") or "") or None, str(data.get("note") or "") or None)

    @post("/{serial:str}/report-declined", sync_to_thread=True)
    def decline(
        self, request: Req, actor: Actor, services: Container, reader: Connection, serial: str, data: Form
    ) -> Response[Any]:
        return self._step(request, actor, services, reader, serial, data, "decline_report", "已处理：不予更正",
                          str(data.get("reason") or ""))


# -- batch generation -----------------------------------------------------------------------------------


class BatchPages(Controller):
    path = f"{BASE}/certificate-batches"

    def _index(self, request: Req, actor: Actor, services: Container, reader: Connection, status_code: int = 200,
               **context: Any) -> Template:
        q = request.query_params
        year = services.clock.today().year
        batches = list_batches(reader, actor, Page(number=_int(q.get("page")) or 1))
        candidates = (
            list_ledgers(reader, actor, Page(size=200), year, LedgerFilter(with_pool=True))
            if actor.has(Role.TRAINING_SCHOOL_ADMIN) else None
        )
        return page(request, "training_certificate_batches.html", actor, status_code=status_code, batches=batches,
                    candidates=candidates, year=year, **context)

    @get("/", sync_to_thread=True)
    def index(self, request: Req, actor: Actor, services: Container, reader: Connection) -> Template:
        return self._index(request, actor, services, reader)

    @post("/", sync_to_thread=True)
    def start(self, request: Req, actor: Actor, services: Container, reader: Connection, data: Form) -> Response[Any]:
        everyone = str(data.get("scope") or "") == "all"
        try:
            job_id = services.certificate_ledgers.start_batch(
                actor, None if everyone else uuids(as_list(data.get("trainee_ids")))
            )
        except DomainError as exc:
            return self._index(request, actor, services, reader, refusal_status(exc), error=exc.message)
        return Redirect(f"{BASE}/certificate-batches/{job_id}")

    @get("/{job_id:uuid}", sync_to_thread=True)
    def show(self, request: Req, actor: Actor, reader: Connection, job_id: uuid.UUID) -> Template:
        job = get_batch(reader, actor, job_id)
        return page(request, "training_certificate_batch.html", actor, job=job, progress=progress(job))

    @get("/{job_id:uuid}/progress", sync_to_thread=True)
    def progress_of(self, actor: Actor, reader: Connection, job_id: uuid.UUID) -> Response[dict[str, Any]]:
        return progress_response(get_batch(reader, actor, job_id))


# -- public verification ------------------------------------------------------------------------------


class VerificationPage(Controller):
    path = "/verify"

    @get("/{serial:str}", sync_to_thread=True)
    def show(self, request: Req, reader: Connection, serial: str, code: str | None = None) -> Template:
        """No login: genuine or not, and what the certificate shows now (with its amendments)."""
        code = (code or "")[:40]  # longer is never a code: simply not verified
        return page(request, "training_certificate_verify.html", None, result=verify(reader, serial, code), code=code)
