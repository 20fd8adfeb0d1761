"""Response bodies of teaching points and accounts (also the signed-in account of a login)."""

from __future__ import annotations

import uuid
from datetime import datetime

from domains.identity.account import AccountKind, AccountStatus
from domains.shared.values import Gender, Role
from interfaces.http.api.common import Out


class TeachingPointOut(Out):
    id: uuid.UUID
    code: str
    name: str
    address: str | None
    recruiters: list[str]
    phones: list[str]
    enabled: bool
    registered_at: datetime
    updated_at: datetime


class TeachingPointChoiceOut(Out):
    """An enabled teaching point on the public quick-registration page."""

    id: uuid.UUID
    code: str
    name: str
    address: str | None


class AccountOut(Out):
    """An account; another person's ID number and mobile come masked."""

    id: uuid.UUID
    username: str
    kind: AccountKind
    name: str
    gender: Gender | None
    id_number: str | None
    mobile: str | None
    email: str | None
    teaching_point_id: uuid.UUID | None
    position: str | None
    roles: list[Role]
    status: AccountStatus
    learner_id: uuid.UUID | None
    avatar_ref: str | None
    registered_at: datetime
    updated_at: datetime
    teaching_point_name: str | None


class SessionOut(Out):
    """A signed-in session: the bearer token, when it expires, and whose it is."""

    token: str
    expires_at: datetime
    account: AccountOut


class RegisteredOut(Out):
    """A new self-registered account (an activated learner, a trainee) and the name to sign in with."""

    account_id: uuid.UUID
    username: str


class AvatarOut(Out):
    avatar_ref: str
