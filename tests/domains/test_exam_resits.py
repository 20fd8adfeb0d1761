"""Who may register a resit (补考报考, requirements/exams.md §3), and a sitting taken up again by a resit
or by a selection: given the facts, when registering, then the rule that refuses (naming the
course) or nothing."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domains.exams.registration import ExamRegistration, RegistrationKind, RegistrationStatus
from domains.exams.resits import ResitFacts, check_resit, check_sitting_free
from domains.shared.errors import DomainError
from infrastructure.eventstore import EventMapper
from tests.domains.gwt import given, then, when

AT = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)
LATER = AT + timedelta(days=2)
LEARNER, COURSE, BATCH, TP = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

STUDIED = ResitFacts(
    course_name="管理会计", learner_may_study=True, includes_final_exam=True, course_paid=True, drop_requested=False,
)


def registered(kind: str) -> tuple[str, dict]:
    return ("Registered", {
        "learner_id": LEARNER, "course_id": COURSE, "exam_batch_id": BATCH, "teaching_point_id": TP, "kind": kind,
        "enrollment_id": uuid.uuid4() if kind == "final" else None, "registered_at": AT,
    })


CONFIRMED = ("Confirmed", {"confirmed_at": AT})
WITHDRAWN = ("Cancelled", {"reason": "withdrawn", "cancelled_at": AT})
DROPPED = ("Cancelled", {"reason": "course_dropped", "cancelled_at": AT})


def test_a_learner_who_studied_the_course_may_register_its_resit():
    check_resit(STUDIED)  # nothing refused


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        ({"learner_may_study": False}, "exam_registration.learner_not_enrolled", "不是在籍状态"),
        ({"includes_final_exam": False}, "exam_registration.no_final_exam", "不含终考"),
        ({"course_paid": False}, "exam_registration.course_not_studied", "已修读"),
        ({"drop_requested": True}, "exam_registration.course_drop_pending", "退课申请"),
    ],
)
def test_each_rule_refuses_naming_the_course(change, code, words):
    with pytest.raises(DomainError) as info:
        check_resit(replace(STUDIED, **change))
    assert info.value.code == code
    assert "管理会计" in info.value.message and words in info.value.message


@pytest.mark.parametrize(
    ("events", "kind_label", "status_label"),
    [
        ([registered("resit")], "补考", "待缴费"),
        ([registered("resit"), CONFIRMED], "补考", "报考成功"),
        ([registered("final"), CONFIRMED], "终考", "报考成功"),
    ],
)
def test_a_sitting_is_registered_once(events, kind_label, status_label):
    reg = given(ExamRegistration, *events)
    with pytest.raises(DomainError) as info:
        check_sitting_free(reg, "管理会计", "2027年7月考试")
    assert info.value.code == "exam_registration.already_registered"
    assert f"“2027年7月考试”的课程“管理会计”（{kind_label}，{status_label}）" in info.value.message


def test_a_free_or_cancelled_sitting_may_be_registered():
    check_sitting_free(None, "管理会计", "2027年7月考试")
    check_sitting_free(given(ExamRegistration, registered("resit"), WITHDRAWN), "管理会计", "2027年7月考试")


def test_a_withdrawn_resit_taken_up_again_is_a_pending_resit():
    reg = given(ExamRegistration, registered("resit"), WITHDRAWN)
    then(when(reg, lambda r: r.register_again(None, LATER)),
         ("RegisteredAgain", {"enrollment_id": None, "registered_at": LATER, "kind": "resit"}))
    assert reg.registration_kind is RegistrationKind.RESIT and reg.registration_status is RegistrationStatus.PENDING


def test_a_dropped_final_exam_taken_up_by_a_resit_becomes_a_resit_and_the_reverse():
    reg = given(ExamRegistration, registered("final"), DROPPED)
    when(reg, lambda r: r.register_again(None, LATER))
    assert reg.registration_kind is RegistrationKind.RESIT and reg.enrollment_id is None
    when(reg, lambda r: r.confirm(LATER))
    assert reg.is_paid_resit and not reg.cancellable  # paid: never cancelled, not even by a drop

    back = given(ExamRegistration, registered("resit"), WITHDRAWN)
    enrollment = uuid.uuid4()
    when(back, lambda r: r.register_again(enrollment, LATER))
    assert back.registration_kind is RegistrationKind.FINAL and back.enrollment_id == enrollment


def test_a_registered_again_event_stored_before_it_carried_the_kind_keeps_the_kind():
    """Replayed through the store's mapper from a state without `kind`, as older events are."""
    reg = given(ExamRegistration, registered("final"), DROPPED)
    (again,) = when(reg, lambda r: r.register_again(uuid.uuid4(), LATER))
    mapper = EventMapper()
    stored = mapper.to_stored_event(again)
    state = json.loads(stored.state)
    del state["kind"]
    old = mapper.to_domain_event(replace(stored, state=json.dumps(state).encode()))
    assert not hasattr(old, "kind")
    replayed = old.mutate(given(ExamRegistration, registered("resit"), WITHDRAWN, id=reg.id))
    assert replayed.registration_kind is RegistrationKind.RESIT  # unchanged
    assert replayed.registration_status is RegistrationStatus.PENDING
