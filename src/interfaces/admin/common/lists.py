"""What every admin list shares: the roster filters of requirements/common.md §2.1 (学习批次, the
five programme elements, 教学点, 学号, 姓名, status) read from the query string, the filter choices,
one page of a query with its pager, an Excel export of every row of the current query, and 精确查找学生."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from litestar import Request, Response
from litestar.response import Template
from sqlalchemy import Connection

from application.admissions.queries import filter_choices, list_study_batches
from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.common.queries import Page, PageOf
from application.curriculum.queries import list_courses
from application.learners.queries import list_learners
from application.organisation.queries import list_teaching_points
from infrastructure.clock import SHANGHAI
from interfaces.admin.common.exports import workbook_bytes, xlsx_response
from interfaces.admin.common.forms import page_of, uuid_param
from interfaces.admin.common.rendering import page
from interfaces.http.context import container_of

FILTER_KEYS = (
    "study_batch_id", "level", "learner_type", "learner_source", "major", "length_of_schooling",
    "teaching_point_id", "student_number", "name", "status",
)


ELEMENTS = (
    ("level", "层次"), ("learner_type", "学生类型"), ("learner_source", "学生来源"), ("major", "专业"),
    ("length_of_schooling", "学制"),
)


def filters_of(request: Request[Any, Any, Any], actor: Actor) -> tuple[RosterFilter, dict[str, str]]:
    """The roster filter from the query string; the 教学点 filter is for school staff only."""
    return filters_from(request.query_params, actor)


def filters_from(values: Mapping[str, Any], actor: Actor) -> tuple[RosterFilter, dict[str, str]]:
    """The roster filter from a query string or a posted form."""
    params = {k: str(v).strip() for k in FILTER_KEYS if (v := values.get(k)) not in (None, "")}
    if not actor.is_school_staff:
        params.pop("teaching_point_id", None)
    return RosterFilter.from_params(params), params


def list_filters(
    request: Request[Any, Any, Any], actor: Actor, id_keys: Sequence[str] = (), text_keys: Sequence[str] = ()
) -> tuple[RosterFilter, dict[str, Any], dict[str, str]]:
    """The roster filter, the page's own filters (`id_keys` as UUIDs, `text_keys` as text), and
    every filter parameter in force (for the pager, the form and the export link)."""
    filters, params = filters_of(request, actor)
    extra: dict[str, Any] = {}
    for key in id_keys:
        value = uuid_param(request.query_params.get(key))
        if value is not None:
            extra[key] = value
            params[key] = str(value)
    for key in text_keys:
        text = str(request.query_params.get(key) or "").strip()
        if text:
            extra[key] = text
            params[key] = text
    return filters, extra, params


def choices_of(conn: Connection, actor: Actor) -> dict[str, Any]:
    """What the filter forms offer: study batches, programme elements, courses, teaching points."""
    choices = filter_choices(conn)
    return {
        "batches": [(b["id"], b["name"]) for b in list_study_batches(conn)],
        "elements": [(key, label, [(v, v) for v in choices.get(key, [])]) for key, label in ELEMENTS],
        "courses": [(c["id"], f"{c['code']} {c['name']}") for c in list_courses(conn, actor, Page(size=200)).items],
        "points": [(p["id"], p["name"]) for p in list_teaching_points(conn, actor, Page(size=200)).items]
        if actor.is_school_staff else [],
        "school": actor.is_school_staff,
    }


def in_pages(rows: list[dict[str, Any]], number: int, size: int = 20) -> PageOf:
    """A short read model held whole (a catalogue list), paged for display."""
    page_ = Page(number=number, size=size)
    start = (page_.number - 1) * page_.size
    return PageOf(items=rows[start : start + page_.size], total=len(rows), page=page_.number, size=page_.size)


def every_page(fetch: Callable[[Page], PageOf]) -> Iterator[dict[str, Any]]:
    """Every row a paged query finds, page after page (for an export of the current filter)."""
    number = 1
    while True:
        result = fetch(Page(number=number, size=200))
        yield from result.items
        if number >= result.pages:
            return
        number += 1


def export_response(
    request: Request[Any, Any, Any], reader: Connection, title: str, ascii_name: str, columns: Sequence[tuple[str, str]],
    fetch: Callable[[Connection, Page], PageOf], shape: Callable[[dict[str, Any]], dict[str, Any]],
) -> Response[bytes]:
    """An Excel file of every row the list's query finds (all pages), each row shaped for it."""
    rows = (shape(r) for r in every_page(lambda p: fetch(reader, p)))
    content, _count = workbook_bytes(title, columns, rows)
    stamp = container_of(request).clock.now().astimezone(SHANGHAI).strftime("%Y%m%d%H%M")
    return xlsx_response(content, f"{title}_{stamp}.xlsx", f"{ascii_name}_{stamp}.xlsx")


def list_page(
    request: Request[Any, Any, Any], actor: Actor, reader: Connection, template: str, params: dict[str, str],
    fetch: Callable[[Connection, Page], PageOf], *, shape: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    choices: Callable[[Connection], dict[str, Any]] | None = None, status_code: int = 200, **context: Any,
) -> Template:
    """A list page: the requested page of the list's query, the filter choices, the filters in force."""
    result = fetch(reader, page_of(request))
    context.update(choices_of(reader, actor), **(choices(reader) if choices else {}))
    if shape is not None:
        result.items = [shape(r) for r in result.items]
    return page(request, template, actor, status_code=status_code, result=result, params=params, **context)


def find_learners(conn: Connection, actor: Actor, request: Request[Any, Any, Any]) -> tuple[dict[str, str], PageOf | None]:
    """精确查找学生: the actor's learners by student number or name (nothing until one is given)."""
    lookup = {k: str(request.query_params.get(k) or "").strip() for k in ("student_number", "name")}
    if not any(lookup.values()):
        return lookup, None
    filters = RosterFilter(student_number=lookup["student_number"] or None, name=lookup["name"] or None)
    return lookup, list_learners(conn, actor, Page(size=20), filters)


