"""Fee standards (收费标准) per education level, set by school finance, and the fees of a course.

requirements/curriculum.md §4: bills follow the credit-fee and exam-fee standards, set separately for 本科 and
专科, chosen by the level the *course* belongs to; a course common to both levels takes the lower
standard. We compare per fee, because credit fee and exam fee are separate bills: each bill
carries the lower of the two levels' amounts.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from eventsourcing.domain import event

from domains.curriculum.levels import EducationLevel, labels
from domains.shared.aggregate import DomainAggregate, key_id
from domains.shared.errors import DomainError, Forbidden
from domains.shared.money import Money
from domains.shared.values import Role


def _check_finance(role: Role) -> None:
    if role is not Role.FINANCE:
        raise Forbidden("fee_standard.finance_only", "收费标准只能由学校财务设置")


class FeeStandard(DomainAggregate):
    """One per education level, found by the level alone."""

    @staticmethod
    def create_id(level: str) -> uuid.UUID:
        return key_id("fee_standard", level)

    @event("Set")
    def __init__(self, level: str, credit_fee_per_credit_fen: int, exam_fee_per_course_fen: int) -> None:
        self.level = level
        self.credit_fee_per_credit_fen = credit_fee_per_credit_fen
        self.exam_fee_per_course_fen = exam_fee_per_course_fen

    @classmethod
    def set(
        cls, level: EducationLevel, credit_fee_per_credit: Money, exam_fee_per_course: Money, role: Role
    ) -> FeeStandard:
        _check_finance(role)
        return cls(
            level=EducationLevel(level).value,
            credit_fee_per_credit_fen=credit_fee_per_credit.fen,
            exam_fee_per_course_fen=exam_fee_per_course.fen,
        )

    def change(self, credit_fee_per_credit: Money, exam_fee_per_course: Money, role: Role) -> None:
        """Applies to bills issued from now on; bills already issued keep their amounts."""
        _check_finance(role)
        if (credit_fee_per_credit, exam_fee_per_course) != (self.credit_fee_per_credit, self.exam_fee_per_course):
            self._changed(
                credit_fee_per_credit_fen=credit_fee_per_credit.fen,
                exam_fee_per_course_fen=exam_fee_per_course.fen,
            )

    @event("Changed")
    def _changed(self, credit_fee_per_credit_fen: int, exam_fee_per_course_fen: int) -> None:
        self.credit_fee_per_credit_fen = credit_fee_per_credit_fen
        self.exam_fee_per_course_fen = exam_fee_per_course_fen

    @property
    def credit_fee_per_credit(self) -> Money:
        return Money(self.credit_fee_per_credit_fen)

    @property
    def exam_fee_per_course(self) -> Money:
        return Money(self.exam_fee_per_course_fen)


@dataclass(frozen=True)
class CourseFees:
    """What selecting one course costs: a credit fee, and an exam fee when it has a final exam."""

    credit_fee: Money
    exam_fee: Money | None

    @property
    def total(self) -> Money:
        return self.credit_fee + (self.exam_fee or Money.zero())


def missing_levels(course_levels: Sequence[str], standards: Mapping[str, FeeStandard]) -> list[str]:
    return [level for level in course_levels if level not in standards]


def course_fees(
    course_name: str,
    credit_tenths: int,
    course_levels: Sequence[str],
    includes_final_exam: bool,
    standards: Mapping[str, FeeStandard],
) -> CourseFees:
    """The fees of one course. Every level the course belongs to needs its standard, else the
    "lower of the two" could not be told (requirements/curriculum.md §4.3)."""
    missing = missing_levels(course_levels, standards)
    if missing or not course_levels:
        raise DomainError(
            "fee_standard.missing",
            f"课程“{course_name}”所属学历（{labels(missing)}）未设置考试费、学分费收费标准",
        )
    chosen = [standards[level] for level in course_levels]
    return CourseFees(
        credit_fee=min(s.credit_fee_per_credit.times_tenths(credit_tenths) for s in chosen),
        exam_fee=min(s.exam_fee_per_course for s in chosen) if includes_final_exam else None,
    )
