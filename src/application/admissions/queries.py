"""Read side of admissions: batches, programmes and application-form lists."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import Connection, select

from application.admissions.projection import (
    admission_batches,
    application_forms,
    programme_offerings,
    programmes,
    study_batches,
)
from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.common.queries import Page, PageOf, paged
from application.organisation.projection import teaching_points
from domains.admissions.application_form import FORM_STATUS_LABELS, FormStatus
from domains.shared.errors import NotFound
from domains.shared.values import Role, mask_id_number, mask_phone

PROGRAMME_COLUMNS = [
    programmes.c.level,
    programmes.c.learner_type,
    programmes.c.learner_source,
    programmes.c.major,
    programmes.c.length_of_schooling,
]


def list_study_batches(conn: Connection) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(select(study_batches).order_by(study_batches.c.code.desc())).mappings()]


def list_admission_batches(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(admission_batches, study_batches.c.name.label("study_batch_name"))
        .join(study_batches, study_batches.c.id == admission_batches.c.study_batch_id)
        .order_by(admission_batches.c.opens_on.desc())
    ).mappings()
    return [dict(r) for r in rows]


def list_programmes(conn: Connection, teaching_point_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    query = select(programmes)
    if teaching_point_id is not None:
        query = query.join(programme_offerings, programme_offerings.c.programme_id == programmes.c.id).where(
            programme_offerings.c.teaching_point_id == teaching_point_id
        )
    rows = [dict(r) for r in conn.execute(query.order_by(programmes.c.code)).mappings()]
    offered: dict[uuid.UUID, list[uuid.UUID]] = {}
    for o in conn.execute(select(programme_offerings)).mappings():
        offered.setdefault(o["programme_id"], []).append(o["teaching_point_id"])
    for r in rows:
        r["teaching_point_ids"] = offered.get(r["id"], [])
        r["label"] = f"{r['level']} {r['major']}（{r['learner_type']}/{r['learner_source']}，{r['length_of_schooling']}）"
    return rows


def filter_choices(conn: Connection) -> dict[str, list[str]]:
    """Distinct values of the five elements, for the filter drop-downs."""
    return {
        c.name: sorted({v for v in conn.execute(select(c).distinct()).scalars() if v})
        for c in PROGRAMME_COLUMNS
    }


def _form_query() -> Any:
    return (
        select(
            application_forms,
            *PROGRAMME_COLUMNS,
            teaching_points.c.name.label("teaching_point_name"),
            study_batches.c.name.label("study_batch_name"),
            admission_batches.c.name.label("admission_batch_name"),
        )
        .select_from(
            application_forms.outerjoin(programmes, programmes.c.id == application_forms.c.programme_id)
            .outerjoin(teaching_points, teaching_points.c.id == application_forms.c.teaching_point_id)
            .outerjoin(study_batches, study_batches.c.id == application_forms.c.study_batch_id)
            .outerjoin(admission_batches, admission_batches.c.id == application_forms.c.admission_batch_id)
        )
    )


def _shape(row: dict[str, Any], masked: bool) -> dict[str, Any]:
    row["status_label"] = FORM_STATUS_LABELS[FormStatus(row["status"])]
    row["applicant"] = json.loads(row["applicant"]) if row.get("applicant") else None
    if masked:
        row["id_number"] = mask_id_number(row["id_number"])
        row["mobile"] = mask_phone(row["mobile"])
        row.pop("applicant", None)
    return row


STAFF_READERS = (
    Role.TEACHING_POINT_ADMIN, Role.ACADEMIC_AFFAIRS, Role.FINANCE, Role.AUDITOR, Role.SYSTEM_ADMIN,
)


def list_forms(conn: Connection, actor: Actor, page: Page, filters: RosterFilter) -> PageOf:
    actor.require(*STAFF_READERS)
    query = _form_query()
    scope = actor.visible_teaching_point()
    if scope is not None:
        query = query.where(application_forms.c.teaching_point_id == scope)
    query = filters.apply(query, application_forms)
    result = paged(conn, query, page, [application_forms.c.submitted_at.desc(), application_forms.c.id])
    result.items = [_shape(r, masked=True) for r in result.items]
    return result


def get_form(conn: Connection, actor: Actor, form_id: uuid.UUID) -> dict[str, Any]:
    actor.require(*STAFF_READERS)
    row = conn.execute(_form_query().where(application_forms.c.id == form_id)).mappings().first()
    if row is None or not actor.can_see_teaching_point(row["teaching_point_id"]):
        raise NotFound("not_found", "报名表不存在或不属于您的教学点")
    return _shape(dict(row), masked=False)
