"""Request and response bodies of teaching arrangements: mentor and exam-site assignments, course classes."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from domains.identity.account import AccountStatus
from domains.learners.learner import LearnerStatus
from domains.shared.values import Gender
from interfaces.http.api.common import Out, ProgrammeColumns


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


class LearnerRowOut(ProgrammeColumns):
    """A learner as the teaching lists show them."""

    learner_id: uuid.UUID
    student_number: str
    name: str
    gender: Gender
    status: LearnerStatus
    teaching_point_id: uuid.UUID
    study_batch_id: uuid.UUID
    programme_id: uuid.UUID
    teaching_point_name: str
    study_batch_name: str


class MentorAssignmentOut(LearnerRowOut):
    mentor_id: uuid.UUID | None
    mentor_assigned_at: datetime | None
    mentor_username: str | None
    mentor_name: str | None
    mentor_mobile: str | None  # masked
    mentor_status: AccountStatus | None
    status_label: str
    needs_mentor: bool  # none yet, or the learner moved to another teaching point since
    mentor_state_label: str


class MentorOut(Out):
    id: uuid.UUID
    username: str
    name: str
    gender: Gender | None
    mobile: str | None  # masked
    status: AccountStatus
    teaching_point_id: uuid.UUID
    teaching_point_name: str
    learner_count: int
    status_label: str
    assignment_label: str


class MentorsOut(Out):
    items: list[MentorOut]


class RefusedLearnerOut(Out):
    learner_id: uuid.UUID
    code: str
    message: str


class BatchMentorOut(Out):
    assigned: int
    refused: list[RefusedLearnerOut]


class ExamSiteAssignmentOut(LearnerRowOut):
    site_code: str | None
    site_name: str | None
    site_assigned_at: datetime | None
    status_label: str
    needs_site: bool
    site_state_label: str


class CourseClassOut(Out):
    id: uuid.UUID
    teaching_point_id: uuid.UUID
    course_id: uuid.UUID
    name: str
    grouping_deadline: datetime
    tutor_id: uuid.UUID | None
    formed_at: datetime
    updated_at: datetime
    course_code: str
    course_name: str
    teaching_point_name: str
    tutor_name: str | None
    tutor_username: str | None
    member_count: int
    grouping_open: bool
    grouping_label: str


class ClassMemberOut(LearnerRowOut):
    joined_at: datetime
    status_label: str


class ClassCandidateOut(LearnerRowOut):
    paid_at: datetime | None  # when the course's credit fee was paid
    status_label: str


class ClassMoveOut(Out):
    """Both classes after moving a learner from one to the other."""

    from_: CourseClassOut = msgspec.field(name="from")
    to: CourseClassOut
