"""Read side of finance: bills by status with totals per teaching point, remittance slips,
online payments, and the refund queues of each role. Amounts are integer fen."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, false, func, select

from application.common.actor import Actor
from application.common.filters import RosterFilter
from application.common.queries import Page, PageOf, in_scope, paged
from application.curriculum.projection import courses
from application.curriculum.queries import shape
from application.enrolment.queries import STAFF_READERS, joined, roster, scoped, visible
from application.finance.projection import (
    bills,
    online_payments,
    payment_bills,
    refunds,
    remittance_slips,
)
from application.learners.projection import learners
from application.organisation.projection import teaching_points
from domains.finance.bill import BillStatus, FeeType, PaymentMethod
from domains.finance.payments import PaymentStatus, SlipStatus
from domains.finance.refund import RefundStatus
from domains.shared.errors import NotFound
from domains.shared.values import Role

# -- bills ---------------------------------------------------------------------------------------


def _bill(row: Any) -> dict[str, Any]:
    r = shape(row)
    r["status_label"] = BillStatus(r["status"]).label
    r["fee_type_label"] = FeeType(r["fee_type"]).label
    r["method_label"] = PaymentMethod(r["method"]).label if r["method"] else None
    return r


def _bill_query(
    actor: Actor,
    filters: RosterFilter,
    fee_type: str | None,
    course_id: uuid.UUID | None,
    learner_id: uuid.UUID | None,
    enrollment_id: uuid.UUID | None,
) -> Any:
    query = roster(scoped(joined(bills), actor, bills), filters, bills)
    if fee_type:
        query = query.where(bills.c.fee_type == fee_type)
    if course_id:
        query = query.where(bills.c.course_id == course_id)
    if learner_id:
        query = query.where(bills.c.learner_id == learner_id)
    if enrollment_id:
        query = query.where(bills.c.enrollment_id == enrollment_id)
    return query


def list_bills(
    conn: Connection,
    actor: Actor,
    page: Page,
    filters: RosterFilter,
    *,
    fee_type: str | None = None,
    course_id: uuid.UUID | None = None,
    learner_id: uuid.UUID | None = None,
    enrollment_id: uuid.UUID | None = None,
) -> PageOf:
    """The list carries the total of every bill it matches (all pages), in fen."""
    actor.require(*STAFF_READERS)
    query = _bill_query(actor, filters, fee_type, course_id, learner_id, enrollment_id)
    result = paged(
        conn, query, page, [bills.c.issued_at.desc(), learners.c.student_number, courses.c.code, bills.c.fee_type, bills.c.id]
    )
    result.items = [_bill(r) for r in result.items]
    total = conn.execute(select(func.coalesce(func.sum(query.subquery().c.amount_fen), 0))).scalar_one()
    result.extra = {"total_amount_fen": int(total)}
    return result


def _payable_query(actor: Actor, filters: RosterFilter, fee_type: str | None) -> Any:
    """The bills of a list query still awaiting payment (none when the query asks for another status)."""
    awaiting = BillStatus.AWAITING_PAYMENT.value
    query = _bill_query(actor, replace(filters, status=awaiting), fee_type, None, None, None)
    return query if filters.status in (None, awaiting) else query.where(false())


def payable_bills(conn: Connection, actor: Actor, filters: RosterFilter, fee_type: str | None = None) -> tuple[int, int]:
    """批量缴费汇款 of a whole query: how many of its bills await payment, and their total in fen
    (every page, not the page on screen)."""
    actor.require(*STAFF_READERS)
    found = _payable_query(actor, filters, fee_type).subquery()
    count, total = conn.execute(select(func.count(), func.coalesce(func.sum(found.c.amount_fen), 0))).one()
    return int(count), int(total)


def payable_bill_ids(conn: Connection, actor: Actor, filters: RosterFilter, fee_type: str | None = None) -> list[uuid.UUID]:
    """The ids of those bills, for the use case that pays them (which runs the query itself)."""
    actor.require(*STAFF_READERS)
    found = _payable_query(actor, filters, fee_type).subquery()
    return list(conn.execute(select(found.c.id).order_by(found.c.issued_at, found.c.id)).scalars())


def bills_by_id(conn: Connection, actor: Actor, ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    if not ids:
        return []
    rows = conn.execute(joined(bills).where(bills.c.id.in_(ids))).mappings()
    found = {r["id"]: _bill(r) for r in rows if visible(actor, r)}
    return [found[i] for i in ids if i in found]


def get_bill(conn: Connection, actor: Actor, bill_id: uuid.UUID) -> dict[str, Any]:
    """One bill, with the status of the drop request covering it (if any)."""
    found = bills_by_id(conn, actor, [bill_id])
    if not found:
        raise NotFound("not_found", "缴费单不存在或不属于您的教学点")
    bill = found[0]
    status = None
    if bill["refund_id"]:
        status = conn.execute(select(refunds.c.status).where(refunds.c.id == bill["refund_id"])).scalar()
    bill["refund_status_label"] = RefundStatus(status).label if status else None
    return bill


def bill_totals(conn: Connection, actor: Actor, filters: RosterFilter, fee_type: str | None = None) -> list[dict[str, Any]]:
    """Per teaching point: how many bills and how much in each status (fen), and the sums."""
    actor.require(*STAFF_READERS)
    query = _bill_query(actor, filters, fee_type, None, None, None).subquery()
    rows = conn.execute(
        select(query.c.teaching_point_id, query.c.teaching_point_name, query.c.status, func.count(), func.sum(query.c.amount_fen))
        .group_by(query.c.teaching_point_id, query.c.teaching_point_name, query.c.status)
    ).tuples()
    points: dict[uuid.UUID, dict[str, Any]] = {}
    for tp_id, tp_name, status, count, amount in rows:
        point = points.setdefault(
            tp_id,
            {
                "teaching_point_id": tp_id,
                "teaching_point_name": tp_name,
                "by_status": {s.value: {"label": s.label, "count": 0, "amount_fen": 0} for s in BillStatus},
                "count": 0,
                "amount_fen": 0,
            },
        )
        point["by_status"][status] = {"label": BillStatus(status).label, "count": count, "amount_fen": int(amount)}
        point["count"] += count
        point["amount_fen"] += int(amount)
    return sorted(points.values(), key=lambda p: p["teaching_point_name"])


# -- remittance slips and online payments -------------------------------------------------------


def _slip(row: Any) -> dict[str, Any]:
    r = shape(row)
    r["status_label"] = SlipStatus(r["status"]).label
    return r


def _slip_query() -> Any:
    return select(remittance_slips, teaching_points.c.name.label("teaching_point_name")).join(
        teaching_points, teaching_points.c.id == remittance_slips.c.teaching_point_id
    )


def list_remittance_slips(
    conn: Connection, actor: Actor, page: Page, *, status: str | None = None, teaching_point_id: uuid.UUID | None = None,
    slip_number: str | None = None,
) -> PageOf:
    actor.require(Role.TEACHING_POINT_ADMIN, Role.FINANCE, Role.AUDITOR, Role.SYSTEM_ADMIN)
    query = _slip_query()
    query = in_scope(query, actor, remittance_slips.c.teaching_point_id)
    if status:
        query = query.where(remittance_slips.c.status == status)
    if teaching_point_id:
        query = query.where(remittance_slips.c.teaching_point_id == teaching_point_id)
    if slip_number:
        query = query.where(remittance_slips.c.slip_number.startswith(slip_number.strip()))
    result = paged(conn, query, page, [remittance_slips.c.submitted_at.desc(), remittance_slips.c.slip_number])
    result.items = [_slip(r) for r in result.items]
    return result


def _payment_bills(conn: Connection, actor: Actor, payment_id: uuid.UUID) -> list[dict[str, Any]]:
    ids = list(conn.execute(select(payment_bills.c.bill_id).where(payment_bills.c.payment_id == payment_id)).scalars())
    return sorted(bills_by_id(conn, actor, ids), key=lambda b: (b["student_number"], b["course_code"], b["fee_type"]))


def get_remittance_slip(conn: Connection, actor: Actor, slip_id: uuid.UUID) -> dict[str, Any]:
    actor.require(Role.TEACHING_POINT_ADMIN, Role.FINANCE, Role.AUDITOR, Role.SYSTEM_ADMIN)
    row = conn.execute(_slip_query().where(remittance_slips.c.id == slip_id)).mappings().first()
    if row is None or not actor.can_see_teaching_point(row["teaching_point_id"]):
        raise NotFound("not_found", "汇款单不存在或不属于您的教学点")
    return {**_slip(row), "bills": _payment_bills(conn, actor, slip_id)}


def get_online_payment(conn: Connection, actor: Actor, payment_id: uuid.UUID) -> dict[str, Any]:
    row = conn.execute(select(online_payments).where(online_payments.c.id == payment_id)).mappings().first()
    items = _payment_bills(conn, actor, payment_id) if row is not None else []
    own = bool(items) and all(visible(actor, b) for b in items)
    if row is None or not (actor.can_see_teaching_point(row["teaching_point_id"]) if actor.is_staff else own):
        raise NotFound("not_found", "缴费记录不存在")
    r = shape(row)
    r["status_label"] = PaymentStatus(r["status"]).label
    return {**r, "bills": items}


def online_payment_status(conn: Connection, payment_id: uuid.UUID) -> str | None:
    """For the gateway simulator's answer (no actor: the gateway is not a user)."""
    return conn.execute(select(online_payments.c.status).where(online_payments.c.id == payment_id)).scalar()


# -- refunds and their queues ------------------------------------------------------------------------

# What each role works on, as the refund chain says (the refund's teaching point sees all its requests).
QUEUES: dict[Role, tuple[RefundStatus, ...]] = {
    role: tuple(s for s in RefundStatus if s.awaits is role) for role in (Role.ACADEMIC_AFFAIRS, Role.FINANCE)
}


def _refund(row: Any) -> dict[str, Any]:
    r = shape(row)
    status = RefundStatus(r["status"])
    r["status_label"] = status.label
    r["may_study"] = status.may_study
    r["cancellable"] = status.cancellable
    r["requested_by_role_label"] = Role(r["requested_by_role"]).label
    return r


def list_refunds(
    conn: Connection,
    actor: Actor,
    page: Page,
    filters: RosterFilter,
    *,
    queue: bool = False,
    course_id: uuid.UUID | None = None,
    learner_id: uuid.UUID | None = None,
) -> PageOf:
    """With `queue`, what the actor's role works on: academic affairs the requests pending its
    review; finance those pending finance review and those approved awaiting the refund;
    teaching-point staff and learners every request of theirs (open ones first)."""
    role = actor.require(Role.ACADEMIC_AFFAIRS, Role.FINANCE, *STAFF_READERS)
    query = roster(scoped(joined(refunds), actor, refunds), filters, refunds)
    if queue and role in QUEUES:
        query = query.where(refunds.c.status.in_([s.value for s in QUEUES[role]]))
    if course_id:
        query = query.where(refunds.c.course_id == course_id)
    if learner_id:
        query = query.where(refunds.c.learner_id == learner_id)
    result = paged(conn, query, page, [refunds.c.closed_at.is_not(None), refunds.c.requested_at.desc(), refunds.c.id])
    result.items = [_refund(r) for r in result.items]
    total = conn.execute(select(func.coalesce(func.sum(query.subquery().c.amount_fen), 0))).scalar_one()
    result.extra = {"total_amount_fen": int(total)}
    return result


def get_refund(conn: Connection, actor: Actor, refund_id: uuid.UUID) -> dict[str, Any]:
    row = conn.execute(joined(refunds).where(refunds.c.id == refund_id)).mappings().first()
    if row is None or not visible(actor, row):
        raise NotFound("not_found", "退课申请不存在或不属于您的教学点")
    refund = _refund(row)
    enrollment = refund["enrollment_id"]
    refund["bills"] = bills_by_id(
        conn, actor, list(conn.execute(select(bills.c.id).where(bills.c.enrollment_id == enrollment)).scalars())
    )
    return refund


def refunds_by_id(conn: Connection, actor: Actor, ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    if not ids:
        return []
    rows = conn.execute(joined(refunds).where(refunds.c.id.in_(ids))).mappings()
    found = {r["id"]: _refund(r) for r in rows if visible(actor, r)}
    return [found[i] for i in ids if i in found]
