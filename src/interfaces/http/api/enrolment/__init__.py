"""The enrolment API (选课): course selection, batch selection, a learner's courses, drops."""

from __future__ import annotations

from interfaces.http.api.enrolment.batch_selection import BatchSelectionController
from interfaces.http.api.enrolment.selection import (
    CourseDropController,
    EnrollmentController,
    LearnerCourseController,
)

CONTROLLERS = [EnrollmentController, BatchSelectionController, CourseDropController, LearnerCourseController]
