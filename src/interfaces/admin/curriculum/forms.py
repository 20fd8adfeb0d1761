"""What the curriculum forms share: a field's text, the education levels offered, course codes
typed by the user turned into course ids, and one `Curriculum` use case run from a form (a
message and a redirect when it succeeds, the form again with the refusal when it does not)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from litestar import Request, Response
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.queries import Page
from application.curriculum.queries import list_courses
from domains.curriculum.levels import EducationLevel
from domains.shared.errors import DomainError, InvalidInput
from interfaces.admin.common.forms import done

LEVELS = [(level.value, level.label) for level in EducationLevel]


def text(data: dict[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


def attempt(
    request: Request[Any, Any, Any], action: Callable[[], Any], to: str, message: str,
    failed: Callable[[DomainError], Response[Any]],
) -> Response[Any]:
    """Runs one use case: on success flash and redirect; a refused input or rule is shown on the
    page by `failed`; a refused role or a missing record goes to the error page (403/404)."""
    try:
        action()
    except DomainError as exc:
        if exc.kind in ("forbidden", "not_found"):
            raise
        return failed(exc)
    return done(request, to, message)


def course_ids_by_code(conn: Connection, actor: Actor, raw: str, field: str = "course_codes") -> list[uuid.UUID]:
    """Course codes typed by the user (separated by spaces, commas or 、) to course ids, in order;
    an unknown code is named in the message."""
    codes = [c for c in re.split(r"[\s,，、;；]+", raw or "") if c]
    found = []
    for code in dict.fromkeys(codes):
        matches = list_courses(conn, actor, Page(size=200), code=code).items
        course = next((c for c in matches if c["code"] == code), None)
        if course is None:
            raise InvalidInput("course.code_unknown", f"课程代码“{code}”不存在", field=field)
        found.append(course["id"])
    return found


def one_course_by_code(conn: Connection, actor: Actor, raw: str, field: str = "course_code") -> uuid.UUID:
    ids = course_ids_by_code(conn, actor, raw, field)
    if len(ids) != 1:
        raise InvalidInput("course.code_required", "请填写一个课程代码", field=field)
    return ids[0]
