"""A period between two instants, half-open: it includes its start and excludes its end.

Half-open periods chain without a gap or an overlap (a selection period ending at the instant
the next one starts), and "the last day" needs no 23:59:59 trick: a period over whole days in
Shanghai ends at 00:00 of the day after.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domains.shared.errors import InvalidInput
from domains.shared.values import require_aware

SHANGHAI = ZoneInfo("Asia/Shanghai")



@dataclass(frozen=True)
class Period:
    starts_at: datetime
    ends_at: datetime

    def __post_init__(self) -> None:
        require_aware(self.starts_at, "starts_at")
        require_aware(self.ends_at, "ends_at")
        if self.ends_at <= self.starts_at:
            raise InvalidInput("period.reversed", "结束时间须晚于开始时间", field="ends_at")

    @classmethod
    def of_days(cls, first_day: date, last_day: date) -> Period:
        """Whole days in Shanghai, both named days included."""
        if last_day < first_day:
            raise InvalidInput("period.reversed", "结束日期不能早于开始日期", field="ends_at")
        return cls(
            datetime.combine(first_day, time(), SHANGHAI),
            datetime.combine(last_day + timedelta(days=1), time(), SHANGHAI),
        )

    def contains(self, at: datetime) -> bool:
        return self.starts_at <= require_aware(at) < self.ends_at

    def describe(self) -> str:
        """For messages: Shanghai time, the end shown as the last instant people think of."""
        start = self.starts_at.astimezone(SHANGHAI)
        end = self.ends_at.astimezone(SHANGHAI)
        if start.time() == time() and end.time() == time():
            return f"{start.date()}至{(end - timedelta(days=1)).date()}"
        return f"{start:%Y-%m-%d %H:%M}至{end:%Y-%m-%d %H:%M}"


def one_month_later(at: datetime) -> datetime:
    """The same wall-clock time a calendar month later (Jan 31 -> Feb 28/29)."""
    local = at.astimezone(SHANGHAI)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)
