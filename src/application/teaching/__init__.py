"""Use cases, read models and queries of mentors, course classes and default exam sites."""
