"""Money in integer fen (分): no float ever touches an amount, so totals add up to the fen."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from domains.shared.errors import InvalidInput

_YUAN = re.compile(r"^(\d{1,9})(?:\.(\d{1,2}))?$", re.ASCII)  # ASCII: "１８０" is not an amount


@dataclass(frozen=True, order=True)
class Money:
    """A non-negative amount in fen; events carry the plain `fen` integer."""

    fen: int

    def __post_init__(self) -> None:
        # bool is an int subclass; True fen is a bug, not an amount.
        if not isinstance(self.fen, int) or isinstance(self.fen, bool) or self.fen < 0:
            raise InvalidInput("money.invalid", "金额须为非负整数（分）", field="amount")

    @classmethod
    def zero(cls) -> Money:
        return cls(0)

    @classmethod
    def parse_yuan(cls, raw: str | int, field: str = "amount") -> Money:
        """"180.00", "40", "0.5" -> fen. At most two decimals: a fraction of a fen is refused."""
        text = str(raw).strip()
        match = _YUAN.match(text)
        if not match:
            raise InvalidInput("money.malformed", "金额须为元，最多两位小数，如 180.00", field=field)
        fraction = (match.group(2) or "").ljust(2, "0")
        return cls(int(match.group(1)) * 100 + int(fraction))

    @classmethod
    def total(cls, amounts: Iterable[Money]) -> Money:
        return cls(sum(a.fen for a in amounts))

    def __add__(self, other: Money) -> Money:
        return Money(self.fen + other.fen)

    def times(self, count: int) -> Money:
        return Money(self.fen * count)

    def times_tenths(self, tenths: int) -> Money:
        """This amount per unit times a quantity in tenths (2.5 credits = 25), rounded half up
        to the fen, so a fee per credit applies to fractional credits without floats."""
        return Money((self.fen * tenths + 5) // 10)

    @property
    def yuan(self) -> str:
        return f"{self.fen // 100}.{self.fen % 100:02d}"

    def __str__(self) -> str:
        return f"{self.yuan}元"
