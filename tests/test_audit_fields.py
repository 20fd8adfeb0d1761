"""Stored values as the audit pages show them: amounts in yuan, times in Beijing time, hours
from tenths, codes by their Chinese labels, nested details with Chinese names."""

from __future__ import annotations

from datetime import UTC, datetime

from application.audit.fields import fields_of, shown


def test_values_read_as_a_person_reads_them():
    assert shown("amount_fen", 63600) == "636.00 元"
    assert shown("exam_fee_per_course_fen", 4005) == "40.05 元"
    assert shown("paid_at", datetime(2026, 9, 1, 2, 0, tzinfo=UTC)) == "2026-09-01 10:00:00"
    assert shown("paid_at", "2026-09-01T16:30:00Z") == "2026-09-02 00:30:00"  # as the log's JSON stores it
    assert shown("earned_on", "2026-09-01") == "2026-09-01"  # a date stays a date
    assert shown("tenths", 15) == "1.5" and shown("credit_tenths", 40) == "4"
    assert shown("includes_final_exam", True) == "是" and shown("reason", None) == "—"
    assert shown("fee_type", "credit_fee") == "学分费" and shown("status", "paid", "Bill") == "已缴费"
    assert shown("requested_by_role", "teaching_point_admin") == "教学点管理员"
    assert shown("status", "whatever", "Bill") == "whatever"  # an unknown code shows as stored
    assert shown("personal", {"name": "王小明", "mobile": "13912345678"}) == "姓名：王小明；移动电话：13912345678"


def test_fields_keep_their_stored_names_beside_the_chinese_ones():
    fields = fields_of({"name": "2026秋", "amount_fen": 100}, "AdmissionBatch")
    assert [(f.name, f.label, f.text) for f in fields] == [("name", "名称", "2026秋"), ("amount_fen", "金额", "1.00 元")]
    assert fields_of({"name": "王小明"}, "Account")[0].label == "姓名"
