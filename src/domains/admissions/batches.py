"""Study batches (学习批次), admission batches (招生批次) and training programmes (培养方案)."""

from __future__ import annotations

import uuid
from datetime import date

from eventsourcing.domain import event

from domains.shared.aggregate import DomainAggregate
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.values import require_text


def parse_date(raw: str | date | None, field: str, label: str) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        raise InvalidInput("date.malformed", f"{label}须为日期（YYYY-MM-DD）", field=field) from None


class StudyBatch(DomainAggregate):
    """A cohort by start term, e.g. 2026秋 (requirements/admissions.md §2.1)."""

    @event("Registered")
    def __init__(self, code: str, name: str) -> None:
        self.code = code
        self.name = name

    @classmethod
    def register(cls, code: str, name: str) -> StudyBatch:
        return cls(
            code=require_text(code, "code", "学习批次代码", 20),
            name=require_text(name, "name", "学习批次名称", 40),
        )


class AdmissionBatch(DomainAggregate):
    """An admission round of a study batch with its admission period (招生期)."""

    @event("Registered")
    def __init__(
        self, code: str, name: str, study_batch_id: uuid.UUID, opens_on: str, closes_on: str
    ) -> None:
        self.code = code
        self.name = name
        self.study_batch_id = study_batch_id
        self.opens_on = opens_on
        self.closes_on = closes_on

    @classmethod
    def register(
        cls, code: str, name: str, study_batch_id: uuid.UUID, opens_on: object, closes_on: object
    ) -> AdmissionBatch:
        start = parse_date(opens_on, "opens_on", "招生开始日期")  # type: ignore[arg-type]
        end = parse_date(closes_on, "closes_on", "招生结束日期")  # type: ignore[arg-type]
        if end < start:
            raise InvalidInput("admission_batch.period_reversed", "招生结束日期不能早于开始日期", field="closes_on")
        return cls(
            code=require_text(code, "code", "招生批次代码", 20),
            name=require_text(name, "name", "招生批次名称", 40),
            study_batch_id=study_batch_id,
            opens_on=start.isoformat(),
            closes_on=end.isoformat(),
        )

    def change_period(self, opens_on: object, closes_on: object) -> None:
        start = parse_date(opens_on, "opens_on", "招生开始日期")  # type: ignore[arg-type]
        end = parse_date(closes_on, "closes_on", "招生结束日期")  # type: ignore[arg-type]
        if end < start:
            raise InvalidInput("admission_batch.period_reversed", "招生结束日期不能早于开始日期", field="closes_on")
        self._period_changed(opens_on=start.isoformat(), closes_on=end.isoformat())

    @event("PeriodChanged")
    def _period_changed(self, opens_on: str, closes_on: str) -> None:
        self.opens_on = opens_on
        self.closes_on = closes_on

    def is_open_on(self, today: date) -> bool:
        return date.fromisoformat(self.opens_on) <= today <= date.fromisoformat(self.closes_on)

    def check_open(self, today: date) -> None:
        """Forms are entered only inside the admission period (requirements/admissions.md §2.1)."""
        if not self.is_open_on(today):
            raise DomainError(
                "admission.period_closed",
                f"招生批次“{self.name}”的招生期为{self.opens_on}至{self.closes_on}，当前不在招生期内",
            )


LEVELS = ("高起专", "专升本", "高起本")


class TrainingProgramme(DomainAggregate):
    """The five elements (level, learner type, learner source, major, length of schooling)
    identify exactly one programme (requirements/admissions.md §1.3)."""

    @staticmethod
    def natural_key(
        level: str, learner_type: str, learner_source: str, major: str, length_of_schooling: str
    ) -> str:
        return f"{level}|{learner_type}|{learner_source}|{major}|{length_of_schooling}"

    @event("Registered")
    def __init__(
        self,
        code: str,
        level: str,
        learner_type: str,
        learner_source: str,
        major: str,
        length_of_schooling: str,
        teaching_point_ids: list[uuid.UUID],
    ) -> None:
        self.code = code
        self.level = level
        self.learner_type = learner_type
        self.learner_source = learner_source
        self.major = major
        self.length_of_schooling = length_of_schooling
        self.teaching_point_ids = teaching_point_ids

    @classmethod
    def register(
        cls,
        code: str,
        level: str,
        learner_type: str,
        learner_source: str,
        major: str,
        length_of_schooling: str,
        teaching_point_ids: list[uuid.UUID],
    ) -> TrainingProgramme:
        if level not in LEVELS:
            raise InvalidInput("programme.level_invalid", f"层次须为{'、'.join(LEVELS)}之一", field="level")
        return cls(
            code=require_text(code, "code", "培养方案代码", 30),
            level=level,
            learner_type=require_text(learner_type, "learner_type", "学生类型", 20),
            learner_source=require_text(learner_source, "learner_source", "学生来源", 20),
            major=require_text(major, "major", "专业", 40),
            length_of_schooling=require_text(length_of_schooling, "length_of_schooling", "学制", 10),
            teaching_point_ids=list(dict.fromkeys(teaching_point_ids)),
        )

    @property
    def key(self) -> str:
        return self.natural_key(
            self.level, self.learner_type, self.learner_source, self.major, self.length_of_schooling
        )

    def offer_at(self, teaching_point_ids: list[uuid.UUID]) -> None:
        self._offered_at(teaching_point_ids=list(dict.fromkeys(teaching_point_ids)))

    @event("TeachingPointsSet")
    def _offered_at(self, teaching_point_ids: list[uuid.UUID]) -> None:
        self.teaching_point_ids = teaching_point_ids

    def check_offered_at(self, teaching_point_id: uuid.UUID) -> None:
        if teaching_point_id not in self.teaching_point_ids:
            raise DomainError(
                "programme.not_offered",
                f"培养方案“{self.level}{self.major}（{self.length_of_schooling}）”未在该教学点开设",
            )
