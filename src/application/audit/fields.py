"""Stored fields as a person reads them: Chinese names, amounts in yuan, times in Beijing time,
hours from their tenths, yes/no for flags. History tabs, the replay page and the log use it;
the API keeps the stored values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from application.audit.labels import field_label, nested_label
from domains.admissions.application_form import FormStatus
from domains.curriculum.course import AssessmentStatus, CourseStatus
from domains.enrolment.enrollment import EnrollmentStatus
from domains.exams.registration import RegistrationKind, RegistrationStatus
from domains.finance.bill import BillStatus, FeeType, PaymentMethod
from domains.finance.payments import PaymentStatus, SlipStatus
from domains.finance.refund import RefundStatus
from domains.learners.learner import LearnerStatus
from domains.learners.record_change import RecordStatus, RequestStatus
from domains.learners.status_change import StatusChangeKind, StatusChangeStatus
from domains.shared.money import Money
from domains.shared.values import ROLE_LABELS, Role
from domains.training.activities import DeclarationStatus
from domains.training.lectures import HostingStatus
from domains.training.ledger import HoursKind

BEIJING = ZoneInfo("Asia/Shanghai")
EMPTY = "—"

# Stored codes shown by their domain's own Chinese label ("Aggregate.field" before "field").
VALUE_LABELS: dict[str, Any] = {
    "fee_type": FeeType,
    "method": PaymentMethod,
    "ExamRegistration.kind": RegistrationKind,
    "StatusChange.kind": StatusChangeKind,
    "CertificateLedger.kind": HoursKind,
    "ApplicationForm.status": FormStatus,
    "Course.status": CourseStatus,
    "Course.assessment_status": AssessmentStatus,
    "Enrollment.status": EnrollmentStatus,
    "ExamRegistration.status": RegistrationStatus,
    "Bill.status": BillStatus,
    "OnlinePayment.status": PaymentStatus,
    "RemittanceSlip.status": SlipStatus,
    "Refund.status": RefundStatus,
    "Learner.status": LearnerStatus,
    "Learner.record_status": RecordStatus,
    "RecordChangeRequest.status": RequestStatus,
    "StatusChange.status": StatusChangeStatus,
    "HostingApplication.status": HostingStatus,
    "ActivityDeclaration.status": DeclarationStatus,
}
_ROLE_FIELDS = frozenset({"role", "roles", "requested_by_role", "issued_by_role"})


def _coded(name: str, value: str, aggregate_type: str | None) -> str:
    if name in _ROLE_FIELDS:
        try:
            return ROLE_LABELS[Role(value)]
        except ValueError:
            return value
    codes = VALUE_LABELS.get(f"{aggregate_type}.{name}") or VALUE_LABELS.get(name)
    if codes is None:
        return value
    try:
        return str(codes(value).label)
    except ValueError:
        return value


@dataclass(frozen=True)
class Field:
    name: str  # as stored
    label: str  # in Chinese
    text: str  # the value as shown


def beijing(value: datetime) -> str:
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def _as_time(value: str) -> datetime | None:
    """A stored time (ISO 8601 with its zone, as the log's JSON writes it); dates stay dates."""
    if len(value) < 19 or value[10] not in "T ":
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def shown(name: str, value: Any, aggregate_type: str | None = None) -> str:
    """One stored value, formatted by what its name says it holds."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int) and name.endswith("_fen"):
        return f"{Money(value).yuan} 元"
    if isinstance(value, int) and name.endswith("tenths"):
        return f"{value / 10:g}"
    if isinstance(value, datetime):
        return beijing(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        when = _as_time(value)
        return beijing(when) if when is not None else _coded(name, value, aggregate_type)
    if isinstance(value, Mapping):
        return "；".join(f"{nested_label(str(k))}：{shown(str(k), v)}" for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        parts = [shown(name, v, aggregate_type) for v in value]
        return "、".join(f"（{p}）" if isinstance(v, Mapping) else p for p, v in zip(parts, value, strict=True))
    return str(value)


def fields_of(data: Mapping[str, Any], aggregate_type: str | None = None) -> list[Field]:
    """An event's data or an aggregate's state, field by field in stored order."""
    return [Field(str(k), field_label(str(k), aggregate_type), shown(str(k), v, aggregate_type)) for k, v in data.items()]
