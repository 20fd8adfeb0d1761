"""Academic mentors (学务导师分配), course classes (班级管理 · 手动组班) and default exam sites
(为学生分配考点), requirements/teaching.md §1, §2, §3. A teaching point's administrator changes them
for its own learners; school staff and auditors read."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post, put

from application.common.filters import RosterFilter
from application.teaching.queries import (
    class_candidates,
    class_members,
    get_course_class,
    get_exam_site_assignment,
    get_mentor_assignment,
    list_course_classes,
    list_exam_site_assignments,
    list_mentor_assignments,
    list_mentors,
)
from interfaces.http.api.common import ROSTER, Listing, listing, out, page_of
from interfaces.http.api.teaching_out import (
    BatchMentorOut,
    ClassCandidateOut,
    ClassMemberOut,
    ClassMoveOut,
    CourseClassOut,
    ExamSiteAssignmentOut,
    MentorAssignmentOut,
    MentorsOut,
    RefusedLearnerOut,
)
from interfaces.http.context import api_actor, container_of


class MentorIn(msgspec.Struct):
    mentor_id: uuid.UUID
    reason: str | None = None


class BatchMentorIn(msgspec.Struct):
    mentor_id: uuid.UUID
    learner_ids: list[uuid.UUID]


class ExamSiteIn(msgspec.Struct):
    site_code: str
    site_name: str
    reason: str | None = None


class CourseClassIn(msgspec.Struct):
    course_id: uuid.UUID
    name: str
    grouping_deadline: str  # 分班截止时间, Beijing time: "2026-10-31 18:00" or "2026-10-31"
    tutor_id: uuid.UUID | None = None


class CourseClassEdit(msgspec.Struct):
    name: str
    tutor_id: uuid.UUID | None = None


class MembersIn(msgspec.Struct):
    learner_ids: list[uuid.UUID]


class MoveIn(msgspec.Struct):
    target_class_id: uuid.UUID
    reason: str | None = None


def _read(request: Request[Any, Any, Any], query: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """A query as the requesting actor: `query(conn, actor, *args, **kwargs)`."""
    with container_of(request).engine.connect() as conn:
        return query(conn, api_actor(request), *args, **kwargs)


class MentorAssignmentController(Controller):
    path = "/mentor-assignments"
    tags = ["teaching"]
    dependencies = ROSTER

    @get("/", sync_to_thread=True)
    def index(
        self, request: Request[Any, Any, Any], roster: RosterFilter, page: int = 1, page_size: int = 20,
        assignment: str | None = None, mentor_id: uuid.UUID | None = None,
    ) -> Listing[MentorAssignmentOut]:
        """Learners with their academic mentor; `assignment=unassigned` is 未分配学务导师 (no mentor,
        or one assigned by another teaching point before a transfer), `assignment=assigned` the rest."""
        return listing(_read(
            request, list_mentor_assignments, page_of(page, page_size), roster, assignment=assignment, mentor_id=mentor_id
        ), MentorAssignmentOut)

    @get("/mentors", sync_to_thread=True)
    def mentors(self, request: Request[Any, Any, Any], teaching_point_id: uuid.UUID | None = None) -> MentorsOut:
        """The teaching point's academic mentors: 用户名, 姓名, 性别, 手机号码, status, 分配状态."""
        return out({"items": _read(request, list_mentors, teaching_point_id)}, MentorsOut)

    @post("/batch", sync_to_thread=True, status_code=200)
    def batch(self, request: Request[Any, Any, Any], data: BatchMentorIn) -> BatchMentorOut:
        """Many learners to one mentor: each learner assigned or refused with the reason."""
        actor = api_actor(request)
        outcomes = container_of(request).teaching.assign_mentor_to_learners(actor, data.learner_ids, data.mentor_id)
        return BatchMentorOut(
            assigned=sum(o.ok for o in outcomes),
            refused=[
                RefusedLearnerOut(learner_id=o.learner_id, code=o.code, message=o.message) for o in outcomes if not o.ok
            ],
        )

    @get("/{learner_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], learner_id: uuid.UUID) -> MentorAssignmentOut:
        return out(_read(request, get_mentor_assignment, learner_id), MentorAssignmentOut)

    @put("/{learner_id:uuid}", sync_to_thread=True)
    def assign(self, request: Request[Any, Any, Any], learner_id: uuid.UUID, data: MentorIn) -> MentorAssignmentOut:
        """Assigns the learner's academic mentor, or changes it (the change is recorded)."""
        container_of(request).teaching.assign_mentor(api_actor(request), learner_id, data.mentor_id, data.reason)
        return out(_read(request, get_mentor_assignment, learner_id), MentorAssignmentOut)


class ExamSiteAssignmentController(Controller):
    path = "/exam-site-assignments"
    tags = ["teaching"]
    dependencies = ROSTER

    @get("/", sync_to_thread=True)
    def index(
        self, request: Request[Any, Any, Any], roster: RosterFilter, page: int = 1, page_size: int = 20,
        assignment: str | None = None, site_code: str | None = None,
    ) -> Listing[ExamSiteAssignmentOut]:
        """Learners with their default exam site (常用考点); `assignment=unassigned` finds those who
        need one (none yet, or assigned by another teaching point before a transfer)."""
        return listing(_read(
            request, list_exam_site_assignments, page_of(page, page_size), roster, assignment=assignment, site_code=site_code
        ), ExamSiteAssignmentOut)

    @get("/{learner_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], learner_id: uuid.UUID) -> ExamSiteAssignmentOut:
        return out(_read(request, get_exam_site_assignment, learner_id), ExamSiteAssignmentOut)

    @put("/{learner_id:uuid}", sync_to_thread=True)
    def assign(self, request: Request[Any, Any, Any], learner_id: uuid.UUID, data: ExamSiteIn) -> ExamSiteAssignmentOut:
        """Assigns or changes the learner's default exam site (code and name)."""
        container_of(request).teaching.assign_exam_site(
            api_actor(request), learner_id, data.site_code, data.site_name, data.reason
        )
        return out(_read(request, get_exam_site_assignment, learner_id), ExamSiteAssignmentOut)


class CourseClassController(Controller):
    path = "/course-classes"
    tags = ["teaching"]
    dependencies = ROSTER

    def _show(self, request: Request[Any, Any, Any], class_id: uuid.UUID) -> CourseClassOut:
        return out(_read(request, get_course_class, class_id, container_of(request).clock.now()), CourseClassOut)

    @get("/", sync_to_thread=True)
    def index(
        self, request: Request[Any, Any, Any], page: int = 1, page_size: int = 20, course_id: uuid.UUID | None = None,
        name: str | None = None, teaching_point_id: uuid.UUID | None = None,
    ) -> Listing[CourseClassOut]:
        """功能首页: the existing classes matching the query (course, class name, teaching point)."""
        return listing(_read(
            request, list_course_classes, page_of(page, page_size), container_of(request).clock.now(), course_id=course_id,
            name=name, teaching_point_id=teaching_point_id,
        ), CourseClassOut)

    @post("/", sync_to_thread=True)
    def form(self, request: Request[Any, Any, Any], data: CourseClassIn) -> CourseClassOut:
        """【手动组班】 a class of the teaching point: course, class name, grouping deadline, tutor."""
        class_id = container_of(request).teaching.form_class(
            api_actor(request), course_id=data.course_id, name=data.name, grouping_deadline=data.grouping_deadline,
            tutor_id=data.tutor_id,
        )
        return self._show(request, class_id)

    @get("/{class_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], class_id: uuid.UUID) -> CourseClassOut:
        return self._show(request, class_id)

    @patch("/{class_id:uuid}", sync_to_thread=True)
    def edit(self, request: Request[Any, Any, Any], class_id: uuid.UUID, data: CourseClassEdit) -> CourseClassOut:
        """【编辑】 the class name and tutor."""
        container_of(request).teaching.edit_class(api_actor(request), class_id, name=data.name, tutor_id=data.tutor_id)
        return self._show(request, class_id)

    @get("/{class_id:uuid}/members", sync_to_thread=True)
    def members(
        self, request: Request[Any, Any, Any], class_id: uuid.UUID, roster: RosterFilter, page: int = 1, page_size: int = 20
    ) -> Listing[ClassMemberOut]:
        """已选学生列表."""
        return listing(_read(request, class_members, class_id, page_of(page, page_size), roster), ClassMemberOut)

    @get("/{class_id:uuid}/candidates", sync_to_thread=True)
    def candidates(
        self, request: Request[Any, Any, Any], class_id: uuid.UUID, roster: RosterFilter, page: int = 1, page_size: int = 20
    ) -> Listing[ClassCandidateOut]:
        """未选学生列表: learners who paid the course and are in no class of it yet."""
        return listing(_read(request, class_candidates, class_id, page_of(page, page_size), roster), ClassCandidateOut)

    @post("/{class_id:uuid}/members", sync_to_thread=True, status_code=200)
    def add(self, request: Request[Any, Any, Any], class_id: uuid.UUID, data: MembersIn) -> CourseClassOut:
        """【加入班级】 all the learners or none (409 naming every refused learner)."""
        container_of(request).teaching.add_to_class(api_actor(request), class_id, data.learner_ids)
        return self._show(request, class_id)

    @delete("/{class_id:uuid}/members/{learner_id:uuid}", sync_to_thread=True, status_code=200)
    def remove(self, request: Request[Any, Any, Any], class_id: uuid.UUID, learner_id: uuid.UUID) -> CourseClassOut:
        """【移除】 the learner, to be grouped again."""
        container_of(request).teaching.remove_from_class(api_actor(request), class_id, learner_id)
        return self._show(request, class_id)

    @post("/{class_id:uuid}/members/{learner_id:uuid}/move", sync_to_thread=True, status_code=200)
    def move(self, request: Request[Any, Any, Any], class_id: uuid.UUID, learner_id: uuid.UUID, data: MoveIn) -> ClassMoveOut:
        """【调班】 to another class of the same course and teaching point."""
        container_of(request).teaching.move_learner(api_actor(request), class_id, learner_id, data.target_class_id, data.reason)
        return ClassMoveOut(from_=self._show(request, class_id), to=self._show(request, data.target_class_id))


TEACHING_CONTROLLERS = [MentorAssignmentController, ExamSiteAssignmentController, CourseClassController]
