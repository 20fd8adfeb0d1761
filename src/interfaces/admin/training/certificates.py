"""学分与证书打印 (seed 000 §12): the certificate ledger's pages.

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
from domains.training.ledger import AmendableField
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
from interfaces.admin.common.session import admin_actor
from interfaces.admin.training.trainee_pages import (
    TraineeLoginRequired,
    portal,
    to_login,
    trainee_actor,
)
from interfaces.admin.training.trainee_pages import done as portal_done
from interfaces.http.api.training.certificates import (
    certificate_workbook,
    pdf_response,
    verify_base,
)
from interfaces.http.context import container_of

BASE = "/admin/training"
MINE = "/training/certificates"
FIELDS = [(f.value, f.label) for f in AmendableField]


def _today(request: Request[Any, Any, Any]) -> datetime.date:
    return container_of(request).clock.today()


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


# -- the trainee's own page ----------------------------------------------------------------------------


class MyCertificatePages(Controller):
    path = MINE
    exception_handlers = {TraineeLoginRequired: to_login}

    def _page(self, request: Request[Any, Any, Any], actor: Actor, status_code: int = 200, **context: Any) -> Template:
        year = _today(request).year
        with container_of(request).engine.connect() as conn:
            try:
                ledger = ledger_view(conn, actor, actor.user_id or uuid.UUID(int=0), year)
            except DomainError:
                ledger = None  # no hours credited yet
        return portal(request, "training_certificates_mine.html", actor, status_code=status_code, ledger=ledger,
                      year=year, **context)

    @get("/", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any]) -> Template:
        return self._page(request, trainee_actor(request))

    @post("/apply", sync_to_thread=True)
    def apply(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        actor = trainee_actor(request)
        chosen = uuids(as_list(data.get("source_ids")))
        c = container_of(request)
        try:
            certificate_id = c.certificate_ledgers.apply(actor, chosen)
        except DomainError as exc:
            return self._page(request, actor, 409 if exc.kind == "conflict" else 422, error=exc.message,
                              chosen={str(x) for x in chosen})
        with c.engine.connect() as conn:
            serial = certificate_row(conn, actor, certificate_id=certificate_id)["serial"]
        return portal_done(request, MINE, f"证书 {serial} 已生成，可在“证书打印记录”中下载或重新打印（不再扣除学时）")

    @get("/{serial:str}/pdf", sync_to_thread=True)
    def pdf(self, request: Request[Any, Any, Any], serial: str) -> Response[bytes]:
        return _download(request, trainee_actor(request), serial)


def _download(request: Request[Any, Any, Any], actor: Actor, serial: str) -> Response[bytes]:
    c = container_of(request)
    with c.engine.connect() as conn:
        certificate_id = certificate_row(conn, actor, serial=serial)["id"]
    filename, content = c.certificate_ledgers.download(actor, certificate_id, verify_base(request), c.certificate_renderer)
    return pdf_response(filename, content)


# -- ledgers (school, centre) ---------------------------------------------------------------------------


class LedgerPages(Controller):
    path = f"{BASE}/ledgers"

    def _list(self, request: Request[Any, Any, Any], actor: Actor, status_code: int = 200, **context: Any) -> Template:
        q = request.query_params
        year = _int(q.get("year")) or _today(request).year
        filters = LedgerFilter(name=q.get("name") or None, username=q.get("username") or None,
                               with_pool=_flag(q.get("with_pool")), training_school_id=uuid_param(q.get("training_school_id")))
        with container_of(request).engine.connect() as conn:
            result = list_ledgers(conn, actor, Page(number=_int(q.get("page")) or 1), year, filters)
            schools = school_choices(conn) if actor.has(Role.TRAINING_CENTRE_ADMIN, Role.AUDITOR) else []
        return page(request, "training_certificate_ledgers.html", actor, status_code=status_code, result=result,
                    year=year, params=dict(q), schools=schools, **context)

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any]) -> Template:
        return self._list(request, admin_actor(request))

    @post("/allowances", sync_to_thread=True)
    def set_allowances(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        """The same 可打印学时 for the ticked trainees."""
        actor = admin_actor(request)
        trainee_ids = uuids(as_list(data.get("trainee_ids")))
        try:
            changed = container_of(request).certificate_ledgers.set_allowances(
                actor, trainee_ids, str(data.get("year") or ""), str(data.get("hours") or "")
            )
        except DomainError as exc:
            return self._list(request, actor, refusal_status(exc), error=exc.message, form=data)
        return done(request, f"{BASE}/ledgers?year={data.get('year')}",
                    f"已为 {changed['changed']} 名参训教师设置可打印学时（{changed['unchanged']} 名原已是该值）")

    def _show(self, request: Request[Any, Any, Any], actor: Actor, trainee_id: uuid.UUID, status_code: int = 200,
              **context: Any) -> Template:
        year = _int(request.query_params.get("year")) or _today(request).year
        with container_of(request).engine.connect() as conn:
            ledger = ledger_view(conn, actor, trainee_id, year)
        from domains.training.ledger import CertificateLedger

        return page(request, "training_certificate_ledger.html", actor, status_code=status_code, ledger=ledger,
                    year=year, history=audit_tab(request, CertificateLedger.create_id(trainee_id)), **context)

    @get("/{trainee_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], trainee_id: uuid.UUID) -> Template:
        return self._show(request, admin_actor(request), trainee_id)

    @post("/{trainee_id:uuid}/allowance", sync_to_thread=True)
    def set_allowance(self, request: Request[Any, Any, Any], trainee_id: uuid.UUID, data: Form) -> Response[Any]:
        actor = admin_actor(request)
        year = str(data.get("year") or "")
        try:
            container_of(request).certificate_ledgers.set_allowance(actor, trainee_id, year, str(data.get("hours") or ""))
        except DomainError as exc:
            if exc.kind == "not_found":
                raise
            return self._show(request, actor, trainee_id, refusal_status(exc),
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
    def index(self, request: Request[Any, Any, Any]) -> Template:
        actor = admin_actor(request)
        q = request.query_params
        with container_of(request).engine.connect() as conn:
            result = list_certificates(conn, actor, Page(number=_int(q.get("page")) or 1), _certificate_filter(q))
            schools = schools_with_certificates(conn, actor)
        return page(request, "training_certificates_list.html", actor, result=result, params=dict(q), schools=schools)

    @get("/export.xlsx", sync_to_thread=True)
    def export(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        actor = admin_actor(request)
        with container_of(request).engine.connect() as conn:
            rows = export_certificates(conn, actor, _certificate_filter(request.query_params))
        return certificate_workbook(rows)

    def _show(self, request: Request[Any, Any, Any], actor: Actor, serial: str, status_code: int = 200,
              **context: Any) -> Template:
        with container_of(request).engine.connect() as conn:
            r = get_certificate(conn, actor, serial=serial)
        return page(request, "training_certificate_show.html", actor, status_code=status_code, r=r, fields=FIELDS,
                    history=audit_tab(request, r["id"]), **context)

    @get("/{serial:str}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], serial: str) -> Template:
        return self._show(request, admin_actor(request), serial)

    @get("/{serial:str}/pdf", sync_to_thread=True)
    def pdf(self, request: Request[Any, Any, Any], serial: str) -> Response[bytes]:
        return _download(request, admin_actor(request), serial)

    def _step(self, request: Request[Any, Any, Any], serial: str, data: dict[str, Any], action: str,
              message: str, *args: Any) -> Response[Any]:
        actor = admin_actor(request)
        c = container_of(request)
        with c.engine.connect() as conn:
            certificate_id = certificate_row(conn, actor, serial=serial)["id"]
        try:
            getattr(c.certificate_ledgers, action)(actor, certificate_id, *args)
        except DomainError as exc:
            if exc.kind == "not_found":
                raise
            return self._show(request, actor, serial, refusal_status(exc), error=exc.message,
                              form=data, failed=action)
        return done(request, f"{BASE}/certificates/{serial}", message)

    @post("/{serial:str}/error-report", sync_to_thread=True)
    def report(self, request: Request[Any, Any, Any], serial: str, data: Form) -> Response[Any]:
        return self._step(request, serial, data, "report_error", "已向网培中心报告证书信息错误",
                          str(data.get("field") or ""), str(data.get("correct_value") or ""),
                          str(data.get("note") or "") or None)

    @post("/{serial:str}/correction", sync_to_thread=True)
    def correct(self, request: Request[Any, Any, Any], serial: str, data: Form) -> Response[Any]:
        return self._step(request, serial, data, "correct", "证书信息已更正并备案",
                          str(data.get("value") or "") or None, str(data.get("note") or "") or None)

    @post("/{serial:str}/report-declined", sync_to_thread=True)
    def decline(self, request: Request[Any, Any, Any], serial: str, data: Form) -> Response[Any]:
        return self._step(request, serial, data, "decline_report", "已处理：不予更正", str(data.get("reason") or ""))


# -- batch generation -----------------------------------------------------------------------------------


class BatchPages(Controller):
    path = f"{BASE}/certificate-batches"

    def _index(self, request: Request[Any, Any, Any], actor: Actor, status_code: int = 200, **context: Any) -> Template:
        q = request.query_params
        year = _today(request).year
        with container_of(request).engine.connect() as conn:
            batches = list_batches(conn, actor, Page(number=_int(q.get("page")) or 1))
            candidates = (
                list_ledgers(conn, actor, Page(size=200), year, LedgerFilter(with_pool=True))
                if actor.has(Role.TRAINING_SCHOOL_ADMIN) else None
            )
        return page(request, "training_certificate_batches.html", actor, status_code=status_code, batches=batches,
                    candidates=candidates, year=year, **context)

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any]) -> Template:
        return self._index(request, admin_actor(request))

    @post("/", sync_to_thread=True)
    def start(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        actor = admin_actor(request)
        everyone = str(data.get("scope") or "") == "all"
        try:
            job_id = container_of(request).certificate_ledgers.start_batch(
                actor, None if everyone else uuids(as_list(data.get("trainee_ids")))
            )
        except DomainError as exc:
            return self._index(request, actor, refusal_status(exc), error=exc.message)
        return Redirect(f"{BASE}/certificate-batches/{job_id}")

    def _job(self, request: Request[Any, Any, Any], actor: Actor, job_id: uuid.UUID) -> dict[str, Any]:
        with container_of(request).engine.connect() as conn:
            return get_batch(conn, actor, job_id)

    @get("/{job_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], job_id: uuid.UUID) -> Template:
        actor = admin_actor(request)
        job = self._job(request, actor, job_id)
        return page(request, "training_certificate_batch.html", actor, job=job, progress=progress(job))

    @get("/{job_id:uuid}/progress", sync_to_thread=True)
    def progress_of(self, request: Request[Any, Any, Any], job_id: uuid.UUID) -> Response[dict[str, Any]]:
        return progress_response(self._job(request, admin_actor(request), job_id))


# -- public verification ------------------------------------------------------------------------------


class VerificationPage(Controller):
    path = "/verify"

    @get("/{serial:str}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], serial: str, code: str | None = None) -> Template:
        """No login: genuine or not, and what the certificate shows now (with its amendments)."""
        code = (code or "")[:40]  # longer is never a code: simply not verified
        with container_of(request).engine.connect() as conn:
            result = verify(conn, serial, code)
        return page(request, "training_certificate_verify.html", None, result=result, code=code)
