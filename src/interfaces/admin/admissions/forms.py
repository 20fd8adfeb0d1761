"""Admin pages of admissions (requirements/admissions.md): the application-form list with the roster
filters (requirements/common.md §2.1), form entry and quick-registration completion by a teaching
point, and school review (复审) of single forms and of many at once. Pages read the admissions read
models through the application queries; every action goes through the Admissions use cases."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Template
from sqlalchemy import Connection

from application.admissions.queries import (
    filter_choices,
    get_form,
    list_admission_batches,
    list_forms,
    list_programmes,
    list_study_batches,
)
from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.organisation.queries import teaching_point_choices
from domains.admissions.application_form import (
    FORM_STATUS_LABELS,
    PRIOR_EDUCATION_LEVELS,
    FormStatus,
)
from domains.shared.errors import DomainError
from domains.shared.values import Role
from infrastructure.container import Container
from interfaces.admin.common.forms import (
    Form,
    as_list,
    done,
    error_field,
    page_of,
    parse_id,
    refusal_status,
    uuids,
)
from interfaces.admin.common.guards import requires_role
from interfaces.admin.common.rendering import audit_tab, page
from interfaces.admin.common.worklist import after_decision

# The applicant's fields on the entry and completion pages, as the use cases take them.
APPLICANT_FIELDS = (
    "name", "id_number", "ethnicity", "mobile", "email", "address", "occupation",
    "prior_level", "prior_school", "prior_major", "prior_graduation_date", "prior_certificate_number",
    "original_name", "original_id_number",
)

STATUS_CHOICES = [(s.value, FORM_STATUS_LABELS[s]) for s in FormStatus]

ETHNICITIES = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族",
    "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族",
    "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族",
    "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族",
    "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族",
    "门巴族", "珞巴族", "基诺族",
)


def open_admission_batches(conn: Connection, today: date) -> list[dict[str, Any]]:
    """Only batches whose admission period includes today can take forms (requirements/admissions.md §2.1)."""
    return [b for b in list_admission_batches(conn) if b["opens_on"] <= today <= b["closes_on"]]


def applicant_of(data: dict[str, Any]) -> dict[str, Any]:
    return {f: str(data.get(f) or "").strip() for f in APPLICANT_FIELDS}


def entry_choices(reader: Connection, actor: Actor, today: date) -> dict[str, Any]:
    """What the entry and completion forms offer: the open batches and the point's programmes."""
    return {
        "batches": open_admission_batches(reader, today),
        "programmes": list_programmes(reader, actor.teaching_point_id),
        "prior_levels": [(x, x) for x in PRIOR_EDUCATION_LEVELS],
        "ethnicities": ETHNICITIES,
        "today": today,
    }


RECORD_PAGE = "/admin/application-forms/{id}"


class ApplicationFormPages(Controller):
    path = "/admin/application-forms"

    # -- 报名表查询 / 复审报名表 ---------------------------------------------------------------

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        filters = RosterFilter.from_params(dict(request.query_params))
        result = list_forms(reader, actor, page_of(request), filters)
        return page(
            request, "forms_list.html", actor, result=result, choices=filter_choices(reader),
            study_batches=list_study_batches(reader),
            points=teaching_point_choices(reader) if actor.visible_teaching_point() is None else [],
            statuses=STATUS_CHOICES, can_review=actor.has(Role.ACADEMIC_AFFAIRS),
        )

    # -- 初审报名表 (quick registrations awaiting completion) -----------------------------------

    @get("/quick-registrations", sync_to_thread=True)
    def quick_registrations(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        name = str(request.query_params.get("name") or "").strip() or None
        filters = RosterFilter(name=name, status=FormStatus.QUICK_REGISTERED.value)
        result = list_forms(reader, actor, page_of(request), filters)
        return page(request, "forms_quick.html", actor, result=result)

    # -- 录入报名表 ------------------------------------------------------------------------------

    @get("/new", sync_to_thread=True, guards=[requires_role(Role.TEACHING_POINT_ADMIN)])
    def new(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection) -> Template:
        return page(request, "forms_new.html", actor, form={}, **entry_choices(reader, actor, services.clock.today()))

    @post("/new", sync_to_thread=True, guards=[requires_role(Role.TEACHING_POINT_ADMIN)])
    def enter(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Form
    ) -> Response[Any]:
        try:
            batch_id = parse_id(data.get("admission_batch_id"), "admission_batch.required",
                                "请选择招生批次", "admission_batch_id")
            programme_id = parse_id(data.get("programme_id"), "programme.required", "请选择培养方案", "programme_id")
            form_id = services.admissions.enter_form(
                actor, admission_batch_id=batch_id, programme_id=programme_id, applicant=applicant_of(data)
            )
        except DomainError as exc:
            return page(
                request, "forms_new.html", actor, status_code=422, form=data, error=exc.message,
                error_field=error_field(exc), **entry_choices(reader, actor, services.clock.today()),
            )
        return done(request, f"/admin/application-forms/{form_id}", "报名表已录入，状态：初审通过")

    # -- 批量审核通过 ----------------------------------------------------------------------------

    @post("/approvals", sync_to_thread=True, guards=[requires_role(Role.ACADEMIC_AFFAIRS)])
    def approve_many(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Form
    ) -> Template:
        ids = uuids(as_list(data.get("form_ids")))
        back = str(data.get("back") or "/admin/application-forms?status=preliminarily_approved")
        if not back.startswith("/admin/application-forms"):
            back = "/admin/application-forms"
        if not ids:
            return page(request, "forms_approvals.html", actor, status_code=422, rows=[], back=back,
                        error="请先勾选要审核通过的报名表")
        outcomes = services.admissions.approve_forms(actor, ids, (data.get("comment") or "").strip() or None)
        rows = []
        for o in outcomes:
            try:
                form = get_form(reader, actor, o.form_id)
            except DomainError:
                form = {"id": o.form_id, "name": "", "mobile": ""}
            rows.append({"form": form, "outcome": o})
        approved = sum(o.ok for o in outcomes)
        return page(
            request, "forms_approvals.html", actor, rows=rows, back=back, approved=approved,
            refused=len(outcomes) - approved,
        )

    # -- one form ---------------------------------------------------------------------------

    def _show(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, form_id: uuid.UUID,
              status_code: int = 200, **context: Any) -> Template:
        form = get_form(reader, actor, form_id)
        return page(request, "forms_show.html", actor, status_code=status_code, f=form,
                    history=audit_tab(reader, form_id), **context)

    @get("/{form_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, form_id: uuid.UUID) -> Template:
        return self._show(request, actor, reader, form_id, review={})

    @post("/{form_id:uuid}/approval", sync_to_thread=True)
    def approve(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        form_id: uuid.UUID, data: Form,
    ) -> Response[Any]:
        comment = (data.get("comment") or "").strip() or None
        try:
            number = services.admissions.approve_form(actor, form_id, comment)
        except DomainError as exc:
            if exc.kind in ("forbidden", "not_found"):
                raise
            return self._show(request, actor, reader, form_id, refusal_status(exc), review=data, error=exc.message)
        return after_decision(request, reader, actor, "forms-final", form_id, RECORD_PAGE, f"复审通过，学号：{number}")

    @post("/{form_id:uuid}/rejection", sync_to_thread=True)
    def reject(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        form_id: uuid.UUID, data: Form,
    ) -> Response[Any]:
        try:
            services.admissions.reject_form(actor, form_id, str(data.get("reason") or ""))
        except DomainError as exc:
            if exc.kind in ("forbidden", "not_found"):
                raise
            return self._show(request, actor, reader, form_id, refusal_status(exc), review=data, error=exc.message)
        return after_decision(request, reader, actor, "forms-final", form_id, RECORD_PAGE, "报名表已驳回")

    # -- 补录 (completing a quick registration) ----------------------------------------------------

    def _completion(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
                    form_id: uuid.UUID, form: dict[str, Any] | None = None, status_code: int = 200,
                    **context: Any) -> Template:
        f = get_form(reader, actor, form_id)
        return page(request, "forms_complete.html", actor, status_code=status_code, f=f,
                    form={"name": f["name"], "mobile": f["mobile"]} if form is None else form,
                    **entry_choices(reader, actor, services.clock.today()), **context)

    @get("/{form_id:uuid}/completion", sync_to_thread=True, guards=[requires_role(Role.TEACHING_POINT_ADMIN)])
    def completion(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, form_id: uuid.UUID
    ) -> Template:
        return self._completion(request, actor, services, reader, form_id)

    @post("/{form_id:uuid}/completion", sync_to_thread=True, guards=[requires_role(Role.TEACHING_POINT_ADMIN)])
    def complete(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        form_id: uuid.UUID, data: Form,
    ) -> Response[Any]:
        try:
            batch_id = parse_id(data.get("admission_batch_id"), "admission_batch.required",
                                "请选择招生批次", "admission_batch_id")
            programme_id = parse_id(data.get("programme_id"), "programme.required", "请选择培养方案", "programme_id")
            services.admissions.complete_quick_registration(
                actor, form_id, admission_batch_id=batch_id, programme_id=programme_id, applicant=applicant_of(data)
            )
        except DomainError as exc:
            if exc.kind in ("not_found", "forbidden"):
                raise
            return self._completion(request, actor, services, reader, form_id, data, 422, error=exc.message,
                                    error_field=error_field(exc))
        return done(request, f"/admin/application-forms/{form_id}", "报名表已补录，状态：初审通过")
