"""Staff and learner accounts (requirements/identity.md §1.1, §2, §3).

The password itself never enters the domain: the application checks the policy on the
plain text, hashes it, and the account records only the hash.
"""

from __future__ import annotations

import re
import uuid
from enum import StrEnum

from eventsourcing.domain import event

from domains.shared.aggregate import DomainAggregate
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.values import (
    TEACHING_POINT_ROLES,
    TRAINING_ROLES,
    ChineseIdNumber,
    Gender,
    Role,
    parse_email,
    parse_mobile,
    require_text,
)

_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,32}$")
_PASSWORD = re.compile(r"^[A-Za-z0-9]{6,18}$")


class AccountKind(StrEnum):
    UNIFIED_IDENTITY = "unified_identity"  # 统一身份认证账号
    LOCAL = "local"  # 本地账号（系统管理员专用）
    TRAINING = "training"  # 教师培训平台账号（参训教师、校级管理员、网培中心管理员）


class AccountStatus(StrEnum):
    ENABLED = "enabled"  # 启用
    DISABLED = "disabled"  # 停用
    DELETED = "deleted"  # 已删除


def parse_username(raw: str) -> str:
    text = (raw or "").strip()
    if not _USERNAME.match(text):
        raise InvalidInput(
            "username.malformed", "用户名须为3-32位字母、数字、下划线、点或连字符", field="username"
        )
    return text


def check_password_policy(new_password: str, confirmation: str) -> None:
    """requirements/identity.md §2.2: 6-18 letters or digits, typed twice and equal."""
    if not _PASSWORD.fullmatch(new_password or ""):  # fullmatch: "$" would accept a trailing newline
        raise InvalidInput("password.policy", "密码须由6~18位字母或数字组成", field="new_password")
    if new_password != confirmation:
        raise InvalidInput("password.mismatch", "两次输入的新密码不一致", field="confirm_password")


class Account(DomainAggregate):
    @event("Registered")
    def __init__(
        self,
        kind: str,
        username: str,
        name: str,
        gender: str | None,
        id_number: str | None,
        mobile: str | None,
        email: str | None,
        teaching_point_id: uuid.UUID | None,
        position: str | None,
        roles: list[str],
        password_hash: str,
        learner_id: uuid.UUID | None,
    ) -> None:
        self.kind = kind
        self.username = username
        self.name = name
        self.gender = gender
        self.id_number = id_number
        self.mobile = mobile
        self.email = email
        self.teaching_point_id = teaching_point_id
        self.position = position
        self.roles = roles
        self.password_hash = password_hash
        self.learner_id = learner_id
        self.status = AccountStatus.ENABLED.value
        self.avatar_ref: str | None = None  # None: the default avatar is shown

    @classmethod
    def register_staff(
        cls,
        *,
        username: str,
        name: str,
        roles: list[Role],
        password_hash: str,
        teaching_point_id: uuid.UUID | None,
        kind: AccountKind = AccountKind.UNIFIED_IDENTITY,
        gender: str | None = None,
        id_number: str | None = None,
        mobile: str | None = None,
        email: str | None = None,
        position: str | None = None,
    ) -> Account:
        check_roles_fit_teaching_point(roles, teaching_point_id)
        if Role.LEARNER in roles:
            raise InvalidInput("roles.learner_not_staff", "学生账号不能作为教职工账号创建", field="roles")
        return cls(
            kind=kind.value,
            username=parse_username(username),
            name=require_text(name, "name", "姓名", 30),
            gender=Gender.parse(gender).value if gender else None,
            id_number=ChineseIdNumber.parse(id_number).value if id_number else None,
            mobile=parse_mobile(mobile) if mobile else None,
            email=parse_email(email),
            teaching_point_id=teaching_point_id,
            position=(position or "").strip() or None,
            roles=[r.value for r in roles],
            password_hash=password_hash,
            learner_id=None,
        )

    @classmethod
    def register_learner(
        cls,
        *,
        student_number: str,
        name: str,
        learner_id: uuid.UUID,
        teaching_point_id: uuid.UUID,
        password_hash: str,
        mobile: str | None,
    ) -> Account:
        return cls(
            kind=AccountKind.LOCAL.value,
            username=student_number,
            name=name,
            gender=None,
            id_number=None,
            mobile=mobile,
            email=None,
            teaching_point_id=teaching_point_id,
            position=None,
            roles=[Role.LEARNER.value],
            password_hash=password_hash,
            learner_id=learner_id,
        )

    @classmethod
    def register_training_member(
        cls, *, username: str, name: str, role: Role, password_hash: str, mobile: str | None = None
    ) -> Account:
        """A trainee teacher or a training administrator: an account of the training platform,
        outside every teaching point."""
        if role not in TRAINING_ROLES:
            raise InvalidInput("roles.invalid", f"未知的培训平台角色：{role}", field="roles")
        return cls(
            kind=AccountKind.TRAINING.value,
            username=parse_username(username),
            name=require_text(name, "name", "姓名", 30),
            gender=None,
            id_number=None,
            mobile=parse_mobile(mobile) if mobile else None,
            email=None,
            teaching_point_id=None,
            position=None,
            roles=[role.value],
            password_hash=password_hash,
            learner_id=None,
        )

    @property
    def is_active(self) -> bool:
        return self.status == AccountStatus.ENABLED.value

    def check_not_deleted(self) -> None:
        if self.status == AccountStatus.DELETED.value:
            raise DomainError("account.deleted", "该用户已删除")

    def edit_personal_info(
        self,
        name: str,
        gender: str | None,
        id_number: str | None,
        mobile: str | None,
        email: str | None,
    ) -> None:
        """Only name, gender, ID number, mobile and email are editable (requirements/identity.md §2.1)."""
        self.check_not_deleted()
        self._personal_info_edited(
            name=require_text(name, "name", "姓名", 30),
            gender=Gender.parse(gender).value if gender else None,
            id_number=ChineseIdNumber.parse(id_number).value if id_number else None,
            mobile=parse_mobile(mobile) if mobile else None,
            email=parse_email(email),
        )

    @event("PersonalInfoEdited")
    def _personal_info_edited(
        self,
        name: str,
        gender: str | None,
        id_number: str | None,
        mobile: str | None,
        email: str | None,
    ) -> None:
        self.name = name
        self.gender = gender
        self.id_number = id_number
        self.mobile = mobile
        self.email = email

    def change_password(self, password_hash: str) -> None:
        self.check_not_deleted()
        self._password_changed(password_hash=password_hash)

    @event("PasswordChanged")
    def _password_changed(self, password_hash: str) -> None:
        self.password_hash = password_hash

    def change_avatar(self, file_ref: str, content_type: str) -> None:
        self.check_not_deleted()
        if content_type not in ("image/png", "image/jpeg"):
            raise InvalidInput("avatar.type", "头像须为 PNG 或 JPG 图片", field="file")
        self._avatar_changed(file_ref=file_ref, content_type=content_type)

    @event("AvatarChanged")
    def _avatar_changed(self, file_ref: str, content_type: str) -> None:
        self.avatar_ref = file_ref

    def edit_staff_details(self, position: str | None, roles: list[Role]) -> None:
        self.check_not_deleted()
        check_roles_fit_teaching_point(roles, self.teaching_point_id)
        self._staff_details_edited(
            position=(position or "").strip() or None, roles=[r.value for r in roles]
        )

    @event("StaffDetailsEdited")
    def _staff_details_edited(self, position: str | None, roles: list[str]) -> None:
        self.position = position
        self.roles = roles

    def disable(self) -> None:
        self.check_not_deleted()
        if self.status == AccountStatus.DISABLED.value:
            raise DomainError("account.already_disabled", "该用户已停用")
        self._status_set(status=AccountStatus.DISABLED.value)

    def enable(self) -> None:
        self.check_not_deleted()
        if self.status == AccountStatus.ENABLED.value:
            raise DomainError("account.already_enabled", "该用户已启用")
        self._status_set(status=AccountStatus.ENABLED.value)

    def delete(self) -> None:
        self.check_not_deleted()
        self._status_set(status=AccountStatus.DELETED.value)

    @event("StatusSet")
    def _status_set(self, status: str) -> None:
        self.status = status


def check_roles_fit_teaching_point(roles: list[Role], teaching_point_id: uuid.UUID | None) -> None:
    """Teaching-point roles need a teaching point; school roles must not have one."""
    school_roles = [r for r in roles if r not in TEACHING_POINT_ROLES]
    tp_roles = [r for r in roles if r in TEACHING_POINT_ROLES]
    if tp_roles and teaching_point_id is None:
        raise InvalidInput("roles.needs_teaching_point", "教学点角色须属于某个教学点", field="roles")
    if school_roles and teaching_point_id is not None:
        raise InvalidInput(
            "roles.school_only", "教务、财务、审计、系统管理员角色属于学校，不能分配给教学点用户", field="roles"
        )
