"""Use cases of school-recognised hours (requirements/training.md §4): offline activities and declarations."""

from __future__ import annotations

import datetime
import uuid

from application.common.actor import Actor
from application.common.loading import load
from application.common.ports import Clock, EventStore
from application.common.recording import recording
from application.training.learning import trainee_of
from application.training.schools import SCHOOL_ADMIN, own_school
from domains.shared.errors import InvalidInput, NotFound
from domains.shared.values import Role
from domains.training.activities import ActivityDeclaration, OfflineActivity
from domains.training.members import TrainingMember


def parse_day(raw: str | datetime.date, field: str, label: str) -> datetime.date:
    if isinstance(raw, datetime.date):
        return raw
    try:
        return datetime.date.fromisoformat(str(raw).strip())
    except ValueError:
        raise InvalidInput("date.malformed", f"{label}格式不正确（如 2026-10-12）", field=field) from None


class Activities:
    def __init__(self, store: EventStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def organise(self, actor: Actor, title: str, held_on: str | datetime.date, tenths: int) -> uuid.UUID:
        role = actor.require(SCHOOL_ADMIN)
        with recording(actor, role):
            activity = OfflineActivity.organise(
                actor.training_school_id, title, parse_day(held_on, "held_on", "活动日期"), tenths  # type: ignore[arg-type]
            )
        self.store.save(activity)
        return activity.id

    def record_participation(self, actor: Actor, activity_id: uuid.UUID, trainee_id: uuid.UUID) -> None:
        role = actor.require(SCHOOL_ADMIN)
        activity = load(self.store, activity_id, OfflineActivity, "线下活动")
        own_school(actor, activity.training_school_id, "线下活动")
        member = load(self.store, TrainingMember.create_id(trainee_id), TrainingMember, "参训教师")
        if member.role != Role.TRAINEE.value or member.training_school_id != activity.training_school_id:
            raise NotFound("not_found", "参训教师不存在或不属于本校")
        with recording(actor, role):
            activity.record_participation(trainee_id)
        self.store.save(activity)

    def declare(
        self, actor: Actor, title: str, organiser: str, held_on: str | datetime.date, tenths: int
    ) -> uuid.UUID:
        trainee_id, school_id = trainee_of(actor)
        with recording(actor, Role.TRAINEE):
            declaration = ActivityDeclaration.declare(
                trainee_id, school_id, title, organiser, parse_day(held_on, "held_on", "活动日期"), tenths,
                self.clock.today(),
            )
        self.store.save(declaration)
        return declaration.id

    def review_declaration(self, actor: Actor, declaration_id: uuid.UUID, recognise: bool, reason: str | None = None) -> None:
        role = actor.require(SCHOOL_ADMIN)
        declaration = load(self.store, declaration_id, ActivityDeclaration, "校外活动学分申报")
        own_school(actor, declaration.training_school_id, "校外活动学分申报")
        with recording(actor, role, reason):
            declaration.recognise() if recognise else declaration.reject(reason or "")
        self.store.save(declaration)
