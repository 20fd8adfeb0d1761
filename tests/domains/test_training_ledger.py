"""The certificate ledger: given these events, when this command, then these events or this refusal."""

from __future__ import annotations

import datetime
import uuid

from domains.shared.values import Role
from domains.training.ledger import (
    Certificate,
    CertificateLedger,
    CertificateSerialSequence,
    hours_text,
    parse_tenths,
)
from tests.domains.gwt import given, refused, then, when

TRAINEE = uuid.UUID("00000000-0000-0000-0000-0000000000a1")
SCHOOL = uuid.UUID("00000000-0000-0000-0000-0000000000b1")
CODE = "ABCDEFGHJKLM"
ISSUED_ON = datetime.date(2026, 10, 8)


def item(n: int) -> uuid.UUID:
    return uuid.UUID(int=1000 + n)


def credited(n: int, tenths: int, title: str | None = None, kind: str = "centre_course") -> tuple[str, dict]:
    return (
        "HoursCredited",
        {"source_id": item(n), "kind": kind, "title": title or f"课程{n}", "tenths": tenths, "earned_on": "2026-09-0%d" % (n % 9 + 1)},
    )


def ledger(*events: tuple[str, dict]) -> CertificateLedger:
    return given(
        CertificateLedger,
        ("Opened", {"trainee_id": TRAINEE, "training_school_id": SCHOOL}),
        *events,
        id=CertificateLedger.create_id(TRAINEE),
    )


def allowance(tenths: int, year: int = 2026, previous: int | None = None) -> tuple[str, dict]:
    return ("AllowanceSet", {"year": year, "tenths": tenths, "previous_tenths": previous})


def apply(selected: list[uuid.UUID], sequence: CertificateSerialSequence | None = None, role: Role = Role.TRAINEE):
    seq = sequence or CertificateSerialSequence.start(2026)
    return lambda a: a.issue_certificate(role, selected, seq, CODE, "张三", "示范大学", ISSUED_ON)


# -- hours in ----------------------------------------------------------------------------------------------


def test_crediting_hours_puts_the_item_in_the_pool():
    a = ledger()
    events = when(a, lambda a: a.credit(item(1), "centre_course", "课程思政建设", 320, datetime.date(2026, 9, 3)))
    then(events, ("HoursCredited", {"source_id": item(1), "kind": "centre_course", "tenths": 320, "earned_on": "2026-09-03"}))
    assert [i.source_id for i in a.pool] == [item(1)]
    assert a.pool_tenths == 320


def test_crediting_the_same_source_twice_records_nothing():
    a = ledger(credited(1, 320))
    assert when(a, lambda a: a.credit(item(1), "centre_course", "课程思政建设", 320, datetime.date(2026, 9, 3))) == []
    assert a.pool_tenths == 320


def test_the_ledger_id_is_one_per_trainee():
    assert CertificateLedger.create_id(TRAINEE) == CertificateLedger.create_id(TRAINEE)
    assert CertificateLedger.open(TRAINEE, SCHOOL).id == CertificateLedger.create_id(TRAINEE)


def test_hours_are_typed_in_tenths():
    assert parse_tenths("52") == 520
    assert parse_tenths("52.1") == 521
    assert parse_tenths("0.3") == 3
    assert hours_text(521) == "52.1"


# -- the tolerance edges (seed 000 §12: allowance 50 -> 50.0-52.0) ------------------------------------------


def test_exactly_the_remaining_is_accepted():
    a = ledger(allowance(500), credited(1, 500))
    events = when(a, apply([item(1)]))
    then(events, ("CertificateIssued", {"serial": "WP2026-000001", "year": 2026, "source_ids": [item(1)], "tenths": 500}))
    assert a.remaining(2026) == 0


def test_exactly_two_hours_over_the_remaining_is_accepted():
    a = ledger(allowance(500), credited(1, 300), credited(2, 220))
    events = when(a, apply([item(1), item(2)]))
    then(events, ("CertificateIssued", {"tenths": 520}))
    assert a.remaining(2026) == 0  # never below zero


def test_two_point_one_hours_over_the_remaining_is_refused():
    a = ledger(allowance(500), credited(1, 300), credited(2, 221))
    error = refused(a, apply([item(1), item(2)]), "certificate.exceeds_remaining")
    assert error.message == "所选学时 52.1 超出剩余可打印学时 50.0 加 2.0 学时的上限"
