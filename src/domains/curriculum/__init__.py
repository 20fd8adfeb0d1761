"""Curriculum: courses, the programmes' course lists, selection and exam batches, fee standards."""
