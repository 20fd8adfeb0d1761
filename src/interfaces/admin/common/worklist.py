"""Where each to-do queue of `application.worklist` is listed, and what a review page does after
a decision: open the queue's next pending item, or go back to the emptied queue."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response
from sqlalchemy import Connection

from application.common.actor import Actor
from application.worklist import next_pending
from interfaces.admin.common.forms import done

# Each queue's list page, filtered to exactly the rows its count holds.
QUEUE_PAGES = {
    "forms-to-complete": "/admin/application-forms/quick-registrations",
    "status-changes-preliminary": "/admin/status-changes?tab=preliminary",
    "bills-unpaid": "/admin/bills?status=awaiting_payment",
    "forms-final": "/admin/application-forms?status=preliminarily_approved",
    "refunds-academic": "/admin/refunds?tab=academic",
    "status-changes-final": "/admin/status-changes?tab=final",
    "record-changes": "/admin/record-changes?tab=pending",
    "slips-to-confirm": "/admin/remittance-slips?status=submitted",
    "refunds-finance": "/admin/refunds?tab=finance",
    "refunds-to-pay": "/admin/refunds?tab=refund",
}


def after_decision(
    request: Request[Any, Any, Any], reader: Connection, actor: Actor, queue: str | None, decided: uuid.UUID,
    record_page: str, message: str,
) -> Response[Any]:
    """The redirect after a reviewer decided one item of `queue`: the queue's next pending item
    (`record_page` formatted with its id); when none is left, or outside any queue, the decided
    record itself, showing its new state."""
    following = next_pending(reader, actor, queue, decided) if queue is not None else None
    if following is not None:
        return done(request, record_page.format(id=following), f"{message}。已打开下一条待办")
    if queue is not None:
        message = f"{message}。本队列已全部处理完毕"
    return done(request, record_page.format(id=decided), message)
