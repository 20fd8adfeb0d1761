"""批量缴费汇款 of a whole list query (requirements/finance.md §2.1): the teaching point pays every bill its
query finds, over all pages, on one remittance slip. The query runs again when the payer
confirms; only bills still awaiting payment are paid, and only if they are the count and total
the payer confirmed."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from application.common.filters import RosterFilter
from application.finance.projection import bills
from application.finance.queries import get_remittance_slip, payable_bills
from domains.shared.errors import DomainError
from domains.shared.money import Money
from tests.application.test_selection_payment_refund_concurrency import catalogue
from tests.support import applicant

FEES = 63600 + 4000  # 管理会计: credit fee and exam fee


@pytest.fixture
def selected(world: Any) -> dict[str, Any]:
    """Three learners of 玄武 with 管理会计 selected (two bills each)."""
    c = world.container
    w = catalogue(world)
    jiaowu = world.actor("jiaowu")
    learners = [w["learner"]]
    for seq in (2, 3):
        form = c.admissions.enter_form(w["xuanwu"], admission_batch_id=world.admission_batch,
                                       programme_id=world.programmes["accounting"], applicant=applicant(seq))
        c.admissions.approve_form(jiaowu, form)
        learners.append(c.store.get(form).learner_id)
    bill_ids = {lid: c.enrolment.select_courses(w["xuanwu"], lid, [w["course"]]).bill_ids for lid in learners}
    return {**w, "learners": learners, "bills": bill_ids}


def statuses(c: Any) -> dict[Any, str]:
    with c.engine.connect() as conn:
        return dict(conn.execute(select(bills.c.id, bills.c.status)).tuples().all())


def summary(c: Any, actor: Any, filters: RosterFilter | None = None) -> tuple[int, int]:
    with c.engine.connect() as conn:
        return payable_bills(conn, actor, filters or RosterFilter())


def test_every_bill_of_the_query_goes_on_one_slip_and_none_already_in_transit(world, selected):
    c, xuanwu = world.container, selected["xuanwu"]
    first, *others = selected["learners"]
    c.finance.remit(xuanwu, selected["bills"][first])  # one learner's bills are already on their way
    assert summary(c, xuanwu) == (4, 2 * FEES)

    slip_id = c.finance.remit_query(xuanwu, RosterFilter(), None, "BK001", 4, Money(2 * FEES))

    with c.engine.connect() as conn:
        slip = get_remittance_slip(conn, xuanwu, slip_id)
    assert (slip["bill_count"], slip["amount_fen"], slip["bank_reference"]) == (4, 2 * FEES, "BK001")
    assert {b["id"] for b in slip["bills"]} == {b for lid in others for b in selected["bills"][lid]}
    assert set(statuses(c).values()) == {"remittance_in_transit"}
    assert summary(c, xuanwu) == (0, 0)


def test_the_query_filters_what_is_paid(world, selected):
    c, xuanwu = world.container, selected["xuanwu"]
    only = RosterFilter(name="王小明2")
    assert summary(c, xuanwu, only) == (2, FEES)
    c.finance.remit_query(xuanwu, only, "exam_fee", None, 1, Money(4000))
    assert sorted(statuses(c).values()) == ["awaiting_payment"] * 5 + ["remittance_in_transit"]
    # A query for another status offers nothing to pay.
    assert summary(c, xuanwu, RosterFilter(status="paid")) == (0, 0)
    with pytest.raises(DomainError) as info:
        c.finance.remit_query(xuanwu, RosterFilter(status="paid"), None, None, 0, Money(0))
    assert info.value.code == "payment.query_empty"


def test_nothing_is_paid_when_the_query_no_longer_finds_what_the_payer_confirmed(world, selected):
    c, xuanwu = world.container, selected["xuanwu"]
    before = statuses(c)
    # The page showed 6 bills; one learner's were remitted meanwhile.
    c.finance.remit(xuanwu, selected["bills"][selected["learners"][0]])
    with pytest.raises(DomainError) as info:
        c.finance.remit_query(xuanwu, RosterFilter(), None, None, 6, Money(3 * FEES))
    assert info.value.code == "payment.query_changed"
    assert "现为 4 张，合计 1352.00 元" in info.value.message
    assert sum(s == "awaiting_payment" for s in statuses(c).values()) == 4 and len(before) == 6


def test_only_a_teaching_point_pays_and_only_its_own_bills(world, selected):
    c = world.container
    gulou = world.actor("gulou")
    assert summary(c, gulou) == (0, 0)  # 玄武's bills are not in 鼓楼's query
    with pytest.raises(DomainError) as info:
        c.finance.remit_query(gulou, RosterFilter(), None, None, 6, Money(3 * FEES))
    assert info.value.code == "payment.query_empty"
    with pytest.raises(DomainError) as info:
        c.finance.remit_query(world.actor("caiwu"), RosterFilter(), None, None, 6, Money(3 * FEES))
    assert info.value.kind == "forbidden"
    assert set(statuses(c).values()) == {"awaiting_payment"}
