"""The curriculum API (教学计划): courses, programme course lists, selection and exam batches,
fee standards."""

from __future__ import annotations

from interfaces.http.api.curriculum.batches import (
    ExamBatchController,
    SelectionBatchController,
)
from interfaces.http.api.curriculum.courses import (
    CourseController,
    ProgrammeCourseController,
)
from interfaces.http.api.curriculum.fee_standards import FeeStandardController

CONTROLLERS = [
    CourseController,
    ProgrammeCourseController,
    SelectionBatchController,
    ExamBatchController,
    FeeStandardController,
]
