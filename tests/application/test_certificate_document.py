"""Hours are printed from tenths of an hour without rounding."""

import datetime

from application.training.certificate_document import (
    CertificateDocument,
    certificate_filename,
    format_hours,
    hours_text,
)


def test_tenths_print_as_hours_with_one_decimal():
    assert hours_text(520) == "52.0"
    assert hours_text(521) == "52.1"
    assert hours_text(15) == "1.5"
    assert hours_text(3) == "0.3"
    assert hours_text(0) == "0.0"
    assert format_hours(500) == "50.0 学时"


def test_download_name_carries_the_serial_only():
    document = CertificateDocument(
        serial="WP2026000123",
        trainee_name="张珊",
        school_name="江苏开放大学",
        year=2026,
        total_tenths=15,
        items=(("直播讲座", 15),),
        issued_on=datetime.date(2026, 10, 2),
        verify_url="https://example.test/verify/WP2026000123",
    )
    assert certificate_filename(document) == "certificate-WP2026000123.pdf"
    assert document.amendments == ()
