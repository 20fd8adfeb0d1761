"""The six preconditions of course selection (requirements/enrolment.md §1), as one policy.

The facts come from the curriculum context, gathered by the application layer into a
`CourseOffer`; this context never reaches into curriculum's aggregates. Every unmet condition is
reported, each with its own stable code and a message naming the course, so a screen can show
all that is missing at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from domains.shared.errors import DomainError
from domains.shared.values import require_aware

_SHANGHAI = ZoneInfo("Asia/Shanghai")
_LEVEL_LABELS = {"undergraduate": "本科", "junior_college": "专科"}


@dataclass(frozen=True)
class Window:
    """A batch holding the course, with the period that matters (selection or registration);
    half-open: the start is inside, the end is not."""

    batch_id: uuid.UUID
    batch_name: str
    starts_at: datetime
    ends_at: datetime

    def contains(self, at: datetime) -> bool:
        return self.starts_at <= at < self.ends_at

    def describe(self) -> str:
        """Shanghai time; a period of whole days is shown by its first and last day."""
        start, end = self.starts_at.astimezone(_SHANGHAI), self.ends_at.astimezone(_SHANGHAI)
        if start.time() == time() and end.time() == time():
            return f"{start.date()}至{(end - timedelta(days=1)).date()}"
        return f"{start:%Y-%m-%d %H:%M}至{end:%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class CourseOffer:
    """What the curriculum says about one course, for one learner's programme."""

    course_id: uuid.UUID
    course_name: str
    published: bool
    version_in_use: str | None
    assessment_approved: bool
    includes_final_exam: bool
    course_levels: tuple[str, ...]
    fee_standard_levels: frozenset[str]
    selection_windows: tuple[Window, ...] = ()
    exam_registration_windows: tuple[Window, ...] = ()
    in_programme: bool = True


@dataclass(frozen=True)
class UnmetCondition:
    number: int  # 1-6 as in requirements/enrolment.md §1; 0 for "not in the learner's programme" or "already selected"
    code: str
    message: str


@dataclass(frozen=True)
class Selectable:
    """The windows the selection happens in: they name the batches the enrollment belongs to."""

    selection: Window
    exam_registration: Window


class CourseNotSelectable(DomainError):
    """Carries the first unmet condition's code; `details["unmet"]` lists every one."""

    def __init__(self, unmet: list[UnmetCondition]) -> None:
        super().__init__(
            unmet[0].code,
            "；".join(u.message for u in unmet),
            unmet=[{"code": u.code, "message": u.message} for u in unmet],
        )


def _window_gap(windows: tuple[Window, ...], at: datetime, course: str, kind: str, period: str) -> str | None:
    if any(w.contains(at) for w in windows):
        return None
    if not windows:
        return f"课程“{course}”未加入{kind}"
    held = "、".join(f"“{w.batch_name}”（{period}{w.describe()}）" for w in windows)
    return f"课程“{course}”所在{kind}{held}当前不在{period}内"


def unmet_conditions(offer: CourseOffer, at: datetime) -> list[UnmetCondition]:
    require_aware(at)
    name = offer.course_name
    unmet: list[UnmetCondition] = []

    def gap(number: int, code: str, message: str | None) -> None:
        if message:
            unmet.append(UnmetCondition(number, code, message))

    gap(0, "selection.course_not_in_programme", None if offer.in_programme else f"课程“{name}”不在该学生的培养方案中")
    gap(1, "selection.course_not_published", None if offer.published else f"课程“{name}”的状态不是“已发布”")
    gap(2, "selection.no_version_in_use", None if offer.version_in_use else f"课程“{name}”没有正在使用中的课程版本")
    gap(
        3,
        "selection.assessment_not_approved",
        None if offer.assessment_approved else f"课程“{name}”没有审核通过的课程考核要求",
    )
    gap(4, "selection.not_in_selection_period", _window_gap(offer.selection_windows, at, name, "选课批次", "选课期"))
    gap(
        5,
        "selection.not_in_exam_registration_period",
        _window_gap(offer.exam_registration_windows, at, name, "考试批次", "报考期"),
    )
    missing = [lv for lv in offer.course_levels if lv not in offer.fee_standard_levels]
    if missing or not offer.course_levels:
        levels = "、".join(_LEVEL_LABELS.get(lv, lv) for lv in missing) or "未设置学历"
        gap(6, "selection.fee_standard_missing", f"课程“{name}”所属学历（{levels}）未设置考试费、学分费收费标准")
    return unmet


def already_selected(course_name: str) -> UnmetCondition:
    """A course the learner holds is not selected again (requirements/enrolment.md §2.4): refused on its own,
    or skipped by a batch selection (`not_yet_selected`)."""
    return UnmetCondition(0, "enrollment.already_selected", f"该学生已选课程“{course_name}”，不再重复选课")


def check_selectable(offer: CourseOffer, at: datetime) -> Selectable:
    """The windows to select in, or `CourseNotSelectable` listing every unmet condition."""
    unmet = unmet_conditions(offer, at)
    if unmet:
        raise CourseNotSelectable(unmet)
    selection = next(w for w in offer.selection_windows if w.contains(at))
    exam = next(w for w in offer.exam_registration_windows if w.contains(at))
    return Selectable(selection=selection, exam_registration=exam)


def not_yet_selected(requested: Iterable[uuid.UUID], already_selected: Iterable[uuid.UUID]) -> list[uuid.UUID]:
    """Batch selection skips courses a learner already chose (requirements/enrolment.md §2.4), keeping
    the order asked for and asking for each course once."""
    taken = set(already_selected)
    return [c for c in dict.fromkeys(requested) if c not in taken]
