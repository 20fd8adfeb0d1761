"""Request and response bodies of teaching points."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from interfaces.http.api.common import Out


class TeachingPointIn(msgspec.Struct):
    code: str
    name: str
    address: str | None = None
    recruiters: list[str] = []
    phones: list[str] = []


class TeachingPointContactIn(msgspec.Struct):
    address: str | None = None
    recruiters: list[str] = []
    phones: list[str] = []
    reason: str | None = None



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
