"""Batch course selection for a cohort (代学生选课（批量选课）, requirements/enrolment.md §2.3).

A teaching point queries the learners of one study batch and one programme (its five
elements), ticks learners and the programme's courses, and selects them for every chosen
learner. The work runs as a background job (`application.common.jobs`): each learner gets their
own result — the courses selected, the courses skipped because the learner had already selected
them, or every unmet condition that refused them (a learner's courses are all or none, one
learner never blocks another). Re-running is harmless: a selected course is never selected twice.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any

import structlog
from sqlalchemy import Connection, select

from application.admissions.projection import programmes
from application.common.actor import Actor
from application.common.context import current_correlation_id
from application.common.filters import RosterFilter
from application.common.jobs import (
    TRANSIENT,
    BulkJob,
    BulkJobService,
    ItemResult,
    JobQueue,
    JobRunner,
    JobState,
    JobStatus,
    bulk_job_items_view,
    bulk_jobs_view,
)
from application.common.loading import load
from application.common.ports import Clock
from application.common.queries import Page, PageOf, in_scope, paged
from application.enrolment.service import Enrolment, LearnerSelection
from application.learners.projection import learners
from application.organisation.projection import teaching_points
from domains.curriculum.course import Course
from domains.learners.learner import Learner, LearnerStatus
from domains.shared.errors import DomainError, InvalidInput, NotFound
from domains.shared.values import Role

log = structlog.get_logger(__name__)

BATCH_SELECTION_TASK = "enrolment.batch_selection"
KIND = "course_selection"
MAX_LEARNERS = 20_000
MAX_COURSES = 50
CHUNK = 100  # learners per atomic write

STATUS_LABELS = {
    JobStatus.QUEUED: "排队中",
    JobStatus.RUNNING: "选课中",
    JobStatus.DONE: "已完成",
    JobStatus.FAILED: "失败",
}
READERS = (Role.TEACHING_POINT_ADMIN, Role.ACADEMIC_AFFAIRS, Role.AUDITOR, Role.SYSTEM_ADMIN)


def _ids(values: Sequence[uuid.UUID], what: str, field: str, limit: int) -> list[uuid.UUID]:
    ids = list(dict.fromkeys(values))
    if not ids:
        raise InvalidInput(f"batch_selection.{field}_required", f"请选择{what}", field=field)
    if len(ids) > limit:
        raise InvalidInput(f"batch_selection.too_many_{field}", f"一次最多为{limit}个{what}选课", field=field)
    return ids


def describe(outcome: LearnerSelection) -> str:
    """What happened to one learner, in the words the result page shows."""
    if not outcome.ok:
        return outcome.message or ""
    result = outcome.result
    assert result is not None
    parts = []
    if result.enrollment_ids:
        parts.append(f"已选{len(result.enrollment_ids)}门课程，生成{len(result.bill_ids)}张待缴费缴费单")
    if result.skipped:
        parts.append(f"已选过、不再重复选课：{'、'.join(result.skipped)}")
    return "；".join(parts) or "没有需要选的课程"


class BatchSelections(BulkJobService):
    def __init__(
        self,
        enrolment: Enrolment,
        queue: JobQueue,
        state: JobState,
        connect: Callable[[], AbstractContextManager[Connection]],
        clock: Clock,
    ) -> None:
        self.enrolment = enrolment
        self.store = enrolment.store
        self.connect = connect
        self.clock = clock
        self.jobs = JobRunner(BATCH_SELECTION_TASK, KIND, queue, state, clock)

    def start(self, actor: Actor, learner_ids: Sequence[uuid.UUID], course_ids: Sequence[uuid.UUID]) -> uuid.UUID:
        """Check the request and enqueue the selection; returns the job id. Learners must be
        the teaching point's own, of one programme; the courses must exist."""
        actor.require(Role.TEACHING_POINT_ADMIN)
        if actor.teaching_point_id is None:
            raise InvalidInput("teaching_point.required", "只有教学点的管理员可以批量选课")
        learner_ids = _ids(learner_ids, "学生", "learner_ids", MAX_LEARNERS)
        course_ids = _ids(course_ids, "课程", "course_ids", MAX_COURSES)
        found = self.store.find_many(learner_ids)  # not the read model, which may lag (ADR 0016)
        rows = [
            (x.id, x.programme_id) for x in found.values()
            if isinstance(x, Learner) and x.teaching_point_id == actor.teaching_point_id
        ]
        if len(rows) != len(learner_ids):
            raise NotFound("not_found", "所选学生中有不存在或不属于本教学点的学生，请重新查询后选择")
        if len({programme for _, programme in rows}) > 1:
            raise InvalidInput(
                "batch_selection.mixed_programmes",
                "批量选课只能为同一培养方案的学生选课，请按学习批次和培养方案五要素查询",
                field="learner_ids",
            )
        names = [load(self.store, cid, Course, "课程").name for cid in course_ids]
        job = BulkJob(
            id=uuid.uuid4(),
            kind=KIND,
            filename=f"{len(learner_ids)}名学生 ×（{'、'.join(names)}）"[:200],
            admission_batch_id=None,
            teaching_point_id=actor.teaching_point_id,
            actor=actor,
            correlation_id=current_correlation_id(),
            total=len(learner_ids),
            created_at=self.clock.now(),
            content=json.dumps(
                {"learner_ids": [str(x) for x in learner_ids], "course_ids": [str(x) for x in course_ids]}
            ).encode(),
        )
        return self.jobs.start(job, "未能开始批量选课")

    def _run(self, job: BulkJob, token: str) -> bool:
        payload = json.loads(job.content or b"{}")
        learner_ids = [uuid.UUID(x) for x in payload["learner_ids"]]
        course_ids = [uuid.UUID(x) for x in payload["course_ids"]]

        def process(numbers: list[int]) -> list[ItemResult]:
            chosen = [learner_ids[n - 1] for n in numbers]
            try:
                outcomes = self.enrolment.select_for_learners(job.actor, chosen, course_ids, chunk=len(chosen))
            except DomainError as exc:  # the request itself fails now (a course was removed...)
                return [ItemResult(n, False, exc.code, exc.message, lid) for n, lid in zip(numbers, chosen, strict=True)]
            except TRANSIENT:
                raise
            except Exception:
                log.exception("batch_selection.chunk_failed", learners=len(chosen))
                message = "处理时发生系统错误，请稍后重试或单独为该学生选课"
                return [
                    ItemResult(n, False, "batch_selection.error", message, lid) for n, lid in zip(numbers, chosen, strict=True)
                ]
            by_learner = {o.learner_id: o for o in outcomes}
            return [
                ItemResult(n, by_learner[lid].ok, by_learner[lid].code, describe(by_learner[lid]), lid)
                for n, lid in zip(numbers, chosen, strict=True)
            ]

        self.jobs.each_item(job, token, range(1, len(learner_ids) + 1), process, chunk=CHUNK)
        return True


# -- read side --------------------------------------------------------------------------------

_J = bulk_jobs_view.c


def _job_query() -> Any:
    return select(
        _J.id, _J.status, _J.filename, _J.teaching_point_id, teaching_points.c.name.label("teaching_point_name"),
        _J.actor_username, _J.actor_name, _J.total, _J.processed, _J.succeeded, _J.failed, _J.error,
        _J.created_at, _J.started_at, _J.finished_at,
    ).select_from(bulk_jobs_view.outerjoin(teaching_points, teaching_points.c.id == _J.teaching_point_id))


def _shape(row: Any) -> dict[str, Any]:
    job = dict(row)
    job["status_label"] = STATUS_LABELS.get(job["status"], job["status"])
    return job


def get_batch_selection(conn: Connection, actor: Actor, job_id: uuid.UUID) -> dict[str, Any]:
    """One batch selection with its progress and each learner's result so far."""
    actor.require(*READERS)
    row = conn.execute(_job_query().where(_J.id == job_id, _J.kind == KIND)).mappings().first()
    if row is None or not actor.can_see_teaching_point(row["teaching_point_id"]):
        raise NotFound("not_found", "批量选课任务不存在或不属于您的教学点")
    job = _shape(row)
    r = bulk_job_items_view.c
    job["learners"] = [
        dict(x)
        for x in conn.execute(
            select(
                r.row, r.ok, r.code, r.message, r.record_id.label("learner_id"),
                learners.c.student_number, learners.c.name,
            )
            .select_from(bulk_job_items_view.outerjoin(learners, learners.c.id == r.record_id))
            .where(r.job_id == job_id, r.ok.is_not(None))
            .order_by(r.row)
        ).mappings()
    ]
    return job


COHORT_LIMIT = 2000  # learners one query shows for ticking


def cohort(conn: Connection, actor: Actor, filters: RosterFilter) -> dict[str, Any]:
    """The teaching point's learners of one study batch and one programme (its five elements),
    for the batch-selection screen: the programme, its learners (at most `COHORT_LIMIT`, by
    student number) and whether there were more."""
    actor.require(Role.TEACHING_POINT_ADMIN)
    elements = {e: getattr(filters, e) for e in ("level", "learner_type", "learner_source", "major", "length_of_schooling")}
    if filters.study_batch_id is None or not all(elements.values()):
        raise InvalidInput(
            "batch_selection.cohort_incomplete", "请选择学习批次和培养方案五要素（层次、学生类型、学生来源、专业、学制）"
        )
    programme = conn.execute(
        select(programmes).where(*(programmes.c[e] == v for e, v in elements.items()))
    ).mappings().first()
    if programme is None:
        raise NotFound("not_found", "没有符合这五个要素的培养方案")
    query = (
        select(learners.c.id, learners.c.student_number, learners.c.name, learners.c.gender, learners.c.status)
        .where(
            learners.c.teaching_point_id == actor.teaching_point_id,
            learners.c.study_batch_id == filters.study_batch_id,
            learners.c.programme_id == programme["id"],
        )
        .order_by(learners.c.student_number)
    )
    if filters.student_number:
        query = query.where(learners.c.student_number.startswith(filters.student_number))
    if filters.name:
        query = query.where(learners.c.name.contains(filters.name))
    rows = [dict(r) for r in conn.execute(query.limit(COHORT_LIMIT + 1)).mappings()]
    for r in rows:
        r["status_label"] = LearnerStatus(r["status"]).label
    return {"programme": dict(programme), "learners": rows[:COHORT_LIMIT], "more": len(rows) > COHORT_LIMIT}


def list_batch_selections(conn: Connection, actor: Actor, page: Page) -> PageOf:
    """Batch selections newest first: a teaching point sees its own, school staff all."""
    actor.require(*READERS)
    query = _job_query().where(_J.kind == KIND)
    query = in_scope(query, actor, _J.teaching_point_id)
    result = paged(conn, query, page, [_J.created_at.desc(), _J.id])
    result.items = [_shape(r) for r in result.items]
    return result
