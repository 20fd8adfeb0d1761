"""Bills (缴费单): the filtered list with its amount, totals per teaching point, one bill."""

from __future__ import annotations

import uuid

from litestar import Controller, get
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.finance.queries import bill_totals, get_bill, list_bills
from interfaces.http.api.common import (
    ROSTER,
    AmountListing,
    BillOut,
    amount_listing,
    out,
    page_of,
)
from interfaces.http.api.finance.schemas import BillTotalsOut


class BillController(Controller):
    path = "/bills"
    tags = ["finance"]
    dependencies = ROSTER

    @get("/", sync_to_thread=True)
    def index(
        self,
        actor: Actor,
        reader: Connection,
        roster: RosterFilter,
        page: int = 1,
        page_size: int = 20,
        fee_type: str | None = None,
        course_id: uuid.UUID | None = None,
        learner_id: uuid.UUID | None = None,
        enrollment_id: uuid.UUID | None = None,
    ) -> AmountListing[BillOut]:
        return amount_listing(list_bills(
            reader, actor, page_of(page, page_size), roster, fee_type=fee_type, course_id=course_id,
            learner_id=learner_id, enrollment_id=enrollment_id,
        ), BillOut)

    @get("/totals", sync_to_thread=True)
    def totals(
        self, actor: Actor, reader: Connection, roster: RosterFilter, fee_type: str | None = None
    ) -> list[BillTotalsOut]:
        """Per teaching point: bill counts and amounts (fen) by status."""
        return out(bill_totals(reader, actor, roster, fee_type), list[BillTotalsOut])

    @get("/{bill_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, reader: Connection, bill_id: uuid.UUID) -> BillOut:
        return out(get_bill(reader, actor, bill_id), BillOut)
