"""Admin pages of organisation (教学点)."""

from __future__ import annotations

from interfaces.admin.organisation.teaching_points import TeachingPointPages

CONTROLLERS = [TeachingPointPages]
