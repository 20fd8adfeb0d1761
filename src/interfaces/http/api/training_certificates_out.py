"""Response bodies of the certificate ledger: a trainee's ledger, certificates with their history,
public verification and batch generation. Hours travel as tenths and as text ("50.0")."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from msgspec import UNSET, UnsetType

from domains.training.ledger import HoursKind
from interfaces.http.api.common import JobOut, Out


class LedgerItemOut(Out):
    """Certificate-eligible hours credited to the ledger; `in_pool` until a certificate uses them."""

    ledger_id: uuid.UUID
    source_id: uuid.UUID
    trainee_id: uuid.UUID
    kind: HoursKind
    title: str
    tenths: int
    earned_on: date
    credited_at: datetime
    certificate_id: uuid.UUID | None
    serial: str | None
    kind_label: str
    hours: str
    in_pool: bool


class LedgerYearOut(Out):
    year: int
    allowance: str | None  # none: no allowance set for that year
    consumed: str
    remaining: str


class CertificateItemOut(Out):
    source_id: uuid.UUID
    kind: HoursKind
    title: str
    tenths: int
    hours: str
    kind_label: str


class CertificateOut(Out, kw_only=True):
    id: uuid.UUID
    serial: str
    ledger_id: uuid.UUID
    trainee_id: uuid.UUID
    training_school_id: uuid.UUID
    number: int
    trainee_name: str
    school_name: str
    year: int
    charged_year: int  # the year whose allowance it consumed
    total_tenths: int
    items: list[CertificateItemOut]
    issued_on: date
    issued_at: datetime
    issued_by_role: str  # the issuing role, or "system" for a batch run
    downloads: int
    last_downloaded_at: datetime | None
    amendments: int
    # A school's open report of a wrong field, awaiting the centre's correction or refusal.
    open_report_field: str | None
    open_report_wrong_value: str | None
    open_report_correct_value: str | None
    open_report_note: str | None
    open_report_at: datetime | None
    updated_at: datetime
    total_hours: str
    has_open_report: bool
    open_report_field_label: str | UnsetType = UNSET  # with an open report only


class LedgerOut(Out):
    """学分与证书打印: the pool, the year's allowance and what remains, past certificates."""

    trainee_id: uuid.UUID
    trainee_name: str
    username: str
    training_school_id: uuid.UUID
    year: int
    allowance_set: bool
    allowance_tenths: int
    allowance: str
    consumed_tenths: int
    consumed: str
    remaining_tenths: int
    remaining: str
    tolerance: str
    max_selectable_tenths: int  # the most one application may select (remaining plus tolerance)
    max_selectable: str
    pool: list[LedgerItemOut]
    pool_tenths: int
    pool_hours: str
    certified_tenths: int
    certified_hours: str
    hours_detail: list[LedgerItemOut]
    years: list[LedgerYearOut]
    certificates: list[CertificateOut]


class LedgerSummaryOut(Out):
    trainee_id: uuid.UUID
    trainee_name: str
    username: str
    training_school_id: uuid.UUID
    school_name: str
    pool_tenths: int
    pool_hours: str
    pool_items: int
    certificates: int
    certified_hours: str
    allowance_set: bool
    allowance: str | None
    consumed: str
    remaining_tenths: int
    remaining: str


class AllowancesOut(Out):
    changed: int
    unchanged: int


class HistoryEntryOut(Out):
    certificate_id: uuid.UUID
    version: int
    kind: str
    field: str | None
    old_value: str | None
    new_value: str | None
    note: str | None
    report_number: int | None
    actor_name: str | None
    role: str
    at: datetime
    kind_label: str
    field_label: str | None
    role_label: str


class CertificateDetailOut(CertificateOut, kw_only=True):
    history: list[HistoryEntryOut]
    amendment_lines: list[str]  # the amendments as the certificate prints them
    username: str


class VerifiedItemOut(Out):
    title: str
    hours: str


class VerificationOut(Out):
    """Public check of a certificate's QR link: only `genuine` and `serial` unless genuine."""

    genuine: bool
    serial: str
    status: str | UnsetType = UNSET
    trainee_name: str | UnsetType = UNSET
    school_name: str | UnsetType = UNSET
    year: int | UnsetType = UNSET
    total_hours: str | UnsetType = UNSET
    items: list[VerifiedItemOut] | UnsetType = UNSET
    issued_on: date | UnsetType = UNSET
    amendments: list[str] | UnsetType = UNSET


class CertificateBatchOut(JobOut):
    actor_username: str
    actor_name: str | None
    training_school_id: uuid.UUID
    year: int
    all_trainees: int
    finished: bool


class BatchTraineeOut(Out):
    row: int
    ok: bool
    code: str | None
    message: str | None
    trainee_id: uuid.UUID | None
    trainee_name: str | None
    username: str | None


class CertificateBatchDetailOut(CertificateBatchOut):
    trainees: list[BatchTraineeOut]
