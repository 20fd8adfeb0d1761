"""The demo data a newcomer sees with `python3 run.py serve`: loaded once, with course selection,
bills in every payment status and course drops waiting at each step of the review chain."""

from __future__ import annotations

from sqlalchemy import func, select

from application.enrolment.projection import enrollments
from application.finance.projection import bills, refunds
from interfaces.demo import DEMO_PASSWORD, load_demo


def _counts(conn, table):  # type: ignore[no-untyped-def]
    return dict(conn.execute(select(table.c.status, func.count()).group_by(table.c.status)).tuples().all())


def test_demo_data_loads_once_with_every_payment_and_review_status(container, client):
    assert load_demo(container).startswith("demo data loaded")
    assert load_demo(container) == "demo data already loaded"
    with container.engine.connect() as conn:
        assert set(_counts(conn, bills)) == {"awaiting_payment", "remittance_in_transit", "paid"}
        assert _counts(conn, refunds) == {
            "pending_academic_review": 1, "pending_finance_review": 1, "approved_awaiting_refund": 1,
        }
        assert conn.execute(select(func.count()).select_from(enrollments)).scalar_one() > 0
    r = client.post("/api/v1/auth/login", json={"username": "jiaowu", "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    queue = client.get("/api/v1/refunds/queue", headers={"Authorization": f"Bearer {r.json()['token']}"}).json()
    assert queue["total"] == 1
