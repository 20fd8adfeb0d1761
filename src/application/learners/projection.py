"""Read model of learners (学籍): the roster every later capability filters."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Column, Date, String, Table, Uuid

from application.common.instant import Instant
from application.common.projection import Projection, Writes, handles, read_models
from domains.learners.learner import Learner, LearnerStatus

learners = Table(
    "rm_learners",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("student_number", String(30), nullable=False, unique=True),
    Column("name", String(40), nullable=False),
    Column("gender", String(10), nullable=False),
    Column("id_number", String(18), nullable=False),
    Column("birth_date", Date, nullable=False),
    Column("mobile", String(20)),
    Column("teaching_point_id", Uuid, nullable=False, index=True),
    Column("programme_id", Uuid, nullable=False),
    Column("study_batch_id", Uuid, nullable=False),
    Column("admission_batch_id", Uuid, nullable=False),
    Column("application_form_id", Uuid, nullable=False),
    Column("status", String(20), nullable=False),
    Column("record_status", String(20), nullable=False, default="unconfirmed"),  # 学籍信息状态
    Column("admitted_at", Instant(), nullable=False),
)


class LearnersProjection(Projection):
    name = "learners"
    tables = (learners,)

    @handles(Learner.Admitted)
    def _admitted(self, conn: Writes, e: Any) -> None:
        p = e.personal
        conn.insert(
            learners,
            {
                "id": e.originator_id,
                "student_number": e.student_number,
                "name": p["name"],
                "gender": p["gender"],
                "id_number": p["id_number"],
                "birth_date": date.fromisoformat(p["birth_date"]),
                "mobile": p.get("mobile"),
                "teaching_point_id": e.teaching_point_id,
                "programme_id": e.programme_id,
                "study_batch_id": e.study_batch_id,
                "admission_batch_id": e.admission_batch_id,
                "application_form_id": e.application_form_id,
                "status": "enrolled",
                "record_status": "unconfirmed",
                "admitted_at": e.timestamp,
            },
        )

    # -- status changes (学籍异动) approved ---------------------------------------------------------

    @handles(Learner.TeachingPointTransferred)
    def _transferred(self, conn: Writes, e: Any) -> None:
        conn.update(learners, {"id": e.originator_id}, {"teaching_point_id": e.teaching_point_id})

    @handles(Learner.ProgrammeChanged)
    def _programme_changed(self, conn: Writes, e: Any) -> None:
        conn.update(learners, {"id": e.originator_id}, {"programme_id": e.programme_id})

    @handles(Learner.Withdrawn)
    def _withdrawn(self, conn: Writes, e: Any) -> None:
        conn.update(learners, {"id": e.originator_id}, {"status": LearnerStatus.WITHDRAWN.value})

    # -- the learner record (学籍信息): contact details and reviewed changes ----------------------------

    @handles(Learner.ContactDetailsChanged)
    def _contact_changed(self, conn: Writes, e: Any) -> None:
        conn.update(learners, {"id": e.originator_id}, {"mobile": e.mobile})

    @handles(Learner.RecordConfirmed)
    def _record_confirmed(self, conn: Writes, e: Any) -> None:
        conn.update(learners, {"id": e.originator_id}, {"record_status": "confirmed"})

    @handles(Learner.RecordChangeOpened)
    def _record_change_opened(self, conn: Writes, e: Any) -> None:
        conn.update(learners, {"id": e.originator_id}, {"record_status": "pending_review"})

    @handles(Learner.RecordChangeApproved)
    def _record_change_approved(self, conn: Writes, e: Any) -> None:
        values: dict[str, Any] = {k: e.changes[k] for k in ("name", "gender", "id_number") if k in e.changes}
        if "birth_date" in e.changes:
            values["birth_date"] = date.fromisoformat(e.changes["birth_date"])
        conn.update(learners, {"id": e.originator_id}, {**values, "record_status": "approved"})

    @handles(Learner.RecordChangeRejected)
    def _record_change_rejected(self, conn: Writes, e: Any) -> None:
        conn.update(learners, {"id": e.originator_id}, {"record_status": "rejected"})
