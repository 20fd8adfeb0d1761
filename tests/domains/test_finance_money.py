"""Money in integer fen."""

from __future__ import annotations

import pytest

from domains.shared.money import Money
from tests.domains.gwt import error_code


@pytest.mark.parametrize(("raw", "fen"), [("180.00", 18000), ("40", 4000), ("636.5", 63650), ("0.01", 1), (" 0 ", 0), (12, 1200)])
def test_yuan_parse_to_fen(raw, fen):
    assert Money.parse_yuan(raw) == Money(fen)


@pytest.mark.parametrize("raw", ["1.001", "-1", "abc", "", "1,000.00", "1e3", "１８０"])
def test_malformed_amounts_are_refused(raw):
    assert error_code(lambda: Money.parse_yuan(raw)) == "money.malformed"


@pytest.mark.parametrize("fen", [-1, 1.5, True, "100"])
def test_an_amount_is_a_non_negative_integer_of_fen(fen):
    assert error_code(lambda: Money(fen)) == "money.invalid"


def test_arithmetic_stays_in_fen():
    assert Money(4000) + Money(18000) == Money(22000)
    assert Money.total([Money(1), Money(2), Money(3)]) == Money(6) and Money.total([]) == Money.zero()
    assert Money(4500).times(4) == Money(18000)
    assert Money(15901).times_tenths(25) == Money(39753)  # 397.525 rounds half up
    assert Money(15900).times_tenths(40) == Money(63600)
    assert min(Money(5), Money(3)) == Money(3)


def test_amounts_show_as_yuan():
    assert Money(63600).yuan == "636.00" and Money(5).yuan == "0.05" and str(Money(4000)) == "40.00元"
