"""Teaching support at a teaching point (教师授课管理, seed 001 §4.1; 为学生分配考点, §5.1.2):
each learner's academic mentor, course classes grouped by hand, and each learner's default
exam site."""
