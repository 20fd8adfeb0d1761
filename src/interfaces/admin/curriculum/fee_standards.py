"""收费标准 (requirements/curriculum.md §4): school finance sets the credit fee per credit
(学分费/学分) and the exam fee per course (考试费/门) of each education level; academic affairs,
auditors and the system administrator read them. Every change goes through the `Curriculum`
use cases, which check the role again."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Template
from sqlalchemy import Connection

from application.common.actor import Actor
from application.curriculum.queries import list_fee_standards
from domains.curriculum.fees import FeeStandard
from domains.curriculum.levels import parse_level
from domains.shared.errors import InvalidInput
from domains.shared.money import Money
from domains.shared.values import Role
from infrastructure.container import Container
from interfaces.admin.common.forms import Form, refusal_status
from interfaces.admin.common.guards import requires_role
from interfaces.admin.common.rendering import audit_tab, page
from interfaces.admin.curriculum.forms import attempt, text
from interfaces.admin.curriculum.roles import FEE_READERS

MAX_FEE_FEN = 100_000_000  # what the use case accepts: 1,000,000.00 yuan


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
    guards = [requires_role(*FEE_READERS)]

    def _index(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, status_code: int = 200,
               **context: Any) -> Template:
        standards = list_fee_standards(reader, actor)
        for s in standards:
            if s["set"]:
                s["credit_fee"] = Money(s["credit_fee_per_credit_fen"]).yuan
                s["exam_fee"] = Money(s["exam_fee_per_course_fen"]).yuan
            s["history"] = audit_tab(reader, FeeStandard.create_id(s["level"])) if s["set"] else []
        forms = {s["level"]: {"credit_fee": s.get("credit_fee"), "exam_fee": s.get("exam_fee")} for s in standards}
        forms.update(context.pop("forms", {}))
        return page(request, "fee_standards.html", actor, status_code=status_code, standards=standards, forms=forms,
                    can_edit=actor.has(Role.FINANCE), **context)

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        return self._index(request, actor, reader)

    @post("/{level:str}", sync_to_thread=True)
    def set_standard(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, level: str,
        data: Form,
    ) -> Response[Any]:
        education_level = parse_level(level)

        def save() -> None:
            services.curriculum.set_fee_standard(
                actor, education_level.value, fen_of(data.get("credit_fee"), "credit_fee", "学分费（元/学分）"),
                fen_of(data.get("exam_fee"), "exam_fee", "考试费（元/门）"), text(data, "reason") or None,
            )

        return attempt(
            request, save, "/admin/fee-standards", f"{education_level.label}收费标准已保存",
            lambda exc: self._index(request, actor, reader, refusal_status(exc), forms={education_level.value: data},
                                    error=f"{education_level.label}：{exc.message}", error_level=education_level.value),
        )
