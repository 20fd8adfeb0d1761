"""Use cases of school training platforms (学校培训平台) and the platform's administrators."""

from __future__ import annotations

import uuid

from application.common.actor import Actor
from application.common.loading import load, load_many
from application.common.ports import EventStore, PasswordHasher
from application.common.recording import recording
from domains.identity.account import Account, check_password_policy, parse_username
from domains.shared.aggregate import UniqueKey, key_id
from domains.shared.errors import DomainError, NotFound
from domains.shared.values import Role
from domains.training.members import TrainingMember
from domains.training.resources import ResourceKind, TrainingCourse
from domains.training.schools import TrainingSchool

CENTRE = Role.TRAINING_CENTRE_ADMIN
SCHOOL_ADMIN = Role.TRAINING_SCHOOL_ADMIN


def own_school(actor: Actor, school_id: uuid.UUID | None, what: str = "学校培训平台") -> None:
    """A school administrator acts for their own school only; the centre for every school."""
    if actor.has(CENTRE):
        return
    if school_id is None or school_id != actor.training_school_id:
        raise NotFound("not_found", f"{what}不存在或不属于您的学校")


class TrainingSchools:
    def __init__(self, store: EventStore, hasher: PasswordHasher) -> None:
        self.store = store
        self.hasher = hasher

    def register_school(self, actor: Actor, name: str, campus_ranges: list[str] | str) -> uuid.UUID:
        role = actor.require(CENTRE)
        with recording(actor, role):
            school = TrainingSchool.register(name, campus_ranges)
            claim = UniqueKey(kind="training_school_name", key=school.name, owner_id=school.id)
        if self.store.find(claim.id) is not None:
            raise DomainError("training_school.name_taken", f"学校培训平台“{school.name}”已存在")
        self.store.save(school, claim)
        return school.id

    def edit_school(self, actor: Actor, school_id: uuid.UUID, name: str, campus_ranges: list[str] | str) -> None:
        role = actor.require(CENTRE)
        school = load(self.store, school_id, TrainingSchool, "学校培训平台")
        old_name = school.name
        with recording(actor, role):
            school.edit(name, campus_ranges)
            claim = UniqueKey(kind="training_school_name", key=school.name, owner_id=school.id) \
                if school.name != old_name else None
        if claim is not None and self.store.find(claim.id) is not None:
            raise DomainError("training_school.name_taken", f"学校培训平台“{school.name}”已存在")
        self.store.save(school, *([claim] if claim else []))

    def set_training_list(self, actor: Actor, school_id: uuid.UUID, course_ids: list[uuid.UUID]) -> None:
        """培训课单: courses the school presets for one-click sign-up (centre, ideology or its own)."""
        role = actor.require(SCHOOL_ADMIN, CENTRE)
        own_school(actor, school_id)
        school = load(self.store, school_id, TrainingSchool, "学校培训平台")
        for course in load_many(self.store, list(course_ids), TrainingCourse, "课程"):
            if course.resource_kind is ResourceKind.SCHOOL and course.training_school_id != school_id:
                raise NotFound("not_found", "课程不存在或不属于您的学校")
        with recording(actor, role):
            school.set_training_list(course_ids)
        self.store.save(school)

    def appoint_admin(
        self, actor: Actor, *, role_name: str, school_id: uuid.UUID | None, username: str, name: str,
        password: str, confirm_password: str,
    ) -> uuid.UUID:
        """The system administrator appoints the centre's administrators; the centre appoints each
        school's administrators (校级管理员)."""
        target = Role.TRAINING_CENTRE_ADMIN if role_name == CENTRE.value else SCHOOL_ADMIN
        acting_role = actor.require(Role.SYSTEM_ADMIN) if target is CENTRE else actor.require(CENTRE)
        if target is SCHOOL_ADMIN:
            if school_id is None:
                raise NotFound("not_found", "学校培训平台不存在")
            load(self.store, school_id, TrainingSchool, "学校培训平台")
        else:
            school_id = None
        check_password_policy(password, confirm_password)
        username = parse_username(username)
        if self.store.find(key_id("username", username)) is not None:
            raise DomainError("account.username_taken", f"用户名“{username}”已被使用")
        with recording(actor, acting_role):
            account = Account.register_training_member(
                username=username, name=name, role=target, password_hash=self.hasher.hash(password)
            )
            claim = UniqueKey(kind="username", key=username, owner_id=account.id)
            member = TrainingMember.administrator(account.id, target, school_id)
        self.store.save(account, claim, member)
        return account.id
