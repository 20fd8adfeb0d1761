"""One-off data steps of `eduledger migrate`: what an upgrade owes a log kept before a release.

Schema revisions (Alembic) change tables; a data step writes events a newer release relies on,
such as the indexes use cases decide from (ADR 0016), for records made before it existed. Each
runs once per database, after the read models it reads have caught up, and is recorded here. A
new database owes nothing, so its steps are recorded as done when its tables are created.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy import Column, Connection, Engine, String, Table, insert, select

from application.common.instant import Instant
from application.common.projection import Projection
from application.indexes import backfill
from infrastructure.database import platform_tables
from infrastructure.eventstore import AggregateStore, EventLog
from infrastructure.projections import ProjectionRunner

data_steps = Table(
    "data_steps",
    platform_tables,
    Column("name", String(80), primary_key=True),
    Column("done_at", Instant(), nullable=False),
)

# name -> the step; returns how many records it wrote. Never rename a step: its name is its record.
STEPS: dict[str, Callable[[AggregateStore, Engine], int]] = {
    "decision_indexes": lambda store, engine: backfill(store, engine.connect),
}


def record_all_done(conn: Connection) -> None:
    now = datetime.now(UTC)
    conn.execute(insert(data_steps), [{"name": name, "done_at": now} for name in STEPS])


def run_pending(engine: Engine, log_app: EventLog, projections: Sequence[Projection]) -> list[str]:
    with engine.connect() as conn:
        done = set(conn.execute(select(data_steps.c.name)).scalars())
    todo = [name for name in STEPS if name not in done]
    if not todo:
        return []
    ProjectionRunner(engine, log_app, projections).catch_up()  # the steps read caught-up read models
    store = AggregateStore(log_app)
    out = []
    for name in todo:
        written = STEPS[name](store, engine)
        with engine.begin() as conn:
            conn.execute(insert(data_steps).values(name=name, done_at=datetime.now(UTC)))
        out.append(f"data step {name}: wrote {written} records")
    return out
