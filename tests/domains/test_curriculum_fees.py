"""Fee standards per education level, set by finance; a course's fees (requirements/curriculum.md §4)."""

from __future__ import annotations

import pytest

from domains.curriculum.fees import CourseFees, FeeStandard, course_fees
from domains.curriculum.levels import EducationLevel
from domains.shared.errors import DomainError
from domains.shared.money import Money
from domains.shared.values import Role
from tests.domains.gwt import created, error_code, given, refused, then, when

UG, JC = EducationLevel.UNDERGRADUATE, EducationLevel.JUNIOR_COLLEGE


def standard(level, credit_fen, exam_fen):
    return given(
        FeeStandard,
        ("Set", {"level": level.value, "credit_fee_per_credit_fen": credit_fen, "exam_fee_per_course_fen": exam_fen}),
        id=FeeStandard.create_id(level.value),
    )


UG_STANDARD = standard(UG, 15900, 4000)  # 159.00 per credit, 40.00 per exam
JC_STANDARD = standard(JC, 4500, 5000)  # 45.00 per credit, 50.00 per exam


def test_finance_sets_one_standard_per_level():
    fs, events = created(lambda: FeeStandard.set(UG, Money.parse_yuan("159.00"), Money.parse_yuan("40"), Role.FINANCE))
    then(events, ("Set", {"level": "undergraduate", "credit_fee_per_credit_fen": 15900, "exam_fee_per_course_fen": 4000}))
    assert fs.id == FeeStandard.create_id("undergraduate") != FeeStandard.create_id("junior_college")


@pytest.mark.parametrize("role", [Role.ACADEMIC_AFFAIRS, Role.TEACHING_POINT_ADMIN, Role.SYSTEM_ADMIN, Role.LEARNER])
def test_only_finance_sets_or_changes_a_standard(role):
    assert error_code(lambda: FeeStandard.set(UG, Money(1), Money(1), role)) == "fee_standard.finance_only"
    refused(standard(UG, 1, 1), lambda s: s.change(Money(2), Money(2), role), "fee_standard.finance_only", kind="forbidden")


def test_a_change_is_recorded_only_when_something_changes():
    fs = standard(JC, 4500, 4000)
    assert when(fs, lambda s: s.change(Money(4500), Money(4000), Role.FINANCE)) == []
    then(
        when(fs, lambda s: s.change(Money(5000), Money(4000), Role.FINANCE)),
        ("Changed", {"credit_fee_per_credit_fen": 5000, "exam_fee_per_course_fen": 4000}),
    )
    assert fs.credit_fee_per_credit == Money(5000)


def test_a_course_pays_its_level_credit_fee_times_credits_and_one_exam_fee():
    fees = course_fees("管理会计", 40, ["undergraduate"], True, {"undergraduate": UG_STANDARD})
    assert fees == CourseFees(credit_fee=Money(63600), exam_fee=Money(4000))  # 636.00 and 40.00
    assert fees.total == Money(67600)


def test_without_a_final_exam_there_is_no_exam_fee():
    fees = course_fees("管理会计", 40, ["junior_college"], False, {"junior_college": JC_STANDARD})
    assert fees == CourseFees(credit_fee=Money(18000), exam_fee=None)  # 180.00


def test_fractional_credits_round_half_up_to_the_fen():
    odd = standard(UG, 15901, 4000)
    assert course_fees("课程", 25, ["undergraduate"], False, {"undergraduate": odd}).credit_fee == Money(39753)  # 397.525


def test_a_course_common_to_both_levels_takes_the_lower_standard_for_each_fee():
    both = {"undergraduate": UG_STANDARD, "junior_college": JC_STANDARD}
    fees = course_fees("大学英语", 40, ["undergraduate", "junior_college"], True, both)
    assert fees == CourseFees(credit_fee=Money(18000), exam_fee=Money(4000))  # JC credit fee, UG exam fee


def test_the_standard_of_the_course_level_applies_not_the_other():
    both = {"undergraduate": UG_STANDARD, "junior_college": JC_STANDARD}
    assert course_fees("管理会计", 40, ["undergraduate"], True, both).credit_fee == Money(63600)


@pytest.mark.parametrize(
    ("levels", "standards", "missing"),
    [
        (["undergraduate"], {}, "本科"),
        (["undergraduate", "junior_college"], {"undergraduate": UG_STANDARD}, "专科"),
        (["junior_college"], {"undergraduate": UG_STANDARD}, "专科"),
    ],
)
def test_a_course_without_a_standard_for_each_of_its_levels_has_no_fees(levels, standards, missing):
    with pytest.raises(DomainError) as info:
        course_fees("管理会计", 40, levels, True, standards)
    assert info.value.code == "fee_standard.missing"
    assert "管理会计" in info.value.message and f"（{missing}）" in info.value.message
