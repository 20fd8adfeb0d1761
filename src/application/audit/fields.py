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
from domains.shared.money import Money

BEIJING = ZoneInfo("Asia/Shanghai")
EMPTY = "—"


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


def shown(name: str, value: Any) -> str:
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
        return beijing(when) if when is not None else value
    if isinstance(value, Mapping):
        return "；".join(f"{nested_label(str(k))}：{shown(str(k), v)}" for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        parts = [shown(name, v) for v in value]
        return "、".join(f"（{p}）" if isinstance(v, Mapping) else p for p, v in zip(parts, value, strict=True))
    return str(value)


def fields_of(data: Mapping[str, Any], aggregate_type: str | None = None) -> list[Field]:
    """An event's data or an aggregate's state, field by field in stored order."""
    return [Field(str(k), field_label(str(k), aggregate_type), shown(str(k), v)) for k, v in data.items()]
