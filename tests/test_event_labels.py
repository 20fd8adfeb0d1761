"""Every event an aggregate records has a Chinese name on audit tabs and the replay page."""

from __future__ import annotations

from application.audit.labels import EVENT_LABELS
from tests.event_contract import recorded_event_classes


def _event_classes() -> set[str]:
    return {cls.__qualname__ for cls in recorded_event_classes()}


def test_every_recorded_event_has_a_label():
    events = _event_classes()
    assert len(events) > 50
    assert sorted(e for e in events if e not in EVENT_LABELS) == []
