"""Chinese resident ID numbers (GB 11643): shape, check digit, birth date, gender."""

from __future__ import annotations

from datetime import date

import pytest

from domains.shared.errors import InvalidInput
from domains.shared.values import ChineseIdNumber, mask_id_number
from tests.support import make_id_number

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check(body: str) -> str:
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def code_of(raw: str) -> str:
    with pytest.raises(InvalidInput) as info:
        ChineseIdNumber.parse(raw)
    return info.value.code


def test_a_well_known_valid_number_parses():
    # The textbook example of GB 11643 (check digit 4 from the weights 7,9,10,5,...).
    parsed = ChineseIdNumber.parse("11010519491231002X")
    assert parsed.value == "11010519491231002X"
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.gender == "female"  # the 17th digit, 2, is even


def test_check_digit_x_is_accepted_in_either_case_and_stored_upper_case():
    body = next(b for b in (f"32010219900315{n:03d}" for n in range(1000)) if with_check(b).endswith("X"))
    number = with_check(body)
    assert ChineseIdNumber.parse(number.lower()).value == number
    assert ChineseIdNumber.parse(f"  {number}  ").value == number


def test_the_check_digit_is_verified():
    good = make_id_number("19900315", seq=1)
    wrong_digit = "X" if good[-1] != "X" else "0"
    assert code_of(good[:-1] + wrong_digit) == "id_number.bad_check_digit"
    # The old manual's screenshot shows 320982198804263243, which fails the national check
    # (requirements/admissions.md §2.3).
    assert code_of("320982198804263243") == "id_number.bad_check_digit"


@pytest.mark.parametrize("raw", ["", "3201021990031500", "3201021990031500123", "32010219900315001A", "X20102199003150011", None])
def test_malformed_numbers_are_refused(raw):
    assert code_of(raw) == "id_number.malformed"


@pytest.mark.parametrize("birth", ["19900230", "19901301", "19900001", "20230229", "19900431"])
def test_impossible_birth_dates_are_refused_even_with_a_valid_check_digit(birth):
    assert code_of(with_check(f"320102{birth}001")) == "id_number.bad_birth_date"


def test_leap_day_is_a_birth_date():
    assert ChineseIdNumber.parse(with_check("32010220000229001")).birth_date == date(2000, 2, 29)


@pytest.mark.parametrize(("seq", "gender"), [(1, "male"), (2, "female"), (13, "male"), (24, "female")])
def test_gender_comes_from_the_17th_digit(seq, gender):
    number = make_id_number("19900315", seq=seq)
    parsed = ChineseIdNumber.parse(number)
    assert parsed.gender == gender
    assert parsed.birth_date == date(1990, 3, 15)


def test_masked_shows_only_the_first_six_and_last_four():
    number = make_id_number("19900315", seq=1)
    masked = ChineseIdNumber.parse(number).masked()
    assert masked == number[:6] + "********" + number[-4:]
    assert "19900315" not in masked
    assert mask_id_number(None) == "" and mask_id_number("12345") == "****"
