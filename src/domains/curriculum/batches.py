"""Selection batches (选课批次) and exam batches (考试批次): which courses, and when.

A course is selectable only while a selection batch holding it is in its selection period and an
exam batch holding it is in its registration period (requirements/curriculum.md §3.1, §3.2). A drop may be
requested only in the selection batch's drop period, by default from the start of selection
to one month after selection ends (requirements/curriculum.md §3.3).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from eventsourcing.domain import event

from domains.curriculum.period import Period, one_month_later
from domains.shared.aggregate import DomainAggregate
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.values import require_text


class _CourseBatch(DomainAggregate):
    """What both kinds of batch share: a code, a name and a set of courses."""

    kind_label = "批次"
    if TYPE_CHECKING:  # set by each kind's creation event; annotated at run time, the library would make this a dataclass
        name: str
        course_ids: list[uuid.UUID]

    def offers(self, course_id: uuid.UUID) -> bool:
        return course_id in self.course_ids

    def add_courses(self, course_ids: Iterable[uuid.UUID]) -> None:
        """Adding a course already in the batch changes nothing, so a form sent twice is harmless."""
        new = [c for c in dict.fromkeys(course_ids) if c not in self.course_ids]
        if new:
            self._courses_added(course_ids=new)

    @event("CoursesAdded")
    def _courses_added(self, course_ids: list[uuid.UUID]) -> None:
        self.course_ids.extend(course_ids)

    def remove_course(self, course_id: uuid.UUID) -> None:
        if not self.offers(course_id):
            raise DomainError("batch.course_not_in_batch", f"该课程不在{self.kind_label}“{self.name}”中")
        self._course_removed(course_id=course_id)

    @event("CourseRemoved")
    def _course_removed(self, course_id: uuid.UUID) -> None:
        self.course_ids.remove(course_id)


class SelectionBatch(_CourseBatch):
    kind_label = "选课批次"

    @event("Registered")
    def __init__(
        self,
        code: str,
        name: str,
        selection_starts_at: datetime,
        selection_ends_at: datetime,
        drop_starts_at: datetime,
        drop_ends_at: datetime,
        course_ids: list[uuid.UUID],
    ) -> None:
        self.code = code
        self.name = name
        self.selection_starts_at = selection_starts_at
        self.selection_ends_at = selection_ends_at
        self.drop_starts_at = drop_starts_at
        self.drop_ends_at = drop_ends_at
        self.course_ids = list(course_ids)  # a copy: the event's own list must never change

    @staticmethod
    def default_drop_period(selection: Period) -> Period:
        """"一般为选课结束后一个月内": from selection start to a month after it ends."""
        return Period(selection.starts_at, one_month_later(selection.ends_at))

    @classmethod
    def register(
        cls,
        code: str,
        name: str,
        selection: Period,
        drop: Period | None = None,
        course_ids: Iterable[uuid.UUID] = (),
    ) -> SelectionBatch:
        drop = drop or cls.default_drop_period(selection)
        cls._check_drop_fits(selection, drop)
        return cls(
            code=require_text(code, "code", "选课批次代码", 20),
            name=require_text(name, "name", "选课批次名称", 40),
            selection_starts_at=selection.starts_at,
            selection_ends_at=selection.ends_at,
            drop_starts_at=drop.starts_at,
            drop_ends_at=drop.ends_at,
            course_ids=list(dict.fromkeys(course_ids)),
        )

    @staticmethod
    def _check_drop_fits(selection: Period, drop: Period) -> None:
        # Nothing can be dropped before it can be selected.
        if drop.starts_at < selection.starts_at:
            raise InvalidInput(
                "selection_batch.drop_before_selection", "退课期不能早于选课期开始", field="drop_starts_at"
            )

    @property
    def selection_period(self) -> Period:
        return Period(self.selection_starts_at, self.selection_ends_at)

    @property
    def drop_period(self) -> Period:
        return Period(self.drop_starts_at, self.drop_ends_at)

    def change_periods(self, selection: Period, drop: Period) -> None:
        """Both periods change together: the drop period is checked against the selection period."""
        self._check_drop_fits(selection, drop)
        if (selection, drop) != (self.selection_period, self.drop_period):
            self._periods_changed(
                selection_starts_at=selection.starts_at,
                selection_ends_at=selection.ends_at,
                drop_starts_at=drop.starts_at,
                drop_ends_at=drop.ends_at,
            )

    @event("PeriodsChanged")
    def _periods_changed(
        self,
        selection_starts_at: datetime,
        selection_ends_at: datetime,
        drop_starts_at: datetime,
        drop_ends_at: datetime,
    ) -> None:
        self.selection_starts_at = selection_starts_at
        self.selection_ends_at = selection_ends_at
        self.drop_starts_at = drop_starts_at
        self.drop_ends_at = drop_ends_at

    def is_selection_open(self, at: datetime) -> bool:
        return self.selection_period.contains(at)

    def is_drop_open(self, at: datetime) -> bool:
        return self.drop_period.contains(at)

    def check_drop_open(self, course_id: uuid.UUID, course_name: str, at: datetime) -> None:
        """A drop is requested only for a course of this batch inside its drop period."""
        if not self.offers(course_id):
            raise DomainError("batch.course_not_in_batch", f"课程“{course_name}”不在选课批次“{self.name}”中")
        if not self.is_drop_open(at):
            raise DomainError(
                "selection_batch.drop_period_closed",
                f"课程“{course_name}”不在退课期内（选课批次“{self.name}”的退课期为{self.drop_period.describe()}）",
            )


class ExamBatch(_CourseBatch):
    """An exam batch with its registration period (报考期); sessions come with exam scheduling."""

    kind_label = "考试批次"

    @event("Registered")
    def __init__(
        self,
        code: str,
        name: str,
        registration_starts_at: datetime,
        registration_ends_at: datetime,
        course_ids: list[uuid.UUID],
    ) -> None:
        self.code = code
        self.name = name
        self.registration_starts_at = registration_starts_at
        self.registration_ends_at = registration_ends_at
        self.course_ids = list(course_ids)  # a copy: the event's own list must never change

    @classmethod
    def register(
        cls, code: str, name: str, registration: Period, course_ids: Iterable[uuid.UUID] = ()
    ) -> ExamBatch:
        return cls(
            code=require_text(code, "code", "考试批次代码", 20),
            name=require_text(name, "name", "考试批次名称", 40),
            registration_starts_at=registration.starts_at,
            registration_ends_at=registration.ends_at,
            course_ids=list(dict.fromkeys(course_ids)),
        )

    @property
    def registration_period(self) -> Period:
        return Period(self.registration_starts_at, self.registration_ends_at)

    def change_registration_period(self, registration: Period) -> None:
        if registration != self.registration_period:
            self._registration_period_changed(
                registration_starts_at=registration.starts_at, registration_ends_at=registration.ends_at
            )

    @event("RegistrationPeriodChanged")
    def _registration_period_changed(
        self, registration_starts_at: datetime, registration_ends_at: datetime
    ) -> None:
        self.registration_starts_at = registration_starts_at
        self.registration_ends_at = registration_ends_at

    def is_registration_open(self, at: datetime) -> bool:
        return self.registration_period.contains(at)

    def check_registration_open(self, course_id: uuid.UUID, course_name: str, at: datetime) -> None:
        """Resits are registered (补考报考) only for a course of the batch in its registration period."""
        if not self.offers(course_id):
            raise DomainError("batch.course_not_in_batch", f"课程“{course_name}”不在考试批次“{self.name}”中")
        if not self.is_registration_open(at):
            raise DomainError(
                "exam_batch.registration_closed",
                f"考试批次“{self.name}”不在报考期内（报考期为{self.registration_period.describe()}），"
                f"不能报考课程“{course_name}”",
            )
