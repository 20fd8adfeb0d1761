"""Academic mentors (学务导师分配) and default exam sites (为学生分配考点), requirements/teaching.md §1, §3.
A teaching point's administrator changes them for its own learners; school staff and auditors
read."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post, put
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.teaching.queries import (
    get_exam_site_assignment,
    get_mentor_assignment,
    list_exam_site_assignments,
    list_mentor_assignments,
    list_mentors,
)
from infrastructure.container import Container
from interfaces.http.api.common import ROSTER, Listing, listing, out, page_of
from interfaces.http.api.teaching.schemas import (
    BatchMentorIn,
    BatchMentorOut,
    ExamSiteAssignmentOut,
    ExamSiteIn,
    MentorAssignmentOut,
    MentorIn,
    MentorsOut,
    RefusedLearnerOut,
)


class MentorAssignmentController(Controller):
    path = "/mentor-assignments"
    tags = ["teaching"]
    dependencies = ROSTER

    @get("/", sync_to_thread=True)
    def index(
        self, actor: Actor, reader: Connection, roster: RosterFilter, page: int = 1, page_size: int = 20,
        assignment: str | None = None, mentor_id: uuid.UUID | None = None,
    ) -> Listing[MentorAssignmentOut]:
        """Learners with their academic mentor; `assignment=unassigned` is 未分配学务导师 (no mentor,
        or one assigned by another teaching point before a transfer), `assignment=assigned` the rest."""
        return listing(list_mentor_assignments(
            reader, actor, page_of(page, page_size), roster, assignment=assignment, mentor_id=mentor_id
        ), MentorAssignmentOut)

    @get("/mentors", sync_to_thread=True)
    def mentors(self, actor: Actor, reader: Connection, teaching_point_id: uuid.UUID | None = None) -> MentorsOut:
        """The teaching point's academic mentors: 用户名, 姓名, 性别, 手机号码, status, 分配状态."""
        return out({"items": list_mentors(reader, actor, teaching_point_id)}, MentorsOut)

    @post("/batch", sync_to_thread=True, status_code=200)
    def batch(self, actor: Actor, services: Container, data: BatchMentorIn) -> BatchMentorOut:
        """Many learners to one mentor: each learner assigned or refused with the reason."""
        outcomes = services.teaching.assign_mentor_to_learners(actor, data.learner_ids, data.mentor_id)
        return BatchMentorOut(
            assigned=sum(o.ok for o in outcomes),
            refused=[
                RefusedLearnerOut(learner_id=o.learner_id, code=o.code, message=o.message) for o in outcomes if not o.ok
            ],
        )

    @get("/{learner_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, reader: Connection, learner_id: uuid.UUID) -> MentorAssignmentOut:
        return out(get_mentor_assignment(reader, actor, learner_id), MentorAssignmentOut)

    @put("/{learner_id:uuid}", sync_to_thread=True)
    def assign(
        self, actor: Actor, services: Container, reader: Connection, learner_id: uuid.UUID, data: MentorIn
    ) -> MentorAssignmentOut:
        """Assigns the learner's academic mentor, or changes it (the change is recorded)."""
        services.teaching.assign_mentor(actor, learner_id, data.mentor_id, data.reason)
        return out(get_mentor_assignment(reader, actor, learner_id), MentorAssignmentOut)


class ExamSiteAssignmentController(Controller):
    path = "/exam-site-assignments"
    tags = ["teaching"]
    dependencies = ROSTER

    @get("/", sync_to_thread=True)
    def index(
        self, actor: Actor, reader: Connection, roster: RosterFilter, page: int = 1, page_size: int = 20,
        assignment: str | None = None, site_code: str | None = None,
    ) -> Listing[ExamSiteAssignmentOut]:
        """Learners with their default exam site (常用考点); `assignment=unassigned` finds those who
        need one (none yet, or assigned by another teaching point before a transfer)."""
        return listing(list_exam_site_assignments(
            reader, actor, page_of(page, page_size), roster, assignment=assignment, site_code=site_code
        ), ExamSiteAssignmentOut)

    @get("/{learner_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, reader: Connection, learner_id: uuid.UUID) -> ExamSiteAssignmentOut:
        return out(get_exam_site_assignment(reader, actor, learner_id), ExamSiteAssignmentOut)

    @put("/{learner_id:uuid}", sync_to_thread=True)
    def assign(
        self, actor: Actor, services: Container, reader: Connection, learner_id: uuid.UUID, data: ExamSiteIn
    ) -> ExamSiteAssignmentOut:
        """Assigns or changes the learner's default exam site (code and name)."""
        services.teaching.assign_exam_site(actor, learner_id, data.site_code, data.site_name, data.reason)
        return out(get_exam_site_assignment(reader, actor, learner_id), ExamSiteAssignmentOut)
