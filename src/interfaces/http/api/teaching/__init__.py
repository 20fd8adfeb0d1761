"""The teaching API (教学安排): academic mentors, default exam sites, course classes."""

from __future__ import annotations

from interfaces.http.api.teaching.assignments import (
    ExamSiteAssignmentController,
    MentorAssignmentController,
)
from interfaces.http.api.teaching.classes import CourseClassController

CONTROLLERS = [MentorAssignmentController, ExamSiteAssignmentController, CourseClassController]
