"""The six preconditions of course selection (requirements/enrolment.md §1), each with its own code."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domains.enrolment.policy import (
    CourseNotSelectable,
    CourseOffer,
    Window,
    check_selectable,
    not_yet_selected,
    unmet_conditions,
)
from domains.shared.errors import DomainError

AT = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)
COURSE = uuid.UUID("00000000-0000-0000-0000-0000000c0001")
SELECTION = Window(uuid.UUID(int=1), "2026秋季选课", AT - timedelta(days=14), AT + timedelta(days=16))
EXAMS = Window(uuid.UUID(int=2), "2027年1月考试", AT - timedelta(days=20), AT + timedelta(days=30))

OFFER = CourseOffer(
    course_id=COURSE,
    course_name="管理会计",
    published=True,
    version_in_use="2026版",
    assessment_approved=True,
    includes_final_exam=True,
    course_levels=("undergraduate",),
    fee_standard_levels=frozenset({"undergraduate", "junior_college"}),
    selection_windows=(SELECTION,),
    exam_registration_windows=(EXAMS,),
)


def offer(**changes):
    return dataclasses.replace(OFFER, **changes)


def codes(o, at=AT):
    return [u.code for u in unmet_conditions(o, at)]


def test_a_course_meeting_all_six_conditions_is_selectable_in_its_open_batches():
    chosen = check_selectable(OFFER, AT)
    assert (chosen.selection, chosen.exam_registration) == (SELECTION, EXAMS)
    assert unmet_conditions(OFFER, AT) == []


CLOSED_SELECTION = Window(uuid.UUID(int=3), "2026春季选课", AT - timedelta(days=200), AT - timedelta(days=170))
CLOSED_EXAMS = Window(uuid.UUID(int=4), "2026年7月考试", AT - timedelta(days=90), AT - timedelta(days=60))


@pytest.mark.parametrize(
    ("changes", "number", "code", "words"),
    [
        ({"published": False}, 1, "selection.course_not_published", "已发布"),
        ({"version_in_use": None}, 2, "selection.no_version_in_use", "课程版本"),
        ({"assessment_approved": False}, 3, "selection.assessment_not_approved", "考核要求"),
        ({"selection_windows": ()}, 4, "selection.not_in_selection_period", "未加入选课批次"),
        ({"selection_windows": (CLOSED_SELECTION,)}, 4, "selection.not_in_selection_period", "2026春季选课"),
        ({"exam_registration_windows": ()}, 5, "selection.not_in_exam_registration_period", "未加入考试批次"),
        ({"exam_registration_windows": (CLOSED_EXAMS,)}, 5, "selection.not_in_exam_registration_period", "报考期"),
        ({"fee_standard_levels": frozenset({"junior_college"})}, 6, "selection.fee_standard_missing", "（本科）"),
        ({"in_programme": False}, 0, "selection.course_not_in_programme", "培养方案"),
    ],
)
def test_each_unmet_condition_has_its_own_code_and_a_message_naming_the_course(changes, number, code, words):
    [unmet] = unmet_conditions(offer(**changes), AT)
    assert (unmet.number, unmet.code) == (number, code)
    assert "管理会计" in unmet.message and words in unmet.message
    with pytest.raises(CourseNotSelectable) as info:
        check_selectable(offer(**changes), AT)
    assert info.value.code == code and info.value.kind == "conflict"


def test_every_unmet_condition_is_reported_at_once_in_order():
    nothing = offer(
        published=False,
        version_in_use=None,
        assessment_approved=False,
        selection_windows=(),
        exam_registration_windows=(),
        fee_standard_levels=frozenset(),
    )
    assert codes(nothing) == [
        "selection.course_not_published",
        "selection.no_version_in_use",
        "selection.assessment_not_approved",
        "selection.not_in_selection_period",
        "selection.not_in_exam_registration_period",
        "selection.fee_standard_missing",
    ]
    with pytest.raises(DomainError) as info:
        check_selectable(nothing, AT)
    assert info.value.code == "selection.course_not_published"
    assert [u["code"] for u in info.value.details["unmet"]] == codes(nothing)
    assert info.value.message.count("管理会计") == 6


def test_a_course_of_both_levels_needs_both_fee_standards():
    both = offer(course_levels=("undergraduate", "junior_college"))
    assert codes(both) == []
    [unmet] = unmet_conditions(dataclasses.replace(both, fee_standard_levels=frozenset({"undergraduate"})), AT)
    assert unmet.code == "selection.fee_standard_missing" and "（专科）" in unmet.message


def test_the_selection_period_includes_its_start_and_excludes_its_end():
    assert codes(OFFER, SELECTION.starts_at) == []
    assert codes(OFFER, SELECTION.starts_at - timedelta(seconds=1)) == ["selection.not_in_selection_period"]
    assert codes(OFFER, SELECTION.ends_at) == ["selection.not_in_selection_period"]


def test_the_exam_registration_period_is_checked_at_the_same_instant():
    late = offer(exam_registration_windows=(Window(EXAMS.batch_id, EXAMS.batch_name, EXAMS.starts_at, AT),))
    assert codes(late) == ["selection.not_in_exam_registration_period"]
    assert codes(late, AT - timedelta(minutes=1)) == []


def test_with_several_batches_the_open_one_is_chosen():
    chosen = check_selectable(
        offer(selection_windows=(CLOSED_SELECTION, SELECTION), exam_registration_windows=(CLOSED_EXAMS, EXAMS)), AT
    )
    assert chosen.selection.batch_id == SELECTION.batch_id and chosen.exam_registration.batch_id == EXAMS.batch_id


def test_a_closed_batch_is_named_with_its_period_in_shanghai_time():
    days = Window(uuid.UUID(int=5), "2026春季选课", datetime(2026, 2, 28, 16, tzinfo=UTC), datetime(2026, 3, 31, 16, tzinfo=UTC))
    [unmet] = unmet_conditions(offer(selection_windows=(days,)), AT)
    assert "“2026春季选课”（选课期2026-03-01至2026-03-31）" in unmet.message


def test_a_naive_time_is_refused():
    with pytest.raises(DomainError) as info:
        unmet_conditions(OFFER, datetime(2026, 9, 15, 10))
    assert info.value.code == "time.naive"


def test_batch_selection_skips_courses_already_selected():
    a, b, c = (uuid.UUID(int=n) for n in (10, 11, 12))
    assert not_yet_selected([a, b, c, a], already_selected=[b]) == [a, c]
    assert not_yet_selected([b], already_selected=[b]) == []
