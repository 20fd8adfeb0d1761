"""Read model of learners (学籍): the roster every later capability filters."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Column, Date, DateTime, String, Table, Uuid

from application.common.projection import Projection, Writes, handles, read_models
from domains.learners.learner import Learner

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
    Column("admitted_at", DateTime(timezone=True), nullable=False),
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
                "admitted_at": e.timestamp,
            },
        )
