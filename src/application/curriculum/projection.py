"""Read models of the curriculum: courses, programme course lists, selection and exam batches,
fee standards. Handlers write with plain statements (an update may copy one column into
another, as an approval makes the submitted assessment the approved one)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Integer,
    String,
    Table,
    Uuid,
    delete,
    insert,
    select,
    update,
)

from application.common.instant import Instant
from application.common.projection import Projection, handles, read_models
from domains.curriculum.batches import ExamBatch, SelectionBatch, _CourseBatch
from domains.curriculum.course import Course
from domains.curriculum.fees import FeeStandard
from domains.curriculum.levels import EducationLevel
from domains.curriculum.programme_curriculum import ProgrammeCurriculum

courses = Table(
    "rm_courses",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("code", String(30), nullable=False, index=True),
    Column("name", String(60), nullable=False),
    Column("credit_tenths", Integer, nullable=False),
    Column("levels", String(40), nullable=False),  # comma-separated education levels
    Column("status", String(20), nullable=False),
    Column("version_in_use", String(30)),
    Column("assessment_status", String(20)),  # of the latest submission
    Column("assessment_approved", Boolean, nullable=False),
    Column("includes_final_exam", Boolean, nullable=False),  # per the approved requirement
    Column("assessment_description", String(500)),
    Column("submitted_includes_final_exam", Boolean),
    Column("submitted_description", String(500)),
    Column("assessment_reject_reason", String(200)),
    Column("registered_at", Instant(), nullable=False),
    Column("updated_at", Instant(), nullable=False),
)

course_versions = Table(
    "rm_course_versions",
    read_models,
    Column("course_id", Uuid, primary_key=True),
    Column("version", String(30), primary_key=True),
    Column("added_at", Instant(), nullable=False),
)

programme_curricula = Table(
    "rm_programme_curricula",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("programme_id", Uuid, nullable=False, unique=True),
    Column("education_level", String(20), nullable=False),
)

programme_courses = Table(
    "rm_programme_courses",
    read_models,
    Column("curriculum_id", Uuid, primary_key=True),
    Column("course_id", Uuid, primary_key=True),
    Column("suggested_semester", Integer, nullable=False),
)

selection_batches = Table(
    "rm_selection_batches",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("code", String(20), nullable=False),
    Column("name", String(40), nullable=False),
    Column("selection_starts_at", Instant(), nullable=False),
    Column("selection_ends_at", Instant(), nullable=False),
    Column("drop_starts_at", Instant(), nullable=False),
    Column("drop_ends_at", Instant(), nullable=False),
)

exam_batches = Table(
    "rm_exam_batches",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("code", String(20), nullable=False),
    Column("name", String(40), nullable=False),
    Column("registration_starts_at", Instant(), nullable=False),
    Column("registration_ends_at", Instant(), nullable=False),
)

# Which courses each batch holds, for selection batches and exam batches alike.
batch_courses = Table(
    "rm_batch_courses",
    read_models,
    Column("batch_id", Uuid, primary_key=True),
    Column("course_id", Uuid, primary_key=True, index=True),
    Column("kind", String(10), nullable=False),  # selection | exam
)

fee_standards = Table(
    "rm_fee_standards",
    read_models,
    Column("level", String(20), primary_key=True),
    Column("credit_fee_per_credit_fen", BigInteger, nullable=False),
    Column("exam_fee_per_course_fen", BigInteger, nullable=False),
    Column("updated_at", Instant(), nullable=False),
)


def utc(at: datetime) -> datetime:
    """Stored in UTC: SQLite keeps no offset, so every row holds the same zone."""
    return at.astimezone(UTC)


class CurriculumProjection(Projection):
    name = "curriculum"
    tables = (
        courses, course_versions, programme_curricula, programme_courses, selection_batches, exam_batches,
        batch_courses, fee_standards,
    )

    # -- courses ----------------------------------------------------------------------------

    @handles(Course.Registered)
    def _course(self, conn: Any, e: Any) -> None:
        conn.execute(
            insert(courses).values(
                id=e.originator_id,
                code=e.code,
                name=e.name,
                credit_tenths=e.credit_tenths,
                levels=",".join(e.levels),
                status="draft",
                assessment_approved=False,
                includes_final_exam=False,
                registered_at=utc(e.timestamp),
                updated_at=utc(e.timestamp),
            )
        )

    def _set(self, conn: Any, e: Any, **values: Any) -> None:
        conn.execute(update(courses).where(courses.c.id == e.originator_id).values(updated_at=utc(e.timestamp), **values))

    @handles(Course.Published)
    def _published(self, conn: Any, e: Any) -> None:
        self._set(conn, e, status="published")

    @handles(Course.Closed)
    def _closed(self, conn: Any, e: Any) -> None:
        self._set(conn, e, status="closed")

    @handles(Course.LevelsChanged)
    def _levels(self, conn: Any, e: Any) -> None:
        self._set(conn, e, levels=",".join(e.levels))

    @handles(Course.VersionAdded)
    def _version(self, conn: Any, e: Any) -> None:
        conn.execute(insert(course_versions).values(course_id=e.originator_id, version=e.version, added_at=utc(e.timestamp)))
        self._set(conn, e)

    @handles(Course.VersionPutInUse)
    def _in_use(self, conn: Any, e: Any) -> None:
        self._set(conn, e, version_in_use=e.version)

    @handles(Course.AssessmentRequirementSubmitted)
    def _submitted(self, conn: Any, e: Any) -> None:
        self._set(
            conn, e, assessment_status="pending_review", submitted_includes_final_exam=e.includes_final_exam,
            submitted_description=e.description, assessment_reject_reason=None,
        )

    @handles(Course.AssessmentRequirementApproved)
    def _approved(self, conn: Any, e: Any) -> None:
        self._set(
            conn, e,
            assessment_status="approved",
            assessment_approved=True,
            includes_final_exam=courses.c.submitted_includes_final_exam,
            assessment_description=courses.c.submitted_description,
        )
        self._set(conn, e, submitted_includes_final_exam=None, submitted_description=None)

    @handles(Course.AssessmentRequirementRejected)
    def _rejected(self, conn: Any, e: Any) -> None:
        self._set(
            conn, e, assessment_status="rejected", submitted_includes_final_exam=None, submitted_description=None,
            assessment_reject_reason=e.reason,
        )

    # -- programme course lists -------------------------------------------------------------

    @handles(ProgrammeCurriculum.Started)
    def _listing(self, conn: Any, e: Any) -> None:
        conn.execute(
            insert(programme_curricula).values(
                id=e.originator_id, programme_id=e.programme_id, education_level=e.education_level
            )
        )

    @handles(ProgrammeCurriculum.CourseAdded)
    def _listed(self, conn: Any, e: Any) -> None:
        conn.execute(
            insert(programme_courses).values(
                curriculum_id=e.originator_id, course_id=e.course_id, suggested_semester=e.suggested_semester
            )
        )

    @handles(ProgrammeCurriculum.CourseMoved)
    def _moved(self, conn: Any, e: Any) -> None:
        conn.execute(
            update(programme_courses)
            .where(programme_courses.c.curriculum_id == e.originator_id, programme_courses.c.course_id == e.course_id)
            .values(suggested_semester=e.suggested_semester)
        )

    @handles(ProgrammeCurriculum.CourseRemoved)
    def _unlisted(self, conn: Any, e: Any) -> None:
        conn.execute(
            delete(programme_courses).where(
                programme_courses.c.curriculum_id == e.originator_id, programme_courses.c.course_id == e.course_id
            )
        )

    # -- batches ----------------------------------------------------------------------------

    def _batch_courses(self, conn: Any, e: Any, kind: str, course_ids: list[Any]) -> None:
        if course_ids:
            conn.execute(
                insert(batch_courses), [{"batch_id": e.originator_id, "course_id": c, "kind": kind} for c in course_ids]
            )

    @handles(SelectionBatch.Registered)
    def _selection_batch(self, conn: Any, e: Any) -> None:
        conn.execute(
            insert(selection_batches).values(
                id=e.originator_id,
                code=e.code,
                name=e.name,
                selection_starts_at=utc(e.selection_starts_at),
                selection_ends_at=utc(e.selection_ends_at),
                drop_starts_at=utc(e.drop_starts_at),
                drop_ends_at=utc(e.drop_ends_at),
            )
        )
        self._batch_courses(conn, e, "selection", e.course_ids)

    @handles(SelectionBatch.PeriodsChanged)
    def _selection_periods(self, conn: Any, e: Any) -> None:
        conn.execute(
            update(selection_batches)
            .where(selection_batches.c.id == e.originator_id)
            .values(
                selection_starts_at=utc(e.selection_starts_at),
                selection_ends_at=utc(e.selection_ends_at),
                drop_starts_at=utc(e.drop_starts_at),
                drop_ends_at=utc(e.drop_ends_at),
            )
        )

    @handles(ExamBatch.Registered)
    def _exam_batch(self, conn: Any, e: Any) -> None:
        conn.execute(
            insert(exam_batches).values(
                id=e.originator_id,
                code=e.code,
                name=e.name,
                registration_starts_at=utc(e.registration_starts_at),
                registration_ends_at=utc(e.registration_ends_at),
            )
        )
        self._batch_courses(conn, e, "exam", e.course_ids)

    @handles(ExamBatch.RegistrationPeriodChanged)
    def _exam_period(self, conn: Any, e: Any) -> None:
        conn.execute(
            update(exam_batches)
            .where(exam_batches.c.id == e.originator_id)
            .values(registration_starts_at=utc(e.registration_starts_at), registration_ends_at=utc(e.registration_ends_at))
        )

    # Both kinds of batch record these through their shared base class, whose event classes
    # (and stored topics) are `_CourseBatch.CoursesAdded` / `_CourseBatch.CourseRemoved`: the
    # batch's own row tells which kind it is.
    @handles(_CourseBatch.CoursesAdded, SelectionBatch.CoursesAdded, ExamBatch.CoursesAdded)
    def _courses_added(self, conn: Any, e: Any) -> None:
        is_exam = conn.execute(select(exam_batches.c.id).where(exam_batches.c.id == e.originator_id)).first()
        self._batch_courses(conn, e, "exam" if is_exam else "selection", e.course_ids)

    @handles(_CourseBatch.CourseRemoved, SelectionBatch.CourseRemoved, ExamBatch.CourseRemoved)
    def _batch_course_removed(self, conn: Any, e: Any) -> None:
        conn.execute(
            delete(batch_courses).where(batch_courses.c.batch_id == e.originator_id, batch_courses.c.course_id == e.course_id)
        )

    # -- fee standards ----------------------------------------------------------------------

    @handles(FeeStandard.Set)
    def _fee_standard(self, conn: Any, e: Any) -> None:
        conn.execute(
            insert(fee_standards).values(
                level=e.level,
                credit_fee_per_credit_fen=e.credit_fee_per_credit_fen,
                exam_fee_per_course_fen=e.exam_fee_per_course_fen,
                updated_at=utc(e.timestamp),
            )
        )

    @handles(FeeStandard.Changed)
    def _fee_changed(self, conn: Any, e: Any) -> None:
        # The level is the aggregate's key; its id is derived from it, so the row is found by id.
        conn.execute(
            update(fee_standards)
            .where(fee_standards.c.level == _LEVEL_BY_ID[e.originator_id])
            .values(
                credit_fee_per_credit_fen=e.credit_fee_per_credit_fen,
                exam_fee_per_course_fen=e.exam_fee_per_course_fen,
                updated_at=utc(e.timestamp),
            )
        )


_LEVEL_BY_ID = {FeeStandard.create_id(level.value): level.value for level in EducationLevel}
