"""Selection batches (selection and drop periods) and exam batches (registration period)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from domains.curriculum.batches import ExamBatch, SelectionBatch
from domains.curriculum.period import SHANGHAI, Period, one_month_later
from tests.domains.gwt import created, error_code, given, refused, then, when

COURSE = uuid.UUID("00000000-0000-0000-0000-0000000c0001")
OTHER = uuid.UUID("00000000-0000-0000-0000-0000000c0002")


def sh(y, m, d, h=0, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=SHANGHAI)


SELECTION = Period.of_days(date(2026, 9, 1), date(2026, 9, 30))  # Shanghai 09-01 00:00 .. 10-01 00:00
DROP = Period(sh(2026, 9, 1), sh(2026, 10, 31))

SELECTION_BATCH = (
    "Registered",
    {
        "code": "X2026F",
        "name": "2026秋季选课",
        "selection_starts_at": SELECTION.starts_at,
        "selection_ends_at": SELECTION.ends_at,
        "drop_starts_at": DROP.starts_at,
        "drop_ends_at": DROP.ends_at,
        "course_ids": [COURSE],
    },
)
EXAM_BATCH = (
    "Registered",
    {
        "code": "K2027S",
        "name": "2027年1月考试",
        "registration_starts_at": sh(2026, 9, 1),
        "registration_ends_at": sh(2026, 10, 16),
        "course_ids": [COURSE],
    },
)


# -- periods --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "inside"),
    [
        (sh(2026, 8, 31, 23, 59), False),
        (sh(2026, 9, 1), True),  # the first instant
        (datetime(2026, 8, 31, 16, 0, tzinfo=UTC), True),  # the same instant in UTC
        (sh(2026, 9, 30, 23, 59), True),  # the last day, late
        (sh(2026, 10, 1), False),  # the end is outside
    ],
)
def test_a_period_of_days_covers_whole_shanghai_days(at, inside):
    assert SELECTION.contains(at) is inside


def test_periods_need_time_zones_and_an_end_after_the_start():
    assert error_code(lambda: Period(datetime(2026, 9, 1), sh(2026, 9, 2))) == "time.naive"
    assert error_code(lambda: Period(sh(2026, 9, 2), sh(2026, 9, 2))) == "period.reversed"
    assert error_code(lambda: Period.of_days(date(2026, 9, 2), date(2026, 9, 1))) == "period.reversed"
    assert error_code(lambda: SELECTION.contains(datetime(2026, 9, 2))) == "time.naive"


def test_a_period_describes_itself_in_shanghai_time():
    assert SELECTION.describe() == "2026-09-01至2026-09-30"
    utc = Period(datetime(2026, 9, 1, 1, 30, tzinfo=UTC), datetime(2026, 9, 2, 1, 30, tzinfo=UTC))
    assert utc.describe() == "2026-09-01 09:30至2026-09-02 09:30"


@pytest.mark.parametrize(
    ("start", "later"),
    [(sh(2026, 9, 30), sh(2026, 10, 30)), (sh(2027, 1, 31), sh(2027, 2, 28)), (sh(2026, 12, 15, 8), sh(2027, 1, 15, 8))],
)
def test_one_month_later_is_a_calendar_month(start, later):
    assert one_month_later(start) == later


# -- selection batch ------------------------------------------------------------------------------


def test_by_default_drops_run_from_selection_start_to_a_month_after_selection_ends():
    batch, events = created(lambda: SelectionBatch.register("X2026F", "2026秋季选课", SELECTION, course_ids=[COURSE, COURSE]))
    then(
        events,
        (
            "Registered",
            {
                "selection_starts_at": sh(2026, 9, 1),
                "selection_ends_at": sh(2026, 10, 1),
                "drop_starts_at": sh(2026, 9, 1),
                "drop_ends_at": sh(2026, 11, 1),
                "course_ids": [COURSE],
            },
        ),
    )
    assert batch.is_drop_open(sh(2026, 10, 31, 23)) and not batch.is_drop_open(sh(2026, 11, 1))


def test_the_drop_period_cannot_start_before_selection():
    early = Period(sh(2026, 8, 31), sh(2026, 10, 31))
    assert error_code(lambda: SelectionBatch.register("X", "选课", SELECTION, early)) == "selection_batch.drop_before_selection"
    batch = given(SelectionBatch, SELECTION_BATCH)
    refused(batch, lambda b: b.change_periods(SELECTION, early), "selection_batch.drop_before_selection", kind="invalid")


def test_the_selection_period_decides_when_selection_is_open():
    batch = given(SelectionBatch, SELECTION_BATCH)
    assert [batch.is_selection_open(t) for t in (sh(2026, 8, 31, 23), sh(2026, 9, 15), sh(2026, 10, 1))] == [False, True, False]


def test_the_drop_period_is_adjustable():
    batch = given(SelectionBatch, SELECTION_BATCH)
    longer = Period(sh(2026, 9, 1), sh(2026, 11, 15))
    then(
        when(batch, lambda b: b.change_periods(SELECTION, longer)),
        ("PeriodsChanged", {"selection_starts_at": SELECTION.starts_at, "drop_ends_at": sh(2026, 11, 15)}),
    )
    assert batch.drop_period == longer
    assert when(batch, lambda b: b.change_periods(SELECTION, longer)) == []  # nothing changed, nothing recorded


def test_a_drop_is_checked_against_the_batch_and_its_drop_period():
    batch = given(SelectionBatch, SELECTION_BATCH)
    batch.check_drop_open(COURSE, "管理会计", sh(2026, 10, 30))
    err = refused(batch, lambda b: b.check_drop_open(COURSE, "管理会计", sh(2026, 10, 31)), "selection_batch.drop_period_closed")
    assert "管理会计" in err.message and "2026-09-01至2026-10-30" in err.message
    refused(batch, lambda b: b.check_drop_open(OTHER, "经济法", sh(2026, 9, 15)), "batch.course_not_in_batch")


def test_courses_are_added_once_and_removed():
    batch = given(SelectionBatch, SELECTION_BATCH)
    then(when(batch, lambda b: b.add_courses([COURSE, OTHER, OTHER])), ("CoursesAdded", {"course_ids": [OTHER]}))
    assert when(batch, lambda b: b.add_courses([COURSE])) == []
    then(when(batch, lambda b: b.remove_course(COURSE)), ("CourseRemoved", {"course_id": COURSE}))
    assert not batch.offers(COURSE) and batch.offers(OTHER)
    refused(batch, lambda b: b.remove_course(COURSE), "batch.course_not_in_batch")


def test_replaying_never_changes_the_registered_event():
    registered = {**SELECTION_BATCH[1], "course_ids": [COURSE]}
    batch = given(SelectionBatch, ("Registered", registered))
    when(batch, lambda b: b.add_courses([OTHER]))
    assert registered["course_ids"] == [COURSE]


# -- exam batch -----------------------------------------------------------------------------------


def test_an_exam_batch_has_courses_and_a_registration_period():
    batch, events = created(
        lambda: ExamBatch.register("K2027S", "2027年1月考试", Period.of_days(date(2026, 9, 1), date(2026, 10, 15)), [COURSE])
    )
    then(events, ("Registered", {"registration_starts_at": sh(2026, 9, 1), "registration_ends_at": sh(2026, 10, 16)}))
    assert batch.offers(COURSE) and batch.is_registration_open(sh(2026, 10, 15, 20))
    assert not batch.is_registration_open(sh(2026, 10, 16))


def test_a_resit_registration_needs_the_course_in_the_batch_and_the_registration_period():
    batch = given(ExamBatch, EXAM_BATCH)
    batch.check_registration_open(COURSE, "管理会计", sh(2026, 9, 10))
    err = refused(
        batch, lambda b: b.check_registration_open(COURSE, "管理会计", sh(2026, 10, 20)), "exam_batch.registration_closed"
    )
    assert "2027年1月考试" in err.message and "管理会计" in err.message
    refused(batch, lambda b: b.check_registration_open(OTHER, "经济法", sh(2026, 9, 10)), "batch.course_not_in_batch")


def test_the_registration_period_is_adjustable():
    batch = given(ExamBatch, EXAM_BATCH)
    later = Period(sh(2026, 9, 1), sh(2026, 10, 20))
    then(
        when(batch, lambda b: b.change_registration_period(later)),
        ("RegistrationPeriodChanged", {"registration_ends_at": sh(2026, 10, 20)}),
    )
    assert batch.is_registration_open(sh(2026, 10, 19, 12))
    assert when(batch, lambda b: b.change_registration_period(later)) == []


def test_times_in_other_zones_compare_as_instants():
    batch = given(ExamBatch, EXAM_BATCH)
    new_york = timezone(timedelta(hours=-4))
    # 2026-10-15 11:59 in New York is 23:59 in Shanghai: still inside.
    assert batch.is_registration_open(datetime(2026, 10, 15, 11, 59, tzinfo=new_york))
    assert not batch.is_registration_open(datetime(2026, 10, 15, 12, 0, tzinfo=new_york))
