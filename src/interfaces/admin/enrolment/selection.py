"""教务管理 pages of course selection (requirements/enrolment.md §1, §2.2, §4).

- 代学生选课（单独选课） `/admin/enrollments/new`: a teaching point finds one of its learners
  (student number or name), sees every course of the learner's programme with its suggested
  semester, fees and the conditions it does not meet yet, ticks several and selects them at
  once through `Enrolment.select_courses`. A refusal lists every unmet condition of every
  refused course, and nothing is selected.
- 选课查询 `/admin/enrollments`: learners' courses with the roster filters
  (requirements/common.md §2.1) plus course, selection batch, status and study access (可学习);
  paging and an Excel export.
- 学生课程 `/admin/learners/{id}/courses`: one learner's courses with their bills and refund
  requests; the teaching point asks for a drop (申请退课) of several courses at once through
  `Enrolment.drop_courses`: unpaid ones are dropped at once, paid ones become refund requests.

Learners are found by student number or name; no ID number ever travels in a URL.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Template
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.common.queries import Page
from application.curriculum.queries import (
    list_programme_courses,
    list_selection_batches,
    standards_for_quotes,
)
from application.enrolment.queries import (
    enrollments_by_id,
    learner_courses,
    list_enrollments,
    selectable_courses,
)
from application.enrolment.service import CoursesNotSelectable
from application.finance.queries import list_bills, refunds_by_id
from application.learners.queries import get_learner
from domains.curriculum.fees import course_fees
from domains.enrolment.enrollment import EnrollmentStatus
from domains.finance.refund import RefundStatus
from domains.shared.errors import DomainError
from domains.shared.values import Role
from infrastructure.container import Container
from interfaces.admin.common.forms import (
    Form,
    as_list,
    done,
    refusal_status,
    uuid_param,
    uuids,
    yes_no,
    yuan,
)
from interfaces.admin.common.guards import requires_role
from interfaces.admin.common.lists import (
    export_response,
    find_learners,
    list_filters,
    list_page,
)
from interfaces.admin.common.rendering import page

ENROLLMENT_STATUSES = [(s.value, s.label) for s in EnrollmentStatus]
YES_NO = [("yes", "是"), ("no", "否")]
EXPORT_COLUMNS = (
    ("student_number", "学号"), ("learner_name", "姓名"), ("teaching_point_name", "教学点"), ("level", "层次"),
    ("major", "专业"), ("course_code", "课程代码"), ("course_name", "课程名称"), ("credits", "学分"),
    ("selection_batch_name", "选课批次"), ("status_label", "选课状态"), ("may_study_label", "可学习"),
    ("refund_status_label", "退课申请"), ("selected_at", "选课时间"), ("paid_at", "缴费成功时间"),
)


def course_fee_quotes(conn: Connection, actor: Actor, programme_id: uuid.UUID) -> dict[uuid.UUID, dict[str, str]]:
    """What selecting each course of the programme would bill, by the domain's own fee rule;
    a course whose level has no standard yet has no quote (its unmet condition says why)."""
    standards = standards_for_quotes(conn)
    quotes = {}
    for course in list_programme_courses(conn, actor, programme_id):
        try:
            fees = course_fees(course["name"], course["credit_tenths"], course["levels"], course["includes_final_exam"],
                               standards)  # type: ignore[arg-type]
        except DomainError:
            continue
        quotes[course["id"]] = {
            "credit_fee": fees.credit_fee.yuan,
            "exam_fee": fees.exam_fee.yuan if fees.exam_fee is not None else "",
            "total": fees.total.yuan,
        }
    return quotes


# -- 代学生选课 and 选课查询 ---------------------------------------------------------------------


class EnrollmentPages(Controller):
    path = "/admin/enrollments"

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection) -> Template:
        filters, extra, params = self._filters(request, actor)
        now = services.clock.now()
        return list_page(
            request, actor, reader, "enrollments_list.html", params,
            lambda conn, p: list_enrollments(conn, actor, p, filters, **extra),
            choices=lambda conn: {"selection_batches": [(b["id"], b["name"]) for b in list_selection_batches(conn, actor, now)]},
            statuses=ENROLLMENT_STATUSES, yes_no=YES_NO,
        )

    @get("/export.xlsx", sync_to_thread=True)
    def export(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Response[bytes]:
        filters, extra, _ = self._filters(request, actor)
        return export_response(
            request, reader, "选课查询", "enrollments", EXPORT_COLUMNS,
            lambda conn, p: list_enrollments(conn, actor, p, filters, **extra),
            lambda r: {**r, "may_study_label": yes_no(r["may_study"])},
        )

    @staticmethod
    def _filters(request: Request[Any, Any, Any], actor: Actor) -> tuple[RosterFilter, dict[str, Any], dict[str, str]]:
        filters, extra, params = list_filters(request, actor, ("course_id", "selection_batch_id"), ("may_study",))
        if "may_study" in extra:
            extra["may_study"] = {"yes": True, "no": False}.get(extra["may_study"])
            if extra["may_study"] is None:
                del extra["may_study"], params["may_study"]
        return filters, extra, params

    # -- 代学生选课（单独选课） ----------------------------------------------------------------

    def _new(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        learner_id: uuid.UUID | None, status_code: int = 200, **context: Any,
    ) -> Template:
        learner = None
        courses: list[dict[str, Any]] = []
        lookup, found = find_learners(reader, actor, request)
        if learner_id is not None:
            learner = get_learner(reader, actor, learner_id)
            courses = selectable_courses(reader, actor, learner_id, services.clock.now())
            quotes = course_fee_quotes(reader, actor, learner["programme_id"])
            courses = [{**row, "fees": quotes.get(row["course_id"])} for row in courses]
        return page(
            request, "enrollments_new.html", actor, status_code=status_code, lookup=lookup, found=found,
            learner=learner, courses=courses, pick=lambda row: f"/admin/enrollments/new?learner_id={row['id']}",
            finder_action="/admin/enrollments/new", **context,
        )

    @get("/new", sync_to_thread=True, guards=[requires_role(Role.TEACHING_POINT_ADMIN)])
    def new(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection) -> Template:
        return self._new(request, actor, services, reader, uuid_param(request.query_params.get("learner_id")),
                         chosen=set())

    @post("/new", sync_to_thread=True, guards=[requires_role(Role.TEACHING_POINT_ADMIN)])
    def select(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Form,
    ) -> Response[Any]:
        learner_id = uuid_param(data.get("learner_id"))
        course_ids = uuids(as_list(data.get("course_ids")))
        try:
            selection = services.enrolment.select_courses(actor, learner_id, course_ids)
        except DomainError as exc:
            if exc.kind in ("forbidden", "not_found"):
                raise
            refused = exc.details.get("courses", []) if isinstance(exc, CoursesNotSelectable) else []
            message = "以下课程不满足选课条件，未选任何课程" if refused else exc.message
            return self._new(
                request, actor, services, reader, learner_id, refusal_status(exc), error=message, refused=refused,
                chosen={str(i) for i in course_ids},
            )
        count = len(selection.enrollment_ids)
        return done(
            request, f"/admin/learners/{learner_id}/courses",
            f"已为学生选课 {count} 门，生成待缴费的缴费单 {len(selection.bill_ids)} 张；缴费成功后学生方可进入课程学习",
        )


# -- 学生课程: one learner's courses, bills and drops ------------------------------------------------


class LearnerCoursePages(Controller):
    path = "/admin/learners/{learner_id:uuid}/courses"

    def _show(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        learner_id: uuid.UUID, status_code: int = 200, **context: Any,
    ) -> Template:
        learner = get_learner(reader, actor, learner_id)
        courses = learner_courses(reader, actor, learner_id)
        bills = list_bills(reader, actor, Page(size=200), RosterFilter(), learner_id=learner_id).items
        batches = {b["id"]: b for b in list_selection_batches(reader, actor, services.clock.now())}
        by_enrollment: dict[uuid.UUID, list[dict[str, Any]]] = {}
        for bill in sorted(bills, key=lambda b: b["fee_type"]):  # 学分费 before 考试费
            by_enrollment.setdefault(bill["enrollment_id"], []).append(bill)
        for course in courses:
            batch = batches.get(course["selection_batch_id"], {})
            course["bills"] = by_enrollment.get(course["id"], [])
            course["drop_period"] = f"{batch.get('drop_starts_on', '')} 至 {batch.get('drop_ends_on', '')}"
            open_request = course["refund_status"] in RefundStatus.open_statuses()
            course["droppable"] = (
                batch.get("drop_open", False) and course["status"] != EnrollmentStatus.DROPPED.value and not open_request
            )
        return page(
            request, "enrollments_learner.html", actor, status_code=status_code, learner=learner, courses=courses,
            may_drop=actor.has(Role.TEACHING_POINT_ADMIN), yuan=yuan, **context,
        )

    @get("/", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
             learner_id: uuid.UUID) -> Template:
        return self._show(request, actor, services, reader, learner_id, form={}, chosen=set())

    @post("/drop", sync_to_thread=True)
    def drop(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
             learner_id: uuid.UUID, data: Form) -> Response[Any]:
        """申请退课: unpaid courses are dropped at once; each paid one becomes a refund request."""
        ids = uuids(as_list(data.get("enrollment_ids")))
        try:
            # Only this learner's courses are taken from this page.
            mine = {r["id"] for r in learner_courses(reader, actor, learner_id)}
            outcome = services.enrolment.drop_courses(
                actor, [i for i in ids if i in mine], str(data.get("reason") or "").strip() or None
            )
        except DomainError as exc:
            if exc.kind in ("forbidden", "not_found"):
                raise
            return self._show(request, actor, services, reader, learner_id, refusal_status(exc), error=exc.message,
                              form=data, chosen={str(i) for i in ids})
        dropped = enrollments_by_id(reader, actor, outcome.dropped)
        refunds = refunds_by_id(reader, actor, outcome.refund_ids)
        parts = []
        if dropped:
            parts.append("未缴费课程已退课：" + "、".join(e["course_name"] for e in dropped))
        if refunds:
            parts.append("已缴费课程已提交退课申请，待学校教务审核：" + "、".join(r["course_name"] for r in refunds))
        return done(request, f"/admin/learners/{learner_id}/courses", "；".join(parts))
