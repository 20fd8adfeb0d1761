"""Admin pages of the admissions catalogue: study batches (学习批次), admission batches (招生批次)
with their admission periods, and training programmes (培养方案) with the teaching points that
offer them. Academic affairs and the system administrator maintain them; auditors read them;
a teaching-point administrator reads the programmes offered at their teaching point."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Template
from sqlalchemy import Connection

from application.admissions.queries import (
    filter_choices,
    list_admission_batches,
    list_programmes,
    list_study_batches,
)
from application.common.actor import Actor
from application.common.queries import Page
from application.organisation.queries import list_teaching_points
from domains.admissions.batches import LEVELS
from domains.shared.errors import DomainError, NotFound
from domains.shared.values import Role
from infrastructure.container import Container
from interfaces.admin.common.forms import (
    Form,
    as_list,
    done,
    error_field,
    page_number,
    parse_id,
)
from interfaces.admin.common.guards import requires_role
from interfaces.admin.common.lists import in_pages
from interfaces.admin.common.rendering import audit_tab, page

EDITORS = (Role.ACADEMIC_AFFAIRS, Role.SYSTEM_ADMIN)
READERS = (Role.ACADEMIC_AFFAIRS, Role.SYSTEM_ADMIN, Role.AUDITOR)
PROGRAMME_READERS = (*READERS, Role.TEACHING_POINT_ADMIN)


def period_state(batch: dict[str, Any], today: date) -> str:
    if today < batch["opens_on"]:
        return "未开始"
    if today > batch["closes_on"]:
        return "已结束"
    return "招生中"


class BatchPages(Controller):
    path = "/admin/batches"
    guards = (requires_role(*READERS),)

    def _index(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
               status_code: int = 200, **context: Any) -> Template:
        today = services.clock.today()
        study = list_study_batches(reader)
        admission = list_admission_batches(reader)
        for b in admission:
            b["state"] = period_state(b, today)
        counts: dict[Any, int] = {}
        for b in admission:
            counts[b["study_batch_id"]] = counts.get(b["study_batch_id"], 0) + 1
        for s in study:
            s["admission_batches"] = counts.get(s["id"], 0)
        context.setdefault("sb_form", {})
        context.setdefault("ab_form", {})
        return page(
            request, "batches_list.html", actor, status_code=status_code, study=study, admission=admission,
            today=today, can_edit=actor.has(*EDITORS), **context,
        )

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection) -> Template:
        return self._index(request, actor, services, reader)

    @post("/study", sync_to_thread=True)
    def create_study_batch(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Form
    ) -> Response[Any]:
        try:
            services.admissions.register_study_batch(actor, str(data.get("code") or ""), str(data.get("name") or ""))
        except DomainError as exc:
            if exc.kind == "forbidden":
                raise
            return self._index(request, actor, services, reader, 422, sb_form=data, sb_error=exc.message,
                               error=exc.message, error_field=error_field(exc))
        return done(request, "/admin/batches", f"学习批次“{data.get('name')}”已创建")

    @post("/admission", sync_to_thread=True)
    def create_admission_batch(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Form
    ) -> Response[Any]:
        try:
            study_batch_id = parse_id(data.get("study_batch_id"), "study_batch.required", "请选择学习批次", "study_batch_id")
            batch_id = services.admissions.register_admission_batch(
                actor, str(data.get("code") or ""), str(data.get("name") or ""), study_batch_id,
                str(data.get("opens_on") or ""), str(data.get("closes_on") or ""),
            )
        except DomainError as exc:
            if exc.kind == "forbidden":
                raise
            return self._index(request, actor, services, reader, 422, ab_form=data, error=exc.message,
                               error_field=error_field(exc))
        return done(request, f"/admin/batches/admission/{batch_id}", f"招生批次“{data.get('name')}”已创建")

    # -- one study batch -------------------------------------------------------------------

    @get("/study/{batch_id:uuid}", sync_to_thread=True)
    def study(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, batch_id: uuid.UUID
    ) -> Template:
        batch = next((b for b in list_study_batches(reader) if b["id"] == batch_id), None)
        if batch is None:
            raise NotFound("not_found", "学习批次不存在")
        admission = [b for b in list_admission_batches(reader) if b["study_batch_id"] == batch_id]
        for b in admission:
            b["state"] = period_state(b, services.clock.today())
        return page(request, "batches_study.html", actor, batch=batch, admission=admission,
                    history=audit_tab(reader, batch_id))

    # -- one admission batch and its period ----------------------------------------------------

    def _admission(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
                   batch_id: uuid.UUID, status_code: int = 200, **context: Any) -> Template:
        batch = next((b for b in list_admission_batches(reader) if b["id"] == batch_id), None)
        if batch is None:
            raise NotFound("not_found", "招生批次不存在")
        batch["state"] = period_state(batch, services.clock.today())
        context.setdefault("form", {"opens_on": batch["opens_on"], "closes_on": batch["closes_on"]})
        return page(request, "batches_admission.html", actor, status_code=status_code, batch=batch,
                    can_edit=actor.has(*EDITORS), history=audit_tab(reader, batch_id), **context)

    @get("/admission/{batch_id:uuid}", sync_to_thread=True)
    def admission(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, batch_id: uuid.UUID
    ) -> Template:
        return self._admission(request, actor, services, reader, batch_id)

    @post("/admission/{batch_id:uuid}/period", sync_to_thread=True)
    def change_period(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        batch_id: uuid.UUID, data: Form,
    ) -> Response[Any]:
        try:
            services.admissions.change_admission_period(
                actor, batch_id, str(data.get("opens_on") or ""), str(data.get("closes_on") or ""),
                (data.get("reason") or "").strip() or None,
            )
        except DomainError as exc:
            if exc.kind in ("forbidden", "not_found"):
                raise
            return self._admission(request, actor, services, reader, batch_id, 422, form=data, error=exc.message,
                                   error_field=error_field(exc))
        return done(request, f"/admin/batches/admission/{batch_id}", "招生期已修改")


def teaching_points_of(reader: Connection, actor: Actor) -> list[dict[str, Any]]:
    return list_teaching_points(reader, actor, Page(number=1, size=200)).items


class ProgrammePages(Controller):
    path = "/admin/programmes"
    guards = (requires_role(*PROGRAMME_READERS),)

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        params = dict(request.query_params)
        own = actor.visible_teaching_point()
        rows = list_programmes(reader, own)
        choices = filter_choices(reader)
        points = teaching_points_of(reader, actor)
        names = {p["id"]: p["name"] for p in points}
        for key in ("level", "learner_type", "learner_source", "major", "length_of_schooling"):
            if params.get(key):
                rows = [r for r in rows if r[key] == params[key]]
        if own is None and params.get("teaching_point_id"):
            rows = [r for r in rows if str(params["teaching_point_id"]) in {str(t) for t in r["teaching_point_ids"]}]
        for r in rows:
            r["offered_at"] = [names[t] for t in r["teaching_point_ids"] if t in names]
        return page(
            request, "programmes_list.html", actor, result=in_pages(rows, page_number(request)), choices=choices,
            points=points if own is None else [], can_edit=actor.has(*EDITORS),
        )

    def _new(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, form: dict[str, Any],
             status_code: int = 200, **context: Any) -> Template:
        chosen = set(as_list(form.get("teaching_point_ids")))
        return page(request, "programmes_new.html", actor, status_code=status_code, form=form,
                    points=teaching_points_of(reader, actor), chosen=chosen, levels=[(x, x) for x in LEVELS],
                    choices=filter_choices(reader), **context)

    @get("/new", sync_to_thread=True, guards=[requires_role(*EDITORS)])
    def new(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        return self._new(request, actor, reader, {"learner_type": "开放教育", "learner_source": "开放教育"})

    @post("/new", sync_to_thread=True, guards=[requires_role(*EDITORS)])
    def create(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Form
    ) -> Response[Any]:
        try:
            point_ids = [
                parse_id(t, "teaching_point.malformed", "教学点选择有误", "teaching_point_ids")
                for t in as_list(data.get("teaching_point_ids"))
            ]
            programme_id = services.admissions.register_programme(
                actor, code=str(data.get("code") or ""), level=str(data.get("level") or ""),
                learner_type=str(data.get("learner_type") or "").strip(),
                learner_source=str(data.get("learner_source") or "").strip(),
                major=str(data.get("major") or "").strip(),
                length_of_schooling=str(data.get("length_of_schooling") or "").strip(),
                teaching_point_ids=point_ids,
            )
        except DomainError as exc:
            if exc.kind == "forbidden":
                raise
            return self._new(request, actor, reader, data, 422, error=exc.message, error_field=error_field(exc))
        return done(request, f"/admin/programmes/{programme_id}", "培养方案已创建")

    def _show(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, programme_id: uuid.UUID,
              status_code: int = 200, **context: Any) -> Template:
        own = actor.visible_teaching_point()
        programme = next((p for p in list_programmes(reader, own) if p["id"] == programme_id), None)
        if programme is None:
            raise NotFound("not_found", "培养方案不存在或未在您的教学点开设")
        context.setdefault("chosen", {str(t) for t in programme["teaching_point_ids"]})
        return page(request, "programmes_show.html", actor, status_code=status_code, p=programme,
                    points=teaching_points_of(reader, actor), can_edit=actor.has(*EDITORS),
                    history=audit_tab(reader, programme_id), **context)

    @get("/{programme_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, programme_id: uuid.UUID) -> Template:
        return self._show(request, actor, reader, programme_id)

    @post("/{programme_id:uuid}/teaching-points", sync_to_thread=True)
    def set_points(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        programme_id: uuid.UUID, data: Form,
    ) -> Response[Any]:
        chosen = as_list(data.get("teaching_point_ids"))
        try:
            point_ids = [parse_id(t, "teaching_point.malformed", "教学点选择有误", "teaching_point_ids") for t in chosen]
            services.admissions.set_programme_teaching_points(actor, programme_id, point_ids)
        except DomainError as exc:
            if exc.kind in ("forbidden", "not_found"):
                raise
            return self._show(request, actor, reader, programme_id, 422, chosen=set(chosen), error=exc.message)
        return done(request, f"/admin/programmes/{programme_id}", "开设教学点已保存")
