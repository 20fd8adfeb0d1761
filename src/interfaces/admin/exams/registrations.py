"""报考管理 (requirements/exams.md §2): exam registrations per exam batch.

A course with a final exam is registered when it is selected (待缴费), confirmed when its bills
are paid (报考成功), and cancelled when the course is dropped in the drop period (已取消).
Filters: exam batch, kind (终考/补考), status, teaching point (school staff), student number,
name, course; paging and an Excel export of the current filter. Read-only here: the use cases
that register resits live on their own pages.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.response import Template
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.curriculum.queries import list_exam_batches
from application.exams.queries import list_exam_registrations
from domains.exams.registration import RegistrationKind, RegistrationStatus
from infrastructure.container import Container
from interfaces.admin.common.lists import export_response, list_filters, list_page

KINDS = [(k.value, k.label) for k in RegistrationKind]
STATUSES = [(s.value, s.label) for s in RegistrationStatus]
CANCEL_REASONS = {"course_dropped": "退课自动取消", "withdrawn": "撤回报考"}
EXPORT_COLUMNS = (
    ("exam_batch_name", "考试批次"), ("student_number", "学号"), ("learner_name", "姓名"),
    ("teaching_point_name", "教学点"), ("level", "层次"), ("major", "专业"), ("course_code", "课程代码"),
    ("course_name", "课程名称"), ("kind_label", "报考类型"), ("status_label", "状态"),
    ("cancel_reason_label", "取消原因"), ("registered_at", "报考时间"), ("confirmed_at", "报考成功时间"),
    ("cancelled_at", "取消时间"),
)


def _labelled(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "cancel_reason_label": CANCEL_REASONS.get(row.get("cancel_reason") or "", "")}


class ExamRegistrationPages(Controller):
    path = "/admin/exam-registrations"

    @staticmethod
    def _filters(request: Request[Any, Any, Any], actor: Actor) -> tuple[RosterFilter, dict[str, Any], dict[str, str]]:
        filters, extra, params = list_filters(request, actor, ("exam_batch_id", "course_id"), ("kind",))
        if extra.get("kind") not in dict(KINDS):
            extra.pop("kind", None)
            params.pop("kind", None)
        return filters, extra, params

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection) -> Template:
        filters, extra, params = self._filters(request, actor)
        now = services.clock.now()
        return list_page(
            request, actor, reader, "exam_registrations_list.html", params,
            lambda conn, p: list_exam_registrations(conn, actor, p, filters, **extra), shape=_labelled,
            choices=lambda conn: {"exam_batches": [(b["id"], b["name"]) for b in list_exam_batches(conn, actor, now)]},
            kinds=KINDS, statuses=STATUSES,
        )

    @get("/export.xlsx", sync_to_thread=True)
    def export(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Response[bytes]:
        filters, extra, _ = self._filters(request, actor)
        return export_response(
            request, reader, "报考管理", "exam_registrations", EXPORT_COLUMNS,
            lambda conn, p: list_exam_registrations(conn, actor, p, filters, **extra), _labelled,
        )
