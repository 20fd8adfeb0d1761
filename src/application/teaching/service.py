"""Use cases of teaching support at a teaching point (requirements/teaching.md §1, §2, §3).

Only a teaching point's administrator changes these, and only for its own learners (anyone
else's learner is reported as not found): it assigns each learner's academic mentor (one by one
or many learners to one mentor at once), groups learners of a course into classes by hand, and
assigns each learner's default exam site. School staff and auditors read (see queries).

Each use case loads the learner and the staff account from their aggregates, so the rules see
their present state (an account disabled a moment ago is not assigned).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.loading import load
from application.common.ports import Clock, EventStore
from application.common.recording import recording
from application.curriculum.service import note
from domains.curriculum.course import Course
from domains.enrolment.enrollment import Enrollment, EnrollmentStatus
from domains.identity.account import Account
from domains.learners.learner import Learner
from domains.shared.errors import DomainError, InvalidInput, NotFound
from domains.shared.values import Role
from domains.teaching.classes import (
    Candidate,
    ClassPlacement,
    CourseClass,
    parse_deadline,
)
from domains.teaching.common import LearnerFacts, StaffFacts
from domains.teaching.exam_sites import ExamSiteAssignment, assign_exam_site
from domains.teaching.mentors import MentorAssignment, assign_mentor, check_mentor

MANAGERS = (Role.TEACHING_POINT_ADMIN,)
CONFLICT = "concurrency.conflict"
MAX_BATCH = 5000  # learners per batch request
CHUNK = 200  # learners per atomic write


@dataclass(frozen=True)
class Outcome:
    """One learner's result in a batch: assigned, or refused with the reason."""

    learner_id: uuid.UUID
    ok: bool
    code: str | None = None
    message: str | None = None


def learner_facts(learner: Learner) -> LearnerFacts:
    return LearnerFacts(
        learner_id=learner.id, name=learner.personal.get("name", ""), student_number=learner.student_number,
        teaching_point_id=learner.teaching_point_id, status=learner.status,
    )


def staff_facts(account: Account) -> StaffFacts:
    return StaffFacts(
        account_id=account.id, name=account.name, roles=frozenset(account.roles),
        teaching_point_id=account.teaching_point_id, status=account.status,
    )


def _ids(raw: Sequence[uuid.UUID], field: str, limit: int = MAX_BATCH) -> list[uuid.UUID]:
    ids = list(dict.fromkeys(raw))
    if not ids:
        raise InvalidInput("field.required", "请选择学生", field=field)
    if len(ids) > limit:
        raise InvalidInput("batch.too_large", f"一次最多处理{limit}名学生", field=field)
    return ids


class Teaching:
    def __init__(self, store: EventStore, clock: Clock, read: Callable[[], Connection]) -> None:
        self.store = store
        self.clock = clock
        self.read = read

    # -- loading with scope -------------------------------------------------------------------

    def _learner(self, actor: Actor, learner_id: uuid.UUID) -> LearnerFacts:
        learner = load(self.store, learner_id, Learner, "学生")
        actor.check_teaching_point(learner.teaching_point_id, "学生")
        return learner_facts(learner)

    def _staff(self, account_id: uuid.UUID | None, what: str) -> StaffFacts | None:
        if account_id is None:
            return None
        account = self.store.find(account_id)
        if not isinstance(account, Account) or Role.LEARNER.value in account.roles:
            raise NotFound("not_found", f"{what}不存在")
        return staff_facts(account)

    def _mentor(self, actor: Actor, mentor_id: uuid.UUID) -> StaffFacts:
        mentor = self._staff(mentor_id, "学务导师")
        assert mentor is not None
        if not actor.can_see_teaching_point(mentor.teaching_point_id):
            raise NotFound("not_found", "学务导师不存在或不属于您的教学点")
        return mentor

    # -- 学务导师分配 --------------------------------------------------------------------------

    def assign_mentor(self, actor: Actor, learner_id: uuid.UUID, mentor_id: uuid.UUID, reason: str | None = None) -> uuid.UUID:
        """The learner's one academic mentor: assigned, or changed (recorded with the previous
        one); after a transfer, a mentor of the new teaching point."""
        role = actor.require(*MANAGERS)
        learner = self._learner(actor, learner_id)
        mentor = self._mentor(actor, mentor_id)
        existing = self.store.find(MentorAssignment.create_id(learner.learner_id))
        with recording(actor, role, note(reason)):
            assignment = assign_mentor(existing, learner, mentor, self.clock.now())
        self.store.save(assignment)
        return assignment.id

    def assign_mentor_to_learners(
        self, actor: Actor, learner_ids: Sequence[uuid.UUID], mentor_id: uuid.UUID, chunk: int = CHUNK
    ) -> list[Outcome]:
        """Many learners of the teaching point to one mentor. Every chunk of learners is one
        atomic write; a learner the rules refuse is reported with the reason and the others
        are assigned. If someone changed one of a chunk's learners meanwhile, that chunk goes
        learner by learner."""
        role = actor.require(*MANAGERS)
        ids = _ids(learner_ids, "learner_ids")
        mentor = self._mentor(actor, mentor_id)
        if actor.teaching_point_id is not None:
            check_mentor(mentor, actor.teaching_point_id)  # a disabled mentor refuses the whole batch at once
        outcomes: list[Outcome] = []
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            try:
                outcomes += self._assign_chunk(actor, role, part, mentor)
            except DomainError as exc:
                if exc.code != CONFLICT:
                    raise
                for learner_id in part:
                    try:
                        outcomes += self._assign_chunk(actor, role, [learner_id], mentor)
                    except DomainError as one:
                        outcomes.append(Outcome(learner_id, False, one.code, one.message))
        return outcomes

    def _assign_chunk(self, actor: Actor, role: Role, learner_ids: list[uuid.UUID], mentor: StaffFacts) -> list[Outcome]:
        found = self.store.find_many(learner_ids + [MentorAssignment.create_id(i) for i in learner_ids])
        now = self.clock.now()
        outcomes, to_save = [], []
        with recording(actor, role):
            for learner_id in learner_ids:
                learner = found.get(learner_id)
                try:
                    if not isinstance(learner, Learner) or not actor.can_see_teaching_point(learner.teaching_point_id):
                        raise NotFound("not_found", "学生不存在或不属于您的教学点")
                    existing = found.get(MentorAssignment.create_id(learner_id))
                    to_save.append(assign_mentor(existing, learner_facts(learner), mentor, now))
                    outcomes.append(Outcome(learner_id, True))
                except DomainError as error:
                    outcomes.append(Outcome(learner_id, False, error.code, error.message))
        if to_save:
            self.store.save(*to_save)
        return outcomes

    # -- 为学生分配考点 ------------------------------------------------------------------------

    def assign_exam_site(
        self, actor: Actor, learner_id: uuid.UUID, site_code: str | None, site_name: str | None, reason: str | None = None
    ) -> uuid.UUID:
        """The learner's default exam site (常用考点): assigned or changed; after a transfer, by
        the new teaching point."""
        role = actor.require(*MANAGERS)
        learner = self._learner(actor, learner_id)
        existing = self.store.find(ExamSiteAssignment.create_id(learner.learner_id))
        with recording(actor, role, note(reason)):
            assignment = assign_exam_site(existing, learner, site_code, site_name, self.clock.now())
        self.store.save(assignment)
        return assignment.id

    # -- 班级管理 · 手动组班 --------------------------------------------------------------------

    def _class(self, actor: Actor, class_id: uuid.UUID) -> CourseClass:
        course_class = load(self.store, class_id, CourseClass, "班级")
        actor.check_teaching_point(course_class.teaching_point_id, "班级")
        return course_class

    def form_class(
        self, actor: Actor, *, course_id: uuid.UUID, name: str | None, grouping_deadline: str | None,
        tutor_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        """【手动组班】 a class of the actor's teaching point for one course."""
        role = actor.require(*MANAGERS)
        if actor.teaching_point_id is None:
            raise InvalidInput("course_class.teaching_point_required", "只有教学点可以手动组班")
        course = load(self.store, course_id, Course, "课程")
        deadline = parse_deadline(grouping_deadline)
        tutor = self._staff(tutor_id, "课程导师")
        with recording(actor, role):
            course_class = CourseClass.form(actor.teaching_point_id, course.id, name, deadline, tutor, self.clock.now())
        self.store.save(course_class)
        return course_class.id

    def edit_class(self, actor: Actor, class_id: uuid.UUID, *, name: str | None, tutor_id: uuid.UUID | None = None) -> None:
        """【编辑】 the class name and tutor."""
        role = actor.require(*MANAGERS)
        course_class = self._class(actor, class_id)
        tutor = self._staff(tutor_id, "课程导师")
        with recording(actor, role):
            course_class.edit(name, tutor)
        self.store.save(course_class)

    def add_to_class(self, actor: Actor, class_id: uuid.UUID, learner_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
        """【加入班级】 learners of the teaching point whose selection of the class's course
        succeeded and who are in no class of it: all of them or none, every refusal named."""
        role = actor.require(*MANAGERS)
        course_class = self._class(actor, class_id)
        ids = _ids(learner_ids, "learner_ids")
        course_id = course_class.course_id
        found = self.store.find_many(
            ids + [Enrollment.create_id(i, course_id) for i in ids] + [ClassPlacement.create_id(i, course_id) for i in ids]
        )
        candidates, placements = [], {}
        for learner_id in ids:
            learner = found.get(learner_id)
            if not isinstance(learner, Learner) or not actor.can_see_teaching_point(learner.teaching_point_id):
                raise NotFound("not_found", "学生不存在或不属于您的教学点")
            enrollment = found.get(Enrollment.create_id(learner_id, course_id))
            paid = isinstance(enrollment, Enrollment) and enrollment.enrollment_status is EnrollmentStatus.PAID
            candidates.append(Candidate(learner_facts(learner), paid))
            placements[learner_id] = found.get(ClassPlacement.create_id(learner_id, course_id))
        with recording(actor, role):
            placed = course_class.add(candidates, placements, self.clock.now())
        self.store.save(course_class, *placed)
        return ids

    def _member(self, actor: Actor, course_class: CourseClass, learner_id: uuid.UUID) -> tuple[LearnerFacts, ClassPlacement]:
        """A member of the class (even one who has since moved to another teaching point), with
        the placement to change; anyone else is refused as not a member (or not found)."""
        if learner_id not in course_class.members:
            course_class.check_member(self._learner(actor, learner_id))
        learner = learner_facts(load(self.store, learner_id, Learner, "学生"))
        placement_id = ClassPlacement.create_id(learner_id, course_class.course_id)
        return learner, load(self.store, placement_id, ClassPlacement, "学生的分班")

    def remove_from_class(self, actor: Actor, class_id: uuid.UUID, learner_id: uuid.UUID, reason: str | None = None) -> None:
        """【移除】 a learner, who is then to be grouped again."""
        role = actor.require(*MANAGERS)
        course_class = self._class(actor, class_id)
        learner, placement = self._member(actor, course_class, learner_id)
        with recording(actor, role, note(reason)):
            course_class.remove(learner, placement, self.clock.now())
        self.store.save(course_class, placement)

    def move_learner(
        self, actor: Actor, class_id: uuid.UUID, learner_id: uuid.UUID, target_class_id: uuid.UUID, reason: str | None = None
    ) -> None:
        """【调班】 a learner to another class of the same course and teaching point."""
        role = actor.require(*MANAGERS)
        source = self._class(actor, class_id)
        target = source if target_class_id == source.id else self._class(actor, target_class_id)
        learner, placement = self._member(actor, source, learner_id)
        with recording(actor, role, note(reason)):
            source.move(learner, target, placement, self.clock.now())
        self.store.save(source, target, placement)
