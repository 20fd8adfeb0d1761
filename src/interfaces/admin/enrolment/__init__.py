"""Admin pages of enrolment (选课)."""

from __future__ import annotations

from interfaces.admin.enrolment.batch_selection import BatchSelectionPages
from interfaces.admin.enrolment.selection import EnrollmentPages, LearnerCoursePages

CONTROLLERS = [BatchSelectionPages, EnrollmentPages, LearnerCoursePages]
