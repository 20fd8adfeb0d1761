"""Enrolment: a learner's selection of courses (选课), its preconditions, payment and drop."""
