"""What every admin form shares: the posted body (a plain form or a multipart upload), the one
file an upload form sends, check-box lists, ids and page numbers read from a request, the
redirect-with-message after a change, and how a refusal maps to a status."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Annotated, Any

from litestar import Request, Response
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from application.common.queries import Page
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.money import Money
from interfaces.admin.common.session import flash

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
Multipart = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]

# Page status for a refused form: the form comes back with the message and the entered values.
STATUS_OF_KIND = {"not_found": 404, "forbidden": 403, "invalid": 422}


def as_list(value: Any) -> list[str]:
    """A form field that may be sent once or several times (check boxes)."""
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def one_upload(data: Any, code: str, message: str, field: str = "file") -> UploadFile:
    """The one file chosen in an upload form's `field`; none (or several) is the user's omission."""
    upload = data.get(field) if isinstance(data, dict) else None
    if isinstance(upload, list):
        upload = upload[0] if len(upload) == 1 else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInput(code, message, field=field)
    return upload


def done(request: Request[Any, Any, Any], to: str, message: str) -> Response[Any]:
    return flash(request, Redirect(to), message)


def page_number(request: Request[Any, Any, Any]) -> int:
    try:
        return max(1, int(request.query_params.get("page", 1) or 1))
    except ValueError:
        return 1


PAGE_SIZES = (20, 50, 100, 200)


def page_of(request: Request[Any, Any, Any]) -> Page:
    """The page of a list the query string asks for: number, size (每页条数, one of PAGE_SIZES)
    and the column sorted by (`sort`, with `order=desc` for descending)."""
    try:
        size = int(request.query_params.get("page_size") or PAGE_SIZES[0])
    except ValueError:
        size = PAGE_SIZES[0]
    sort = str(request.query_params.get("sort") or "")
    return Page(
        number=page_number(request), size=size if size in PAGE_SIZES else PAGE_SIZES[0],
        sort=sort if sort.isidentifier() else None, descending=request.query_params.get("order") == "desc",
    )


def parse_id(raw: Any, code: str, message: str, field: str) -> uuid.UUID:
    """A chosen record id from a form field; a missing or malformed one is the user's omission."""
    try:
        return uuid.UUID(str(raw or "").strip())
    except ValueError:
        raise InvalidInput(code, message, field=field) from None


def uuid_param(raw: Any) -> uuid.UUID | None:
    """An optional id from a query or form value; a malformed one reads as none."""
    try:
        return uuid.UUID(str(raw or "").strip()) if raw not in (None, "") else None
    except ValueError:
        return None


def uuids(values: Iterable[str]) -> list[uuid.UUID]:
    return [u for u in (uuid_param(v) for v in values) if u is not None]


def error_field(exc: DomainError) -> dict[str, str]:
    """Each field a refusal names, with the message shown beside it (a refusal of several
    fields at once names them all)."""
    errors = exc.details.get("errors")
    if isinstance(errors, list):
        return {str(e["field"]): str(e["message"]) for e in errors if isinstance(e, dict) and e.get("field")}
    field = exc.details.get("field")
    return {str(field): exc.message} if field else {}


def field_message(errors: dict[str, str] | str | None, name: str) -> str | None:
    """The message beside field `name` (templates also get a bare field name from older pages)."""
    if isinstance(errors, dict):
        return errors.get(name)
    return "" if errors == name else None


def status_of(exc: DomainError) -> int:
    return STATUS_OF_KIND.get(exc.kind, 409)


def refusal_status(exc: DomainError) -> int:
    return 422 if exc.kind == "invalid" else 409


def yuan(fen: int | None) -> str:
    """Amounts are integer fen; pages show yuan with two decimals."""
    return "" if fen is None else Money(int(fen)).yuan


def yes_no(value: bool) -> str:
    return "是" if value else "否"
