"""Shared pieces of the API controllers: paging parameters, the roster filter and list envelopes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

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
    """The roster filters of requirements/common.md §2.1 (学习批次, the five programme elements,
    教学点, 学号, 姓名, status) as query parameters of every roster-like list: a controller declares
    `dependencies=ROSTER` and its handler takes `roster: RosterFilter`."""
    return RosterFilter(
        study_batch_id=study_batch_id, level=level, learner_type=learner_type, learner_source=learner_source,
        major=major, length_of_schooling=length_of_schooling, teaching_point_id=teaching_point_id,
        student_number=student_number, name=name, status=status,
    )


ROSTER = {"roster": Provide(roster_filter, sync_to_thread=False)}


T = TypeVar("T")


class Out(msgspec.Struct, forbid_unknown_fields=True):
    """Base of every response struct. A key the query returns that the struct does not declare is
    an error (a failing test), not a silent drop: the OpenAPI document stays the whole truth."""


class CreatedOut(Out):
    """The id of what a request created, for the next call to fetch or act on."""

    id: uuid.UUID


class ProgrammeColumns(Out):
    """The five elements of a learner's programme (层次, 学生类型, 学生来源, 专业, 学制)."""

    level: str
    learner_type: str
    learner_source: str
    major: str
    length_of_schooling: str


class RosterColumns(ProgrammeColumns):
    """The learner's roster columns that lists of their bills, selections, requests… carry."""

    student_number: str
    learner_name: str
    study_batch_id: uuid.UUID
    teaching_point_name: str


JobState = Literal["queued", "running", "done", "failed"]


class JobOut(Out):
    """A background job's progress (imports, exports, batch selection and generation)."""

    id: uuid.UUID
    status: JobState
    filename: str  # the file, or what the job does, as the job list shows it
    total: int
    processed: int
    succeeded: int
    failed: int
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    status_label: str


class Listing(msgspec.Struct, Generic[T]):
    """One page of a list: the items, how many match in all, and the page asked for."""

    items: list[T]
    total: int
    page: int
    page_size: int


class AmountListing(Listing[T], Generic[T]):
    total_amount_fen: int  # of every item the filters match, all pages


def out(value: Any, kind: type[T]) -> T:
    """A query's dict (or list of dicts) as the response struct it is documented as. Read-model
    rows carry SQLAlchemy's `str` subclasses as keys, which `convert` refuses; going through
    builtins first costs under a millisecond for a 100-row page."""
    return msgspec.convert(msgspec.to_builtins(value), kind)


def page_of(page: int, page_size: int) -> Page:
    return Page(number=page, size=page_size)


def listing(result: PageOf, item: type[T]) -> Listing[T]:
    """The page as typed items (one conversion over the whole list)."""
    return Listing(
        items=out(result.items, list[item]),  # type: ignore[valid-type]
        total=result.total, page=result.page, page_size=result.size,
    )


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
