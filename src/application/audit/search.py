"""Finding records' histories by what people know of them: a learner's 学号, a person's 姓名 or
身份证号, a remittance slip's number, a certificate's number (or, still, a record id).

Each match is a person (a learner, an applicant not admitted, an account), a slip or a
certificate, with the records that belong to it: a person's records are those the audit log ties
to them (`rm_audit_subjects`), a slip's are the slip and its bills, a certificate's are the
certificate and its ledger. ID numbers are shown masked. Auditors only (the caller checks)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from application.admissions.projection import application_forms
from application.audit.fields import shown
from application.audit.labels import aggregate_label, event_label, field_label
from application.audit.projection import audit_log, audit_subjects
from application.curriculum.projection import courses
from application.finance.projection import payment_bills, remittance_slips
from application.identity.projection import accounts
from application.learners.projection import learners
from application.organisation.projection import teaching_points
from application.training.certificate_projection import certificates
from domains.learners.learner import LearnerStatus
from domains.shared.errors import InvalidInput
from domains.shared.values import mask_id_number

SEARCH_KINDS = {
    "student_number": "学号",
    "name": "姓名",
    "id_number": "身份证号",
    "slip_number": "汇款单号",
    "certificate_serial": "证书编号",
    "record_id": "记录ID",
}
# 身份证号 is never sent in a URL: pages post it, the API takes it in a body.
POSTED_KINDS = frozenset({"id_number"})
MAX_MATCHES = 20
MAX_QUERY = 60

# What a record's summary line names, from the event that created it.
_SUMMARY_FIELDS = (
    "student_number", "username", "name", "course_id", "fee_type", "amount_fen", "slip_number", "serial",
    "title", "kind", "year",
)


@dataclass
class RecordRow:
    id: uuid.UUID
    aggregate_type: str
    kind_label: str
    summary: str
    created_label: str
    created_at: datetime
    last_label: str
    updated_at: datetime
    versions: int


@dataclass
class Match:
    kind: str  # learner | applicant | account | slip | certificate | record
    title: str
    details: list[tuple[str, str]] = field(default_factory=list)
    records: list[RecordRow] = field(default_factory=list)


@dataclass
class SearchResult:
    by: str
    matches: list[Match]
    truncated: bool  # more than MAX_MATCHES people matched: the caller asks for a narrower term


def parse_query(by: Any, value: Any) -> tuple[str, str]:
    kind = str(by or "").strip()
    if kind not in SEARCH_KINDS:
        raise InvalidInput("audit.search_kind_invalid", "请选择查询方式", field="by")
    text = " ".join(str(value or "").split())
    if not text:
        raise InvalidInput("audit.search_empty", f"请输入{SEARCH_KINDS[kind]}", field="q")
    if len(text) > MAX_QUERY:
        raise InvalidInput("audit.search_too_long", f"{SEARCH_KINDS[kind]}不能超过{MAX_QUERY}个字符", field="q")
    if kind == "id_number":
        text = text.replace(" ", "").upper()
    return kind, text


def search(conn: Connection, by: Any, value: Any) -> SearchResult:
    kind, text = parse_query(by, value)
    finder = {
        "student_number": _by_student_number, "name": _by_name, "id_number": _by_id_number,
        "slip_number": _by_slip, "certificate_serial": _by_certificate, "record_id": _by_record_id,
    }[kind]
    matches = finder(conn, text)
    truncated = len(matches) > MAX_MATCHES
    matches = matches[:MAX_MATCHES]
    _fill_people(conn, [m for m in matches if isinstance(m, _Person)])
    return SearchResult(by=kind, matches=list(matches), truncated=truncated)


# -- people -------------------------------------------------------------------------------------


@dataclass
class _Person(Match):
    person_id: uuid.UUID | None = None


def _teaching_point_names(conn: Connection) -> dict[str, str]:
    return {str(i): n for i, n in conn.execute(select(teaching_points.c.id, teaching_points.c.name))}


def _learner_matches(conn: Connection, where: Any) -> list[Match]:
    points = _teaching_point_names(conn)
    rows = conn.execute(
        select(learners.c.id, learners.c.student_number, learners.c.name, learners.c.id_number,
               learners.c.teaching_point_id, learners.c.status)
        .where(where).order_by(learners.c.student_number).limit(MAX_MATCHES + 1)
    ).mappings()
    return [
        _Person(
            kind="learner", title=f"{r['name']}（学号 {r['student_number']}）", person_id=r["id"],
            details=[("学号", r["student_number"]), ("姓名", r["name"]), ("身份证号", mask_id_number(r["id_number"])),
                     ("教学点", points.get(str(r["teaching_point_id"]), "")), ("学籍状态", LearnerStatus(r["status"]).label)],
        )
        for r in rows
    ]


def _applicant_matches(conn: Connection, where: Any) -> list[Match]:
    """Application forms of people never admitted (an admitted one's form is among its learner's records)."""
    points = _teaching_point_names(conn)
    rows = conn.execute(
        select(application_forms.c.id, application_forms.c.name, application_forms.c.id_number,
               application_forms.c.teaching_point_id, application_forms.c.submitted_at)
        .where(where, application_forms.c.learner_id.is_(None))
        .order_by(application_forms.c.submitted_at).limit(MAX_MATCHES + 1)
    ).mappings()
    return [
        _Person(
            kind="applicant", title=f"{r['name']}（报名表，未录取）", person_id=r["id"],
            details=[("姓名", r["name"]), ("身份证号", mask_id_number(r["id_number"])),
                     ("教学点", points.get(str(r["teaching_point_id"]), ""))],
        )
        for r in rows
    ]


def _account_matches(conn: Connection, where: Any) -> list[Match]:
    """Accounts of staff and trainees (a learner's account is among its learner's records)."""
    rows = conn.execute(
        select(accounts.c.id, accounts.c.username, accounts.c.name, accounts.c.id_number)
        .where(where, accounts.c.learner_id.is_(None)).order_by(accounts.c.username).limit(MAX_MATCHES + 1)
    ).mappings()
    return [
        _Person(
            kind="account", title=f"{r['name']}（账号 {r['username']}）", person_id=r["id"],
            details=[("用户名", r["username"]), ("姓名", r["name"]), ("身份证号", mask_id_number(r["id_number"]))],
        )
        for r in rows
    ]


def _by_student_number(conn: Connection, text: str) -> list[Match]:
    return _learner_matches(conn, learners.c.student_number == text)


def _by_name(conn: Connection, text: str) -> list[Match]:
    return (
        _learner_matches(conn, learners.c.name == text)
        + _applicant_matches(conn, application_forms.c.name == text)
        + _account_matches(conn, accounts.c.name == text)
    )


def _by_id_number(conn: Connection, text: str) -> list[Match]:
    return (
        _learner_matches(conn, learners.c.id_number == text)
        + _applicant_matches(conn, application_forms.c.id_number == text)
        + _account_matches(conn, accounts.c.id_number == text)
    )


def _fill_people(conn: Connection, people: list[_Person]) -> None:
    ids = [p.person_id for p in people if p.person_id is not None]
    if not ids:
        return
    owned: dict[uuid.UUID, list[uuid.UUID]] = {i: [i] for i in ids}
    for person, record in conn.execute(
        select(audit_subjects.c.subject_id, audit_subjects.c.originator_id).where(audit_subjects.c.subject_id.in_(ids))
    ):
        if record not in owned[person]:
            owned[person].append(record)
    rows = records(conn, [r for rs in owned.values() for r in rs])
    for p in people:
        p.records = [rows[r] for r in owned[p.person_id] if r in rows]  # type: ignore[index]
        p.records.sort(key=lambda r: (r.created_at, str(r.id)))


# -- slips, certificates, record ids ------------------------------------------------------------


def _by_slip(conn: Connection, text: str) -> list[Match]:
    slip = conn.execute(select(remittance_slips).where(remittance_slips.c.slip_number == text)).mappings().first()
    if slip is None:
        return []
    points = _teaching_point_names(conn)
    bills = list(conn.execute(
        select(payment_bills.c.bill_id).where(payment_bills.c.payment_id == slip["id"])
    ).scalars())
    found = records(conn, [slip["id"], *bills])
    return [Match(
        kind="slip", title=f"汇款单 {slip['slip_number']}",
        details=[("汇款单号", slip["slip_number"]), ("教学点", points.get(str(slip["teaching_point_id"]), "")),
                 ("金额", shown("amount_fen", slip["amount_fen"])), ("缴费单数", str(slip["bill_count"]))],
        records=[found[i] for i in [slip["id"], *bills] if i in found],
    )]


def _by_certificate(conn: Connection, text: str) -> list[Match]:
    cert = conn.execute(select(certificates).where(certificates.c.serial == text)).mappings().first()
    if cert is None:
        return []
    found = records(conn, [cert["id"], cert["ledger_id"]])
    match = Match(
        kind="certificate", title=f"证书 {cert['serial']}",
        details=[("证书编号", cert["serial"]), ("参训教师", cert["trainee_name"]), ("学校", cert["school_name"]),
                 ("年度", str(cert["year"]))],
        records=[found[i] for i in (cert["id"], cert["ledger_id"]) if i in found],
    )
    trainee = _account_matches(conn, accounts.c.id == cert["trainee_id"])
    return [match, *trainee]


def _by_record_id(conn: Connection, text: str) -> list[Match]:
    try:
        record_id = uuid.UUID(text)
    except ValueError:
        raise InvalidInput("audit.record_id_invalid", "记录ID格式不正确", field="q") from None
    found = records(conn, [record_id])
    if record_id not in found:
        return []
    row = found[record_id]
    return [Match(kind="record", title=f"{row.kind_label} {record_id}", records=[row])]


# -- record rows --------------------------------------------------------------------------------


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def records(conn: Connection, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, RecordRow]:
    """Each record's kind, what its first event says of it, and when it was created and last changed."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    events: dict[uuid.UUID, list[Any]] = {}
    for r in conn.execute(
        select(audit_log.c.originator_id, audit_log.c.version, audit_log.c.aggregate_type, audit_log.c.event_type,
               audit_log.c.recorded_at)
        .where(audit_log.c.originator_id.in_(wanted)).order_by(audit_log.c.originator_id, audit_log.c.version)
    ):
        events.setdefault(r.originator_id, []).append(r)
    first_data = {
        oid: json.loads(data) for oid, data in conn.execute(
            select(audit_log.c.originator_id, audit_log.c.data)
            .where(audit_log.c.originator_id.in_(wanted), audit_log.c.version == 1)
        )
    }
    course_ids = {d.get("course_id") for d in first_data.values() if d.get("course_id")}
    course_names = _course_names(conn, course_ids)
    out = {}
    for oid, rows in events.items():
        first, last = rows[0], rows[-1]
        out[oid] = RecordRow(
            id=oid, aggregate_type=first.aggregate_type, kind_label=aggregate_label(first.aggregate_type),
            summary=_summary(first.aggregate_type, first_data.get(oid, {}), course_names),
            created_label=event_label(first.aggregate_type, first.event_type), created_at=_aware(first.recorded_at),
            last_label=event_label(last.aggregate_type, last.event_type), updated_at=_aware(last.recorded_at),
            versions=last.version,
        )
    return out


def _course_names(conn: Connection, ids: set[str]) -> dict[str, str]:
    parsed = []
    for raw in ids:
        try:
            parsed.append(uuid.UUID(str(raw)))
        except ValueError:
            continue
    if not parsed:
        return {}
    return {
        str(i): f"{code} {name}"
        for i, code, name in conn.execute(select(courses.c.id, courses.c.code, courses.c.name).where(courses.c.id.in_(parsed)))
    }


def _summary(aggregate_type: str, data: dict[str, Any], course_names: dict[str, str]) -> str:
    parts = []
    for name in _SUMMARY_FIELDS:
        value = data.get(name)
        if value in (None, ""):
            continue
        text = course_names.get(str(value), str(value)) if name == "course_id" else shown(name, value, aggregate_type)
        parts.append(f"{field_label(name, aggregate_type)}：{text}")
    return "；".join(parts)
