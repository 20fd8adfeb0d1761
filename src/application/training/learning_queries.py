"""Read side of the training platform's learning: lists and pages for trainees, school
administrators and the centre, from the read models only."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, and_, or_, select

from application.common.actor import Actor
from application.common.queries import Page, PageOf, paged
from application.identity.projection import accounts
from application.training.learning_projection import (
    chapter_progress,
    courses,
    declarations,
    hosting,
    hours,
    lecture_signups,
    lectures,
    members,
    schools,
    studies,
)
from domains.shared.errors import NotFound
from domains.shared.values import TRAINING_ROLES, Role
from domains.training.activities import DeclarationStatus
from domains.training.lectures import HostingStatus, LectureOrigin
from domains.training.ledger import hours_text
from domains.training.resources import ResourceKind

CENTRE = Role.TRAINING_CENTRE_ADMIN
SCHOOL_ADMIN = Role.TRAINING_SCHOOL_ADMIN
AUDITOR = Role.AUDITOR

HOURS_KIND_LABELS = {
    "centre_course": "网培中心资源",
    "school_course": "校本资源",
    "ideology_course": "马工程思政课",
    "centre_lecture": "网培中心直播讲座",
    "school_lecture": "学校直播讲座",
    "offline_activity": "学校线下活动",
    "declaration": "校外活动学分申报",
}
HOURS_STATUS_LABELS = {
    "learning": "学习中（过程学时，不可打印）",
    "complete": "已完成",
    "recognised": "学校已认定",
    "submitted": "待学校审核",
    "rejected": "不予认定",
}
SORTS = {
    "newest": [courses.c.published_at.desc(), courses.c.id],
    "hours_desc": [courses.c.tenths.desc(), courses.c.title, courses.c.id],
    "hours_asc": [courses.c.tenths, courses.c.title, courses.c.id],
    "title": [courses.c.title, courses.c.id],
}


def sees_every_school(actor: Actor) -> bool:
    """The centre works across every school platform; the auditor reads everything."""
    return actor.has(CENTRE, AUDITOR)


def training_school_of(conn: Connection, account_id: uuid.UUID) -> uuid.UUID | None:
    """The school training platform a trainee or school administrator belongs to."""
    return conn.execute(
        select(members.c.training_school_id).where(members.c.account_id == account_id)
    ).scalar_one_or_none()


def with_training_school(conn: Connection, actor: Actor) -> Actor:
    """The actor with the school training platform they belong to (trainees, school admins)."""
    if actor.user_id is None or not actor.roles & TRAINING_ROLES:
        return actor
    return replace(actor, training_school_id=training_school_of(conn, actor.user_id))


def my_membership(conn: Connection, actor: Actor) -> dict[str, Any]:
    """The acting member's own registration and bindings (绑定状态)."""
    row = conn.execute(
        select(members, schools.c.name.label("school_name"))
        .select_from(members.outerjoin(schools, schools.c.id == members.c.training_school_id))
        .where(members.c.account_id == actor.user_id)
    ).mappings().first()
    if row is None:
        raise NotFound("not_found", "培训平台用户不存在")
    return dict(row)


def _label_course(row: dict[str, Any]) -> dict[str, Any]:
    kind = ResourceKind(row["kind"])
    row["kind_label"] = kind.label
    row["source_tag"] = kind.source_tag
    row["hours"] = hours_text(row["tenths"])
    row["certificate_kind"] = kind.certificate_eligible
    return row


# -- schools ------------------------------------------------------------------------------------


def school_choices(conn: Connection) -> list[dict[str, Any]]:
    """Public: the school platforms a trainee may register with (names only)."""
    return [dict(r) for r in conn.execute(select(schools.c.id, schools.c.name).order_by(schools.c.name)).mappings()]


def list_schools(conn: Connection, actor: Actor) -> list[dict[str, Any]]:
    actor.require(CENTRE, SCHOOL_ADMIN, AUDITOR)
    query = select(schools).order_by(schools.c.name)
    if not sees_every_school(actor):
        query = query.where(schools.c.id == actor.training_school_id)
    return [dict(r) for r in conn.execute(query).mappings()]


def get_school(conn: Connection, actor: Actor, school_id: uuid.UUID) -> dict[str, Any]:
    actor.require(CENTRE, SCHOOL_ADMIN, AUDITOR, Role.TRAINEE)
    row = conn.execute(select(schools).where(schools.c.id == school_id)).mappings().first()
    if row is None or not (sees_every_school(actor) or actor.training_school_id == school_id):
        raise NotFound("not_found", "学校培训平台不存在")
    school = dict(row)
    if not actor.has(CENTRE, SCHOOL_ADMIN, AUDITOR):
        school.pop("campus_ranges")
    return school


def list_members(conn: Connection, actor: Actor, school_id: uuid.UUID | None, role: str | None = None) -> list[dict[str, Any]]:
    """Trainees and administrators of a school (the centre and the auditor: of any school, or
    every centre admin with None). A school administrator asking for another school is answered
    404, as if it did not exist, rather than with their own school's list."""
    actor.require(CENTRE, SCHOOL_ADMIN, AUDITOR)
    if not sees_every_school(actor) and (school_id is None or school_id != actor.training_school_id):
        raise NotFound("not_found", "学校培训平台不存在")
    query = (
        select(members, accounts.c.username, accounts.c.name, accounts.c.status)
        .select_from(members.join(accounts, accounts.c.id == members.c.account_id))
        .where(members.c.training_school_id == school_id if school_id else members.c.training_school_id.is_(None))
        .order_by(accounts.c.username)
    )
    if role:
        query = query.where(members.c.role == role)
    rows = [dict(r) for r in conn.execute(query).mappings()]
    for r in rows:
        r["role_label"] = Role(r["role"]).label
    return rows


# -- courses ------------------------------------------------------------------------------------


def _visible_courses(actor: Actor) -> Any:
    if sees_every_school(actor):
        return courses.c.id.is_not(None)
    return or_(courses.c.kind != ResourceKind.SCHOOL.value, courses.c.training_school_id == actor.training_school_id)


def list_courses(
    conn: Connection, actor: Actor, page: Page, kind: str | None = None, q: str | None = None,
    min_tenths: int | None = None, max_tenths: int | None = None, sort: str = "newest",
) -> PageOf:
    """课程资源: every list labels the source; a trainee sees whether they signed up."""
    actor.require(Role.TRAINEE, SCHOOL_ADMIN, CENTRE, AUDITOR)
    cols = [c for c in courses.c if c.name != "chapters"]
    query = select(*cols).where(_visible_courses(actor))
    if actor.has(Role.TRAINEE) and actor.user_id:
        query = select(*cols, studies.c.id.label("study_id")).select_from(
            courses.outerjoin(studies, and_(studies.c.course_id == courses.c.id, studies.c.trainee_id == actor.user_id))
        ).where(_visible_courses(actor))
    if kind:
        query = query.where(courses.c.kind == kind)
    if q:
        query = query.where(courses.c.title.contains(q, autoescape=True))
    if min_tenths is not None:
        query = query.where(courses.c.tenths >= min_tenths)
    if max_tenths is not None:
        query = query.where(courses.c.tenths <= max_tenths)
    result = paged(conn, query, page, SORTS.get(sort, SORTS["newest"]))
    for r in result.items:
        _label_course(r)
        r["signed_up"] = r.get("study_id") is not None
    return result


def chapter_video_path(course_id: uuid.UUID, chapter_id: str, ref: str) -> str:
    """Where this site plays a chapter's uploaded video; the content digest in the query keeps a
    replaced video from being served from a browser's cache."""
    return f"/training/courses/{course_id}/chapters/{chapter_id}/video?v={ref[:16]}"


def _visible_course(conn: Connection, actor: Actor, course_id: uuid.UUID) -> dict[str, Any]:
    actor.require(Role.TRAINEE, SCHOOL_ADMIN, CENTRE, AUDITOR)
    row = conn.execute(select(courses).where(courses.c.id == course_id, _visible_courses(actor))).mappings().first()
    if row is None:
        raise NotFound("not_found", "课程不存在")
    return dict(row)


def chapter_video(conn: Connection, actor: Actor, course_id: uuid.UUID, chapter_id: str) -> dict[str, Any]:
    """The uploaded video of a chapter of a course the actor may see: ref, content_type, size,
    duration_ms; NotFound when the chapter has none."""
    course = _visible_course(conn, actor, course_id)
    chapter = next((c for c in course["chapters"] if c["id"] == chapter_id), None)
    if chapter is None or not chapter.get("video"):
        raise NotFound("not_found", "该章节没有上传的视频")
    return dict(chapter["video"])


def get_course(conn: Connection, actor: Actor, course_id: uuid.UUID) -> dict[str, Any]:
    """A course with its chapters (an uploaded video's address filled in); for a trainee who
    signed up, the progress of each chapter."""
    course = _label_course(_visible_course(conn, actor, course_id))
    for chapter in course["chapters"]:
        if chapter.get("video"):
            chapter["video_url"] = chapter_video_path(course_id, chapter["id"], chapter["video"]["ref"])
    course["study"] = None
    if actor.has(Role.TRAINEE) and actor.user_id:
        study = conn.execute(
            select(studies).where(studies.c.course_id == course_id, studies.c.trainee_id == actor.user_id)
        ).mappings().first()
        if study is not None:
            course["study"] = _shape_study(dict(study))
            progress = {
                r["chapter_id"]: dict(r)
                for r in conn.execute(select(chapter_progress).where(chapter_progress.c.study_id == study["id"])).mappings()
            }
            for chapter in course["chapters"]:
                p = progress.get(chapter["id"])
                chapter["watched_seconds"] = p["watched_seconds"] if p else 0.0
                chapter["intervals"] = p["intervals"] if p else []
                chapter["completed"] = bool(p and p["completed"])
    return course


def _shape_study(row: dict[str, Any]) -> dict[str, Any]:
    kind = ResourceKind(row["kind"])
    row["kind_label"] = kind.label
    row["source_tag"] = kind.source_tag
    row["hours"] = hours_text(row["tenths"])
    row["summary_state"] = "已提交" if row["summary_submitted"] else "未提交"
    if row["certificate_eligible"]:
        row["hours_state"] = "可申请网培中心证书"
    elif row["completed"]:
        row["hours_state"] = "已完成（由学校认定）"
    else:
        row["hours_state"] = "过程学时（尚不可打印）"
    return row


def my_courses(conn: Connection, actor: Actor) -> list[dict[str, Any]]:
    """我的培训课程 (an auditor, who studies nothing, reads an empty list rather than a refusal)."""
    actor.require(Role.TRAINEE, AUDITOR)
    rows = conn.execute(
        select(studies).where(studies.c.trainee_id == actor.user_id).order_by(studies.c.signed_up_at, studies.c.title)
    ).mappings()
    return [_shape_study(dict(r)) for r in rows]


def training_list(conn: Connection, actor: Actor) -> list[dict[str, Any]]:
    """培训课单: the courses the actor's school preset, for one-click sign-up."""
    actor.require(Role.TRAINEE, SCHOOL_ADMIN, CENTRE, AUDITOR)
    school_id = actor.training_school_id
    row = conn.execute(select(schools.c.training_list).where(schools.c.id == school_id)).first()
    ids = [uuid.UUID(i) for i in (row[0] if row else [])]
    if not ids:
        return []
    cols = [c for c in courses.c if c.name != "chapters"]
    found = {r["id"]: _label_course(dict(r)) for r in conn.execute(select(*cols).where(courses.c.id.in_(ids))).mappings()}
    signed = set()
    if actor.has(Role.TRAINEE):
        signed = {
            c for (c,) in conn.execute(
                select(studies.c.course_id).where(studies.c.trainee_id == actor.user_id, studies.c.course_id.in_(ids))
            )
        }
    out = []
    for i in ids:
        if i in found:
            found[i]["signed_up"] = i in signed
            out.append(found[i])
    return out


# -- lectures and hosting -----------------------------------------------------------------------


def list_lectures(conn: Connection, actor: Actor, lecture_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    actor.require(Role.TRAINEE, SCHOOL_ADMIN, CENTRE, AUDITOR)
    query = select(lectures).order_by(lectures.c.starts_at, lectures.c.title)
    if lecture_id is not None:
        query = query.where(lectures.c.id == lecture_id)
    if not sees_every_school(actor):
        query = query.where(or_(lectures.c.origin == LectureOrigin.CENTRE.value,
                                lectures.c.training_school_id == actor.training_school_id))
    rows = [dict(r) for r in conn.execute(query).mappings()]
    mine: dict[Any, bool] = {}
    if actor.has(Role.TRAINEE):
        mine = {
            r[0]: r[1] for r in conn.execute(
                select(lecture_signups.c.lecture_id, lecture_signups.c.attended)
                .where(lecture_signups.c.trainee_id == actor.user_id)
            )
        }
    for r in rows:
        r["origin_label"] = LectureOrigin(r["origin"]).label
        r["hours"] = hours_text(r["tenths"])
        r["certificate_eligible"] = r["origin"] == LectureOrigin.CENTRE.value
        r["signed_up"] = r["id"] in mine
        r["attended"] = mine.get(r["id"], False)
    return rows


def lecture_signups_of(conn: Connection, actor: Actor, lecture_id: uuid.UUID) -> list[dict[str, Any]]:
    role = actor.require(CENTRE, AUDITOR, SCHOOL_ADMIN)
    lecture = conn.execute(select(lectures).where(lectures.c.id == lecture_id)).mappings().first()
    if lecture is None or (role is SCHOOL_ADMIN and lecture["training_school_id"] != actor.training_school_id):
        raise NotFound("not_found", "直播讲座不存在")
    rows = conn.execute(
        select(lecture_signups, accounts.c.username, accounts.c.name)
        .select_from(lecture_signups.join(accounts, accounts.c.id == lecture_signups.c.trainee_id))
        .where(lecture_signups.c.lecture_id == lecture_id).order_by(accounts.c.username)
    ).mappings()
    return [dict(r) for r in rows]


def _scoped(actor: Actor, query: Any, school_column: Any, trainee_column: Any) -> Any:
    """The centre and the auditor see every school's; a school administrator their school's; a
    trainee their own."""
    if sees_every_school(actor):
        return query
    if actor.has(SCHOOL_ADMIN):
        return query.where(school_column == actor.training_school_id)
    return query.where(trainee_column == actor.user_id)


def list_hosting(
    conn: Connection, actor: Actor, status: str | None = None, application_id: uuid.UUID | None = None
) -> list[dict[str, Any]]:
    """A trainee's own applications; a school's for its administrator; the centre: every school's."""
    actor.require(Role.TRAINEE, SCHOOL_ADMIN, CENTRE, AUDITOR)
    query = (
        select(hosting, accounts.c.name.label("applicant_name"), schools.c.name.label("school_name"))
        .select_from(hosting.join(accounts, accounts.c.id == hosting.c.applicant_id)
                     .join(schools, schools.c.id == hosting.c.training_school_id))
        .order_by(hosting.c.submitted_at.desc(), hosting.c.id)
    )
    query = _scoped(actor, query, hosting.c.training_school_id, hosting.c.applicant_id)
    if status:
        query = query.where(hosting.c.status == status)
    if application_id is not None:
        query = query.where(hosting.c.id == application_id)
    rows = [dict(r) for r in conn.execute(query).mappings()]
    for r in rows:
        r["status_label"] = HostingStatus(r["status"]).label
    return rows


def get_hosting(conn: Connection, actor: Actor, application_id: uuid.UUID) -> dict[str, Any]:
    found = list_hosting(conn, actor, application_id=application_id)
    if not found:
        raise NotFound("not_found", "直播开办申请不存在")
    return found[0]


# -- school-recognised hours --------------------------------------------------------------------


def list_activities(conn: Connection, actor: Actor) -> list[dict[str, Any]]:
    from application.training.learning_projection import activities

    actor.require(SCHOOL_ADMIN, CENTRE, AUDITOR)
    query = select(activities).order_by(activities.c.held_on.desc(), activities.c.title)
    if not sees_every_school(actor):
        query = query.where(activities.c.training_school_id == actor.training_school_id)
    rows = [dict(r) for r in conn.execute(query).mappings()]
    for r in rows:
        r["hours"] = hours_text(r["tenths"])
    return rows


def list_declarations(conn: Connection, actor: Actor, status: str | None = None) -> list[dict[str, Any]]:
    actor.require(Role.TRAINEE, SCHOOL_ADMIN, CENTRE, AUDITOR)
    query = (
        select(declarations, accounts.c.name.label("trainee_name"))
        .select_from(declarations.join(accounts, accounts.c.id == declarations.c.trainee_id))
        .order_by(declarations.c.declared_at.desc(), declarations.c.id)
    )
    query = _scoped(actor, query, declarations.c.training_school_id, declarations.c.trainee_id)
    if status:
        query = query.where(declarations.c.status == status)
    rows = [dict(r) for r in conn.execute(query).mappings()]
    for r in rows:
        r["status_label"] = DeclarationStatus(r["status"]).label
        r["hours"] = hours_text(r["tenths"])
    return rows


# -- my hours detail ----------------------------------------------------------------------------


def hours_detail(conn: Connection, actor: Actor, trainee_id: uuid.UUID | None = None) -> dict[str, Any]:
    """我的学时明细: every hour source with its kind, source label, hours and whether it may go on a
    centre certificate. A school administrator sees their own trainees'; the centre and the
    auditor any trainee's."""
    actor.require(Role.TRAINEE, SCHOOL_ADMIN, CENTRE, AUDITOR)
    if actor.has(Role.TRAINEE) and not actor.is_training_admin:
        trainee_id = actor.user_id
    if trainee_id is None:
        raise NotFound("not_found", "参训教师不存在")
    if not sees_every_school(actor) and trainee_id != actor.user_id:
        school = training_school_of(conn, trainee_id)
        if school is None or school != actor.training_school_id:
            raise NotFound("not_found", "参训教师不存在或不属于您的学校")
    rows = [dict(r) for r in conn.execute(
        select(hours).where(hours.c.trainee_id == trainee_id).order_by(hours.c.recorded_at, hours.c.title)
    ).mappings()]
    for r in rows:
        r["kind_label"] = HOURS_KIND_LABELS[r["kind"]]
        r["status_label"] = HOURS_STATUS_LABELS[r["status"]]
        r["hours"] = hours_text(r["tenths"])
    # process hours count in the total; declarations count once the school recognises them
    total = sum(r["tenths"] for r in rows if r["status"] not in ("rejected", "submitted"))
    eligible = sum(r["tenths"] for r in rows if r["certificate_eligible"])
    return {
        "trainee_id": trainee_id,
        "items": rows,
        "total_tenths": total,
        "total_hours": hours_text(total),
        "eligible_tenths": eligible,
        "eligible_hours": hours_text(eligible),
    }


