"""Shared pieces of the API controllers: paging parameters, the roster filter and list envelopes."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar.di import Provide

from application.common.filters import RosterFilter
from application.common.queries import Page, PageOf


def roster_filter(
    study_batch_id: uuid.UUID | None = None,
    level: str | None = None,
    learner_type: str | None = None,
    learner_source: str | None = None,
    major: str | None = None,
    length_of_schooling: str | None = None,
    teaching_point_id: uuid.UUID | None = None,
    student_number: str | None = None,
    name: str | None = None,
    status: str | None = None,
) -> RosterFilter:
    """The seed's list filters (学习批次, the five programme elements, 教学点, 学号, 姓名, status) as
    query parameters of every roster-like list: a controller declares `dependencies=ROSTER` and
    its handler takes `roster: RosterFilter`."""
    return RosterFilter(
        study_batch_id=study_batch_id, level=level, learner_type=learner_type, learner_source=learner_source,
        major=major, length_of_schooling=length_of_schooling, teaching_point_id=teaching_point_id,
        student_number=student_number, name=name, status=status,
    )


ROSTER = {"roster": Provide(roster_filter, sync_to_thread=False)}


class ListOut(msgspec.Struct):
    items: list[dict[str, Any]]
    total: int
    page: int
    page_size: int


def page_of(page: int, page_size: int) -> Page:
    return Page(number=page, size=page_size)


def list_out(result: PageOf) -> ListOut:
    return ListOut(items=result.items, total=result.total, page=result.page, page_size=result.size)


class Reason(msgspec.Struct):
    reason: str | None = None
