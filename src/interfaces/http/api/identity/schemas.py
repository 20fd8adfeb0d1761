"""Request and response bodies of logins, the actor's own account and staff accounts. An account
and a session themselves (`AccountOut`, `SessionOut`, `RegisteredOut`) are shared records in
api.common: the training platform's logins answer with them too."""

from __future__ import annotations

import uuid

import msgspec

from interfaces.http.api.common import Out, upload_body

AvatarUpload = upload_body("头像图片（JPEG 或 PNG）")


class LoginIn(msgspec.Struct):
    username: str = msgspec.field()
    password: str


class ActivationIn(msgspec.Struct):
    student_number: str
    id_number: str
    password: str
    confirm_password: str


class PersonalInfoIn(msgspec.Struct):
    name: str
    gender: str | None = None
    id_number: str | None = None
    mobile: str | None = None
    email: str | None = None


class PasswordIn(msgspec.Struct):
    current_password: str
    new_password: str
    confirm_password: str


class AccountIn(msgspec.Struct):
    username: str
    name: str
    roles: list[str]
    password: str
    confirm_password: str
    teaching_point_id: uuid.UUID | None = None
    kind: str = "unified_identity"
    position: str | None = None
    gender: str | None = None
    id_number: str | None = None
    mobile: str | None = None
    email: str | None = None


class StaffDetailsIn(msgspec.Struct):
    roles: list[str]
    position: str | None = None
    reason: str | None = None


class PasswordResetIn(msgspec.Struct):
    password: str
    confirm_password: str


class AvatarOut(Out):
    avatar_ref: str
