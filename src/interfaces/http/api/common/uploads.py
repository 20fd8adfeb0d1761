"""Multipart uploads: the published body of an upload operation and reading its one file."""

from __future__ import annotations

from typing import Annotated, Any

from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.openapi.spec import Schema
from litestar.params import Body

from domains.shared.errors import InvalidInput


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
