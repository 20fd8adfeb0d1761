"""The refund chain of a paid course's drop: academic affairs reviews, finance reviews and
records the money paid back; the requester may cancel while it is open."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.finance.queries import get_refund, list_refunds
from infrastructure.container import Container
from interfaces.http.api.common import (
    ROSTER,
    AmountListing,
    CommentIn,
    ReasonIn,
    RefundOut,
    amount_listing,
    out,
    page_of,
)
from interfaces.http.api.finance.schemas import ReferenceIn, RefundDetailOut


def _refund(reader: Connection, actor: Actor, refund_id: uuid.UUID) -> RefundDetailOut:
    return out(get_refund(reader, actor, refund_id), RefundDetailOut)


class RefundController(Controller):
    path = "/refunds"
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
        course_id: uuid.UUID | None = None,
        learner_id: uuid.UUID | None = None,
    ) -> AmountListing[RefundOut]:
        return amount_listing(list_refunds(
            reader, actor, page_of(page, page_size), roster, queue=False, course_id=course_id, learner_id=learner_id
        ), RefundOut)

    @get("/queue", sync_to_thread=True)
    def queue(
        self, actor: Actor, reader: Connection, roster: RosterFilter, page: int = 1, page_size: int = 20
    ) -> AmountListing[RefundOut]:
        """The acting role's own queue: academic affairs, pending its review; finance, pending
        finance review and approved awaiting the refund; a teaching point, its requests."""
        return amount_listing(list_refunds(reader, actor, page_of(page, page_size), roster, queue=True), RefundOut)

    @get("/{refund_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, reader: Connection, refund_id: uuid.UUID) -> RefundDetailOut:
        return _refund(reader, actor, refund_id)

    @post("/{refund_id:uuid}/academic-approval", sync_to_thread=True, status_code=200)
    def academic_approve(
        self, actor: Actor, services: Container, reader: Connection, refund_id: uuid.UUID, data: CommentIn
    ) -> RefundDetailOut:
        services.finance.approve_drop(actor, refund_id, data.comment)
        return _refund(reader, actor, refund_id)

    @post("/{refund_id:uuid}/academic-rejection", sync_to_thread=True, status_code=200)
    def academic_reject(
        self, actor: Actor, services: Container, reader: Connection, refund_id: uuid.UUID, data: ReasonIn
    ) -> RefundDetailOut:
        services.finance.reject_drop(actor, refund_id, data.reason)
        return _refund(reader, actor, refund_id)

    @post("/{refund_id:uuid}/finance-approval", sync_to_thread=True, status_code=200)
    def finance_approve(
        self, actor: Actor, services: Container, reader: Connection, refund_id: uuid.UUID, data: CommentIn
    ) -> RefundDetailOut:
        services.finance.approve_refund(actor, refund_id, data.comment)
        return _refund(reader, actor, refund_id)

    @post("/{refund_id:uuid}/finance-rejection", sync_to_thread=True, status_code=200)
    def finance_reject(
        self, actor: Actor, services: Container, reader: Connection, refund_id: uuid.UUID, data: ReasonIn
    ) -> RefundDetailOut:
        services.finance.reject_refund(actor, refund_id, data.reason)
        return _refund(reader, actor, refund_id)

    @post("/{refund_id:uuid}/refund-payment", sync_to_thread=True, status_code=200)
    def refunded(
        self, actor: Actor, services: Container, reader: Connection, refund_id: uuid.UUID, data: ReferenceIn
    ) -> RefundDetailOut:
        """Finance records the money paid back: the drop completes."""
        services.finance.mark_refunded(actor, refund_id, data.reference)
        return _refund(reader, actor, refund_id)

    @post("/{refund_id:uuid}/cancellation", sync_to_thread=True, status_code=200)
    def cancel(
        self, actor: Actor, services: Container, reader: Connection, refund_id: uuid.UUID, data: ReasonIn
    ) -> RefundDetailOut:
        services.finance.cancel_drop(actor, refund_id, data.reason)
        return _refund(reader, actor, refund_id)
