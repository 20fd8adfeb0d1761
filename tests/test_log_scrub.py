"""The log scrubber catches mobile numbers and ID numbers however they are written."""

from __future__ import annotations

import pytest

from infrastructure.logs import scrub


@pytest.mark.parametrize(
    "text",
    [
        "call 13912345678 now", "call +8613912345678 now", "call +86 139 1234 5678 now", "call 0086-139-1234-5678 now",
        "call 8613912345678 now", "call 139-1234-5678 now",
    ],
)
def test_mobile_numbers_are_scrubbed_in_every_usual_form(text: str) -> None:
    assert scrub(text) == "call [mobile] now"


def test_id_numbers_and_nested_values_are_scrubbed_and_other_numbers_kept() -> None:
    assert scrub({"a": ["11010119900101123X", "order 20260901123456789012"]}) == {
        "a": ["[id-number]", "order 20260901123456789012"]
    }
    assert scrub("student 263210100001, slip HK2026090112345678") == "student 263210100001, slip HK2026090112345678"
