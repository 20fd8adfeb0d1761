"""Exam registrations made with course selection (final exams); their read model."""
