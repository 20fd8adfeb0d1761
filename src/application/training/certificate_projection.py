"""Read side of the certificate ledger (学分与证书打印): each trainee's eligible pool and yearly
printable allowance, the certificates with their current details and their history of error
reports and corrections, and the schools' batch generations.

The ledger rows say how many hours each year's certificates consumed, so "remaining printable"
(您剩余可打印) is read without touching the event store.
"""

from __future__ import annotations

import datetime
from typing import Any

import msgspec
from sqlalchemy import Column, Date, Integer, String, Table, Text, Uuid, select

from application.common.instant import Instant
from application.common.projection import Projection, Writes, handles, read_models
from application.curriculum.projection import utc
from domains.training.ledger import Certificate, CertificateBatch, CertificateLedger

certificate_ledgers = Table(
    "rm_certificate_ledgers",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("trainee_id", Uuid, nullable=False, unique=True),
    Column("training_school_id", Uuid, nullable=False, index=True),
    Column("pool_tenths", Integer, nullable=False),
    Column("pool_items", Integer, nullable=False),
    Column("certified_tenths", Integer, nullable=False),
    Column("certificates", Integer, nullable=False),
    Column("opened_at", Instant(), nullable=False),
    Column("updated_at", Instant(), nullable=False),
)

ledger_items = Table(
    "rm_certificate_ledger_items",
    read_models,
    Column("ledger_id", Uuid, primary_key=True),
    Column("source_id", Uuid, primary_key=True),
    Column("trainee_id", Uuid, nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("title", String(200), nullable=False),
    Column("tenths", Integer, nullable=False),
    Column("earned_on", Date, nullable=False),
    Column("credited_at", Instant(), nullable=False),
    Column("certificate_id", Uuid, index=True),  # NULL: still in the eligible pool
    Column("serial", String(20)),
)

ledger_years = Table(
    "rm_certificate_ledger_years",
    read_models,
    Column("ledger_id", Uuid, primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("training_school_id", Uuid, nullable=False, index=True),
    Column("allowance_tenths", Integer),  # NULL: the school has not set one
    Column("consumed_tenths", Integer, nullable=False),
    Column("updated_at", Instant(), nullable=False),
)

certificates = Table(
    "rm_certificates",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("serial", String(20), nullable=False, unique=True),
    Column("verification_code", String(20), nullable=False),
    Column("ledger_id", Uuid, nullable=False, index=True),
    Column("trainee_id", Uuid, nullable=False, index=True),
    Column("training_school_id", Uuid, nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("trainee_name", String(50), nullable=False, index=True),
    Column("school_name", String(100), nullable=False),
    Column("year", Integer, nullable=False, index=True),  # as the certificate shows it now
    Column("charged_year", Integer, nullable=False),  # the year whose allowance it consumed
    Column("total_tenths", Integer, nullable=False),
    Column("items", Text, nullable=False),
    Column("issued_on", Date, nullable=False, index=True),
    Column("issued_at", Instant(), nullable=False),
    Column("issued_by_role", String(30), nullable=False),
    Column("downloads", Integer, nullable=False),
    Column("last_downloaded_at", Instant()),
    Column("amendments", Integer, nullable=False),
    Column("open_report_field", String(20)),
    Column("open_report_wrong_value", String(50)),
    Column("open_report_correct_value", String(50)),
    Column("open_report_note", String(200)),
    Column("open_report_at", Instant()),
    Column("updated_at", Instant(), nullable=False),
)

certificate_history = Table(
    "rm_certificate_history",
    read_models,
    Column("certificate_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),  # issued | reported | corrected | declined
    Column("field", String(20)),
    Column("old_value", String(50)),
    Column("new_value", String(50)),
    Column("note", String(200)),
    Column("report_number", Integer),
    Column("actor_name", String(60)),
    Column("role", String(30)),
    Column("at", Instant(), nullable=False),
)

certificate_batches = Table(
    "rm_certificate_batches",
    read_models,
    Column("job_id", Uuid, primary_key=True),
    Column("training_school_id", Uuid, nullable=False, index=True),
    Column("year", Integer, nullable=False),
    Column("trainees", Integer, nullable=False),
    Column("all_trainees", Integer, nullable=False),
    Column("requested_by", String(60)),
    Column("requested_at", Instant(), nullable=False),
)

_JSON = msgspec.json.Encoder(enc_hook=str)


def _actor(e: Any) -> dict[str, Any]:
    meta = getattr(e, "meta", None) or {}
    return {"actor_name": (meta.get("actor_name") or "")[:60] or None, "role": meta.get("role")}


class CertificateLedgerProjection(Projection):
    name = "certificate_ledger"
    tables = (certificate_ledgers, ledger_items, ledger_years, certificates, certificate_history, certificate_batches)

    # -- ledgers ---------------------------------------------------------------------------------------

    @handles(CertificateLedger.Opened)
    def _opened(self, conn: Writes, e: Any) -> None:
        conn.insert(certificate_ledgers, {
            "id": e.originator_id, "trainee_id": e.trainee_id, "training_school_id": e.training_school_id,
            "pool_tenths": 0, "pool_items": 0, "certified_tenths": 0, "certificates": 0,
            "opened_at": utc(e.timestamp), "updated_at": utc(e.timestamp),
        })

    def _ledger(self, conn: Writes, ledger_id: Any) -> Any:
        return conn.execute(select(certificate_ledgers).where(certificate_ledgers.c.id == ledger_id)).mappings().one()

    @handles(CertificateLedger.HoursCredited)
    def _credited(self, conn: Writes, e: Any) -> None:
        ledger = self._ledger(conn, e.originator_id)
        conn.insert(ledger_items, {
            "ledger_id": e.originator_id, "source_id": e.source_id, "trainee_id": ledger["trainee_id"],
            "kind": e.kind, "title": e.title, "tenths": e.tenths, "earned_on": datetime.date.fromisoformat(e.earned_on),
            "credited_at": utc(e.timestamp), "certificate_id": None, "serial": None,
        })
        conn.update(certificate_ledgers, {"id": e.originator_id}, {
            "pool_tenths": ledger["pool_tenths"] + e.tenths, "pool_items": ledger["pool_items"] + 1,
            "updated_at": utc(e.timestamp),
        })

    def _year(self, conn: Writes, e: Any, year: int, **values: Any) -> None:
        found = conn.execute(
            select(ledger_years).where(ledger_years.c.ledger_id == e.originator_id, ledger_years.c.year == year)
        ).mappings().first()
        if found is None:
            ledger = self._ledger(conn, e.originator_id)
            conn.insert(ledger_years, {
                "ledger_id": e.originator_id, "year": year, "training_school_id": ledger["training_school_id"],
                "allowance_tenths": None, "consumed_tenths": 0, "updated_at": utc(e.timestamp), **values,
            })
        else:
            conn.update(ledger_years, {"ledger_id": e.originator_id, "year": year},
                        {**values, "updated_at": utc(e.timestamp)})

    @handles(CertificateLedger.AllowanceSet)
    def _allowance_set(self, conn: Writes, e: Any) -> None:
        self._year(conn, e, e.year, allowance_tenths=e.tenths)

    @handles(CertificateLedger.CertificateIssued)
    def _issued_on_ledger(self, conn: Writes, e: Any) -> None:
        year = conn.execute(
            select(ledger_years.c.consumed_tenths).where(
                ledger_years.c.ledger_id == e.originator_id, ledger_years.c.year == e.year
            )
        ).scalar_one_or_none()
        self._year(conn, e, e.year, consumed_tenths=(year or 0) + e.tenths)
        for source_id in e.source_ids:
            conn.update(ledger_items, {"ledger_id": e.originator_id, "source_id": source_id},
                        {"certificate_id": e.certificate_id, "serial": e.serial})
        ledger = self._ledger(conn, e.originator_id)
        conn.update(certificate_ledgers, {"id": e.originator_id}, {
            "pool_tenths": ledger["pool_tenths"] - e.tenths, "pool_items": ledger["pool_items"] - len(e.source_ids),
            "certified_tenths": ledger["certified_tenths"] + e.tenths, "certificates": ledger["certificates"] + 1,
            "updated_at": utc(e.timestamp),
        })

    # -- certificates ------------------------------------------------------------------------------

    def _history(self, conn: Writes, e: Any, kind: str, at: Any, **values: Any) -> None:
        conn.insert(certificate_history, {
            "certificate_id": e.originator_id, "version": e.originator_version, "kind": kind,
            "field": None, "old_value": None, "new_value": None, "note": None, "report_number": None,
            **_actor(e), "at": utc(at), **values,
        })

    def _set(self, conn: Writes, e: Any, **values: Any) -> None:
        conn.update(certificates, {"id": e.originator_id}, {**values, "updated_at": utc(e.timestamp)})

    @handles(Certificate.Issued)
    def _certificate(self, conn: Writes, e: Any) -> None:
        conn.insert(certificates, {
            "id": e.originator_id, "serial": e.serial, "verification_code": e.verification_code,
            "ledger_id": e.ledger_id, "trainee_id": e.trainee_id, "training_school_id": e.training_school_id,
            "number": e.number, "trainee_name": e.trainee_name, "school_name": e.school_name, "year": e.year,
            "charged_year": e.year, "total_tenths": e.total_tenths,
            "items": _JSON.encode([dict(i) for i in e.items]).decode(),
            "issued_on": datetime.date.fromisoformat(e.issued_on), "issued_at": utc(e.timestamp),
            "issued_by_role": (getattr(e, "meta", None) or {}).get("role") or "system",
            "downloads": 0, "last_downloaded_at": None, "amendments": 0,
            "open_report_field": None, "open_report_wrong_value": None, "open_report_correct_value": None,
            "open_report_note": None, "open_report_at": None, "updated_at": utc(e.timestamp),
        })
        self._history(conn, e, "issued", e.timestamp)

    @handles(Certificate.ErrorReported)
    def _reported(self, conn: Writes, e: Any) -> None:
        self._set(conn, e, open_report_field=e.field, open_report_wrong_value=e.wrong_value,
                  open_report_correct_value=e.correct_value, open_report_note=e.note,
                  open_report_at=utc(e.reported_at))
        self._history(conn, e, "reported", e.reported_at, field=e.field, old_value=e.wrong_value,
                      new_value=e.correct_value, note=e.note, report_number=e.report_number)

    def _close_report(self) -> dict[str, Any]:
        return {"open_report_field": None, "open_report_wrong_value": None, "open_report_correct_value": None,
                "open_report_note": None, "open_report_at": None}

    @handles(Certificate.DetailsCorrected)
    def _corrected(self, conn: Writes, e: Any) -> None:
        count = conn.execute(
            select(certificates.c.amendments).where(certificates.c.id == e.originator_id)
        ).scalar_one()
        detail = {"trainee_name": e.new_value} if e.field == "trainee_name" else {"year": int(e.new_value)}
        self._set(conn, e, **detail, amendments=count + 1, **self._close_report())
        self._history(conn, e, "corrected", e.corrected_at, field=e.field, old_value=e.old_value,
                      new_value=e.new_value, report_number=e.report_number)

    @handles(Certificate.ReportDeclined)
    def _declined(self, conn: Writes, e: Any) -> None:
        self._set(conn, e, **self._close_report())
        self._history(conn, e, "declined", e.declined_at, note=e.reason, report_number=e.report_number)

    @handles(Certificate.Downloaded)
    def _downloaded(self, conn: Writes, e: Any) -> None:
        count = conn.execute(select(certificates.c.downloads).where(certificates.c.id == e.originator_id)).scalar_one()
        self._set(conn, e, downloads=count + 1, last_downloaded_at=utc(e.downloaded_at))

    # -- batches -----------------------------------------------------------------------------------

    @handles(CertificateBatch.Requested)
    def _batch(self, conn: Writes, e: Any) -> None:
        conn.insert(certificate_batches, {
            "job_id": e.job_id, "training_school_id": e.training_school_id, "year": e.year,
            "trainees": len(e.trainee_ids), "all_trainees": 1 if e.all_trainees else 0,
            "requested_by": _actor(e)["actor_name"], "requested_at": utc(e.requested_at),
        })
