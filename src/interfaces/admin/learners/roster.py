"""学籍信息: the learner roster with the roster filters of requirements/common.md §2.1 (学习批次,
层次, 学生类型, 学生来源, 专业, 学制, 教学点, 学号, 姓名, 状态), one learner's record with its audit
tab, and an Excel export of the current query (every page).

ID numbers and mobiles are masked in the list. The record page shows them in full to staff
allowed to see the learner (`get_learner`). The export holds full numbers for school staff
(教务、财务、系统管理员、审计) and masked numbers for teaching-point staff
(`application.learners.queries.export_learners`). The export is a GET carrying only the filter
parameters, never an ID number or a mobile."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.response import Template
from sqlalchemy import Connection

from application.admissions.queries import filter_choices, list_study_batches
from application.common.actor import Actor
from application.common.queries import Page
from application.learners.queries import export_learners, get_learner, list_learners
from application.organisation.queries import list_teaching_points
from domains.learners.learner import LearnerStatus
from infrastructure.clock import SHANGHAI
from infrastructure.container import Container
from interfaces.admin.common.exports import workbook_bytes, xlsx_response
from interfaces.admin.common.forms import page_of
from interfaces.admin.common.lists import ELEMENTS, filters_of
from interfaces.admin.common.rendering import audit_tab, page

STATUSES = [(s.value, s.label) for s in LearnerStatus]
EXPORT_COLUMNS = (
    ("student_number", "学号"), ("name", "姓名"), ("gender_label", "性别"), ("id_number", "身份证号码"),
    ("mobile", "手机号码"), ("teaching_point_name", "教学点"), ("study_batch_name", "学习批次"),
    ("level", "层次"), ("learner_type", "学生类型"), ("learner_source", "学生来源"), ("major", "专业"),
    ("length_of_schooling", "学制"), ("status_label", "状态"), ("admitted_at", "入学时间"),
)
GENDERS = {"male": "男", "female": "女"}


class LearnerPages(Controller):
    path = "/admin/learners"

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        filters, params = filters_of(request, actor)
        result = list_learners(reader, actor, page_of(request), filters)
        points = list_teaching_points(reader, actor, Page(size=200)).items if actor.is_school_staff else []
        return page(
            request, "learners_list.html", actor, result=result, choices=filter_choices(reader),
            batches=list_study_batches(reader), points=points, elements=ELEMENTS, statuses=STATUSES, params=params,
            school=actor.is_school_staff,
        )

    @get("/export.xlsx", sync_to_thread=True)
    def export(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection) -> Response[bytes]:
        filters, _ = filters_of(request, actor)
        rows = ({**r, "gender_label": GENDERS.get(r["gender"], "")} for r in export_learners(reader, actor, filters))
        content, _count = workbook_bytes("学籍信息", EXPORT_COLUMNS, rows)
        stamp = services.clock.now().astimezone(SHANGHAI).strftime("%Y%m%d%H%M")
        return xlsx_response(content, f"学籍信息_{stamp}.xlsx", f"learners_{stamp}.xlsx")

    @get("/{learner_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, learner_id: uuid.UUID) -> Template:
        learner = get_learner(reader, actor, learner_id)
        return page(
            request, "learner.html", actor, learner=learner, elements=ELEMENTS, history=audit_tab(reader, learner_id),
        )
