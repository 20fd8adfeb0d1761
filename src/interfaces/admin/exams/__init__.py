"""Admin pages of exams (考务)."""

from __future__ import annotations

from interfaces.admin.exams.registrations import ExamRegistrationPages
from interfaces.admin.exams.resits import ResitPages

CONTROLLERS = [ExamRegistrationPages, ResitPages]
