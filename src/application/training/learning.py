"""Use cases of training resources and learning (requirements/training.md §2, §3).

A centre course that becomes complete (every video chapter watched through and the summary
submitted) credits the trainee's certificate ledger in the same atomic save as the study.
"""

from __future__ import annotations

import uuid
from typing import Any

from application.common.actor import Actor
from application.common.loading import load, load_many
from application.common.ports import Clock, EventStore
from application.common.recording import recording
from application.training.ledgers import load_or_open_ledger
from application.training.schools import CENTRE, SCHOOL_ADMIN
from domains.shared.errors import DomainError, Forbidden, InvalidInput, NotFound
from domains.shared.values import Role
from domains.training.progress import CourseStudy
from domains.training.resources import ResourceKind, TrainingCourse
from domains.training.schools import TrainingSchool

MAX_SIGN_UP = 100


def trainee_of(actor: Actor) -> tuple[uuid.UUID, uuid.UUID]:
    """The acting trainee's id (their account id) and school."""
    actor.require(Role.TRAINEE)
    if actor.user_id is None or actor.training_school_id is None:
        raise Forbidden("training.not_a_trainee", "您不是已注册的参训教师")
    return actor.user_id, actor.training_school_id


class Learning:
    def __init__(self, store: EventStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def publish_course(
        self, actor: Actor, *, kind: str, title: str, tenths: int, chapters: list[dict[str, Any]], summary_prompt: str,
    ) -> uuid.UUID:
        """The centre publishes centre and ideology courses; a school administrator its school-based ones."""
        role = actor.require(CENTRE, SCHOOL_ADMIN)
        resource = ResourceKind.parse(kind)
        if role is CENTRE and resource is ResourceKind.SCHOOL:
            raise InvalidInput("training_course.kind_for_school", "校本资源由学校管理员发布", field="kind")
        if role is SCHOOL_ADMIN and resource is not ResourceKind.SCHOOL:
            raise Forbidden("training_course.kind_for_centre", "学校管理员只能发布校本资源")
        school_id = actor.training_school_id if resource is ResourceKind.SCHOOL else None
        with recording(actor, role):
            course = TrainingCourse.publish(resource, school_id, title, tenths, chapters, summary_prompt)
        self.store.save(course)
        return course.id

    def _courses_for(self, school_id: uuid.UUID, course_ids: list[uuid.UUID]) -> list[TrainingCourse]:
        """The courses, read in one go; another school's own courses are not there for this one."""
        courses = load_many(self.store, course_ids, TrainingCourse, "课程")
        for course in courses:
            if course.resource_kind is ResourceKind.SCHOOL and course.training_school_id != school_id:
                raise NotFound("not_found", "课程不存在")
        return courses

    def sign_up(self, actor: Actor, course_ids: list[uuid.UUID], via_training_list: bool = False) -> list[uuid.UUID]:
        """我要报名 / 确认报名 for one or many courses; courses already signed up for are skipped."""
        trainee_id, school_id = trainee_of(actor)
        wanted = list(dict.fromkeys(course_ids))
        if not wanted:
            raise InvalidInput("training_signup.empty", "请选择要报名的课程", field="course_ids")
        if len(wanted) > MAX_SIGN_UP:
            raise InvalidInput("training_signup.too_many", f"一次最多报名{MAX_SIGN_UP}门课程", field="course_ids")
        courses = self._courses_for(school_id, wanted)
        existing = self.store.find_many([CourseStudy.create_id(trainee_id, c.id) for c in courses])
        new = [c for c in courses if CourseStudy.create_id(trainee_id, c.id) not in existing]
        if not new:
            raise DomainError("training_signup.already", "所选课程均已报名")
        with recording(actor, Role.TRAINEE):
            studies = [CourseStudy.sign_up(trainee_id, school_id, c, via_training_list) for c in new]
        self.store.save(*studies)
        return [c.id for c in new]

    def sign_up_training_list(self, actor: Actor) -> list[uuid.UUID]:
        """一键报名: every course on the school's training list."""
        _, school_id = trainee_of(actor)
        school = load(self.store, school_id, TrainingSchool, "学校培训平台")
        if not school.training_list:
            raise DomainError("training_signup.no_training_list", "学校尚未设置培训课单")
        return self.sign_up(actor, school.training_list, via_training_list=True)

    def _study(self, actor: Actor, course_id: uuid.UUID) -> tuple[uuid.UUID, CourseStudy]:
        trainee_id, _ = trainee_of(actor)
        study = self.store.find(CourseStudy.create_id(trainee_id, course_id))
        if not isinstance(study, CourseStudy):
            raise NotFound("not_found", "您尚未报名该课程")
        return trainee_id, study

    def report_watched(self, actor: Actor, course_id: uuid.UUID, chapter_id: str, intervals: Any) -> bool:
        """The player's report of the intervals it played; returns whether the chapter is complete."""
        _, study = self._study(actor, course_id)
        course = load(self.store, course_id, TrainingCourse, "课程")
        length = course.chapter_seconds(chapter_id) if chapter_id in study.durations else None
        with recording(actor, Role.TRAINEE):
            became_complete = study.report_watched(chapter_id, intervals, length)
            touched = self._credit_if_eligible(study, became_complete)
        self.store.save(study, *touched)
        return chapter_id in study.completed_chapters

    def submit_summary(self, actor: Actor, course_id: uuid.UUID, text: str) -> None:
        _, study = self._study(actor, course_id)
        with recording(actor, Role.TRAINEE):
            became_complete = study.submit_summary(text)
            touched = self._credit_if_eligible(study, became_complete)
        self.store.save(study, *touched)

    def _credit_if_eligible(self, study: CourseStudy, became_complete: bool) -> list[Any]:
        if not (became_complete and study.certificate_eligible):
            return []
        ledger = load_or_open_ledger(self.store, study.trainee_id, study.training_school_id)
        ledger.credit(study.course_id, "centre_course", study.title, study.tenths, self.clock.today())
        return [ledger]
