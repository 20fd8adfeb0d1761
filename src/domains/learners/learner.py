"""The Learner (学生) born from an approved application form, and student numbers (学号)."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from eventsourcing.domain import event

from domains.shared.aggregate import DomainAggregate, key_id
from domains.shared.errors import InvalidInput


class LearnerStatus(StrEnum):
    ENROLLED = "enrolled"  # 在籍
    WITHDRAWN = "withdrawn"  # 已退学

    @property
    def label(self) -> str:
        return {"enrolled": "在籍", "withdrawn": "已退学"}[self.value]


class Learner(DomainAggregate):
    @event("Admitted")
    def __init__(
        self,
        student_number: str,
        application_form_id: uuid.UUID,
        teaching_point_id: uuid.UUID,
        programme_id: uuid.UUID,
        study_batch_id: uuid.UUID,
        admission_batch_id: uuid.UUID,
        personal: dict[str, Any],
    ) -> None:
        self.student_number = student_number
        self.application_form_id = application_form_id
        self.teaching_point_id = teaching_point_id
        self.programme_id = programme_id
        self.study_batch_id = study_batch_id
        self.admission_batch_id = admission_batch_id
        self.personal = personal
        self.status = LearnerStatus.ENROLLED.value

    @property
    def may_study(self) -> bool:
        return self.status == LearnerStatus.ENROLLED.value


DEFAULT_PATTERN = "{year2}{school}{teaching_point}{seq:05d}"


class StudentNumberSequence(DomainAggregate):
    """Issues student numbers for one (year, teaching point); a number is never reused.

    Numbers come from a configurable pattern of year, school code, teaching-point code and a
    sequence. Issuing a block of numbers is one event, so a batch approval stays one write.
    """

    @staticmethod
    def create_id(year: int, teaching_point_code: str) -> uuid.UUID:
        return key_id("student_number_sequence", f"{year}:{teaching_point_code}")

    @event("Started")
    def __init__(self, year: int, teaching_point_code: str, school_code: str, pattern: str) -> None:
        self.year = year
        self.teaching_point_code = teaching_point_code
        self.school_code = school_code
        self.pattern = pattern
        self.last = 0

    @classmethod
    def start(
        cls, year: int, teaching_point_code: str, school_code: str, pattern: str = DEFAULT_PATTERN
    ) -> StudentNumberSequence:
        try:
            pattern.format(year=year, year2=year % 100, school=school_code, teaching_point="", seq=1)
        except (KeyError, IndexError, ValueError) as exc:
            raise InvalidInput("student_number.pattern_invalid", f"学号格式无效：{exc}") from None
        return cls(year=year, teaching_point_code=teaching_point_code, school_code=school_code, pattern=pattern)

    def issue(self, count: int = 1) -> list[str]:
        if count < 1:
            raise InvalidInput("student_number.count_invalid", "学号数量须大于0")
        first = self.last + 1
        self._issued(first=first, count=count)
        return [self.format(n) for n in range(first, first + count)]

    @event("Issued")
    def _issued(self, first: int, count: int) -> None:
        self.last = first + count - 1

    def format(self, seq: int) -> str:
        return self.pattern.format(
            year=self.year,
            year2=self.year % 100,
            school=self.school_code,
            teaching_point=self.teaching_point_code,
            seq=seq,
        )
