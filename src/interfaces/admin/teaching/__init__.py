"""Admin pages of teaching (教学支持)."""

from __future__ import annotations

from interfaces.admin.teaching.assignments import (
    CourseClassPages,
    ExamSiteAssignmentPages,
    MentorAssignmentPages,
)

CONTROLLERS = [MentorAssignmentPages, ExamSiteAssignmentPages, CourseClassPages]
