"""Admission batches (招生批次) and their period, training programmes (培养方案)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from domains.admissions.batches import AdmissionBatch, StudyBatch, TrainingProgramme
from tests.domains.gwt import created, error_code, given, refused, then, when

STUDY_BATCH = uuid.UUID("00000000-0000-0000-0000-00000000b001")
TP_101 = uuid.UUID("00000000-0000-0000-0000-000000000101")
TP_102 = uuid.UUID("00000000-0000-0000-0000-000000000102")

BATCH = (
    "Registered",
    {
        "code": "A202609",
        "name": "2026年秋季招生",
        "study_batch_id": STUDY_BATCH,
        "opens_on": "2026-08-01",
        "closes_on": "2026-09-30",
    },
)
PROGRAMME = (
    "Registered",
    {
        "code": "P-ZSB-KJ",
        "level": "专升本",
        "learner_type": "开放教育",
        "learner_source": "开放教育",
        "major": "会计学",
        "length_of_schooling": "2.5年",
        "teaching_point_ids": [TP_101],
    },
)


# -- admission period ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "is_open"),
    [
        (date(2026, 7, 31), False),  # the day before
        (date(2026, 8, 1), True),  # the first day
        (date(2026, 9, 1), True),
        (date(2026, 9, 30), True),  # the last day
        (date(2026, 10, 1), False),  # the day after
        (date(2025, 9, 1), False),  # a year early
    ],
)
def test_the_admission_period_includes_its_first_and_last_day(today, is_open):
    batch = given(AdmissionBatch, BATCH)
    assert batch.is_open_on(today) is is_open
    if is_open:
        batch.check_open(today)
    else:
        refused(batch, lambda b: b.check_open(today), "admission.period_closed", kind="conflict")


def test_a_one_day_period_is_open_on_that_day_only():
    batch = given(AdmissionBatch, ("Registered", {**BATCH[1], "opens_on": "2026-09-01", "closes_on": "2026-09-01"}))
    assert [batch.is_open_on(date(2026, 9, d)) for d in (1, 2)] == [True, False]
    assert not batch.is_open_on(date(2026, 8, 31))


def test_register_normalises_dates_and_refuses_a_reversed_period():
    _, events = created(lambda: AdmissionBatch.register("A1", "春季招生", STUDY_BATCH, date(2027, 3, 1), "2027-03-31"))
    then(events, ("Registered", {"opens_on": "2027-03-01", "closes_on": "2027-03-31", "study_batch_id": STUDY_BATCH}))
    assert error_code(lambda: AdmissionBatch.register("A1", "春季招生", STUDY_BATCH, "2027-03-31", "2027-03-01")) == (
        "admission_batch.period_reversed"
    )
    assert error_code(lambda: AdmissionBatch.register("A1", "春季招生", STUDY_BATCH, "2027-02-30", "2027-03-01")) == (
        "date.malformed"
    )


def test_changing_the_period_moves_what_is_open():
    batch = given(AdmissionBatch, BATCH)
    then(
        when(batch, lambda b: b.change_period("2026-10-01", "2026-10-15")),
        ("PeriodChanged", {"opens_on": "2026-10-01", "closes_on": "2026-10-15"}),
    )
    assert not batch.is_open_on(date(2026, 9, 1)) and batch.is_open_on(date(2026, 10, 15))
    refused(batch, lambda b: b.change_period("2026-10-15", "2026-10-01"), "admission_batch.period_reversed")


def test_study_batch_needs_code_and_name():
    _, events = created(lambda: StudyBatch.register(" 2026F ", "2026秋"))
    then(events, ("Registered", {"code": "2026F", "name": "2026秋"}))
    assert error_code(lambda: StudyBatch.register("", "2026秋")) == "field.required"


# -- training programmes ---------------------------------------------------------------------


@pytest.mark.parametrize("level", ["高起专", "专升本", "高起本"])
def test_a_programme_has_one_of_the_three_levels(level):
    programme, events = created(
        lambda: TrainingProgramme.register("P1", level, "开放教育", "开放教育", "会计学", "2.5年", [TP_101, TP_101, TP_102])
    )
    then(events, ("Registered", {"level": level, "teaching_point_ids": [TP_101, TP_102]}))  # duplicates dropped
    assert programme.key == f"{level}|开放教育|开放教育|会计学|2.5年"


@pytest.mark.parametrize("level", ["本科", "", "专科"])
def test_other_levels_are_refused(level):
    assert error_code(
        lambda: TrainingProgramme.register("P1", level, "开放教育", "开放教育", "会计学", "2.5年", [])
    ) == "programme.level_invalid"


def test_the_five_elements_make_the_natural_key():
    keys = {
        TrainingProgramme.natural_key(*elements)
        for elements in [
            ("专升本", "开放教育", "开放教育", "会计学", "2.5年"),
            ("专升本", "开放教育", "开放教育", "会计学", "3年"),
            ("专升本", "开放教育", "普通高考", "会计学", "2.5年"),
            ("专升本", "成人教育", "开放教育", "会计学", "2.5年"),
            ("高起本", "开放教育", "开放教育", "会计学", "2.5年"),
            ("专升本", "开放教育", "开放教育", "法学", "2.5年"),
        ]
    }
    assert len(keys) == 6


def test_a_programme_is_offered_only_where_it_is_set():
    programme = given(TrainingProgramme, PROGRAMME)
    programme.check_offered_at(TP_101)
    refused(programme, lambda p: p.check_offered_at(TP_102), "programme.not_offered", kind="conflict")
    then(when(programme, lambda p: p.offer_at([TP_102, TP_102])), ("TeachingPointsSet", {"teaching_point_ids": [TP_102]}))
    programme.check_offered_at(TP_102)
    refused(programme, lambda p: p.check_offered_at(TP_101), "programme.not_offered")
