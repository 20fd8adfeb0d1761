"""Curriculum use cases: courses, programme course lists, selection and exam batches, fee standards."""
