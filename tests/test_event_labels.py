"""Every event an aggregate records has a Chinese name on audit tabs and the replay page, and so
does every field it stores and every kind of record: a new event, field or aggregate without
one fails here."""

from __future__ import annotations

import dataclasses

from application.audit.labels import (
    AGGREGATE_LABELS,
    EVENT_LABELS,
    FIELD_LABELS,
    field_label,
)
from tests.event_contract import recorded_event_classes

# Every event stores these; history tabs show them in columns of their own.
ENVELOPE = {"originator_id", "originator_version", "timestamp", "meta", "originator_topic"}


def _event_classes() -> set[str]:
    return {cls.__qualname__ for cls in recorded_event_classes()}


def test_every_recorded_event_has_a_label():
    events = _event_classes()
    assert len(events) > 50
    assert sorted(e for e in events if e not in EVENT_LABELS) == []


def test_every_stored_field_of_every_event_has_a_chinese_name():
    missing = [
        f"{cls.__qualname__}.{f.name}"
        for cls in recorded_event_classes()
        for f in dataclasses.fields(cls)
        if f.name not in ENVELOPE and field_label(f.name, cls.__qualname__.rpartition(".")[0]) == f.name
    ]
    assert sorted(missing) == []
    assert field_label("name", "Account") == "姓名" and field_label("name", "AdmissionBatch") == "名称"
    assert field_label("amount_fen") == "金额"


def test_every_field_label_names_a_field_some_event_stores():
    stored = {f.name for cls in recorded_event_classes() for f in dataclasses.fields(cls)}
    assert sorted(k for k in FIELD_LABELS if k.rpartition(".")[2] not in stored) == []


def test_every_kind_of_record_has_a_chinese_name():
    aggregates = {e.rpartition(".")[0] for e in _event_classes()}
    assert sorted(a for a in aggregates if a not in AGGREGATE_LABELS) == []


def test_every_attribute_an_aggregate_sets_has_a_chinese_name():
    """What the replay page shows of a record's state: each `self.x = …` in the domain."""
    import re
    from pathlib import Path

    import domains

    names = set()
    for path in Path(domains.__path__[0]).rglob("*.py"):
        names |= set(re.findall(r"self\.([a-z][a-z0-9_]*)\s*(?::[^=\n]*)?=", path.read_text(encoding="utf-8")))
    assert sorted(n for n in names if field_label(n) == n) == []
