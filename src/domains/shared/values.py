"""Value objects every context uses: Chinese ID numbers, phone numbers, roles."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from domains.shared.errors import Forbidden, InvalidInput

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")


@dataclass(frozen=True)
class ChineseIdNumber:
    """An 18-digit resident ID number (GB 11643) whose check digit is valid."""

    value: str

    @classmethod
    def parse(cls, raw: str, field: str = "id_number") -> ChineseIdNumber:
        text = (raw or "").strip().upper()
        if not _ID_SHAPE.match(text):
            raise InvalidInput(
                "id_number.malformed", "身份证号码须为18位（前17位数字，末位为数字或X）", field=field
            )
        total = sum(int(d) * w for d, w in zip(text[:17], _ID_WEIGHTS, strict=True))
        if _ID_CHECK[total % 11] != text[17]:
            raise InvalidInput("id_number.bad_check_digit", "身份证号码校验位不正确", field=field)
        try:
            date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
        except ValueError:
            raise InvalidInput(
                "id_number.bad_birth_date", "身份证号码中的出生日期无效", field=field
            ) from None
        return cls(text)

    @property
    def birth_date(self) -> date:
        v = self.value
        return date(int(v[6:10]), int(v[10:12]), int(v[12:14]))

    @property
    def gender(self) -> str:
        return "male" if int(self.value[16]) % 2 else "female"

    def masked(self) -> str:
        return mask_id_number(self.value)


def mask_id_number(value: str | None) -> str:
    """Shown in lists: the first 6 and last 4 characters only."""
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else "****"


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) >= 7 else "****"


_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Teaching points publish landlines as well as mobiles: 025-84321234, 0512-6688888, 13912345678.
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def parse_mobile(raw: str, field: str = "mobile") -> str:
    text = (raw or "").strip()
    if not _MOBILE.match(text):
        raise InvalidInput("mobile.malformed", "手机号码须为11位数字，以1开头", field=field)
    return text


def parse_phone(raw: str, field: str = "phone") -> str:
    text = (raw or "").strip()
    if not _PHONE.match(text):
        raise InvalidInput("phone.malformed", f"电话号码格式不正确：{text}", field=field)
    return text


def parse_email(raw: str | None, field: str = "email") -> str | None:
    text = (raw or "").strip()
    if not text:
        return None
    if len(text) > 120 or not _EMAIL.match(text):
        raise InvalidInput("email.malformed", "邮箱格式不正确", field=field)
    return text


def require_text(raw: str | None, field: str, label: str, max_length: int = 100) -> str:
    text = (raw or "").strip()
    if not text:
        raise InvalidInput("field.required", f"{label}为必填项", field=field)
    if len(text) > max_length:
        raise InvalidInput("field.too_long", f"{label}不能超过{max_length}个字符", field=field)
    return text


def optional_text(raw: str | None, field: str, label: str, max_length: int = 100) -> str | None:
    text = (raw or "").strip()
    if not text:
        return None
    return require_text(text, field, label, max_length)


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"

    @classmethod
    def parse(cls, raw: str) -> Gender:
        try:
            return cls(raw)
        except ValueError:
            raise InvalidInput("gender.invalid", "性别须为 male 或 female", field="gender") from None


class Role(StrEnum):
    """Roles a staff account may hold (several at once), plus the learner's own."""

    TEACHING_POINT_ADMIN = "teaching_point_admin"  # 教学点管理员
    ACADEMIC_AFFAIRS = "academic_affairs"  # 教务（学校）
    FINANCE = "finance"  # 财务（学校）
    ACADEMIC_MENTOR = "academic_mentor"  # 学务导师
    HEAD_TEACHER = "head_teacher"  # 班主任
    AUDITOR = "auditor"  # 审计
    SYSTEM_ADMIN = "system_admin"  # 系统管理员
    LEARNER = "learner"  # 学生
    TRAINEE = "trainee"  # 参训教师
    TRAINING_SCHOOL_ADMIN = "training_school_admin"  # 校级管理员（学校培训平台）
    TRAINING_CENTRE_ADMIN = "training_centre_admin"  # 网培中心管理员

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.TEACHING_POINT_ADMIN: "教学点管理员",
    Role.ACADEMIC_AFFAIRS: "教务",
    Role.FINANCE: "财务",
    Role.ACADEMIC_MENTOR: "学务导师",
    Role.HEAD_TEACHER: "班主任",
    Role.AUDITOR: "审计",
    Role.SYSTEM_ADMIN: "系统管理员",
    Role.LEARNER: "学生",
    Role.TRAINEE: "参训教师",
    Role.TRAINING_SCHOOL_ADMIN: "校级管理员",
    Role.TRAINING_CENTRE_ADMIN: "网培中心管理员",
}

# Roles that act for one teaching point; the others act for the school headquarters.
TEACHING_POINT_ROLES = frozenset(
    {Role.TEACHING_POINT_ADMIN, Role.ACADEMIC_MENTOR, Role.HEAD_TEACHER}
)


# Roles of the teacher-training platform: neither teaching-point nor headquarters staff.
TRAINING_ROLES = frozenset({Role.TRAINEE, Role.TRAINING_SCHOOL_ADMIN, Role.TRAINING_CENTRE_ADMIN})
TRAINING_ADMIN_ROLES = frozenset({Role.TRAINING_SCHOOL_ADMIN, Role.TRAINING_CENTRE_ADMIN})


def parse_roles(raw: list[str]) -> list[Role]:
    if not raw:
        raise InvalidInput("roles.required", "至少选择一个角色", field="roles")
    roles: list[Role] = []
    for r in raw:
        try:
            role = Role(r)
        except ValueError:
            raise InvalidInput("roles.invalid", f"未知角色：{r}", field="roles") from None
        if role in TRAINING_ROLES:
            raise InvalidInput("roles.training_only", f"{role.label}属于教师培训平台，不能分配给教职工账号", field="roles")
        if role not in roles:
            roles.append(role)
    return roles


def require_aware(at: datetime, field: str = "at") -> datetime:
    """The domain never guesses a time zone: a naive time is a caller's bug."""
    if not isinstance(at, datetime) or at.utcoffset() is None:
        raise InvalidInput("time.naive", "时间须带时区", field=field)
    return at


def check_role(role: Role, allowed: Iterable[Role] | Role, action: str, code: str) -> None:
    """Only the roles of a review step may take it: "只有教务、财务可以……" otherwise."""
    roles = frozenset({allowed}) if isinstance(allowed, Role) else frozenset(allowed)
    if role not in roles:
        who = "、".join(r.label for r in Role if r in roles)
        raise Forbidden(code, f"只有{who}可以{action}")
