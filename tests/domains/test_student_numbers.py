"""Student numbers (学号): a configurable pattern, issued in blocks, never reused
(requirements/learners.md §1.2)."""

from __future__ import annotations

import uuid

import pytest

from domains.learners.learner import DEFAULT_PATTERN, Learner, LearnerStatus, StudentNumberSequence
from tests.domains.gwt import created, error_code, given, refused, then, when

STARTED = ("Started", {"year": 2026, "teaching_point_code": "101", "school_code": "32", "pattern": DEFAULT_PATTERN})


def test_the_default_pattern_is_year_school_teaching_point_and_a_five_digit_sequence():
    sequence, events = created(lambda: StudentNumberSequence.start(2026, "101", "32"))
    then(events, STARTED)
    assert sequence.issue() == ["263210100001"]


def test_a_configured_pattern_is_used():
    sequence, _ = created(lambda: StudentNumberSequence.start(2018, "0500", "18", "{year2}{teaching_point}{seq:05d}"))
    assert sequence.issue(2) == ["18050000001", "18050000002"]  # 11 digits, like the old manual's 18050000007
    full, _ = created(lambda: StudentNumberSequence.start(2018, "030301", "32", "{year2}{school}{teaching_point}{seq:05d}"))
    assert full.issue() == ["183203030100001"]  # 15 digits, like the old manual's 183203030100556


@pytest.mark.parametrize("pattern", ["{year2}{campus}{seq}", "{0}{seq}", "{seq:q}"])
def test_a_broken_pattern_is_refused(pattern):
    assert error_code(lambda: StudentNumberSequence.start(2026, "101", "32", pattern)) == "student_number.pattern_invalid"


def test_a_block_of_numbers_is_one_event():
    sequence = given(StudentNumberSequence, STARTED)
    numbers: list[str] = []
    events = when(sequence, lambda s: numbers.extend(s.issue(3)))
    then(events, ("Issued", {"first": 1, "count": 3}))
    assert numbers == ["263210100001", "263210100002", "263210100003"]


def test_numbers_continue_after_the_last_issued_block_and_are_never_reused():
    sequence = given(StudentNumberSequence, STARTED, ("Issued", {"first": 1, "count": 3}), ("Issued", {"first": 4, "count": 1}))
    numbers: list[str] = []
    then(when(sequence, lambda s: numbers.extend(s.issue(2))), ("Issued", {"first": 5, "count": 2}))
    assert numbers == ["263210100005", "263210100006"]
    issued_before = {sequence.format(n) for n in range(1, 5)}
    assert not issued_before & set(numbers)


def test_issuing_none_is_refused():
    sequence = given(StudentNumberSequence, STARTED)
    refused(sequence, lambda s: s.issue(0), "student_number.count_invalid")


def test_each_year_and_teaching_point_has_its_own_sequence():
    ids = {
        StudentNumberSequence.create_id(2026, "101"),
        StudentNumberSequence.create_id(2026, "102"),
        StudentNumberSequence.create_id(2027, "101"),
    }
    assert len(ids) == 3
    assert StudentNumberSequence.create_id(2026, "101") == StudentNumberSequence.create_id(2026, "101")


def test_an_admitted_learner_is_enrolled_and_may_study():
    learner = given(
        Learner,
        (
            "Admitted",
            {
                "student_number": "263210100001",
                "application_form_id": uuid.uuid4(),
                "teaching_point_id": uuid.uuid4(),
                "programme_id": uuid.uuid4(),
                "study_batch_id": uuid.uuid4(),
                "admission_batch_id": uuid.uuid4(),
                "personal": {"name": "王小明"},
            },
        ),
    )
    assert learner.status == LearnerStatus.ENROLLED and learner.may_study
