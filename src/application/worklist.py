"""Each staff role's to-do list (待办): the review queues a role works through, with how many
items wait in each. Counts come from the queues' own list queries, so the number on the home
page and the rows behind its link are the same rows under the same scope rules (a teaching
point counts only its own learners' items)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection

from application.admissions.queries import list_forms
from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.common.queries import Page, PageOf
from application.finance.queries import list_bills, list_refunds, list_remittance_slips
from application.learners.record_change_projection import list_all_record_changes
from application.learners.status_change_projection import list_status_changes
from domains.admissions.application_form import FormStatus
from domains.finance.bill import BillStatus
from domains.finance.payments import SlipStatus
from domains.finance.refund import RefundStatus
from domains.learners.record_change import RequestStatus
from domains.learners.status_change import StatusChangeStatus
from domains.shared.values import Role

Fetch = Callable[[Connection, Actor, Page], PageOf]


@dataclass(frozen=True)
class Queue:
    """One to-do queue: who works it, what it is called, and the list query that holds it."""

    key: str
    label: str
    roles: frozenset[Role]
    fetch: Fetch

    def works(self, actor: Actor) -> bool:
        return any(actor.has(role) for role in self.roles) and not actor.has(Role.AUDITOR)


def _roster(status: str) -> RosterFilter:
    return RosterFilter(status=status)


TP = frozenset({Role.TEACHING_POINT_ADMIN})
AA = frozenset({Role.ACADEMIC_AFFAIRS})
FIN = frozenset({Role.FINANCE})

QUEUES: tuple[Queue, ...] = (
    Queue("forms-to-complete", "待补录报名表", TP,
          lambda c, a, p: list_forms(c, a, p, _roster(FormStatus.QUICK_REGISTERED.value))),
    Queue("status-changes-preliminary", "待初审学籍异动", TP,
          lambda c, a, p: list_status_changes(c, a, p, _roster(StatusChangeStatus.PENDING_PRELIMINARY_REVIEW.value))),
    Queue("bills-unpaid", "待缴费缴费单", TP,
          lambda c, a, p: list_bills(c, a, p, _roster(BillStatus.AWAITING_PAYMENT.value))),
    Queue("forms-final", "待复审报名表", AA,
          lambda c, a, p: list_forms(c, a, p, _roster(FormStatus.PRELIMINARILY_APPROVED.value))),
    Queue("refunds-academic", "待教务审核退课", AA,
          lambda c, a, p: list_refunds(c, a, p, _roster(RefundStatus.PENDING_ACADEMIC_REVIEW.value))),
    Queue("status-changes-final", "待复审学籍异动", AA,
          lambda c, a, p: list_status_changes(c, a, p, _roster(StatusChangeStatus.PENDING_FINAL_REVIEW.value))),
    Queue("record-changes", "待审核学籍变更", AA,
          lambda c, a, p: list_all_record_changes(c, a, p, _roster(RequestStatus.PENDING_REVIEW.value))),
    Queue("slips-to-confirm", "待确认汇款单", FIN,
          lambda c, a, p: list_remittance_slips(c, a, p, status=SlipStatus.SUBMITTED.value)),
    Queue("refunds-finance", "待财务审核退课", FIN,
          lambda c, a, p: list_refunds(c, a, p, _roster(RefundStatus.PENDING_FINANCE_REVIEW.value))),
    Queue("refunds-to-pay", "待退费", FIN,
          lambda c, a, p: list_refunds(c, a, p, _roster(RefundStatus.APPROVED_AWAITING_REFUND.value))),
)
BY_KEY = {q.key: q for q in QUEUES}


@dataclass(frozen=True)
class WorkItem:
    key: str
    label: str
    count: int


def worklist(conn: Connection, actor: Actor) -> list[WorkItem]:
    """The actor's queues with their counts, in the order above (the role's own work only:
    auditors start nothing, so they have none)."""
    return [
        WorkItem(q.key, q.label, q.fetch(conn, actor, Page(size=1)).total) for q in QUEUES if q.works(actor)
    ]


def next_pending(conn: Connection, actor: Actor, key: str, after: uuid.UUID) -> uuid.UUID | None:
    """The queue's next item once `after` was decided (it left the queue, or still waits for
    another step): the first of the queue that is not `after`, or None when the queue is empty."""
    queue = BY_KEY[key]
    for row in queue.fetch(conn, actor, Page(size=2)).items:
        if row["id"] != after:
            return row["id"]  # type: ignore[no-any-return]
    return None
