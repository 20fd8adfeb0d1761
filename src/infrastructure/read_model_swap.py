"""Rebuilding a read model beside the live one, then swapping it in (ADR 0013).

Queries name the live tables (`rm_learners`) through module-level SQLAlchemy tables, in every
process. So the new tables are built under other names (`rm_learners__r<token>`) while the old
ones keep answering, and then renamed into place in one transaction, after a last catch-up
done with the projection's tracking row locked, so no event between the replay and the swap
is lost. Handlers also name the live tables; on the rebuilding connection their SQL is
rewritten to the new names just before it reaches the driver.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, event, inspect, select, update

from application.common.projection import Projection, Writes
from infrastructure.eventstore import EventLog
from infrastructure.projections import feed, fingerprint, tracking

BATCH = 500


def rebuild_beside(engine: Engine, log_app: EventLog, projection: Projection) -> int:
    """Replay the log into new tables for `projection` and swap them in; returns the events
    read. Call it under the schema lock: it creates, renames and drops tables."""
    token = uuid.uuid4().hex[:8]
    names = {t.name: f"{t.name}__r{token}" for t in projection.tables}
    _drop_leftovers(engine, projection)
    shadow = MetaData()
    for table in projection.tables:
        copy = table.to_metadata(shadow, name=names[table.name])
        for index in copy.indexes:  # index names are per schema: an explicit one needs a new name too
            if index.name and names[table.name] not in index.name:
                index.name = f"{index.name}__r{token}"
    shadow.create_all(engine)
    position = read = 0
    # One transaction per batch: the live tables' writers (and, on SQLite, readers) are never
    # held up for long.
    while notifications := _next_batch(log_app, position):
        with engine.begin() as conn, _renamed(conn, names):
            position = _write(conn, notifications, log_app, projection, position)
        read += len(notifications)
    with engine.begin() as conn:
        # Runners move this row before writing the live tables: holding it, nothing else
        # writes them until the swap commits, and a runner that waited finds the position
        # moved and starts again from it, on the new tables.
        conn.execute(select(tracking.c.position).where(tracking.c.name == projection.name).with_for_update())
        with _renamed(conn, names):
            while notifications := _next_batch(log_app, position):
                position = _write(conn, notifications, log_app, projection, position)
                read += len(notifications)
        _swap(conn, projection, names, token)
        conn.execute(
            update(tracking)
            .where(tracking.c.name == projection.name)
            .values(position=position, fingerprint=fingerprint(projection, engine.dialect))
        )
    return read


def _next_batch(log_app: EventLog, position: int) -> Sequence[Any]:
    return log_app.recorder.select_notifications(start=position, limit=BATCH, inclusive_of_start=False)


def _write(conn: Connection, notifications: Sequence[Any], log_app: EventLog, projection: Projection, position: int) -> int:
    """Apply one batch to the new tables; returns the position it reached."""
    writes = Writes(conn)
    feed(writes, notifications, [projection], {projection.name: position}, log_app.mapper)
    writes.flush()
    return int(notifications[-1].id)


def _swap(conn: Connection, projection: Projection, names: dict[str, str], token: str) -> None:
    quote = conn.dialect.identifier_preparer.quote
    present = set(inspect(conn).get_table_names())
    old = [f"{t.name}__o{token}" for t in projection.tables if t.name in present]
    for table in projection.tables:
        if table.name in present:
            conn.exec_driver_sql(f"ALTER TABLE {quote(table.name)} RENAME TO {quote(f'{table.name}__o{token}')}")
        conn.exec_driver_sql(f"ALTER TABLE {quote(names[table.name])} RENAME TO {quote(table.name)}")
    for name in old:
        conn.exec_driver_sql(f"DROP TABLE {quote(name)}")


def _drop_leftovers(engine: Engine, projection: Projection) -> None:
    """Tables of a rebuild that was interrupted before its swap."""
    with engine.begin() as conn:
        quote = conn.dialect.identifier_preparer.quote
        for name in inspect(conn).get_table_names():
            if any(name.startswith(f"{t.name}__r") for t in projection.tables):
                conn.exec_driver_sql(f"DROP TABLE {quote(name)}")


@contextmanager
def _renamed(conn: Connection, names: dict[str, str]) -> Iterator[None]:
    """While open, statements on `conn` name the new tables instead of the live ones."""
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b")

    def rewrite(_c: Any, _cursor: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> Any:
        return pattern.sub(lambda m: names[m.group(1)], statement), parameters

    event.listen(conn, "before_cursor_execute", rewrite, retval=True)
    try:
        yield
    finally:
        event.remove(conn, "before_cursor_execute", rewrite)
