"""Read models of admissions: batches, programmes and application forms."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec
from sqlalchemy import Column, Connection, Date, String, Table, Text, Uuid, delete, insert, update

from application.common.instant import Instant
from application.common.projection import Projection, Writes, handles, read_models
from domains.admissions.application_form import ApplicationForm
from domains.admissions.batches import AdmissionBatch, StudyBatch, TrainingProgramme

study_batches = Table(
    "rm_study_batches",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("code", String(20), nullable=False),
    Column("name", String(40), nullable=False),
)

admission_batches = Table(
    "rm_admission_batches",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("code", String(20), nullable=False),
    Column("name", String(40), nullable=False),
    Column("study_batch_id", Uuid, nullable=False),
    Column("opens_on", Date, nullable=False),
    Column("closes_on", Date, nullable=False),
)

programmes = Table(
    "rm_programmes",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("code", String(30), nullable=False),
    Column("level", String(10), nullable=False),
    Column("learner_type", String(20), nullable=False),
    Column("learner_source", String(20), nullable=False),
    Column("major", String(40), nullable=False),
    Column("length_of_schooling", String(10), nullable=False),
)

programme_offerings = Table(
    "rm_programme_offerings",
    read_models,
    Column("programme_id", Uuid, primary_key=True),
    Column("teaching_point_id", Uuid, primary_key=True),
)

application_forms = Table(
    "rm_application_forms",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("status", String(30), nullable=False, index=True),
    Column("name", String(40), nullable=False),
    Column("mobile", String(20), nullable=False),
    Column("id_number", String(18)),
    Column("gender", String(10)),
    Column("birth_date", Date),
    Column("intended_major", String(40)),
    Column("teaching_point_id", Uuid, index=True),
    Column("programme_id", Uuid),
    Column("admission_batch_id", Uuid),
    Column("study_batch_id", Uuid),
    Column("applicant", Text),
    Column("student_number", String(30)),
    Column("learner_id", Uuid),
    Column("review_comment", String(200)),
    Column("submitted_at", Instant(), nullable=False),
    Column("updated_at", Instant(), nullable=False),
)


_JSON = msgspec.json.Encoder(enc_hook=str)


def _applicant_columns(applicant: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": applicant["name"],
        "mobile": applicant["mobile"],
        "id_number": applicant["id_number"],
        "gender": applicant["gender"],
        "birth_date": date.fromisoformat(applicant["birth_date"]),
        "applicant": _JSON.encode(applicant).decode(),
    }


class AdmissionsProjection(Projection):
    name = "admissions"
    tables = (study_batches, admission_batches, programmes, programme_offerings, application_forms)

    @handles(StudyBatch.Registered)
    def _study_batch(self, conn: Connection, e: Any) -> None:
        conn.execute(insert(study_batches).values(id=e.originator_id, code=e.code, name=e.name))

    @handles(AdmissionBatch.Registered)
    def _admission_batch(self, conn: Connection, e: Any) -> None:
        conn.execute(
            insert(admission_batches).values(
                id=e.originator_id,
                code=e.code,
                name=e.name,
                study_batch_id=e.study_batch_id,
                opens_on=date.fromisoformat(e.opens_on),
                closes_on=date.fromisoformat(e.closes_on),
            )
        )

    @handles(AdmissionBatch.PeriodChanged)
    def _period(self, conn: Connection, e: Any) -> None:
        conn.execute(
            update(admission_batches)
            .where(admission_batches.c.id == e.originator_id)
            .values(opens_on=date.fromisoformat(e.opens_on), closes_on=date.fromisoformat(e.closes_on))
        )

    @handles(TrainingProgramme.Registered)
    def _programme(self, conn: Connection, e: Any) -> None:
        conn.execute(
            insert(programmes).values(
                id=e.originator_id,
                code=e.code,
                level=e.level,
                learner_type=e.learner_type,
                learner_source=e.learner_source,
                major=e.major,
                length_of_schooling=e.length_of_schooling,
            )
        )
        self._offerings(conn, e)

    @handles(TrainingProgramme.TeachingPointsSet)
    def _offerings(self, conn: Connection, e: Any) -> None:
        conn.execute(delete(programme_offerings).where(programme_offerings.c.programme_id == e.originator_id))
        if e.teaching_point_ids:
            conn.execute(
                insert(programme_offerings),
                [{"programme_id": e.originator_id, "teaching_point_id": t} for t in e.teaching_point_ids],
            )

    @handles(ApplicationForm.QuickRegistered)
    def _quick(self, conn: Writes, e: Any) -> None:
        conn.insert(
            application_forms,
            {
                "id": e.originator_id,
                "status": "quick_registered",
                "name": e.name,
                "mobile": e.mobile,
                "intended_major": e.intended_major,
                "teaching_point_id": e.teaching_point_id,
                "submitted_at": e.timestamp,
                "updated_at": e.timestamp,
            },
        )

    @handles(ApplicationForm.Entered)
    def _entered(self, conn: Writes, e: Any) -> None:
        conn.insert(
            application_forms,
            {
                "id": e.originator_id,
                "status": "preliminarily_approved",
                "teaching_point_id": e.teaching_point_id,
                "programme_id": e.programme_id,
                "admission_batch_id": e.admission_batch_id,
                "study_batch_id": e.study_batch_id,
                "submitted_at": e.timestamp,
                "updated_at": e.timestamp,
                **_applicant_columns(e.applicant),
            },
        )

    def _set(self, conn: Writes, e: Any, **values: Any) -> None:
        conn.update(application_forms, {"id": e.originator_id}, {"updated_at": e.timestamp, **values})

    @handles(ApplicationForm.Completed)
    def _completed(self, conn: Writes, e: Any) -> None:
        self._set(
            conn,
            e,
            status="preliminarily_approved",
            teaching_point_id=e.teaching_point_id,
            programme_id=e.programme_id,
            admission_batch_id=e.admission_batch_id,
            study_batch_id=e.study_batch_id,
            **_applicant_columns(e.applicant),
        )

    @handles(ApplicationForm.Approved)
    def _approved(self, conn: Writes, e: Any) -> None:
        self._set(conn, e, status="approved", learner_id=e.learner_id, student_number=e.student_number, review_comment=e.comment)

    @handles(ApplicationForm.Rejected)
    def _rejected(self, conn: Writes, e: Any) -> None:
        self._set(conn, e, status="rejected", review_comment=e.reason)
