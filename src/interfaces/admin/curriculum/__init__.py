"""Admin pages of curriculum (课程与批次)."""

from __future__ import annotations

from interfaces.admin.curriculum.batches import ExamBatchPages, SelectionBatchPages
from interfaces.admin.curriculum.courses import CoursePages, ProgrammeCoursePages
from interfaces.admin.curriculum.fee_standards import FeeStandardPages

CONTROLLERS = [SelectionBatchPages, ExamBatchPages, CoursePages, ProgrammeCoursePages, FeeStandardPages]
