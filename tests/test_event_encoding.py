"""The event store's msgspec mapper (ADR 0007): events come back equal to the ones saved, with
their UUID and datetime types; events in the library's JSON format still read; untyped fields
never lose a type silently; old stored versions are upcast."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from eventsourcing.domain import event
from eventsourcing.persistence import Mapper

from domains.admissions.application_form import Applicant, ApplicationForm
from domains.admissions.batches import AdmissionBatch, StudyBatch, TrainingProgramme
from domains.learners.learner import Learner, StudentNumberSequence
from domains.organisation.teaching_point import TeachingPoint
from domains.shared.aggregate import DomainAggregate, UniqueKey
from domains.shared.metadata import acting
from infrastructure.eventstore import EventMapper, legacy_transcoder
from tests.support import applicant


def sample_events() -> list[Any]:
    with acting({"actor_id": str(uuid.uuid4()), "actor_name": "jiaowu", "role": "academic_affairs", "reason": "测试"}):
        tp = TeachingPoint.register("101", "玄武学习中心", "南京市玄武区", "李娟,陈刚", "025-84321234")
        tp.edit_contact_details("南京市鼓楼区", "周敏", "025-83456789")
        sb = StudyBatch.register("2026F", "2026秋")
        ab = AdmissionBatch.register("A202609", "2026年秋季招生", sb.id, "2026-08-01", "2026-09-30")
        programme = TrainingProgramme.register(
            "P-ZSB-KJ", "专升本", "开放教育", "开放教育", "会计学", "2.5年", [tp.id, uuid.uuid4()]
        )
        form = ApplicationForm.enter(Applicant.parse(applicant(7), date(2026, 9, 1)), tp.id, ab, programme, date(2026, 9, 1))
        sequence = StudentNumberSequence.start(2026, "101", "32")
        number = sequence.issue(3)[0]
        learner = Learner(
            student_number=number, application_form_id=form.id, teaching_point_id=tp.id, programme_id=programme.id,
            study_batch_id=sb.id, admission_batch_id=ab.id, personal=form.applicant or {},
        )
        form.approve(learner.id, number, None)
        claim = UniqueKey(kind="learner_id_number", key="x", owner_id=learner.id)
    return [e for a in (tp, sb, ab, programme, form, sequence, learner, claim) for e in a.collect_events()]


def test_events_round_trip_with_their_types() -> None:
    mapper = EventMapper()
    events = sample_events()
    for e in events:
        stored = mapper.to_stored_event(e)
        assert not stored.state.startswith(b'{"timestamp":{'), "stored in the new format"
        back = mapper.to_domain_event(stored)
        assert type(back) is type(e) and back == e
        assert isinstance(back.originator_id, uuid.UUID) and isinstance(back.timestamp, datetime)
    programme_registered = next(e for e in events if isinstance(e, TrainingProgramme.Registered))
    back = mapper.to_domain_event(mapper.to_stored_event(programme_registered))
    assert all(isinstance(t, uuid.UUID) for t in back.teaching_point_ids)


def test_events_stored_by_the_library_mapper_still_read() -> None:
    library, mapper = Mapper(legacy_transcoder()), EventMapper()
    for e in sample_events():
        assert mapper.to_domain_event(library.to_stored_event(e)) == e


def test_a_uuid_or_datetime_in_an_untyped_field_is_not_lost() -> None:
    mapper = EventMapper()
    with acting({"actor_name": "x", "reason": "因为"}):
        learner = Learner(
            student_number="1", application_form_id=uuid.uuid4(), teaching_point_id=uuid.uuid4(),
            programme_id=uuid.uuid4(), study_batch_id=uuid.uuid4(), admission_batch_id=uuid.uuid4(),
            personal={"id": uuid.uuid4(), "at": datetime(2026, 9, 1, tzinfo=UTC), "tags": ["a", 1, None]},
        )
    e = learner.collect_events()[0]
    back = mapper.to_domain_event(mapper.to_stored_event(e))
    assert back == e and isinstance(back.personal["id"], uuid.UUID) and isinstance(back.personal["at"], datetime)


class Parcel(DomainAggregate):
    @event("Sent")
    def __init__(self, to: uuid.UUID) -> None:
        self.to = to


def test_old_versions_are_upcast() -> None:
    mapper = EventMapper()
    parcel = Parcel(to=uuid.uuid4())
    old = mapper.to_stored_event(parcel.collect_events()[0])
    sent = Parcel.Sent
    sent.class_version = 2  # type: ignore[attr-defined]
    sent.upcast_v1_v2 = staticmethod(lambda state: state.update(note="none"))  # type: ignore[attr-defined]
    try:
        back = EventMapper().to_domain_event(old)
        assert back.to == parcel.to and isinstance(back.to, uuid.UUID) and back.note == "none"
        legacy = Mapper(legacy_transcoder())
        sent.class_version = 1  # type: ignore[attr-defined]
        old_legacy = legacy.to_stored_event(Parcel(to=uuid.uuid4()).collect_events()[0])
        sent.class_version = 2  # type: ignore[attr-defined]
        assert EventMapper().to_domain_event(old_legacy).note == "none"
    finally:
        sent.class_version = 1  # type: ignore[attr-defined]
        del sent.upcast_v1_v2  # type: ignore[attr-defined]
