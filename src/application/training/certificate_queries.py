"""Queries of the certificate ledger: a trainee's pool, remaining printable and certificates, the
school's trainees, certificate lists with filters, one certificate with its history, and the
public verification view (only what the certificate itself shows)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import msgspec
from sqlalchemy import Connection, Select, and_, func, select

from application.common.actor import Actor
from application.common.queries import Page, PageOf, paged
from application.curriculum.queries import shape
from application.identity.projection import accounts
from application.training.certificate_document import CertificateDocument, hours_text
from application.training.certificate_projection import (
    certificate_batches,
    certificate_history,
    certificate_ledgers,
    certificates,
    ledger_items,
    ledger_years,
)
from application.training.learning_projection import members as training_members
from application.training.learning_projection import schools as training_schools
from domains.shared.errors import NotFound
from domains.shared.values import Role
from domains.training.ledger import TOLERANCE_TENTHS, AmendableField, HoursKind

READERS = (Role.TRAINEE, Role.TRAINING_SCHOOL_ADMIN, Role.TRAINING_CENTRE_ADMIN, Role.AUDITOR)
STAFF_READERS = (Role.TRAINING_SCHOOL_ADMIN, Role.TRAINING_CENTRE_ADMIN, Role.AUDITOR)
NOT_YOURS = "学时账户不存在或不属于您的学校"
NO_CERTIFICATE = "证书不存在或不属于您的学校"

HISTORY_LABELS = {
    "issued": "生成证书",
    "reported": "学校报告信息错误",
    "corrected": "网培中心更正并备案",
    "declined": "网培中心不予更正",
}


def _sees_all(actor: Actor) -> bool:
    return actor.has(Role.TRAINING_CENTRE_ADMIN, Role.AUDITOR)


def may_see(actor: Actor, trainee_id: uuid.UUID, training_school_id: uuid.UUID) -> bool:
    """The trainee their own; a school's administrator the school's trainees; the centre and
    auditors everyone."""
    if _sees_all(actor):
        return True
    if actor.has(Role.TRAINING_SCHOOL_ADMIN) and actor.training_school_id == training_school_id:
        return True
    return actor.has(Role.TRAINEE) and actor.user_id == trainee_id


def _scope(query: Select[Any], actor: Actor, trainee_col: Any, school_col: Any) -> Select[Any]:
    if _sees_all(actor):
        return query
    if actor.has(Role.TRAINING_SCHOOL_ADMIN):
        return query.where(school_col == (actor.training_school_id or uuid.UUID(int=0)))
    return query.where(trainee_col == (actor.user_id or uuid.UUID(int=0)))


def hours(tenths: int | None) -> str:
    return hours_text(tenths or 0)


# -- a trainee's ledger ------------------------------------------------------------------------------


def ledger_row(conn: Connection, trainee_id: uuid.UUID) -> dict[str, Any] | None:
    row = conn.execute(select(certificate_ledgers).where(certificate_ledgers.c.trainee_id == trainee_id)).mappings().first()
    return dict(row) if row else None


def _item(row: Any) -> dict[str, Any]:
    r = shape(row)
    r["kind_label"] = HoursKind(r["kind"]).label
    r["hours"] = hours(r["tenths"])
    r["in_pool"] = r["certificate_id"] is None
    return r


def ledger_view(conn: Connection, actor: Actor, trainee_id: uuid.UUID, year: int) -> dict[str, Any]:
    """学分与证书打印: the eligible pool, the year's allowance, remaining printable and the most a
    single application may select, the certificate records and the hours detail (我的学时明细)."""
    actor.require(*READERS)
    ledger = ledger_row(conn, trainee_id)
    if ledger is None:  # a registered trainee with no hours credited yet
        school_id = schools_of(conn, [trainee_id]).get(trainee_id)
        ledger = {"id": None, "training_school_id": school_id, "pool_tenths": 0, "certified_tenths": 0}
    if ledger["training_school_id"] is None or not may_see(actor, trainee_id, ledger["training_school_id"]):
        raise NotFound("not_found", NOT_YOURS)
    items = [
        _item(r)
        for r in conn.execute(
            select(ledger_items).where(ledger_items.c.ledger_id == ledger["id"])
            .order_by(ledger_items.c.earned_on, ledger_items.c.credited_at, ledger_items.c.title)
        ).mappings()
    ]
    years = {
        r["year"]: dict(r)
        for r in conn.execute(select(ledger_years).where(ledger_years.c.ledger_id == ledger["id"])).mappings()
    }
    this = years.get(year, {"allowance_tenths": None, "consumed_tenths": 0})
    allowance = this["allowance_tenths"]
    remaining = max(0, (allowance or 0) - this["consumed_tenths"])
    person = conn.execute(select(accounts.c.name, accounts.c.username).where(accounts.c.id == trainee_id)).first()
    return {
        "trainee_id": trainee_id,
        "trainee_name": person[0] if person else "",
        "username": person[1] if person else "",
        "training_school_id": ledger["training_school_id"],
        "year": year,
        "allowance_set": allowance is not None,
        "allowance_tenths": allowance or 0,
        "allowance": hours(allowance),
        "consumed_tenths": this["consumed_tenths"],
        "consumed": hours(this["consumed_tenths"]),
        "remaining_tenths": remaining,
        "remaining": hours(remaining),
        "tolerance": hours(TOLERANCE_TENTHS),
        "max_selectable_tenths": remaining + TOLERANCE_TENTHS if remaining and allowance is not None else 0,
        "max_selectable": hours(remaining + TOLERANCE_TENTHS if remaining and allowance is not None else 0),
        "pool": [i for i in items if i["in_pool"]],
        "pool_tenths": ledger["pool_tenths"],
        "pool_hours": hours(ledger["pool_tenths"]),
        "certified_tenths": ledger["certified_tenths"],
        "certified_hours": hours(ledger["certified_tenths"]),
        "hours_detail": items,
        "years": [
            {"year": y, "allowance": hours(v["allowance_tenths"]) if v["allowance_tenths"] is not None else None,
             "consumed": hours(v["consumed_tenths"]),
             "remaining": hours(max(0, (v["allowance_tenths"] or 0) - v["consumed_tenths"]))}
            for y, v in sorted(years.items(), reverse=True)
        ],
        "certificates": [
            _certificate_summary(r)
            for r in conn.execute(
                select(certificates).where(certificates.c.ledger_id == ledger["id"]).order_by(certificates.c.number.desc())
            ).mappings()
        ],
    }


# -- the school's trainees ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerFilter:
    training_school_id: uuid.UUID | None = None
    name: str | None = None
    username: str | None = None
    with_pool: bool = False  # only trainees with hours still in the pool


def list_ledgers(conn: Connection, actor: Actor, page: Page, year: int, filters: LedgerFilter) -> PageOf:
    """Every trainee a school administrator (their school) or the centre (every school) sees, with
    their ledger if hours were credited yet: pool hours, the year's allowance, consumed and
    remaining printable. Allowances can be set before the first hour is earned."""
    actor.require(*STAFF_READERS)
    y, m, led = ledger_years.c, training_members.c, certificate_ledgers.c
    query = select(
        m.account_id.label("trainee_id"), m.training_school_id, accounts.c.name.label("trainee_name"),
        accounts.c.username, training_schools.c.name.label("school_name"),
        func.coalesce(led.pool_tenths, 0).label("pool_tenths"), func.coalesce(led.pool_items, 0).label("pool_items"),
        func.coalesce(led.certified_tenths, 0).label("certified_tenths"),
        func.coalesce(led.certificates, 0).label("certificates"),
        y.allowance_tenths, func.coalesce(y.consumed_tenths, 0).label("consumed_tenths"),
    ).select_from(
        training_members.join(accounts, accounts.c.id == m.account_id)
        .outerjoin(training_schools, training_schools.c.id == m.training_school_id)
        .outerjoin(certificate_ledgers, led.trainee_id == m.account_id)
        .outerjoin(ledger_years, and_(y.ledger_id == led.id, y.year == year))
    ).where(m.role == Role.TRAINEE.value)
    query = _scope(query, actor, m.account_id, m.training_school_id)
    if filters.training_school_id:
        query = query.where(m.training_school_id == filters.training_school_id)
    if filters.name:
        query = query.where(accounts.c.name.contains(filters.name.strip()))
    if filters.username:
        query = query.where(accounts.c.username.startswith(filters.username.strip()))
    if filters.with_pool:
        query = query.where(led.pool_tenths > 0)
    result = paged(conn, query, page, [accounts.c.username, m.account_id])
    out = []
    for r in result.items:
        allowance = r["allowance_tenths"]
        remaining = max(0, (allowance or 0) - r["consumed_tenths"])
        out.append({
            "trainee_id": r["trainee_id"], "trainee_name": r["trainee_name"] or "", "username": r["username"] or "",
            "training_school_id": r["training_school_id"], "school_name": r["school_name"] or "",
            "pool_tenths": r["pool_tenths"],
            "pool_hours": hours(r["pool_tenths"]), "pool_items": r["pool_items"],
            "certificates": r["certificates"], "certified_hours": hours(r["certified_tenths"]),
            "allowance_set": allowance is not None, "allowance": hours(allowance) if allowance is not None else None,
            "consumed": hours(r["consumed_tenths"]), "remaining_tenths": remaining, "remaining": hours(remaining),
        })
    result.items = out
    result.extra["year"] = year
    return result


def school_trainees_with_pool(conn: Connection, training_school_id: uuid.UUID) -> list[uuid.UUID]:
    """Every trainee of the school with hours still in the pool (batch generation for all)."""
    return [
        r[0]
        for r in conn.execute(
            select(certificate_ledgers.c.trainee_id)
            .where(certificate_ledgers.c.training_school_id == training_school_id, certificate_ledgers.c.pool_tenths > 0)
            .order_by(certificate_ledgers.c.trainee_id)
        )
    ]


def schools_of(conn: Connection, trainee_ids: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """The school of each of these trainees (registered trainees only)."""
    m = training_members.c
    rows = conn.execute(
        select(m.account_id, m.training_school_id).where(m.account_id.in_(trainee_ids), m.role == Role.TRAINEE.value)
    )
    return {r[0]: r[1] for r in rows}


# -- certificates --------------------------------------------------------------------------------------


def _certificate_summary(row: Any) -> dict[str, Any]:
    r = shape(row)
    r.pop("verification_code", None)
    r["items"] = [
        {**i, "hours": hours(i["tenths"]), "kind_label": HoursKind(i["kind"]).label}
        for i in msgspec.json.decode(r["items"])
    ]
    r["total_hours"] = hours(r["total_tenths"])
    r["has_open_report"] = r["open_report_field"] is not None
    if r["has_open_report"]:
        r["open_report_field_label"] = AmendableField(r["open_report_field"]).label
    return r


@dataclass(frozen=True)
class CertificateFilter:
    training_school_id: uuid.UUID | None = None
    trainee_id: uuid.UUID | None = None
    year: int | None = None
    serial: str | None = None
    name: str | None = None
    issued_from: Any = None
    issued_to: Any = None
    open_report: bool = False  # only certificates with an error report waiting for the centre
    amended: bool = False  # only certificates with a correction


def _certificate_query(actor: Actor, filters: CertificateFilter) -> Select[Any]:
    c = certificates.c
    query = _scope(select(certificates), actor, c.trainee_id, c.training_school_id)
    if filters.training_school_id:
        query = query.where(c.training_school_id == filters.training_school_id)
    if filters.trainee_id:
        query = query.where(c.trainee_id == filters.trainee_id)
    if filters.year:
        query = query.where(c.year == filters.year)
    if filters.serial:
        query = query.where(c.serial.startswith(filters.serial.strip().upper()))
    if filters.name:
        query = query.where(c.trainee_name.contains(filters.name.strip()))
    if filters.issued_from:
        query = query.where(c.issued_on >= filters.issued_from)
    if filters.issued_to:
        query = query.where(c.issued_on <= filters.issued_to)
    if filters.open_report:
        query = query.where(c.open_report_field.is_not(None))
    if filters.amended:
        query = query.where(c.amendments > 0)
    return query


def list_certificates(conn: Connection, actor: Actor, page: Page, filters: CertificateFilter) -> PageOf:
    """Certificates newest first: a trainee's own, a school's, or (the centre) every school's."""
    actor.require(*READERS)
    query = _certificate_query(actor, filters)
    result = paged(conn, query, page, [certificates.c.issued_at.desc(), certificates.c.serial.desc()])
    result.items = [_certificate_summary(r) for r in result.items]
    return result


EXPORT_LIMIT = 20_000


def export_certificates(conn: Connection, actor: Actor, filters: CertificateFilter) -> list[dict[str, Any]]:
    actor.require(*STAFF_READERS)
    rows = conn.execute(
        _certificate_query(actor, filters).order_by(certificates.c.serial).limit(EXPORT_LIMIT)
    ).mappings()
    return [_certificate_summary(r) for r in rows]


def schools_with_certificates(conn: Connection, actor: Actor) -> list[dict[str, Any]]:
    """The schools the actor may filter by (from the certificates themselves)."""
    actor.require(*STAFF_READERS)
    query = _scope(
        select(certificates.c.training_school_id, func.max(certificates.c.school_name).label("school_name"))
        .group_by(certificates.c.training_school_id),
        actor, certificates.c.trainee_id, certificates.c.training_school_id,
    )
    return [dict(r) for r in conn.execute(query.order_by("school_name")).mappings()]


def _history(conn: Connection, certificate_id: uuid.UUID) -> list[dict[str, Any]]:
    out = []
    for row in conn.execute(
        select(certificate_history).where(certificate_history.c.certificate_id == certificate_id)
        .order_by(certificate_history.c.version)
    ).mappings():
        r = shape(row)
        r["kind_label"] = HISTORY_LABELS[r["kind"]]
        r["field_label"] = AmendableField(r["field"]).label if r["field"] else None
        r["role_label"] = Role(r["role"]).label if r["role"] in Role.__members__.values() else r["role"]
        out.append(r)
    return out


def certificate_row(conn: Connection, actor: Actor, *, certificate_id: uuid.UUID | None = None,
                    serial: str | None = None) -> dict[str, Any]:
    """One certificate the actor may see (by id or serial), with its verification code."""
    actor.require(*READERS)
    where = certificates.c.id == certificate_id if certificate_id else certificates.c.serial == (serial or "").strip().upper()
    row = conn.execute(select(certificates).where(where)).mappings().first()
    if row is None or not may_see(actor, row["trainee_id"], row["training_school_id"]):
        raise NotFound("not_found", NO_CERTIFICATE)
    return dict(row)


def get_certificate(conn: Connection, actor: Actor, *, certificate_id: uuid.UUID | None = None,
                    serial: str | None = None) -> dict[str, Any]:
    """A certificate's current details, its items, the open error report and its history
    (issued, reported, corrected: the original and the corrected values both stay)."""
    row = certificate_row(conn, actor, certificate_id=certificate_id, serial=serial)
    r = _certificate_summary(row)
    r["history"] = _history(conn, row["id"])
    r["amendment_lines"] = amendment_lines(r["history"])
    person = conn.execute(select(accounts.c.username).where(accounts.c.id == row["trainee_id"])).first()
    r["username"] = person[0] if person else ""
    return r


def amendment_lines(history: list[dict[str, Any]]) -> list[str]:
    """Each correction as the certificate prints it: "2026-10-02 姓名 张三 → 张珊"."""
    from application.curriculum.queries import SHANGHAI

    return [
        f"{h['at'].astimezone(SHANGHAI).date().isoformat()} {h['field_label']} {h['old_value']} → {h['new_value']}"
        for h in history
        if h["kind"] == "corrected"
    ]


def certificate_document(conn: Connection, certificate_id: uuid.UUID, verify_url: str) -> CertificateDocument:
    """What the certificate shows now (the corrected details, one line per amendment)."""
    row = conn.execute(select(certificates).where(certificates.c.id == certificate_id)).mappings().one()
    items = msgspec.json.decode(row["items"])
    return CertificateDocument(
        serial=row["serial"], trainee_name=row["trainee_name"], school_name=row["school_name"], year=row["year"],
        total_tenths=row["total_tenths"], items=tuple((i["title"], i["tenths"]) for i in items),
        issued_on=row["issued_on"], verify_url=verify_url,
        amendments=tuple(amendment_lines(_history(conn, certificate_id))),
    )


def verification_path(serial: str, code: str) -> str:
    return f"/verify/{serial}?code={code}"


# -- public verification -----------------------------------------------------------------------------


def verify(conn: Connection, serial: str, code: str | None) -> dict[str, Any]:
    """Genuine or not, and the certificate's current details with its amendments: only what the
    certificate itself shows (no account, ID number or mobile). The serial alone proves nothing:
    the code printed in the certificate's QR link must match, so serials cannot be enumerated."""
    text = (serial or "").strip().upper()[:20]
    row = conn.execute(select(certificates).where(certificates.c.serial == text)).mappings().first()
    if row is None or not code or not _same(row["verification_code"], code.strip().upper()):
        return {"genuine": False, "serial": text}
    items = msgspec.json.decode(row["items"])
    history = _history(conn, row["id"])
    return {
        "genuine": True,
        "status": "有效（已生成的证书不得撤销）",
        "serial": row["serial"],
        "trainee_name": row["trainee_name"],
        "school_name": row["school_name"],
        "year": row["year"],
        "total_hours": hours(row["total_tenths"]),
        "items": [{"title": i["title"], "hours": hours(i["tenths"])} for i in items],
        "issued_on": row["issued_on"].isoformat(),
        "amendments": amendment_lines(history),
    }


def _same(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a.encode(), b.encode())



# -- batch generation jobs ---------------------------------------------------------------------------

BATCH_STATUS_LABELS = {"queued": "排队中", "running": "生成中", "done": "已完成", "failed": "失败"}


def _batch_query() -> Select[Any]:
    from application.common.jobs import bulk_jobs_view

    j = bulk_jobs_view.c
    return select(
        j.id, j.status, j.filename, j.actor_username, j.actor_name, j.total, j.processed, j.succeeded, j.failed,
        j.error, j.created_at, j.started_at, j.finished_at, certificate_batches.c.training_school_id,
        certificate_batches.c.year, certificate_batches.c.all_trainees,
    ).select_from(bulk_jobs_view.join(certificate_batches, certificate_batches.c.job_id == j.id))


def _batch_shape(row: Any) -> dict[str, Any]:
    job = shape(row)
    job["status_label"] = BATCH_STATUS_LABELS.get(job["status"], job["status"])
    job["finished"] = job["status"] in ("done", "failed")
    return job


def _batch_visible(actor: Actor, training_school_id: uuid.UUID) -> bool:
    return _sees_all(actor) or (
        actor.has(Role.TRAINING_SCHOOL_ADMIN) and actor.training_school_id == training_school_id
    )


def get_batch(conn: Connection, actor: Actor, job_id: uuid.UUID) -> dict[str, Any]:
    """One batch generation with its progress and each trainee's result so far."""
    from application.common.jobs import bulk_job_items_view, bulk_jobs_view

    actor.require(*STAFF_READERS)
    row = conn.execute(_batch_query().where(bulk_jobs_view.c.id == job_id)).mappings().first()
    if row is None or not _batch_visible(actor, row["training_school_id"]):
        raise NotFound("not_found", "批量生成证书任务不存在或不属于您的学校")
    job = _batch_shape(row)
    r = bulk_job_items_view.c
    job["trainees"] = [
        dict(x)
        for x in conn.execute(
            select(r.row, r.ok, r.code, r.message, r.record_id.label("trainee_id"),
                   accounts.c.name.label("trainee_name"), accounts.c.username)
            .select_from(bulk_job_items_view.outerjoin(accounts, accounts.c.id == r.record_id))
            .where(r.job_id == job_id, r.ok.is_not(None))
            .order_by(r.row)
        ).mappings()
    ]
    return job


def list_batches(conn: Connection, actor: Actor, page: Page) -> PageOf:
    from application.common.jobs import bulk_jobs_view

    actor.require(*STAFF_READERS)
    query = _batch_query()
    if not _sees_all(actor):
        query = query.where(certificate_batches.c.training_school_id == (actor.training_school_id or uuid.UUID(int=0)))
    result = paged(conn, query, page, [bulk_jobs_view.c.created_at.desc(), bulk_jobs_view.c.id])
    result.items = [_batch_shape(r) for r in result.items]
    return result
