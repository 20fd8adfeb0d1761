"""Exams: registrations for exam batches (报考); sites, scheduling and grades come later."""
