"""The projection runner: feeds every new event to each projection exactly once.

Each projection's position lives in `projection_tracking` and is moved in the same transaction
as the projection's table writes, guarded by a compare-and-set on the old position: after a
crash nothing is skipped or repeated, and two runners never apply the same event twice.
Inline mode runs it after each save (read-your-writes); worker mode runs it in its own process.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Sequence
from typing import Any

import structlog
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    String,
    Table,
    bindparam,
    select,
    update,
)
from sqlalchemy.schema import CreateTable

from application.common.projection import Projection, Writes
from infrastructure.database import platform_tables
from infrastructure.eventstore import EventLog

log = structlog.get_logger(__name__)

tracking = Table(
    "projection_tracking",
    platform_tables,
    Column("name", String(80), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("fingerprint", String(64), nullable=False, default=""),
)


def fingerprint(projection: Projection, dialect: Any) -> str:
    """A digest of the projection's table definitions: when a release changes them, `migrate`
    rebuilds the projection beside the live tables and swaps it in (ADR 0013)."""
    ddl = "".join(str(CreateTable(t).compile(dialect=dialect)) for t in projection.tables)
    return hashlib.sha256(f"{type(projection).__qualname__}|{ddl}".encode()).hexdigest()


# Built once: constructing a statement costs more than running it.
_POSITIONS = select(tracking.c.name, tracking.c.position)
_MOVE = (  # compare-and-set of one projection's position
    update(tracking)
    .where(tracking.c.name == bindparam("n"), tracking.c.position == bindparam("old"))
    .values(position=bindparam("new"))
)


class _Raced(Exception):
    pass


def feed(
    writes: Writes, notifications: Sequence[Any], projections: Sequence[Projection], positions: dict[str, int], mapper: Any
) -> None:
    """Hand each notification after a projection's position to that projection, decoding only
    the events some projection handles."""
    everything = any(p.all_events for p in projections)
    wanted = {t for p in projections for t in p.topics()}
    for n in notifications:
        if not everything and n.topic not in wanted:
            continue
        event = mapper.to_domain_event(n)
        for p in projections:
            if positions[p.name] < n.id and p.wants(event):
                p.process(writes, event)


class ProjectionRunner:
    def __init__(
        self, engine: Engine, log_app: EventLog, projections: Sequence[Projection], batch_size: int = 500
    ) -> None:
        self.engine = engine
        self.app = log_app
        self.projections = list(projections)
        self.batch_size = batch_size
        self._lock = threading.Lock()

    def positions(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return dict(conn.execute(_POSITIONS).tuples().all())

    def position(self) -> int:
        return min(self.positions().values(), default=0)

    def wait_for(self, position: int, timeout: float, poll: float = 0.1) -> bool:
        """Whether every projection has applied the log up to `position`, waiting at most
        `timeout` seconds for the runner that follows the log (worker mode) to get there. Reads
        the tracking rows only, so any process can wait for a write made by any other."""
        deadline = time.monotonic() + timeout
        pause = 0.01
        while self.position() < position:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            time.sleep(min(pause, remaining))
            pause = min(pause * 2, poll)  # a quick first look: the follower is usually close behind
        return True

    def catch_up(self, until: int | None = None) -> int:
        """Apply every event not yet applied; returns how many events were read."""
        read = 0
        with self._lock:
            while True:
                n, reached = self._step()
                read += n
                if n == 0:
                    return read
                if until is not None and (reached if reached is not None else self.position()) >= until:
                    return read

    def _step(self) -> tuple[int, int | None]:
        """Apply the next batch: (events read, the lowest position now, None if raced)."""
        positions = self.positions()
        start = min(positions.get(p.name, 0) for p in self.projections)
        notifications = self.app.recorder.select_notifications(
            start=start, limit=self.batch_size, inclusive_of_start=False
        )
        if not notifications:
            return 0, start
        last = notifications[-1].id
        mapper = self.app.mapper
        try:
            with self.engine.begin() as conn:
                self._apply(conn, notifications, positions, last, mapper)
        except _Raced:
            # another runner moved first; its writes stand and ours were rolled back
            return len(notifications), None
        return len(notifications), min(max(positions.get(p.name, 0), last) for p in self.projections)

    def _apply(
        self, conn: Connection, notifications: Sequence[Any], positions: dict[str, int], last: int, mapper: Any
    ) -> None:
        behind = [p for p in self.projections if positions[p.name] < last]
        # Claim the batch before writing it: the compare-and-set locks each tracking row, so a
        # second runner waits here and then finds the position moved (it gives way), instead of
        # colliding with the first runner's rows on a unique key.
        for p in behind:
            moved = conn.execute(_MOVE, {"n": p.name, "old": positions[p.name], "new": last}).rowcount
            if moved != 1:
                raise _Raced
        writes = Writes(conn)  # handlers' inserts and updates go out as executemany runs
        feed(writes, notifications, behind, positions, mapper)
        writes.flush()

    def rebuild(self, names: Sequence[str] | None = None) -> int:
        """Drop and recreate the named projections' tables (all by default) and replay the log."""
        chosen = [p for p in self.projections if names is None or p.name in names]
        tables = [t for p in chosen for t in p.tables]
        metadata = tables[0].metadata
        with self._lock:
            metadata.drop_all(self.engine, tables=list(reversed(tables)))
            metadata.create_all(self.engine, tables=tables)
            with self.engine.begin() as conn:
                for p in chosen:
                    conn.execute(
                        update(tracking)
                        .where(tracking.c.name == p.name)
                        .values(position=0, fingerprint=fingerprint(p, self.engine.dialect))
                    )
        return self.catch_up()

    def follow(self, stop: threading.Event, interval: float = 0.5) -> None:
        """Worker mode: pull from the tracked position until stopped."""
        while not stop.is_set():
            try:
                if self.catch_up() == 0:
                    stop.wait(interval)
            except Exception:  # a worker keeps following after a transient failure
                log.exception("projection.catch_up_failed")
                time.sleep(interval)
