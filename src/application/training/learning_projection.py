"""Read models of the training platform's learning side: schools and their people, courses and
studies with chapter progress, lectures and hosting applications, school-recognised activities
and declarations, and every trainee's hours detail (我的学时明细)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    Integer,
    String,
    Table,
    Text,
    Uuid,
    select,
    update,
)

from application.common.instant import Instant
from application.common.projection import Projection, Writes, handles, read_models
from domains.training.activities import (
    ActivityDeclaration,
    DeclarationStatus,
    OfflineActivity,
)
from domains.training.lectures import (
    HostingApplication,
    HostingStatus,
    Lecture,
    LectureOrigin,
)
from domains.training.members import TrainingMember
from domains.training.progress import CourseStudy, watched_seconds
from domains.training.resources import ResourceKind, TrainingCourse
from domains.training.schools import TrainingSchool

schools = Table(
    "rm_training_schools", read_models,
    Column("id", Uuid, primary_key=True),
    Column("name", String(60), nullable=False),
    Column("campus_ranges", JSON, nullable=False),
    Column("training_list", JSON, nullable=False),
    Column("registered_at", Instant(), nullable=False),
)

members = Table(
    "rm_training_members", read_models,
    Column("account_id", Uuid, primary_key=True),
    Column("member_id", Uuid, nullable=False, unique=True),
    Column("role", String(30), nullable=False),
    Column("training_school_id", Uuid, index=True),
    Column("unit_name", String(60)),
    Column("campus_range", String(50)),
    Column("account_login_seen", Boolean, nullable=False),
    Column("wechat_bound", Boolean, nullable=False),
    Column("mobile_bound", Boolean, nullable=False),
    Column("registered_at", Instant(), nullable=False),
)

courses = Table(
    "rm_training_courses", read_models,
    Column("id", Uuid, primary_key=True),
    Column("kind", String(20), nullable=False, index=True),
    Column("training_school_id", Uuid, index=True),
    Column("title", String(100), nullable=False),
    Column("tenths", Integer, nullable=False),
    Column("chapters", JSON, nullable=False),
    Column("chapter_count", Integer, nullable=False),
    Column("total_seconds", Integer, nullable=False),
    Column("summary_prompt", Text, nullable=False),
    Column("published_at", Instant(), nullable=False),
)

studies = Table(
    "rm_training_studies", read_models,
    Column("id", Uuid, primary_key=True),
    Column("trainee_id", Uuid, nullable=False, index=True),
    Column("training_school_id", Uuid, nullable=False, index=True),
    Column("course_id", Uuid, nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("title", String(100), nullable=False),
    Column("tenths", Integer, nullable=False),
    Column("chapters_total", Integer, nullable=False),
    Column("chapters_done", Integer, nullable=False),
    Column("summary_submitted", Boolean, nullable=False),
    Column("summary", Text),
    Column("summary_submitted_at", Instant()),
    Column("completed", Boolean, nullable=False),
    Column("certificate_eligible", Boolean, nullable=False),
    Column("via_training_list", Boolean, nullable=False),
    Column("signed_up_at", Instant(), nullable=False),
    Column("completed_at", Instant()),
)

chapter_progress = Table(
    "rm_training_chapter_progress", read_models,
    Column("study_id", Uuid, primary_key=True),
    Column("chapter_id", String(36), primary_key=True),
    Column("intervals", JSON, nullable=False),
    Column("watched_seconds", Float, nullable=False),
    Column("completed", Boolean, nullable=False),
    Column("updated_at", Instant(), nullable=False),
)

lectures = Table(
    "rm_training_lectures", read_models,
    Column("id", Uuid, primary_key=True),
    Column("origin", String(10), nullable=False),
    Column("training_school_id", Uuid, index=True),
    Column("title", String(100), nullable=False),
    Column("speaker", String(40), nullable=False),
    Column("starts_at", Instant(), nullable=False),
    Column("duration_minutes", Integer, nullable=False),
    Column("tenths", Integer, nullable=False),
    Column("signups", Integer, nullable=False),
    Column("hosting_application_id", Uuid),
)

lecture_signups = Table(
    "rm_training_lecture_signups", read_models,
    Column("lecture_id", Uuid, primary_key=True),
    Column("trainee_id", Uuid, primary_key=True),
    Column("signed_up_at", Instant(), nullable=False),
    Column("attended", Boolean, nullable=False),
)

hosting = Table(
    "rm_training_hosting_applications", read_models,
    Column("id", Uuid, primary_key=True),
    Column("applicant_id", Uuid, nullable=False, index=True),
    Column("training_school_id", Uuid, nullable=False, index=True),
    Column("title", String(100), nullable=False),
    Column("outline", Text, nullable=False),
    Column("preferred_date", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("rejection_reason", Text),
    Column("lecture_id", Uuid),
    Column("submitted_at", Instant(), nullable=False),
    Column("updated_at", Instant(), nullable=False),
)

activities = Table(
    "rm_training_offline_activities", read_models,
    Column("id", Uuid, primary_key=True),
    Column("training_school_id", Uuid, nullable=False, index=True),
    Column("title", String(100), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("tenths", Integer, nullable=False),
    Column("participants", Integer, nullable=False),
)

declarations = Table(
    "rm_training_declarations", read_models,
    Column("id", Uuid, primary_key=True),
    Column("trainee_id", Uuid, nullable=False, index=True),
    Column("training_school_id", Uuid, nullable=False, index=True),
    Column("title", String(100), nullable=False),
    Column("organiser", String(100), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("tenths", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("reason", Text),
    Column("declared_at", Instant(), nullable=False),
)

# 我的学时明细: one row per hour source of a trainee.
hours = Table(
    "rm_training_hours", read_models,
    Column("trainee_id", Uuid, primary_key=True),
    Column("source_id", Uuid, primary_key=True),
    Column("kind", String(30), nullable=False),
    Column("title", String(100), nullable=False),
    Column("tenths", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("certificate_eligible", Boolean, nullable=False),
    Column("recorded_at", Instant(), nullable=False),
    Column("updated_at", Instant(), nullable=False),
)

COURSE_HOURS_KIND = {
    ResourceKind.CENTRE.value: "centre_course",
    ResourceKind.SCHOOL.value: "school_course",
    ResourceKind.IDEOLOGY.value: "ideology_course",
}


class TrainingLearningProjection(Projection):
    name = "training_learning"
    tables = (
        schools, members, courses, studies, chapter_progress, lectures, lecture_signups, hosting, activities,
        declarations, hours,
    )

    # -- schools and people -------------------------------------------------------------------

    @handles(TrainingSchool.Registered)
    def _school(self, conn: Writes, e: Any) -> None:
        conn.insert(schools, {
            "id": e.originator_id, "name": e.name, "campus_ranges": list(e.campus_ranges), "training_list": [],
            "registered_at": e.timestamp,
        })

    @handles(TrainingSchool.Edited)
    def _school_edited(self, conn: Writes, e: Any) -> None:
        conn.update(schools, {"id": e.originator_id}, {"name": e.name, "campus_ranges": list(e.campus_ranges)})

    @handles(TrainingSchool.TrainingListSet)
    def _training_list(self, conn: Writes, e: Any) -> None:
        conn.update(schools, {"id": e.originator_id}, {"training_list": [str(c) for c in e.course_ids]})

    @handles(TrainingMember.Registered)
    def _member(self, conn: Writes, e: Any) -> None:
        conn.insert(members, {
            "account_id": e.account_id, "member_id": e.originator_id, "role": e.role,
            "training_school_id": e.training_school_id, "unit_name": e.unit_name, "campus_range": e.campus_range,
            "account_login_seen": False, "wechat_bound": False, "mobile_bound": False, "registered_at": e.timestamp,
        })

    def _member_set(self, conn: Writes, e: Any, **values: Any) -> None:
        conn.update(members, {"member_id": e.originator_id}, values)

    @handles(TrainingMember.FirstAccountLogin)
    def _login(self, conn: Writes, e: Any) -> None:
        self._member_set(conn, e, account_login_seen=True)

    @handles(TrainingMember.WeChatBound)
    def _wechat(self, conn: Writes, e: Any) -> None:
        self._member_set(conn, e, wechat_bound=True)

    @handles(TrainingMember.MobileBound)
    def _mobile(self, conn: Writes, e: Any) -> None:
        self._member_set(conn, e, mobile_bound=True)

    # -- courses and studies ------------------------------------------------------------------

    @handles(TrainingCourse.Published)
    def _course(self, conn: Writes, e: Any) -> None:
        conn.insert(courses, {
            "id": e.originator_id, "kind": e.kind, "training_school_id": e.training_school_id, "title": e.title,
            "tenths": e.tenths, "chapters": list(e.chapters), "chapter_count": len(e.chapters),
            "total_seconds": sum(int(c["duration_seconds"]) for c in e.chapters), "summary_prompt": e.summary_prompt,
            "published_at": e.timestamp,
        })

    @handles(TrainingCourse.ChapterVideoAttached, TrainingCourse.ChapterVideoReplaced)
    def _chapter_video(self, conn: Writes, e: Any) -> None:
        row = conn.execute(select(courses.c.chapters).where(courses.c.id == e.originator_id)).first()
        assert row is not None
        chapters = [
            {**c, "video": dict(e.video), "video_url": None, "duration_seconds": e.duration_seconds}
            if c["id"] == e.chapter_id else c
            for c in row[0]
        ]
        conn.update(courses, {"id": e.originator_id}, {
            "chapters": chapters, "total_seconds": sum(int(c["duration_seconds"]) for c in chapters),
        })

    @handles(CourseStudy.SignedUp)
    def _signed_up(self, conn: Writes, e: Any) -> None:
        conn.insert(studies, {
            "id": e.originator_id, "trainee_id": e.trainee_id, "training_school_id": e.training_school_id,
            "course_id": e.course_id, "kind": e.kind, "title": e.title, "tenths": e.tenths,
            "chapters_total": len(e.chapters), "chapters_done": 0, "summary_submitted": False, "completed": False,
            "certificate_eligible": False, "via_training_list": e.via_training_list, "signed_up_at": e.timestamp,
        })
        conn.insert(hours, {
            "trainee_id": e.trainee_id, "source_id": e.course_id, "kind": COURSE_HOURS_KIND[e.kind], "title": e.title,
            "tenths": e.tenths, "status": "learning", "certificate_eligible": False, "recorded_at": e.timestamp,
            "updated_at": e.timestamp,
        })

    @handles(CourseStudy.WatchedIntervalsMerged)
    def _watched(self, conn: Writes, e: Any) -> None:
        intervals = [[float(s), float(t)] for s, t in e.intervals]
        seconds = watched_seconds([(s, t) for s, t in intervals])
        key = (chapter_progress.c.study_id == e.originator_id) & (chapter_progress.c.chapter_id == e.chapter_id)
        if conn.execute(select(chapter_progress.c.study_id).where(key)).first() is None:
            conn.insert(chapter_progress, {
                "study_id": e.originator_id, "chapter_id": e.chapter_id, "intervals": intervals,
                "watched_seconds": seconds, "completed": False, "updated_at": e.timestamp,
            })
        else:
            conn.update(chapter_progress, {"study_id": e.originator_id, "chapter_id": e.chapter_id}, {
                "intervals": intervals, "watched_seconds": seconds, "updated_at": e.timestamp,
            })

    @handles(CourseStudy.ChapterCompleted)
    def _chapter_done(self, conn: Writes, e: Any) -> None:
        conn.update(chapter_progress, {"study_id": e.originator_id, "chapter_id": e.chapter_id}, {
            "completed": True, "updated_at": e.timestamp,
        })
        conn.execute(update(studies).where(studies.c.id == e.originator_id).values(
            chapters_done=studies.c.chapters_done + 1
        ))

    @handles(CourseStudy.SummarySubmitted)
    def _summary(self, conn: Writes, e: Any) -> None:
        conn.update(studies, {"id": e.originator_id}, {
            "summary_submitted": True, "summary": e.text, "summary_submitted_at": e.timestamp,
        })

    @handles(CourseStudy.Completed)
    def _completed(self, conn: Writes, e: Any) -> None:
        conn.update(studies, {"id": e.originator_id}, {
            "completed": True, "certificate_eligible": e.certificate_eligible, "completed_at": e.timestamp,
        })
        row = conn.execute(select(studies.c.trainee_id, studies.c.course_id).where(studies.c.id == e.originator_id)).first()
        assert row is not None
        conn.update(hours, {"trainee_id": row[0], "source_id": row[1]}, {
            "status": "complete", "certificate_eligible": e.certificate_eligible, "updated_at": e.timestamp,
        })

    # -- lectures ------------------------------------------------------------------------------

    @handles(Lecture.Scheduled)
    def _lecture(self, conn: Writes, e: Any) -> None:
        conn.insert(lectures, {
            "id": e.originator_id, "origin": e.origin, "training_school_id": e.training_school_id, "title": e.title,
            "speaker": e.speaker, "starts_at": e.starts_at, "duration_minutes": e.duration_minutes,
            "tenths": e.tenths, "signups": 0, "hosting_application_id": e.hosting_application_id,
        })

    @handles(Lecture.SignedUp)
    def _lecture_signup(self, conn: Writes, e: Any) -> None:
        conn.insert(lecture_signups, {
            "lecture_id": e.originator_id, "trainee_id": e.trainee_id, "signed_up_at": e.timestamp, "attended": False,
        })
        conn.execute(update(lectures).where(lectures.c.id == e.originator_id).values(signups=lectures.c.signups + 1))

    @handles(Lecture.AttendedInFull)
    def _attended(self, conn: Writes, e: Any) -> None:
        conn.update(lecture_signups, {"lecture_id": e.originator_id, "trainee_id": e.trainee_id}, {"attended": True})
        lecture = conn.execute(select(lectures.c.origin, lectures.c.title).where(lectures.c.id == e.originator_id)).first()
        assert lecture is not None
        centre = lecture[0] == LectureOrigin.CENTRE.value
        conn.insert(hours, {
            "trainee_id": e.trainee_id, "source_id": e.originator_id,
            "kind": "centre_lecture" if centre else "school_lecture", "title": lecture[1], "tenths": e.tenths,
            "status": "complete", "certificate_eligible": centre, "recorded_at": e.timestamp,
            "updated_at": e.timestamp,
        })

    @handles(HostingApplication.Submitted)
    def _hosting(self, conn: Writes, e: Any) -> None:
        conn.insert(hosting, {
            "id": e.originator_id, "applicant_id": e.applicant_id, "training_school_id": e.training_school_id,
            "title": e.title, "outline": e.outline, "preferred_date": e.preferred_date,
            "status": HostingStatus.SUBMITTED.value, "submitted_at": e.timestamp, "updated_at": e.timestamp,
        })

    def _hosting_set(self, conn: Writes, e: Any, **values: Any) -> None:
        conn.update(hosting, {"id": e.originator_id}, {"updated_at": e.timestamp, **values})

    @handles(HostingApplication.ApprovedBySchool)
    def _hosting_approved(self, conn: Writes, e: Any) -> None:
        self._hosting_set(conn, e, status=HostingStatus.APPROVED.value)

    @handles(HostingApplication.RejectedBySchool)
    def _hosting_rejected(self, conn: Writes, e: Any) -> None:
        self._hosting_set(conn, e, status=HostingStatus.REJECTED.value, rejection_reason=e.reason)

    @handles(HostingApplication.ScheduledByCentre)
    def _hosting_scheduled(self, conn: Writes, e: Any) -> None:
        self._hosting_set(conn, e, status=HostingStatus.SCHEDULED.value, lecture_id=e.lecture_id)

    # -- school-recognised hours ----------------------------------------------------------------

    @handles(OfflineActivity.Organised)
    def _activity(self, conn: Writes, e: Any) -> None:
        conn.insert(activities, {
            "id": e.originator_id, "training_school_id": e.training_school_id, "title": e.title,
            "held_on": e.held_on, "tenths": e.tenths, "participants": 0,
        })

    @handles(OfflineActivity.ParticipationRecorded)
    def _participation(self, conn: Writes, e: Any) -> None:
        conn.execute(update(activities).where(activities.c.id == e.originator_id).values(
            participants=activities.c.participants + 1
        ))
        title = conn.execute(select(activities.c.title).where(activities.c.id == e.originator_id)).scalar_one()
        conn.insert(hours, {
            "trainee_id": e.trainee_id, "source_id": e.originator_id, "kind": "offline_activity", "title": title,
            "tenths": e.tenths, "status": "recognised", "certificate_eligible": False, "recorded_at": e.timestamp,
            "updated_at": e.timestamp,
        })

    @handles(ActivityDeclaration.Declared)
    def _declared(self, conn: Writes, e: Any) -> None:
        conn.insert(declarations, {
            "id": e.originator_id, "trainee_id": e.trainee_id, "training_school_id": e.training_school_id,
            "title": e.title, "organiser": e.organiser, "held_on": e.held_on, "tenths": e.tenths,
            "status": DeclarationStatus.SUBMITTED.value, "declared_at": e.timestamp,
        })
        conn.insert(hours, {
            "trainee_id": e.trainee_id, "source_id": e.originator_id, "kind": "declaration", "title": e.title,
            "tenths": e.tenths, "status": DeclarationStatus.SUBMITTED.value, "certificate_eligible": False,
            "recorded_at": e.timestamp, "updated_at": e.timestamp,
        })

    def _declaration_set(self, conn: Writes, e: Any, status: str, reason: str | None) -> None:
        conn.update(declarations, {"id": e.originator_id}, {"status": status, "reason": reason})
        conn.update(hours, {"source_id": e.originator_id}, {"status": status, "updated_at": e.timestamp})

    @handles(ActivityDeclaration.Recognised)
    def _recognised(self, conn: Writes, e: Any) -> None:
        self._declaration_set(conn, e, DeclarationStatus.RECOGNISED.value, None)

    @handles(ActivityDeclaration.Rejected)
    def _rejected(self, conn: Writes, e: Any) -> None:
        self._declaration_set(conn, e, DeclarationStatus.REJECTED.value, e.reason)

