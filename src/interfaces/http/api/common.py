"""Shared pieces of the API controllers: paging parameters, the roster filter and list envelopes."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar.datastructures import UploadFile
from litestar.di import Provide
from litestar.enums import RequestEncodingType
from litestar.openapi.spec import Schema
from litestar.params import Body

from application.common.filters import RosterFilter
from application.common.queries import Page, PageOf
from domains.shared.errors import InvalidInput


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


def upload_body(file: str, **text_fields: str) -> Any:
    """A multipart/form-data body, read as a dict so that each handler answers a missing or
    doubled part with its own code (`one_file`), and published with its named parts: `file`
    (the upload) and the text fields, each with its description."""
    properties = {"file": Schema(type="string", format="binary", description=file)}  # type: ignore[arg-type]
    properties |= {name: Schema(type="string", description=text) for name, text in text_fields.items()}  # type: ignore[arg-type]
    extra = {"type": "object", "properties": properties, "required": ["file", *text_fields]}
    return Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART, schema_extra=extra)]


def one_file(data: Any, max_bytes: int, code: str, message: str) -> tuple[str | None, bytes]:
    """The multipart part `file` (exactly one), read up to one byte past `max_bytes` so that the
    use case can tell an oversized file; 422 `code` naming the field when it is missing."""
    upload = data.get("file") if isinstance(data, dict) else None
    if isinstance(upload, list):
        upload = upload[0] if len(upload) == 1 else None
    if not isinstance(upload, UploadFile):
        raise InvalidInput(code, message, field="file")
    return upload.filename, upload.file.read(max_bytes + 1)
