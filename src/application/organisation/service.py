"""Use cases of organisation: the school and its teaching points (requirements/organisation.md §1)."""

from __future__ import annotations

import uuid

from application.common.actor import Actor
from application.common.loading import load
from application.common.ports import EventStore
from application.common.recording import recording
from domains.organisation.teaching_point import School, TeachingPoint, parse_code
from domains.shared.aggregate import UniqueKey, key_id
from domains.shared.errors import DomainError
from domains.shared.values import Role, require_text


class Organisation:
    def __init__(self, store: EventStore) -> None:
        self.store = store

    def register_school(self, actor: Actor, code: str, name: str) -> uuid.UUID:
        role = actor.require(Role.SYSTEM_ADMIN)
        with recording(actor, role):
            school = School(code=parse_code(code), name=require_text(name, "name", "学校名称", 60))
        self.store.save(school)
        return school.id

    def register_teaching_point(
        self,
        actor: Actor,
        code: str,
        name: str,
        address: str | None,
        recruiters: list[str] | str,
        phones: list[str] | str,
    ) -> uuid.UUID:
        role = actor.require(Role.SYSTEM_ADMIN)
        with recording(actor, role):
            point = TeachingPoint.register(code, name, address, recruiters, phones)
            if self.store.find(key_id("teaching_point_code", point.code)) is not None:
                raise DomainError("teaching_point.code_taken", f"教学点代码“{point.code}”已被使用")
            claim = UniqueKey(kind="teaching_point_code", key=point.code, owner_id=point.id)
        self.store.save(point, claim)
        return point.id

    def edit_contact_details(
        self,
        actor: Actor,
        teaching_point_id: uuid.UUID,
        address: str | None,
        recruiters: list[str] | str,
        phones: list[str] | str,
        reason: str | None = None,
    ) -> None:
        """Address, recruiters and phones: editable by the teaching point itself
        (requirements/organisation.md §1.4)."""
        role = actor.require(Role.TEACHING_POINT_ADMIN, Role.SYSTEM_ADMIN)
        actor.check_teaching_point(teaching_point_id, "教学点")
        point = self._get(teaching_point_id)
        with recording(actor, role, reason):
            point.edit_contact_details(address, recruiters, phones)
        self.store.save(point)

    def set_enabled(self, actor: Actor, teaching_point_id: uuid.UUID, enabled: bool, reason: str | None = None) -> None:
        role = actor.require(Role.SYSTEM_ADMIN)
        point = self._get(teaching_point_id)
        with recording(actor, role, reason):
            point.enable() if enabled else point.disable()
        self.store.save(point)

    def _get(self, teaching_point_id: uuid.UUID) -> TeachingPoint:
        return load(self.store, teaching_point_id, TeachingPoint, "教学点")
