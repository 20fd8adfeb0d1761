"""Hours the school recognises on its own (requirements/training.md §4): offline teaching activities the school
organises, and activities outside the platform that a trainee declares (校外活动学分申报). Both
are recorded for the school's recognition and statistics and are never certificate-eligible.
"""

from __future__ import annotations

import datetime
import uuid
from enum import StrEnum

from eventsourcing.domain import event

from domains.shared.aggregate import DomainAggregate
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.values import require_text
from domains.training.resources import check_tenths

MAX_ACTIVITY_TENTHS = 500


class OfflineActivity(DomainAggregate):
    """A school's offline activity (线下教学活动) and the hours it records per trainee."""

    @event("Organised")
    def __init__(self, training_school_id: uuid.UUID, title: str, held_on: datetime.date, tenths: int) -> None:
        self.training_school_id = training_school_id
        self.title = title
        self.held_on = held_on
        self.tenths = tenths
        self.participants: set[uuid.UUID] = set()

    @classmethod
    def organise(cls, training_school_id: uuid.UUID, title: str, held_on: datetime.date, tenths: int) -> OfflineActivity:
        return cls(
            training_school_id=training_school_id, title=require_text(title, "title", "活动名称", 100),
            held_on=held_on, tenths=check_tenths(tenths, "tenths", "活动学时", MAX_ACTIVITY_TENTHS),
        )

    def record_participation(self, trainee_id: uuid.UUID) -> None:
        if trainee_id in self.participants:
            raise DomainError("offline_activity.already_recorded", "已记录该学员参加本次活动")
        self._participation_recorded(trainee_id=trainee_id, tenths=self.tenths)

    @event("ParticipationRecorded")
    def _participation_recorded(self, trainee_id: uuid.UUID, tenths: int) -> None:
        self.participants.add(trainee_id)


class DeclarationStatus(StrEnum):
    SUBMITTED = "submitted"  # 待学校审核
    RECOGNISED = "recognised"  # 学校已认定
    REJECTED = "rejected"  # 学校不予认定

    @property
    def label(self) -> str:
        return {"submitted": "待学校审核", "recognised": "学校已认定", "rejected": "不予认定"}[self.value]


class ActivityDeclaration(DomainAggregate):
    """校外活动学分申报: declared by the trainee, reviewed by the school; never on a certificate."""

    @event("Declared")
    def __init__(
        self, trainee_id: uuid.UUID, training_school_id: uuid.UUID, title: str, organiser: str,
        held_on: datetime.date, tenths: int,
    ) -> None:
        self.trainee_id = trainee_id
        self.training_school_id = training_school_id
        self.title = title
        self.organiser = organiser
        self.held_on = held_on
        self.tenths = tenths
        self.status = DeclarationStatus.SUBMITTED.value

    @classmethod
    def declare(
        cls, trainee_id: uuid.UUID, training_school_id: uuid.UUID, title: str, organiser: str,
        held_on: datetime.date, tenths: int, today: datetime.date,
    ) -> ActivityDeclaration:
        if held_on > today:
            raise InvalidInput("declaration.future_date", "活动日期不能晚于今天", field="held_on")
        return cls(
            trainee_id=trainee_id, training_school_id=training_school_id,
            title=require_text(title, "title", "活动名称", 100), organiser=require_text(organiser, "organiser", "主办单位", 100),
            held_on=held_on, tenths=check_tenths(tenths, "tenths", "申报学时", MAX_ACTIVITY_TENTHS),
        )

    @property
    def certificate_eligible(self) -> bool:
        return False  # requirements/training.md §4.2: for the school's reference and statistics only

    def _check_open(self) -> None:
        if self.status != DeclarationStatus.SUBMITTED.value:
            raise DomainError(
                "declaration.already_reviewed", f"该申报已审核（{DeclarationStatus(self.status).label}）"
            )

    def recognise(self) -> None:
        self._check_open()
        self._recognised()

    @event("Recognised")
    def _recognised(self) -> None:
        self.status = DeclarationStatus.RECOGNISED.value

    def reject(self, reason: str) -> None:
        self._check_open()
        self._rejected(reason=require_text(reason, "reason", "不予认定原因", 500))

    @event("Rejected")
    def _rejected(self, reason: str) -> None:
        self.status = DeclarationStatus.REJECTED.value
