"""Projections: one handler per event type, writing read-model tables through SQLAlchemy.

A projection is deterministic: it reads only the event (its data, its time, its metadata).
The runner in infrastructure feeds it every new event once and records its position in the
same transaction as its writes.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, ClassVar

from sqlalchemy import Connection, MetaData, Table, and_, bindparam, insert, update

# Every read-model table lives on this metadata, so a projection can be dropped and rebuilt.
read_models = MetaData()


def handles(*event_classes: type) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def mark(fn: Callable[..., None]) -> Callable[..., None]:
        fn._handles = event_classes  # type: ignore[attr-defined]
        return fn

    return mark


class _Prepared:
    """One statement of `Writes`, compiled once per dialect: its SQL, the order of its
    parameters, and the column types' own bind conversions (UUID, dates) applied per row,
    instead of SQLAlchemy's per-row statement machinery (which costs more than the insert)."""

    def __init__(self, table: Table, key: tuple[Any, ...], dialect: Any) -> None:
        if key[0] == "insert":
            columns = {c: c for c in key[1:]}
            self.statement: Any = insert(table)
            compiled = self.statement.compile(dialect=dialect, column_keys=list(columns))
            defaulted = [c for c in table.c if c.key not in columns and (c.default is not None or c.onupdate is not None)]
        else:
            where, values = key[1], key[2:]
            columns = {f"v_{c}": c for c in values} | {f"w_{c}": c for c in where}
            self.statement = (
                update(table)
                .where(and_(*(table.c[c] == bindparam(f"w_{c}") for c in where)))
                .values({c: bindparam(f"v_{c}") for c in values})
            )
            compiled = self.statement.compile(dialect=dialect)
            defaulted = [c for c in table.c if c.key not in values and c.onupdate is not None]
        # Python-side defaults need SQLAlchemy's own execution.
        self.direct = not defaulted
        self.sql = compiled.string
        processors = {
            name: table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
            for name, column in columns.items()
        }
        self.processors = [(name, p) for name, p in processors.items() if p is not None]
        names = list(compiled.positiontup or ()) if dialect.positional else []
        self.order = operator.itemgetter(*names) if len(names) > 1 else None
        if dialect.positional and len(names) <= 1:
            self.direct = False

    def send(self, connection: Connection, rows: list[dict[str, Any]]) -> None:
        if not self.direct:
            connection.execute(self.statement, rows)
            return
        for name, process in self.processors:
            for row in rows:
                row[name] = process(row[name])
        order = self.order
        connection.exec_driver_sql(self.sql, [order(r) for r in rows] if order else rows)  # type: ignore[arg-type]


_prepared_statements: dict[tuple[Table, tuple[Any, ...], str], _Prepared] = {}


def _prepared(table: Table, key: tuple[Any, ...], dialect: Any) -> _Prepared:
    found = _prepared_statements.get((table, key, dialect.name))
    if found is None:
        found = _prepared_statements[(table, key, dialect.name)] = _Prepared(table, key, dialect)
    return found


class Writes:
    """What a handler writes through: the runner's connection, plus `insert` and `update`
    that are collected and sent as one executemany per run of like rows (ADR 0007).

    Rows of one table are written in the order the handlers gave them; different read-model
    tables are independent, so their runs may go out in any order. Anything else (`execute`,
    `scalar`, ...) first sends everything collected, so a handler that reads sees every earlier
    write. The runner sends the rest before it moves the tracking position, in the same
    transaction.
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._pending: dict[Table, list[tuple[tuple[Any, ...], list[dict[str, Any]]]]] = {}

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        """INSERT one row (column -> value). The dict is the writer's from now on."""
        self._add(table, ("insert", *row), row)

    def update(self, table: Table, where: dict[str, Any], values: dict[str, Any]) -> None:
        """UPDATE table SET values WHERE each `where` column equals its value."""
        params = {f"v_{c}": v for c, v in values.items()}
        params.update({f"w_{c}": v for c, v in where.items()})
        self._add(table, ("update", tuple(where), *values), params)

    def _add(self, table: Table, key: tuple[Any, ...], params: dict[str, Any]) -> None:
        runs = self._pending.get(table)
        if runs is None:
            self._pending[table] = [(key, [params])]
        elif runs[-1][0] == key:
            runs[-1][1].append(params)
        else:
            runs.append((key, [params]))

    def flush(self) -> None:
        """Send everything collected."""
        while self._pending:
            pending, self._pending = self._pending, {}
            dialect = self.connection.dialect
            for table, runs in pending.items():
                for key, rows in runs:
                    _prepared(table, key, dialect).send(self.connection, rows)

    def execute(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        self.flush()
        return self.connection.execute(statement, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        self.flush()
        return getattr(self.connection, name)


class Projection:
    name: ClassVar[str]
    all_events: ClassVar[bool] = False  # the audit log reads every event through `on_any`
    tables: ClassVar[tuple[Table, ...]]
    _handlers: ClassVar[dict[type, Callable[..., None]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        handlers: dict[type, Callable[..., None]] = {}
        for klass in reversed(cls.__mro__):
            for attr in vars(klass).values():
                for event_class in getattr(attr, "_handles", ()):
                    handlers[event_class] = attr
        cls._handlers = handlers

    @classmethod
    def topics(cls) -> list[str]:
        return [f"{c.__module__}:{c.__qualname__}" for c in cls._handlers]

    def wants(self, event: Any) -> bool:
        return self.all_events or type(event) in self._handlers

    def process(self, conn: Writes | Connection, event: Any) -> None:
        if not isinstance(conn, Writes):  # called with a bare connection: write at once
            writes = Writes(conn)
            self.process(writes, event)
            writes.flush()
            return
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(self, conn, event)
        elif self.all_events:
            self.on_any(conn, event)

    def on_any(self, conn: Writes, event: Any) -> None:
        """Called for events without their own handler when `all_events` is set."""
