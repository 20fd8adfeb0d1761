"""Teaching support at a teaching point (教师授课管理 and 为学生分配考点, requirements/teaching.md):
each learner's academic mentor, course classes grouped by hand, and each learner's default
exam site."""
