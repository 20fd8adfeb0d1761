"""The roster filters of requirements/common.md §2.1 (学习批次, 层次, 学生类型, 学生来源, 专业,
学制, 教学点, 学号, 姓名, status), applied the same way to every roster-like list."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import Select, Table

from application.admissions.projection import programmes


@dataclass(frozen=True)
class RosterFilter:
    study_batch_id: uuid.UUID | None = None
    level: str | None = None
    learner_type: str | None = None
    learner_source: str | None = None
    major: str | None = None
    length_of_schooling: str | None = None
    teaching_point_id: uuid.UUID | None = None
    student_number: str | None = None
    name: str | None = None
    status: str | None = None

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> RosterFilter:
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = params.get(f.name)
            if raw in (None, ""):
                continue
            if f.name.endswith("_id"):
                try:
                    values[f.name] = uuid.UUID(str(raw))
                except ValueError:
                    continue
            else:
                values[f.name] = str(raw).strip()
        return cls(**values)

    def apply(self, query: Select[Any], table: Table) -> Select[Any]:
        """`table` must have study_batch_id, teaching_point_id, name, status; the query must
        join `rm_programmes` for the five programme elements."""
        if self.study_batch_id:
            query = query.where(table.c.study_batch_id == self.study_batch_id)
        for element in ("level", "learner_type", "learner_source", "major", "length_of_schooling"):
            value = getattr(self, element)
            if value:
                query = query.where(programmes.c[element] == value)
        if self.teaching_point_id:
            query = query.where(table.c.teaching_point_id == self.teaching_point_id)
        if self.student_number and "student_number" in table.c:
            query = query.where(table.c.student_number.startswith(self.student_number))
        if self.name:
            query = query.where(table.c.name.contains(self.name))
        if self.status:
            query = query.where(table.c.status == self.status)
        return query
