"""The event store: one eventsourcing Application log for the whole monolith.

One log (one notification sequence) keeps projections simple and cross-context saves atomic;
the recorders are the library's own, extended only to write the audit chain link of each
event in the same transaction as the event (ADR 0001, 0003).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from psycopg.sql import SQL, Identifier

from application.common.context import note_position
from domains.shared.errors import DomainError, NotFound
from infrastructure import audit_chain
from infrastructure.audit_chain import CHAIN_TABLE, GENESIS


class ChainedSQLiteRecorder(SQLiteApplicationRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} "
            "(notification_id INTEGER PRIMARY KEY, hash TEXT NOT NULL)",
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **_: Any
    ) -> Sequence[int] | None:
        # One executemany instead of a statement per event. Inside the write transaction no
        # other writer can insert, so the new rowids are the n after the previous maximum.
        c.executemany(
            self.insert_events_statement,
            [
                (
                    s.originator_id.hex if isinstance(s.originator_id, uuid.UUID) else s.originator_id,
                    s.originator_version,
                    s.topic,
                    s.state,
                )
                for s in stored_events
            ],
        )
        c.execute(f"SELECT MAX(rowid) FROM {self.events_table_name}")
        last = c.fetchone()[0]
        ids = list(range(last - len(stored_events) + 1, last + 1))
        c.execute(f"SELECT hash FROM {CHAIN_TABLE} ORDER BY notification_id DESC LIMIT 1")
        row = c.fetchone()
        links = audit_chain.links_for(row[0] if row else GENESIS, ids, stored_events)
        c.executemany(f"INSERT INTO {CHAIN_TABLE} VALUES (?, ?)", links)
        return ids


class ChainedPostgresRecorder(PostgresApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {schema}.{table} "
                "(notification_id bigint PRIMARY KEY, hash text NOT NULL)"
            ).format(schema=Identifier(self.datastore.schema), table=Identifier(CHAIN_TABLE))
        )

    def _fetch_ids_after_insert_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if not ids:
            return ids
        # The table is locked EXCLUSIVE for this insert, so the last link cannot move under us.
        table = SQL("{schema}.{table}").format(
            schema=Identifier(self.datastore.schema), table=Identifier(CHAIN_TABLE)
        )
        curs.execute(SQL("SELECT hash FROM {t} ORDER BY notification_id DESC LIMIT 1").format(t=table))
        row = curs.fetchone()
        links = audit_chain.links_for(row["hash"] if row else GENESIS, ids, stored_events)
        curs.executemany(SQL("INSERT INTO {t} VALUES (%s, %s)").format(t=table), links)
        return ids


class EventLog(Application):
    name = "EduLedger"


class ConcurrentChange(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "concurrency.conflict", "记录已被他人同时修改或该记录已存在，请刷新后重试"
        )


class AggregateStore:
    """The application layer's EventStore port on top of the eventsourcing Application."""

    def __init__(self, log: EventLog, after_save: Callable[[int], None] | None = None) -> None:
        self.log = log
        self.after_save = after_save

    def get(self, aggregate_id: uuid.UUID, version: int | None = None) -> Any:
        try:
            return self.log.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise NotFound("not_found", "记录不存在") from None

    def find(self, aggregate_id: uuid.UUID) -> Any | None:
        try:
            return self.log.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def save(self, *aggregates: Any) -> int:
        try:
            recordings = self.log.save(*aggregates)
        except IntegrityError:
            raise ConcurrentChange() from None
        position = max((r.notification.id for r in recordings), default=0)
        note_position(position)
        if self.after_save is not None and position:
            self.after_save(position)
        return position
