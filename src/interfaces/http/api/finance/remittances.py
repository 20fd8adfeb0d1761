"""Remittance slips (汇款单): a teaching point remits for many bills at once; finance confirms
the money arrived, or rejects the slip."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post
from sqlalchemy import Connection

from application.common.actor import Actor
from application.finance.queries import get_remittance_slip, list_remittance_slips
from infrastructure.container import Container
from interfaces.http.api.common import (
    AmountListing,
    CommentIn,
    ReasonIn,
    amount_listing,
    out,
    page_of,
)
from interfaces.http.api.finance.schemas import (
    RemittanceIn,
    RemittanceSlipDetailOut,
    RemittanceSlipOut,
)


def _slip(reader: Connection, actor: Actor, slip_id: uuid.UUID) -> RemittanceSlipDetailOut:
    return out(get_remittance_slip(reader, actor, slip_id), RemittanceSlipDetailOut)


class RemittanceSlipController(Controller):
    path = "/remittance-slips"
    tags = ["finance"]

    @get("/", sync_to_thread=True)
    def index(
        self,
        actor: Actor,
        reader: Connection,
        page: int = 1,
        page_size: int = 20,
        status: str | None = None,
        teaching_point_id: uuid.UUID | None = None,
        slip_number: str | None = None,
    ) -> AmountListing[RemittanceSlipOut]:
        result = list_remittance_slips(
            reader, actor, page_of(page, page_size), status=status, teaching_point_id=teaching_point_id,
            slip_number=slip_number,
        )
        result.extra = {"total_amount_fen": sum(r["amount_fen"] for r in result.items)}
        return amount_listing(result, RemittanceSlipOut)

    @post("/", sync_to_thread=True)
    def create(
        self, actor: Actor, services: Container, reader: Connection, data: RemittanceIn
    ) -> RemittanceSlipDetailOut:
        """The teaching point remits for many bills at once: a slip, the bills in transit."""
        slip_id = services.finance.remit(actor, data.bill_ids, data.bank_reference)
        return _slip(reader, actor, slip_id)

    @get("/{slip_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, reader: Connection, slip_id: uuid.UUID) -> RemittanceSlipDetailOut:
        return _slip(reader, actor, slip_id)

    @post("/{slip_id:uuid}/confirmation", sync_to_thread=True, status_code=200)
    def confirm(
        self, actor: Actor, services: Container, reader: Connection, slip_id: uuid.UUID, data: CommentIn
    ) -> RemittanceSlipDetailOut:
        services.finance.confirm_remittance(actor, slip_id, data.comment)
        return _slip(reader, actor, slip_id)

    @post("/{slip_id:uuid}/rejection", sync_to_thread=True, status_code=200)
    def reject(
        self, actor: Actor, services: Container, reader: Connection, slip_id: uuid.UUID, data: ReasonIn
    ) -> RemittanceSlipDetailOut:
        services.finance.reject_remittance(actor, slip_id, data.reason)
        return _slip(reader, actor, slip_id)
