"""Read models of teaching support: each learner's mentor and default exam site (with the
teaching point they were assigned for, to compare with the learner's present one), course
classes and their members."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, String, Table, Uuid, delete

from application.common.instant import Instant
from application.common.projection import Projection, Writes, handles, read_models
from application.curriculum.projection import utc
from domains.teaching.classes import CourseClass
from domains.teaching.exam_sites import ExamSiteAssignment
from domains.teaching.mentors import MentorAssignment

mentor_assignments = Table(
    "rm_mentor_assignments",
    read_models,
    Column("learner_id", Uuid, primary_key=True),
    Column("id", Uuid, nullable=False),
    Column("teaching_point_id", Uuid, nullable=False, index=True),  # the one it was assigned for
    Column("mentor_id", Uuid, nullable=False, index=True),
    Column("assigned_at", Instant(), nullable=False),
)

exam_site_assignments = Table(
    "rm_exam_site_assignments",
    read_models,
    Column("learner_id", Uuid, primary_key=True),
    Column("id", Uuid, nullable=False),
    Column("teaching_point_id", Uuid, nullable=False, index=True),
    Column("site_code", String(20), nullable=False),
    Column("site_name", String(60), nullable=False),
    Column("assigned_at", Instant(), nullable=False),
)

course_classes = Table(
    "rm_course_classes",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("teaching_point_id", Uuid, nullable=False, index=True),
    Column("course_id", Uuid, nullable=False, index=True),
    Column("name", String(40), nullable=False),
    Column("grouping_deadline", Instant(), nullable=False),
    Column("tutor_id", Uuid),
    Column("formed_at", Instant(), nullable=False),
    Column("updated_at", Instant(), nullable=False),
)

course_class_members = Table(
    "rm_course_class_members",
    read_models,
    Column("class_id", Uuid, primary_key=True),
    Column("learner_id", Uuid, primary_key=True),
    Column("course_id", Uuid, nullable=False, index=True),
    Column("joined_at", Instant(), nullable=False),
)


class TeachingProjection(Projection):
    name = "teaching"
    tables = (mentor_assignments, exam_site_assignments, course_classes, course_class_members)

    @handles(MentorAssignment.Assigned)
    def _mentor(self, conn: Writes, e: Any) -> None:
        conn.insert(mentor_assignments, dict(
            learner_id=e.learner_id, id=e.originator_id, teaching_point_id=e.teaching_point_id, mentor_id=e.mentor_id,
            assigned_at=utc(e.assigned_at),
        ))

    @handles(MentorAssignment.Reassigned)
    def _mentor_again(self, conn: Writes, e: Any) -> None:
        conn.update(mentor_assignments, {"id": e.originator_id}, dict(
            teaching_point_id=e.teaching_point_id, mentor_id=e.mentor_id, assigned_at=utc(e.assigned_at),
        ))

    @handles(ExamSiteAssignment.Assigned)
    def _site(self, conn: Writes, e: Any) -> None:
        conn.insert(exam_site_assignments, dict(
            learner_id=e.learner_id, id=e.originator_id, teaching_point_id=e.teaching_point_id, site_code=e.site_code,
            site_name=e.site_name, assigned_at=utc(e.assigned_at),
        ))

    @handles(ExamSiteAssignment.Reassigned)
    def _site_again(self, conn: Writes, e: Any) -> None:
        conn.update(exam_site_assignments, {"id": e.originator_id}, dict(
            teaching_point_id=e.teaching_point_id, site_code=e.site_code, site_name=e.site_name,
            assigned_at=utc(e.assigned_at),
        ))

    @handles(CourseClass.Formed)
    def _formed(self, conn: Writes, e: Any) -> None:
        conn.insert(course_classes, dict(
            id=e.originator_id, teaching_point_id=e.teaching_point_id, course_id=e.course_id, name=e.name,
            grouping_deadline=utc(e.grouping_deadline), tutor_id=e.tutor_id, formed_at=utc(e.formed_at),
            updated_at=utc(e.timestamp),
        ))

    def _touch(self, conn: Writes, e: Any, **values: Any) -> None:
        conn.update(course_classes, {"id": e.originator_id}, dict(updated_at=utc(e.timestamp), **values))

    @handles(CourseClass.Edited)
    def _edited(self, conn: Writes, e: Any) -> None:
        self._touch(conn, e, name=e.name, tutor_id=e.tutor_id)

    def _join(self, conn: Writes, e: Any, learner_ids: list[Any]) -> None:
        course_id = conn.execute(
            course_classes.select().with_only_columns(course_classes.c.course_id).where(course_classes.c.id == e.originator_id)
        ).scalar_one()
        for learner_id in learner_ids:
            conn.insert(course_class_members, dict(
                class_id=e.originator_id, learner_id=learner_id, course_id=course_id, joined_at=utc(e.timestamp),
            ))
        self._touch(conn, e)

    def _leave(self, conn: Writes, e: Any) -> None:
        conn.execute(delete(course_class_members).where(
            course_class_members.c.class_id == e.originator_id, course_class_members.c.learner_id == e.learner_id,
        ))
        self._touch(conn, e)

    @handles(CourseClass.LearnersAdded)
    def _added(self, conn: Writes, e: Any) -> None:
        self._join(conn, e, e.learner_ids)

    @handles(CourseClass.LearnerMovedIn)
    def _moved_in(self, conn: Writes, e: Any) -> None:
        self._join(conn, e, [e.learner_id])

    @handles(CourseClass.LearnerRemoved, CourseClass.LearnerMovedOut)
    def _removed(self, conn: Writes, e: Any) -> None:
        self._leave(conn, e)
