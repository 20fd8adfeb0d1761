"""Stored events are a contract (ADR 0015): every recorded event's fields and types are pinned in
tests/event_contract.json, a change needs a new class_version and an upcaster, and an old stored
event replays into today's aggregate."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Optional

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from application.admissions.queries import get_form
from domains.admissions.application_form import ApplicationForm
from infrastructure.eventstore import legacy_transcoder
from tests.event_contract import REGENERATE, Shape, breaches, current_shapes, load, type_text, unrecorded, updated
from tests.support import applicant

TOPIC = "domains.parcels:Parcel.Sent"
V1 = {"meta": "dict[str, Any]", "timestamp": "datetime.datetime", "to": "uuid.UUID"}


def shape(fields: dict[str, str] = V1, version: int = 1, upcasts: tuple[int, ...] = ()) -> Shape:
    return Shape("Parcel.Sent", TOPIC, version, dict(fields), frozenset(upcasts))


def test_every_recorded_event_matches_the_contract() -> None:
    shapes = current_shapes()
    assert len(shapes) > 100
    problems = breaches(load(), shapes) + unrecorded(load(), shapes)
    assert not problems, "\n".join(problems)


def test_renaming_a_field_without_a_new_version_is_refused() -> None:
    renamed = shape({**{k: v for k, v in V1.items() if k != "to"}, "recipient": "uuid.UUID"})
    [problem] = breaches({TOPIC: {"1": V1}}, [renamed])
    assert "-to: uuid.UUID" in problem and "+recipient: uuid.UUID" in problem
    assert "class_version = 2" in problem and "upcast_v1_v2" in problem
    with pytest.raises(ValueError, match="changed its stored fields"):
        updated({TOPIC: {"1": V1}}, [renamed])  # the regeneration refuses it too


def test_changing_a_field_type_is_refused() -> None:
    [problem] = breaches({TOPIC: {"1": V1}}, [shape({**V1, "to": "str"})])
    assert "to: uuid.UUID -> str" in problem


def test_a_new_version_needs_its_upcaster_and_then_only_regeneration() -> None:
    v2 = {**V1, "note": "str"}
    [problem] = breaches({TOPIC: {"1": V1}}, [shape(v2, version=2)])
    assert "no upcast_v1_v2" in problem

    ready = shape(v2, version=2, upcasts=(1,))
    assert breaches({TOPIC: {"1": V1}}, [ready]) == []
    [pending] = unrecorded({TOPIC: {"1": V1}}, [ready])
    assert REGENERATE in pending
    assert updated({TOPIC: {"1": V1}}, [ready]) == {TOPIC: {"1": V1, "2": v2}}


def test_new_events_are_added_and_old_topics_never_dropped() -> None:
    gone = "domains.gone:Gone.Happened"
    contract = {gone: {"1": V1}}
    [problem] = breaches(contract, [shape()])
    assert gone in problem and "could no longer be read" in problem
    assert updated({}, [shape()]) == {TOPIC: {"1": V1}}


def test_a_type_is_spelt_one_way() -> None:
    assert type_text(Optional[uuid.UUID]) == type_text(uuid.UUID | None)  # noqa: UP045  (the old spelling is the point) == "None | uuid.UUID"
    assert type_text(list[dict[str, Any]]) == "list[dict[str, Any]]"


# Version 1 of ApplicationForm.Rejected, byte for byte as the code before class_version 2 stored
# it: msgspec JSON since ADR 0007, the library's tagged JSON before that (older demo data).
OLD_META = {"actor_id": None, "actor_name": "jiaowu", "role": "academic_affairs", "teaching_point_id": None,
            "correlation_id": None, "causation_id": None, "reason": "材料不全"}
REJECTED_V1 = {
    "msgspec": b'{"timestamp":"2026-09-01T02:05:00Z","meta":{"actor_id":null,"actor_name":"jiaowu",'
    b'"role":"academic_affairs","teaching_point_id":null,"correlation_id":null,"causation_id":null,'
    b'"reason":"\xe6\x9d\x90\xe6\x96\x99\xe4\xb8\x8d\xe5\x85\xa8"},"comment":"\xe6\x9d\x90\xe6\x96\x99\xe4\xb8\x8d\xe5\x85\xa8"}',
    "library": legacy_transcoder().encode(
        {"timestamp": datetime(2026, 9, 1, 2, 5, tzinfo=UTC), "meta": OLD_META, "comment": "材料不全"}
    ),
}


@pytest.mark.parametrize("encoding", sorted(REJECTED_V1))
def test_a_version_1_rejection_replays_into_todays_form(world: Any, encoding: str) -> None:
    c = world.container
    form_id = c.admissions.enter_form(world.actor("xuanwu"), admission_batch_id=world.admission_batch,
                                      programme_id=world.programmes["accounting"], applicant=applicant(1))
    topic = get_topic(ApplicationForm.Rejected)
    assert ApplicationForm.Rejected.class_version == 2
    [position] = c.log.recorder.insert_events([StoredEvent(form_id, 2, topic, REJECTED_V1[encoding])])

    form = c.store.get(form_id)
    assert (form.status, form.review_comment, form.version) == ("rejected", "材料不全", 2)
    [_, rejected] = c.log.events.get(form_id)
    assert type(rejected) is ApplicationForm.Rejected and rejected.reason == "材料不全"
    assert not hasattr(rejected, "comment")

    c.runner.catch_up(until=position)  # the read model reads it through the upcaster too
    with c.engine.connect() as conn:
        row = get_form(conn, world.actor("jiaowu"), form_id)
    assert (row["status"], row["review_comment"]) == ("rejected", "材料不全")


def test_a_rejection_is_stored_at_version_2(world: Any) -> None:
    c = world.container
    form_id = c.admissions.enter_form(world.actor("xuanwu"), admission_batch_id=world.admission_batch,
                                      programme_id=world.programmes["accounting"], applicant=applicant(2))
    c.admissions.reject_form(world.actor("jiaowu"), form_id, "学历无法验证")
    [_, stored] = c.log.recorder.select_events(form_id)
    assert b'"reason":"' in stored.state and b'"comment"' not in stored.state
    assert b'"class_version":2' in stored.state
    assert c.store.get(form_id).review_comment == "学历无法验证"
