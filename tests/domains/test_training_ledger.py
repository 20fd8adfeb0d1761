"""The certificate ledger: given these events, when this command, then these events or this refusal."""

from __future__ import annotations

import datetime
import uuid

from domains.shared.errors import InvalidInput
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
        {
            "source_id": item(n),
            "kind": kind,
            "title": title or f"课程{n}",
            "tenths": tenths,
            "earned_on": f"2026-09-0{n % 9 + 1}",
        },
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


# -- the tolerance edges (requirements/training.md §6: allowance 50 -> 50.0-52.0) ---------------------------


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


def test_with_remaining_zero_and_exactly_two_hours_selected_it_is_refused_nothing_remains():
    a = ledger(allowance(500), credited(1, 500), credited(2, 20), ("CertificateIssued", {
        "certificate_id": uuid.UUID(int=9), "serial": "WP2026-000001", "year": 2026, "source_ids": [item(1)], "tenths": 500,
    }))
    assert a.remaining(2026) == 0
    refused(a, apply([item(2)]), "certificate.nothing_remaining")


def test_the_tolerance_applies_to_what_remains_after_earlier_certificates():
    a = ledger(allowance(500), credited(1, 300), credited(2, 220), credited(3, 1), ("CertificateIssued", {
        "certificate_id": uuid.UUID(int=9), "serial": "WP2026-000001", "year": 2026, "source_ids": [item(1)], "tenths": 300,
    }))
    assert a.remaining(2026) == 200
    then(when(a, apply([item(2)])), ("CertificateIssued", {"tenths": 220}))  # 20.0 + 2.0
    assert a.remaining(2026) == 0


def test_items_must_be_in_the_pool_and_chosen_once():
    a = ledger(allowance(500), credited(1, 100))
    refused(a, apply([]), "certificate.nothing_selected", kind="invalid")
    refused(a, apply([item(1), item(1)]), "certificate.item_twice", kind="invalid")
    refused(a, apply([item(7)]), "certificate.item_not_in_pool", kind="conflict")


def test_items_on_a_certificate_leave_the_pool_and_cannot_be_certified_again():
    a = ledger(allowance(500), credited(1, 100), credited(2, 100))
    sequence = CertificateSerialSequence.start(2026)
    when(a, apply([item(1)], sequence))
    assert [i.source_id for i in a.pool] == [item(2)]
    assert a.certificate_of(item(1)) is not None
    refused(a, apply([item(1)], sequence), "certificate.item_already_certified")


def test_several_certificates_stack_each_with_its_own_serial():
    a = ledger(allowance(500), credited(1, 100), credited(2, 150))
    sequence = CertificateSerialSequence.start(2026)
    first = when(a, apply([item(1)], sequence))
    second = when(a, apply([item(2)], sequence))
    then(first, ("CertificateIssued", {"serial": "WP2026-000001", "tenths": 100}))
    then(second, ("CertificateIssued", {"serial": "WP2026-000002", "tenths": 150}))
    assert a.consumed_in(2026) == 250 and a.remaining(2026) == 250
    assert len(a.certificate_ids) == 2 and a.certificate_ids[0] != a.certificate_ids[1]


def test_the_certificate_records_what_it_shows():
    a = ledger(allowance(500), credited(1, 320, "课程思政建设"), credited(2, 15, "名师讲座", kind="centre_lecture"))
    certificate = apply([item(1), item(2)])(a)
    [issued] = certificate.collect_events()
    assert type(issued).__name__ == "Issued"
    assert (issued.serial, issued.trainee_name, issued.school_name, issued.year, issued.total_tenths) == (
        "WP2026-000001", "张三", "示范大学", 2026, 335,
    )
    assert [(i["title"], i["tenths"]) for i in issued.items] == [("课程思政建设", 320), ("名师讲座", 15)]
    assert certificate.id == Certificate.create_id(a.id, 1)


def test_no_application_before_the_school_sets_an_allowance():
    refused(ledger(credited(1, 100)), apply([item(1)]), "certificate.no_allowance")


def test_only_a_trainee_or_the_school_issues():
    a = ledger(allowance(500), credited(1, 100))
    refused(a, apply([item(1)], role=Role.TRAINING_CENTRE_ADMIN), "ledger.role_not_allowed", kind="forbidden")


# -- the allowance --------------------------------------------------------------------------------------


def test_the_school_sets_and_raises_the_allowance_each_change_an_event():
    a = ledger()
    then(when(a, lambda a: a.set_allowance(Role.TRAINING_SCHOOL_ADMIN, 2026, 500)),
         ("AllowanceSet", {"year": 2026, "tenths": 500, "previous_tenths": None}))
    then(when(a, lambda a: a.set_allowance(Role.TRAINING_SCHOOL_ADMIN, 2026, 600)),
         ("AllowanceSet", {"year": 2026, "tenths": 600, "previous_tenths": 500}))
    assert a.remaining(2026) == 600 and a.remaining(2027) == 0


def test_raising_the_allowance_after_an_overshoot_counts_the_overshoot():
    a = ledger(allowance(500), credited(1, 520), ("CertificateIssued", {
        "certificate_id": uuid.UUID(int=9), "serial": "WP2026-000001", "year": 2026, "source_ids": [item(1)], "tenths": 520,
    }))
    assert a.remaining(2026) == 0
    when(a, lambda a: a.set_allowance(Role.TRAINING_SCHOOL_ADMIN, 2026, 600))
    assert a.remaining(2026) == 80


def test_the_allowance_is_the_schools_to_set_and_must_be_sensible():
    a = ledger(allowance(500))
    refused(a, lambda a: a.set_allowance(Role.TRAINEE, 2026, 600), "ledger.role_not_allowed", kind="forbidden")
    refused(a, lambda a: a.set_allowance(Role.TRAINING_SCHOOL_ADMIN, 2026, 500), "ledger.allowance_unchanged")
    refused(a, lambda a: a.set_allowance(Role.TRAINING_SCHOOL_ADMIN, 2026, -1), "ledger.allowance_invalid")
    refused(a, lambda a: a.set_allowance(Role.TRAINING_SCHOOL_ADMIN, 1999, 10), "ledger.year_invalid")


# -- batch selection ------------------------------------------------------------------------------------


def test_batch_selection_takes_pool_items_up_to_the_remaining_plus_the_tolerance():
    a = ledger(allowance(500), credited(1, 300), credited(2, 180), credited(3, 50), credited(4, 30))
    # earned in order 1..4: 30.0 + 18.0 = 48.0; + 5.0 = 53.0 too much; + 3.0 = 51.0 fits
    assert a.selection_within_remaining(2026) == [item(1), item(2), item(4)]
    assert ledger(credited(1, 10)).selection_within_remaining(2026) == []


# -- the certificate: reports, corrections, downloads, no revocation ---------------------------------------


def certificate(*events: tuple[str, dict]) -> Certificate:
    return given(Certificate, ("Issued", {
        "ledger_id": CertificateLedger.create_id(TRAINEE), "trainee_id": TRAINEE, "training_school_id": SCHOOL,
        "number": 1, "serial": "WP2026-000001", "verification_code": CODE, "trainee_name": "张三",
        "school_name": "示范大学", "year": 2026, "items": [], "total_tenths": 500, "issued_on": "2026-10-08",
    }), *events)


AT = datetime.datetime(2026, 10, 9, 2, 0, tzinfo=datetime.UTC)
REPORTED = ("ErrorReported", {"report_number": 1, "field": "trainee_name", "wrong_value": "张三", "correct_value": "张珊",
                              "note": None, "reported_at": AT})


def test_the_school_reports_a_wrong_name_with_the_correct_value():
    c = certificate()
    then(when(c, lambda c: c.report_error(Role.TRAINING_SCHOOL_ADMIN, "trainee_name", "张珊", "身份证为张珊", AT)),
         ("ErrorReported", {"field": "trainee_name", "wrong_value": "张三", "correct_value": "张珊"}))
    assert c.trainee_name == "张三"


def test_a_report_must_change_something_and_one_waits_at_a_time():
    c = certificate()
    refused(c, lambda c: c.report_error(Role.TRAINING_SCHOOL_ADMIN, "trainee_name", "张三", None, AT),
            "certificate.correction_same")
    refused(c, lambda c: c.report_error(Role.TRAINING_SCHOOL_ADMIN, "serial", "X", None, AT), "certificate.field_invalid")
    refused(c, lambda c: c.report_error(Role.TRAINING_SCHOOL_ADMIN, "year", "26", None, AT), "ledger.year_invalid")
    refused(c, lambda c: c.report_error(Role.TRAINEE, "year", "2025", None, AT), "ledger.role_not_allowed")
    refused(certificate(REPORTED), lambda c: c.report_error(Role.TRAINING_SCHOOL_ADMIN, "year", "2025", None, AT),
            "certificate.report_open")


def test_the_centre_corrects_and_the_amendment_keeps_both_values():
    c = certificate(REPORTED)
    then(when(c, lambda c: c.correct(Role.TRAINING_CENTRE_ADMIN, None, AT)),
         ("DetailsCorrected", {"report_number": 1, "field": "trainee_name", "old_value": "张三", "new_value": "张珊"}))
    assert c.trainee_name == "张珊" and c.open_report is None
    assert [(a["old_value"], a["new_value"]) for a in c.amendments] == [("张三", "张珊")]


def test_a_year_correction_changes_the_year_shown():
    c = certificate(("ErrorReported", {**REPORTED[1], "field": "year", "wrong_value": "2026", "correct_value": "2025"}))
    when(c, lambda c: c.correct(Role.TRAINING_CENTRE_ADMIN, "", AT))
    assert c.year == 2025


def test_only_the_centre_corrects_and_only_what_was_reported():
    refused(certificate(), lambda c: c.correct(Role.TRAINING_CENTRE_ADMIN, None, AT), "certificate.no_open_report")
    refused(certificate(REPORTED), lambda c: c.correct(Role.TRAINING_SCHOOL_ADMIN, None, AT), "ledger.role_not_allowed")


def test_the_centre_may_decline_a_report_with_a_reason():
    c = certificate(REPORTED)
    refused(c, lambda c: c.decline_report(Role.TRAINING_CENTRE_ADMIN, "", AT), "field.required")
    then(when(c, lambda c: c.decline_report(Role.TRAINING_CENTRE_ADMIN, "姓名无误", AT)),
         ("ReportDeclined", {"report_number": 1, "reason": "姓名无误"}))
    assert c.trainee_name == "张三" and c.open_report is None


def test_downloads_are_recorded_and_deduct_nothing():
    c = certificate()
    then(when(c, lambda c: c.record_download(Role.TRAINEE, AT)), ("Downloaded", {"downloaded_at": AT}))
    then(when(c, lambda c: c.record_download(Role.TRAINEE, AT)), ("Downloaded", {}))
    assert c.downloads == 2 and c.total_tenths == 500


def test_an_issued_certificate_can_never_be_revoked():
    for role in (Role.TRAINEE, Role.TRAINING_SCHOOL_ADMIN, Role.TRAINING_CENTRE_ADMIN):
        refused(certificate(), lambda c, role=role: c.revoke(role), "certificate.irrevocable")


def test_serial_numbers_follow_each_other_within_a_year():
    s = given(CertificateSerialSequence, ("Started", {"year": 2026}), ("Issued", {"number": 122}))
    assert s.issue() == "WP2026-000123"
    assert CertificateSerialSequence.create_id(2026) == s.create_id(2026) != CertificateSerialSequence.create_id(2027)


def test_hours_typed_wrongly_are_refused_as_invalid_input():
    for raw in ("", "abc", "5.55", "5.", ".5", "-1", "²", "1" * 7, True, None):
        try:
            parse_tenths(raw)
        except InvalidInput as exc:
            assert exc.code == "hours.malformed"
        else:
            raise AssertionError(raw)


def test_crediting_refuses_what_is_not_certificate_eligible():
    a = ledger()
    refused(a, lambda a: a.credit(item(1), "school_course", "校本课程", 10, datetime.date(2026, 9, 1)), "ledger.kind_invalid")
    refused(a, lambda a: a.credit(item(1), "centre_course", "课程", 0, datetime.date(2026, 9, 1)), "ledger.hours_invalid")
    refused(a, lambda a: a.credit(item(1), "centre_course", " ", 10, datetime.date(2026, 9, 1)), "field.required")


def test_a_year_with_odd_digits_is_refused():
    c = certificate()
    refused(c, lambda c: c.report_error(Role.TRAINING_SCHOOL_ADMIN, "year", "²⁰²⁵", None, AT), "ledger.year_invalid")


def test_the_year_of_issue_decides_which_allowance_is_consumed():
    a = ledger(allowance(500), credited(1, 100), credited(2, 100), allowance(300, year=2027))
    seq_2027 = CertificateSerialSequence.start(2027)
    events = when(a, lambda a: a.issue_certificate(
        Role.TRAINEE, [item(1)], seq_2027, CODE, "张三", "示范大学", datetime.date(2027, 1, 2)))
    then(events, ("CertificateIssued", {"serial": "WP2027-000001", "year": 2027, "tenths": 100}))
    assert (a.remaining(2026), a.remaining(2027)) == (500, 200)
    # A sequence of another year is not used for this year's certificate.
    refused(a, lambda a: a.issue_certificate(
        Role.TRAINEE, [item(2)], CertificateSerialSequence.start(2026), CODE, "张三", "示范大学",
        datetime.date(2027, 1, 2)), "certificate.serial_year_mismatch")
