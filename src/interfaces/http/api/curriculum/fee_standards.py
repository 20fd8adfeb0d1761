"""Fee standards (收费标准) per education level: credit fee per credit, exam fee per course."""

from __future__ import annotations

from litestar import Controller, get, put
from sqlalchemy import Connection

from application.common.actor import Actor
from application.curriculum.queries import list_fee_standards
from infrastructure.container import Container
from interfaces.http.api.common import out
from interfaces.http.api.curriculum.schemas import FeeStandardIn, FeeStandardOut


class FeeStandardController(Controller):
    path = "/fee-standards"
    tags = ["curriculum", "finance"]

    @get("/", sync_to_thread=True)
    def index(self, actor: Actor, reader: Connection) -> list[FeeStandardOut]:
        return out(list_fee_standards(reader, actor), list[FeeStandardOut])

    @put("/{level:str}", sync_to_thread=True)
    def set(
        self, actor: Actor, services: Container, reader: Connection, level: str, data: FeeStandardIn
    ) -> list[FeeStandardOut]:
        services.curriculum.set_fee_standard(
            actor, level, data.credit_fee_per_credit_fen, data.exam_fee_per_course_fen, data.reason
        )
        return out(list_fee_standards(reader, actor), list[FeeStandardOut])
