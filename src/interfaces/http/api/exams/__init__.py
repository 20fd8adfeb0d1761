"""The exams API (考试): exam registrations and resits."""

from __future__ import annotations

from interfaces.http.api.exams.registrations import ExamRegistrationController
from interfaces.http.api.exams.resits import ResitController

CONTROLLERS = [ExamRegistrationController, ResitController]
