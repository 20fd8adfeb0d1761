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


def error_field(exc: DomainError) -> str | None:
    """The form field a refusal names, for the message beside it."""
    field = exc.details.get("field")
    return str(field) if field else None


def status_of(exc: DomainError) -> int:
    return STATUS_OF_KIND.get(exc.kind, 409)


def refusal_status(exc: DomainError) -> int:
    return 422 if exc.kind == "invalid" else 409


def yuan(fen: int | None) -> str:
    """Amounts are integer fen; pages show yuan with two decimals."""
    return "" if fen is None else Money(int(fen)).yuan


def yes_no(value: bool) -> str:
    return "是" if value else "否"
