"""Admin pages of the curriculum, shared parts and 收费标准 (seed 001 §4.2.1 (6), §4.2.4).

Academic affairs maintains the course catalogue, the programmes' course lists and the selection
and exam batches (`curriculum_courses`, `curriculum_batches`); school finance sets the credit
fee per credit (学分费/学分) and the exam fee per course (考试费/门) of each education level here.
Auditors and the system administrator read every page; every change goes through the
`Curriculum` use cases, which check the role again."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Template

from application.common.actor import Actor
from application.common.queries import Page
from application.curriculum.queries import list_courses, list_fee_standards
from domains.curriculum.fees import FeeStandard
from domains.curriculum.levels import EducationLevel, parse_level
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.money import Money
from domains.shared.values import Role
from interfaces.admin.common.forms import Form, done, refusal_status
from interfaces.admin.common.rendering import audit_tab, page
from interfaces.admin.common.session import admin_actor
from interfaces.http.context import container_of

EDITORS = (Role.ACADEMIC_AFFAIRS,)
READERS = (Role.ACADEMIC_AFFAIRS, Role.SYSTEM_ADMIN, Role.AUDITOR)
FEE_READERS = (Role.FINANCE, Role.ACADEMIC_AFFAIRS, Role.AUDITOR, Role.SYSTEM_ADMIN)
LEVELS = [(level.value, level.label) for level in EducationLevel]

MAX_FEE_FEN = 100_000_000  # what the use case accepts: 1,000,000.00 yuan


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


def text(data: dict[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


def course_ids_by_code(conn: Any, actor: Actor, raw: str, field: str = "course_codes") -> list[uuid.UUID]:
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


def one_course_by_code(conn: Any, actor: Actor, raw: str, field: str = "course_code") -> uuid.UUID:
    ids = course_ids_by_code(conn, actor, raw, field)
    if len(ids) != 1:
        raise InvalidInput("course.code_required", "请填写一个课程代码", field=field)
    return ids[0]


def fen_of(raw: Any, field: str, label: str) -> int:
    """An amount typed in yuan (at most two decimals) to whole fen, exactly; no float is used."""
    try:
        amount = Money.parse_yuan(str(raw or ""), field)
    except InvalidInput:
        raise InvalidInput(
            "money.malformed", f"{label}须为以元为单位的金额（最多两位小数，如 159.00）", field=field
        ) from None
    if amount.fen > MAX_FEE_FEN:
        raise InvalidInput("money.too_large", f"{label}不能超过{Money(MAX_FEE_FEN).yuan}元", field=field)
    return amount.fen


class FeeStandardPages(Controller):
    path = "/admin/fee-standards"

    def _index(self, request: Request[Any, Any, Any], actor: Actor, status_code: int = 200, **context: Any) -> Template:
        actor.require(*FEE_READERS)
        with container_of(request).engine.connect() as conn:
            standards = list_fee_standards(conn, actor)
        for s in standards:
            if s["set"]:
                s["credit_fee"] = Money(s["credit_fee_per_credit_fen"]).yuan
                s["exam_fee"] = Money(s["exam_fee_per_course_fen"]).yuan
            s["history"] = audit_tab(request, FeeStandard.create_id(s["level"])) if s["set"] else []
        forms = {s["level"]: {"credit_fee": s.get("credit_fee"), "exam_fee": s.get("exam_fee")} for s in standards}
        forms.update(context.pop("forms", {}))
        return page(request, "fee_standards.html", actor, status_code=status_code, standards=standards, forms=forms,
                    can_edit=actor.has(Role.FINANCE), **context)

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any]) -> Template:
        return self._index(request, admin_actor(request))

    @post("/{level:str}", sync_to_thread=True)
    def set_standard(self, request: Request[Any, Any, Any], level: str, data: Form) -> Response[Any]:
        actor = admin_actor(request)
        education_level = parse_level(level)

        def save() -> None:
            container_of(request).curriculum.set_fee_standard(
                actor, education_level.value, fen_of(data.get("credit_fee"), "credit_fee", "学分费（元/学分）"),
                fen_of(data.get("exam_fee"), "exam_fee", "考试费（元/门）"), text(data, "reason") or None,
            )

        return attempt(
            request, save, "/admin/fee-standards", f"{education_level.label}收费标准已保存",
            lambda exc: self._index(request, actor, refusal_status(exc), forms={education_level.value: data},
                                    error=f"{education_level.label}：{exc.message}", error_level=education_level.value),
        )
