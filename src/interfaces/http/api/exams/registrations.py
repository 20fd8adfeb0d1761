"""The list of exam registrations (考试报名): final exams of selected courses and resits."""

from __future__ import annotations

import uuid

from litestar import Controller, get
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.exams.queries import list_exam_registrations
from interfaces.http.api.common import ROSTER, Listing, listing, page_of
from interfaces.http.api.exams.schemas import ExamRegistrationOut


class ExamRegistrationController(Controller):
    path = "/exam-registrations"
    tags = ["exams"]
    dependencies = ROSTER

    @get("/", sync_to_thread=True)
    def index(
        self,
        actor: Actor,
        reader: Connection,
        roster: RosterFilter,
        page: int = 1,
        page_size: int = 20,
        exam_batch_id: uuid.UUID | None = None,
        course_id: uuid.UUID | None = None,
        learner_id: uuid.UUID | None = None,
        kind: str | None = None,
    ) -> Listing[ExamRegistrationOut]:
        return listing(list_exam_registrations(
            reader, actor, page_of(page, page_size), roster, exam_batch_id=exam_batch_id, course_id=course_id,
            learner_id=learner_id, kind=kind,
        ), ExamRegistrationOut)
