"""Use cases of identity: staff accounts, personal settings, learner accounts (requirements/identity.md)."""

from __future__ import annotations

import uuid
from typing import Any

from application.common.actor import Actor
from application.common.loading import load
from application.common.ports import EventStore, FileStore, PasswordHasher
from application.common.recording import recording
from domains.identity.account import Account, AccountKind, check_password_policy, parse_username
from domains.learners.learner import Learner
from domains.organisation.teaching_point import TeachingPoint
from domains.shared.aggregate import UniqueKey, key_id
from domains.shared.errors import DomainError, Forbidden, InvalidInput, NotFound
from domains.shared.values import TEACHING_POINT_ROLES, ChineseIdNumber, Role, parse_roles

AVATAR_TYPES = frozenset({"image/png", "image/jpeg"})
AVATAR_MAX_BYTES = 2 * 1024 * 1024


class Identity:
    def __init__(self, store: EventStore, hasher: PasswordHasher, files: FileStore) -> None:
        self.store = store
        self.hasher = hasher
        self.files = files

    def register_staff(
        self,
        actor: Actor,
        *,
        username: str,
        name: str,
        roles: list[str],
        password: str,
        confirm_password: str,
        teaching_point_id: uuid.UUID | None,
        kind: str = AccountKind.UNIFIED_IDENTITY.value,
        position: str | None = None,
        gender: str | None = None,
        id_number: str | None = None,
        mobile: str | None = None,
        email: str | None = None,
    ) -> uuid.UUID:
        """A teaching point's administrator adds users of that teaching point with
        teaching-point roles; the system administrator adds anyone (requirements/identity.md §3.1)."""
        role = actor.require(Role.SYSTEM_ADMIN, Role.TEACHING_POINT_ADMIN)
        parsed_roles = parse_roles(roles)
        if role is Role.TEACHING_POINT_ADMIN:
            teaching_point_id = actor.teaching_point_id
            if any(r not in TEACHING_POINT_ROLES for r in parsed_roles):
                raise Forbidden("account.role_beyond_scope", "教学点管理员只能分配教学点角色")
        if teaching_point_id is not None:
            load(self.store, teaching_point_id, TeachingPoint, "教学点")
        try:
            account_kind = AccountKind(kind)
        except ValueError:
            raise InvalidInput("account.kind_invalid", "账号类型须为统一身份认证账号或本地账号", field="kind") from None
        if account_kind is AccountKind.LOCAL and Role.SYSTEM_ADMIN not in parsed_roles:
            raise InvalidInput("account.local_for_admins", "本地账号仅供系统管理员使用", field="kind")
        check_password_policy(password, confirm_password)
        username = parse_username(username)
        self._check_username_free(username)
        with recording(actor, role):
            account = Account.register_staff(
                username=username,
                name=name,
                roles=parsed_roles,
                password_hash=self.hasher.hash(password),
                teaching_point_id=teaching_point_id,
                kind=account_kind,
                gender=gender,
                id_number=id_number,
                mobile=mobile,
                email=email,
                position=position,
            )
            claim = UniqueKey(kind="username", key=username, owner_id=account.id)
        self.store.save(account, claim)
        return account.id

    def _check_username_free(self, username: str) -> None:
        if self.store.find(key_id("username", username)) is not None:
            raise DomainError("account.username_taken", f"用户名“{username}”已被使用")

    def _managed_account(self, actor: Actor, account_id: uuid.UUID) -> tuple[Role, Account]:
        role = actor.require(Role.SYSTEM_ADMIN, Role.TEACHING_POINT_ADMIN)
        account = load(self.store, account_id, Account, "用户")
        if role is Role.TEACHING_POINT_ADMIN and (
            account.teaching_point_id != actor.teaching_point_id or Role.LEARNER.value in account.roles
        ):
            raise NotFound("not_found", "用户不存在或不属于您的教学点")
        return role, account

    def edit_staff(
        self, actor: Actor, account_id: uuid.UUID, position: str | None, roles: list[str], reason: str | None = None
    ) -> None:
        role, account = self._managed_account(actor, account_id)
        parsed = parse_roles(roles)
        if role is Role.TEACHING_POINT_ADMIN and any(r not in TEACHING_POINT_ROLES for r in parsed):
            raise Forbidden("account.role_beyond_scope", "教学点管理员只能分配教学点角色")
        with recording(actor, role, reason):
            account.edit_staff_details(position, parsed)
        self.store.save(account)

    def set_enabled(self, actor: Actor, account_id: uuid.UUID, enabled: bool, reason: str | None = None) -> None:
        role, account = self._managed_account(actor, account_id)
        if account.id == actor.user_id:
            raise DomainError("account.self_status", "不能停用或启用自己的账号")
        with recording(actor, role, reason):
            account.enable() if enabled else account.disable()
        self.store.save(account)

    def delete(self, actor: Actor, account_id: uuid.UUID, reason: str | None = None) -> None:
        role, account = self._managed_account(actor, account_id)
        if account.id == actor.user_id:
            raise DomainError("account.self_delete", "不能删除自己的账号")
        with recording(actor, role, reason):
            account.delete()
        self.store.save(account)

    def reset_password(
        self, actor: Actor, account_id: uuid.UUID, password: str, confirm_password: str
    ) -> None:
        role, account = self._managed_account(actor, account_id)
        check_password_policy(password, confirm_password)
        with recording(actor, role, "管理员重置密码"):
            account.change_password(self.hasher.hash(password))
        self.store.save(account)

    # -- the actor's own account -------------------------------------------------------------

    def _own(self, actor: Actor) -> Account:
        if actor.user_id is None:
            raise Forbidden("auth.required", "请先登录")
        return load(self.store, actor.user_id, Account, "用户")

    def edit_personal_info(
        self,
        actor: Actor,
        *,
        name: str,
        gender: str | None,
        id_number: str | None,
        mobile: str | None,
        email: str | None,
    ) -> None:
        account = self._own(actor)
        role = next(iter(sorted(actor.roles)), Role.LEARNER)
        with recording(actor, role):
            account.edit_personal_info(name, gender, id_number, mobile, email)
        self.store.save(account)

    def change_avatar(self, actor: Actor, content: bytes) -> str:
        """requirements/identity.md §2.3: the uploaded picture replaces the default avatar at once."""
        account = self._own(actor)
        ref, content_type = self.files.put(content, AVATAR_TYPES, AVATAR_MAX_BYTES, "头像")
        role = next(iter(sorted(actor.roles)), Role.LEARNER)
        with recording(actor, role):
            account.change_avatar(ref, content_type)
        self.store.save(account)
        return ref

    def change_password(self, actor: Actor, current_password: str, new_password: str, confirm_password: str) -> None:
        account = self._own(actor)
        if not self.hasher.verify(account.password_hash, current_password or ""):
            raise InvalidInput("password.current_wrong", "当前密码不正确", field="current_password")
        check_password_policy(new_password, confirm_password)
        role = next(iter(sorted(actor.roles)), Role.LEARNER)
        with recording(actor, role):
            account.change_password(self.hasher.hash(new_password))
        self.store.save(account)

    # -- learners -----------------------------------------------------------------------------

    def activate_learner_account(
        self, student_number: str, id_number: str, password: str, confirm_password: str
    ) -> uuid.UUID:
        """A learner with a student number opens the portal account: the student number and the
        ID number on file must match; the learner then chooses the password."""
        refused = InvalidInput("learner_account.no_match", "学号与身份证号码不匹配", field="student_number")
        try:
            parsed = ChineseIdNumber.parse(id_number)
        except InvalidInput:
            raise refused from None
        claim = self.store.find(key_id("learner_id_number", parsed.value))
        learner = self.store.find(claim.owner_id) if claim is not None else None
        if (
            not isinstance(learner, Learner)
            or learner.student_number != (student_number or "").strip()
            or learner.personal.get("id_number") != parsed.value  # an ID number since changed by review
        ):
            raise refused
        check_password_policy(password, confirm_password)
        if self.store.find(key_id("username", learner.student_number)) is not None:
            raise DomainError("learner_account.already_active", "该学号的账号已开通，请直接登录")
        learner_actor = Actor(
            user_id=None, username=learner.student_number, name=learner.personal["name"],
            roles=frozenset({Role.LEARNER}), teaching_point_id=learner.teaching_point_id, learner_id=learner.id,
        )
        with recording(learner_actor, Role.LEARNER, "学生开通账号"):
            account = Account.register_learner(
                student_number=learner.student_number,
                name=learner.personal["name"],
                learner_id=learner.id,
                teaching_point_id=learner.teaching_point_id,
                password_hash=self.hasher.hash(password),
                mobile=learner.personal.get("mobile"),
            )
            key = UniqueKey(kind="username", key=learner.student_number, owner_id=account.id)
        self.store.save(account, key)
        return account.id


def public_account(row: dict[str, Any]) -> dict[str, Any]:
    """An account row without its password hash."""
    return {k: v for k, v in row.items() if k != "password_hash"}
