"""The organisation API (组织): teaching points."""

from __future__ import annotations

from interfaces.http.api.organisation.teaching_points import (
    PublicTeachingPointController,
    TeachingPointController,
)

CONTROLLERS = [TeachingPointController, PublicTeachingPointController]
