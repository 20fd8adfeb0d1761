"""学务导师分配 (requirements/teaching.md §1): given a learner and a mentor, when assigning, then one
assignment per learner, only an enabled academic mentor of the learner's teaching point, and a
transfer makes the assignment invalid until the new teaching point assigns one."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from domains.shared.errors import DomainError
from domains.teaching.common import LearnerFacts, StaffFacts
from domains.teaching.mentors import MentorAssignment, assign_mentor
from tests.domains.gwt import created, given, refused, then, when

AT = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)
TP, OTHER_TP = uuid.uuid4(), uuid.uuid4()
LEARNER = LearnerFacts(uuid.uuid4(), "王芳", "2632101000001", TP, "enrolled")
MENTOR = StaffFacts(uuid.uuid4(), "学务导师2", frozenset({"academic_mentor"}), TP, "enabled")
MENTOR3 = replace(MENTOR, account_id=uuid.uuid4(), name="学务导师3")


def assigned(mentor: StaffFacts = MENTOR, tp: uuid.UUID = TP) -> MentorAssignment:
    return given(MentorAssignment, ("Assigned", {
        "learner_id": LEARNER.learner_id, "teaching_point_id": tp, "mentor_id": mentor.account_id, "assigned_at": AT,
    }), id=MentorAssignment.create_id(LEARNER.learner_id))


def test_a_learner_with_a_student_number_gets_an_enabled_mentor_of_the_teaching_point():
    assignment, events = created(lambda: MentorAssignment.assign(LEARNER, MENTOR, AT))
    then(events, ("Assigned", {"learner_id": LEARNER.learner_id, "teaching_point_id": TP, "mentor_id": MENTOR.account_id}))
    assert assignment.id == MentorAssignment.create_id(LEARNER.learner_id)  # exactly one per learner


@pytest.mark.parametrize(
    ("mentor", "code", "words"),
    [
        (replace(MENTOR, status="disabled"), "mentor_assignment.mentor_not_enabled", "只能为学生分配“启用”状态的学务导师"),
        (replace(MENTOR, roles=frozenset({"head_teacher"})), "mentor_assignment.not_a_mentor", "不是学务导师"),
        (replace(MENTOR, teaching_point_id=OTHER_TP), "mentor_assignment.other_teaching_point", "不属于学生所在的教学点"),
    ],
)
def test_only_an_enabled_academic_mentor_of_the_learners_teaching_point(mentor, code, words):
    with pytest.raises(DomainError) as info:
        MentorAssignment.assign(LEARNER, mentor, AT)
    assert info.value.code == code and words in info.value.message


@pytest.mark.parametrize(
    ("learner", "code"),
    [
        (replace(LEARNER, student_number=None), "learner.no_student_number"),
        (replace(LEARNER, status="withdrawn"), "learner.not_enrolled"),
    ],
)
def test_only_an_enrolled_learner_with_a_student_number(learner, code):
    with pytest.raises(DomainError) as info:
        MentorAssignment.assign(learner, MENTOR, AT)
    assert info.value.code == code


def test_reassigning_records_the_change_with_the_previous_mentor():
    assignment = assigned()
    events = when(assignment, lambda a: a.reassign(LEARNER, MENTOR3, AT))
    then(
        events,
        ("Reassigned", {"mentor_id": MENTOR3.account_id, "previous_mentor_id": MENTOR.account_id, "teaching_point_id": TP}),
    )
    assert assignment.mentor_id == MENTOR3.account_id


def test_the_same_mentor_again_is_refused_and_a_disabled_one_never_replaces():
    refused(assigned(), lambda a: a.reassign(LEARNER, MENTOR, AT), "mentor_assignment.unchanged")
    refused(assigned(), lambda a: a.reassign(LEARNER, replace(MENTOR3, status="disabled"), AT),
            "mentor_assignment.mentor_not_enabled")


def test_after_a_transfer_the_assignment_is_invalid_and_the_new_teaching_point_assigns_its_own_mentor():
    assignment = assigned()
    moved = replace(LEARNER, teaching_point_id=OTHER_TP)
    assert assignment.is_valid_for(TP) and not assignment.is_valid_for(OTHER_TP)
    # the old teaching point's mentor does not fit the new teaching point
    refused(assignment, lambda a: a.reassign(moved, MENTOR, AT), "mentor_assignment.other_teaching_point")
    new_mentor = replace(MENTOR, account_id=uuid.uuid4(), teaching_point_id=OTHER_TP)
    events = when(assignment, lambda a: a.reassign(moved, new_mentor, AT))
    then(events, ("Reassigned", {"teaching_point_id": OTHER_TP, "mentor_id": new_mentor.account_id}))
    assert assignment.is_valid_for(OTHER_TP)


def test_assign_mentor_creates_or_changes_the_one_assignment():
    first = assign_mentor(None, LEARNER, MENTOR, AT)
    first.collect_events()
    assert assign_mentor(first, LEARNER, MENTOR3, AT) is first and first.mentor_id == MENTOR3.account_id


def test_a_naive_time_is_refused():
    with pytest.raises(DomainError) as info:
        MentorAssignment.assign(LEARNER, MENTOR, datetime(2026, 9, 15, 10, 0))
    assert info.value.code == "time.naive"
