"""The application form (requirements/admissions.md): entry, quick registration and completion, review."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from domains.admissions.application_form import Applicant, ApplicationForm, FormStatus
from domains.admissions.batches import AdmissionBatch, TrainingProgramme
from domains.shared.errors import DomainError, InvalidInput
from tests.domains.gwt import created, given, refused, then, when
from tests.support import applicant, make_id_number

TODAY = date(2026, 9, 1)
STUDY_BATCH = uuid.UUID("00000000-0000-0000-0000-00000000b001")
TP_101 = uuid.UUID("00000000-0000-0000-0000-000000000101")
TP_102 = uuid.UUID("00000000-0000-0000-0000-000000000102")
LEARNER = uuid.UUID("00000000-0000-0000-0000-00000000e001")


def batch(opens_on: str = "2026-08-01", closes_on: str = "2026-09-30") -> AdmissionBatch:
    return given(
        AdmissionBatch,
        (
            "Registered",
            {"code": "A1", "name": "秋季招生", "study_batch_id": STUDY_BATCH, "opens_on": opens_on, "closes_on": closes_on},
        ),
    )


def programme(level: str = "专升本", offered_at: list[uuid.UUID] | None = None) -> TrainingProgramme:
    return given(
        TrainingProgramme,
        (
            "Registered",
            {
                "code": "P1",
                "level": level,
                "learner_type": "开放教育",
                "learner_source": "开放教育",
                "major": "会计学",
                "length_of_schooling": "2.5年",
                "teaching_point_ids": offered_at if offered_at is not None else [TP_101],
            },
        ),
    )


def parsed(seq: int = 1, **overrides) -> Applicant:
    return Applicant.parse(applicant(seq, **overrides), TODAY)


def entered_event(seq: int = 1) -> tuple[str, dict]:
    a = parsed(seq)
    return (
        "Entered",
        {
            "name": a.name,
            "mobile": a.mobile,
            "teaching_point_id": TP_101,
            "applicant": a.as_dict(),
            "programme_id": uuid.uuid4(),
            "admission_batch_id": uuid.uuid4(),
            "study_batch_id": STUDY_BATCH,
        },
    )


QUICK = ("QuickRegistered", {"name": "张三", "mobile": "13912345678", "intended_major": "会计", "teaching_point_id": TP_101})


# -- the applicant's details ------------------------------------------------------------------


def test_birth_date_and_gender_come_from_the_id_number_not_from_input():
    a = Applicant.parse(
        applicant(1, id_number=make_id_number("19851120", seq=2), gender="male", birth_date="2000-01-01"), TODAY
    )
    assert (a.birth_date, a.gender) == ("1985-11-20", "female")


def test_original_name_and_id_number_are_recorded_only_when_they_differ():
    same = parsed(1, original_name="王小明1", original_id_number=make_id_number(seq=1))
    assert same.original_name is None and same.original_id_number is None
    old_id = make_id_number("19900315", seq=9, region="110105")
    different = parsed(1, original_name="王晓明", original_id_number=old_id.lower())
    assert different.original_name == "王晓明" and different.original_id_number == old_id


def test_an_original_id_number_is_validated_too():
    with pytest.raises(InvalidInput) as info:
        parsed(1, original_id_number="320102199003150012")
    assert (info.value.code, info.value.details["field"]) == ("id_number.bad_check_digit", "original_id_number")


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"prior_graduation_date": "2026-09-02"}, "applicant.not_yet_graduated"),
        ({"prior_graduation_date": "1989-07-01"}, "applicant.graduation_before_birth"),
        ({"prior_graduation_date": "2012-13-01"}, "date.malformed"),
        ({"prior_level": "小学"}, "applicant.prior_level_invalid"),
        ({"mobile": "1391234567"}, "mobile.malformed"),
        ({"address": ""}, "field.required"),
        ({"prior_certificate_number": "   "}, "field.required"),
    ],
)
def test_applicant_details_are_validated(overrides, code):
    with pytest.raises(InvalidInput) as info:
        parsed(1, **overrides)
    assert info.value.code == code


def test_a_graduation_date_of_today_is_accepted():
    assert parsed(1, prior_graduation_date="2026-09-01").prior_graduation_date == "2026-09-01"


# -- entering a full form ---------------------------------------------------------------------


def test_an_entered_form_is_preliminarily_approved_at_once():
    b, p, a = batch(), programme(), parsed(1)
    form, events = created(lambda: ApplicationForm.enter(a, TP_101, b, p, TODAY))
    then(
        events,
        (
            "Entered",
            {
                "name": "王小明1",
                "teaching_point_id": TP_101,
                "programme_id": p.id,
                "admission_batch_id": b.id,
                "study_batch_id": STUDY_BATCH,
                "applicant": a.as_dict(),
            },
        ),
    )
    assert form.form_status is FormStatus.PRELIMINARILY_APPROVED


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: ApplicationForm.enter(parsed(), TP_101, batch(), programme(), date(2026, 10, 1)), "admission.period_closed"),
        (lambda: ApplicationForm.enter(parsed(), TP_101, batch(), programme(), date(2026, 7, 31)), "admission.period_closed"),
        (lambda: ApplicationForm.enter(parsed(), TP_102, batch(), programme(), TODAY), "programme.not_offered"),
        (
            lambda: ApplicationForm.enter(parsed(prior_level="高中"), TP_101, batch(), programme("专升本"), TODAY),
            "applicant.prior_level_insufficient",
        ),
    ],
)
def test_entry_is_refused(make, code):
    with pytest.raises(DomainError) as info:
        make()
    assert info.value.code == code and info.value.kind == "conflict"


@pytest.mark.parametrize(
    ("prior_level", "accepted"), [("高中", False), ("中专", False), ("大专", True), ("本科", True), ("研究生", True)]
)
def test_zhuan_sheng_ben_needs_junior_college_or_higher(prior_level, accepted):
    enter = lambda: ApplicationForm.enter(parsed(prior_level=prior_level), TP_101, batch(), programme("专升本"), TODAY)  # noqa: E731
    if accepted:
        enter()
    else:
        with pytest.raises(DomainError, match="专升本") as info:
            enter()
        assert info.value.code == "applicant.prior_level_insufficient"


@pytest.mark.parametrize("level", ["高起专", "高起本"])
def test_secondary_education_is_enough_for_the_other_levels(level):
    form = ApplicationForm.enter(parsed(prior_level="高中"), TP_101, batch(), programme(level), TODAY)
    assert form.form_status is FormStatus.PRELIMINARILY_APPROVED


# -- quick registration and completion -----------------------------------------------------------


def test_quick_registration_holds_only_name_phone_and_intended_major():
    form, events = created(lambda: ApplicationForm.quick_register(" 张三 ", "13912345678", "会计", None))
    then(
        events,
        ("QuickRegistered", {"name": "张三", "mobile": "13912345678", "intended_major": "会计", "teaching_point_id": None}),
    )
    assert form.form_status is FormStatus.QUICK_REGISTERED
    assert form.applicant is None and form.programme_id is None


def test_completing_a_quick_registration_chooses_the_programme_and_preliminarily_approves():
    form = given(ApplicationForm, QUICK)
    b, p, a = batch(), programme(), parsed(3)
    events = when(form, lambda f: f.complete(a, TP_101, b, p, TODAY))
    then(
        events,
        (
            "Completed",
            {"teaching_point_id": TP_101, "programme_id": p.id, "admission_batch_id": b.id, "applicant": a.as_dict()},
        ),
    )
    assert form.form_status is FormStatus.PRELIMINARILY_APPROVED
    assert (form.name, form.mobile) == (a.name, a.mobile)  # the full form's details replace the quick ones
    assert form.intended_major == "会计"


def test_a_quick_registration_without_a_teaching_point_is_completed_by_whoever_takes_it():
    form = given(ApplicationForm, ("QuickRegistered", {**QUICK[1], "teaching_point_id": None}))
    p = programme(offered_at=[TP_102])
    then(when(form, lambda f: f.complete(parsed(), TP_102, batch(), p, TODAY)), ("Completed", {"teaching_point_id": TP_102}))


def test_completion_is_refused_for_another_teaching_points_registration():
    form = given(ApplicationForm, QUICK)
    refused(form, lambda f: f.complete(parsed(), TP_102, batch(), programme(offered_at=[TP_102]), TODAY),
            "application_form.other_teaching_point")


def test_completion_is_refused_outside_the_period_and_for_programmes_not_offered():
    form = given(ApplicationForm, QUICK)
    refused(form, lambda f: f.complete(parsed(), TP_101, batch(), programme(), date(2026, 10, 1)), "admission.period_closed")
    refused(form, lambda f: f.complete(parsed(), TP_101, batch(), programme(offered_at=[TP_102]), TODAY), "programme.not_offered")


@pytest.mark.parametrize(
    "history",
    [
        [entered_event()],
        [QUICK, ("Completed", {"teaching_point_id": TP_101, "applicant": parsed().as_dict(), "programme_id": uuid.uuid4(),
                               "admission_batch_id": uuid.uuid4(), "study_batch_id": STUDY_BATCH})],
        [entered_event(), ("Rejected", {"reason": "材料不全"})],
    ],
)
def test_only_a_quick_registration_can_be_completed(history):
    form = given(ApplicationForm, *history)
    refused(form, lambda f: f.complete(parsed(), TP_101, batch(), programme(), TODAY), "application_form.not_quick_registration")


# -- school review -------------------------------------------------------------------------------


def test_approval_records_the_learner_and_student_number():
    form = given(ApplicationForm, entered_event())
    then(
        when(form, lambda f: f.approve(LEARNER, "263210100001", "材料齐全")),
        ("Approved", {"learner_id": LEARNER, "student_number": "263210100001", "comment": "材料齐全"}),
    )
    assert form.form_status is FormStatus.APPROVED


def test_rejection_needs_a_comment():
    form = given(ApplicationForm, entered_event())
    refused(form, lambda f: f.reject("  "), "field.required", kind="invalid")
    then(when(form, lambda f: f.reject(" 学历无法验证 ")), ("Rejected", {"reason": "学历无法验证"}))
    assert form.form_status is FormStatus.REJECTED


@pytest.mark.parametrize(
    "history",
    [
        [QUICK],
        [entered_event(), ("Approved", {"learner_id": LEARNER, "student_number": "263210100001", "comment": None})],
        [entered_event(), ("Rejected", {"reason": "材料不全"})],
    ],
)
def test_approve_and_reject_only_while_awaiting_review(history):
    form = given(ApplicationForm, *history)
    refused(form, lambda f: f.approve(uuid.uuid4(), "263210100002", None), "application_form.not_awaiting_review")
    refused(form, lambda f: f.reject("不通过"), "application_form.not_awaiting_review")


def test_every_invalid_field_is_refused_at_once_each_with_its_own_message():
    with pytest.raises(InvalidInput) as info:
        Applicant.parse(applicant(mobile="123", id_number="110101", address="", prior_level="小学"), TODAY)
    errors = {e["field"]: e["message"] for e in info.value.details["errors"]}
    assert set(errors) == {"id_number", "prior_level", "mobile", "address"}
    assert all(errors.values())
    assert info.value.details["field"] == "id_number"  # the first, for clients that read one field
