"""The database schema: created and changed by `eduledger migrate` only, under a database-wide
lock, never as a side effect of a process starting (ADR 0013).

Three owners share the database:
- the platform tables (sessions, jobs, stored files, login failures, SMS codes, projection
  tracking): Alembic revisions in `infrastructure/migrations/versions`;
- the event store (events, snapshots, audit chain): the eventsourcing recorders' own
  `CREATE … IF NOT EXISTS` statements, run by `migrate` under the lock;
- the read models: rebuilt from the log beside the live tables and swapped in when a
  projection's table fingerprint changes (`infrastructure.read_model_swap`).

On PostgreSQL `serve` and `worker` only check (`require_current`) and refuse to start while
anything is pending; the embedded SQLite default migrates itself at start under a file lock.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import structlog
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, inspect, select, text

from application.common.projection import Projection
from application.projections import all_projections
from infrastructure.data_steps import record_all_done, run_pending
from infrastructure.database import make_engine, platform_tables
from infrastructure.eventstore import EventLog
from infrastructure.projections import ProjectionRunner, fingerprint, tracking
from infrastructure.read_model_swap import rebuild_beside
from infrastructure.settings import Settings

log = structlog.get_logger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
# The revision that describes the tables a database had before migrations existed.
BASELINE = "0001"
# pg_advisory_lock key: the first 8 bytes of a digest of a fixed name, as a signed bigint.
LOCK_KEY = int.from_bytes(hashlib.sha256(b"eduledger.schema").digest()[:8], "big", signed=True)


class SchemaNotCurrent(RuntimeError):
    """The database is behind this release: the operator must run `eduledger migrate`."""
    def __init__(self, reasons: Sequence[str]) -> None:
        self.reasons = list(reasons)
        super().__init__(
            "the database schema is not current for this release ("
            + "; ".join(self.reasons)
            + "). Run `eduledger migrate` once (with the same EDULEDGER_DATABASE_URL), then start again."
        )


def platform_metadata() -> MetaData:
    """Every platform table: importing the modules that declare them fills the metadata."""
    import infrastructure.audit_checkpoints
    import infrastructure.data_steps
    import infrastructure.files
    import infrastructure.jobs
    import infrastructure.projections
    import infrastructure.sessions
    import infrastructure.training_login
    import infrastructure.videos  # noqa: F401

    return platform_tables


@lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    return ScriptDirectory(str(MIGRATIONS))


def head() -> str:
    heads = _scripts().get_heads()
    assert len(heads) == 1, f"the migrations have several heads: {heads}"
    return heads[0]


def alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@contextmanager
def schema_lock(engine: Engine, settings: Settings) -> Iterator[None]:
    """One migration at a time per database: an advisory lock on PostgreSQL (held by a
    connection of its own), a file lock beside the database file on SQLite."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
        return
    with open(f"{settings.sqlite_path}.migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed, even on a crash
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def event_log(settings: Settings) -> EventLog:
    """The event log for a serving process: it never creates its tables (migrate does)."""
    return EventLog(env={**settings.eventsourcing_env(), "CREATE_TABLE": "n"})


def pending(engine: Engine, events_table: str, projections: Sequence[Projection]) -> list[str]:
    """What `migrate` would do, in words for the operator; empty when the schema is current."""
    reasons = []
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if events_table not in tables:
            reasons.append("the event store has no tables")
        current = MigrationContext.configure(conn).get_current_heads() if "alembic_version" in tables else ()
        if tuple(current) != (head(),):
            reasons.append(f"platform tables at revision {', '.join(current) or 'none'}, this release needs {head()}")
        known = (
            dict(conn.execute(select(tracking.c.name, tracking.c.fingerprint)).tuples().all())
            if tracking.name in tables else {}
        )
    stale: dict[str, list[str]] = {}
    for p in projections:
        why = _stale(p, known, tables, engine.dialect)
        if why:
            stale.setdefault(why, []).append(p.name)
    reasons += [f"read models {why}: {', '.join(names)}" for why, names in stale.items()]
    return reasons


def _stale(p: Projection, known: dict[str, str], tables: set[str], dialect: Any) -> str | None:
    """Why a read model must be built or rebuilt, or None when it is current."""
    if p.name not in known:
        return "not built"
    if known[p.name] != fingerprint(p, dialect):
        return "changed shape"
    if any(t.name not in tables for t in p.tables):
        return "missing a table"
    return None


def require_current(engine: Engine, log_app: EventLog, projections: Sequence[Projection]) -> None:
    reasons = pending(engine, log_app.recorder.events_table_name, projections)  # type: ignore[attr-defined]
    if reasons:
        raise SchemaNotCurrent(reasons)


def migrate(engine: Engine, settings: Settings, projections: Sequence[Projection]) -> list[str]:
    """Bring the database to this release under the schema lock; returns what was done (empty:
    nothing to do). Safe to run from several processes at once: the others wait, then find
    nothing to do."""
    with schema_lock(engine, settings):
        log_app = event_log(settings)
        try:
            done = _event_store(engine, log_app) + _platform(engine)
            done += _read_models(engine, log_app, projections)
            return done + run_pending(engine, log_app, projections)
        finally:
            log_app.close()


def migrate_database(settings: Settings) -> list[str]:
    """`eduledger migrate`: the same as `migrate` with an engine of its own."""
    engine = make_engine(settings)
    try:
        return migrate(engine, settings, all_projections())
    finally:
        engine.dispose()


def rebuild_read_models(settings: Settings, names: Sequence[str] | None = None) -> int:
    """`eduledger projections rebuild`: replay the named read models (all by default) beside
    the live ones and swap them in, while the platform keeps serving; returns the events read."""
    engine = make_engine(settings)
    log_app = event_log(settings)
    try:
        require_current(engine, log_app, all_projections())
        with schema_lock(engine, settings):
            return sum(rebuild_beside(engine, log_app, p) for p in all_projections() if not names or p.name in names)
    finally:
        log_app.close()
        engine.dispose()


def _event_store(engine: Engine, log_app: EventLog) -> list[str]:
    recorder = log_app.recorder
    with engine.connect() as conn:
        exists = inspect(conn).has_table(recorder.events_table_name)  # type: ignore[attr-defined]
    # The library's statements are all CREATE … IF NOT EXISTS: run them every time, so a
    # library upgrade that adds an index gets it.
    recorder.create_table()  # type: ignore[attr-defined]
    if log_app.snapshots is not None:
        log_app.snapshots.recorder.create_table()  # type: ignore[attr-defined]
    return [] if exists else ["created the event store tables"]


def _platform(engine: Engine) -> list[str]:

    with engine.begin() as conn:
        tables = set(inspect(conn).get_table_names())
        context = MigrationContext.configure(conn)
        if "alembic_version" not in tables:
            if tracking.name not in tables:
                # A new database: create at head and stamp it (Alembic's cookbook), far
                # faster than walking every revision; a test proves the two agree.
                platform_metadata().create_all(conn)
                record_all_done(conn)  # a new database owes no data step
                context.stamp(_scripts(), "head")
                return [f"created the platform tables at revision {head()}"]
            context.stamp(_scripts(), BASELINE)  # tables made before migrations existed
            done = [f"recorded the existing platform tables as revision {BASELINE}"]
        else:
            done = []
        current = context.get_current_heads()
        if tuple(current) == (head(),):
            return done
        command.upgrade(alembic_config(conn), "head")
        return [*done, f"upgraded the platform tables from {', '.join(current)} to {head()}"]


def _read_models(engine: Engine, log_app: EventLog, projections: Sequence[Projection]) -> list[str]:

    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        known = dict(conn.execute(select(tracking.c.name, tracking.c.fingerprint)).tuples().all())
    done = []
    new = [p for p in projections if p.name not in known]
    if new:
        created = [t for p in new for t in p.tables]
        with engine.begin() as conn:
            created[0].metadata.create_all(conn, tables=created)
            conn.execute(
                tracking.insert(),
                [{"name": p.name, "position": 0, "fingerprint": fingerprint(p, engine.dialect)} for p in new],
            )
        read = ProjectionRunner(engine, log_app, new).catch_up()
        done.append(f"built read models {', '.join(p.name for p in new)} from {read} events")
    for p in projections:
        if p.name in known and _stale(p, known, tables, engine.dialect):
            read = rebuild_beside(engine, log_app, p)
            done.append(f"rebuilt read model {p.name} from {read} events and swapped it in")
    return done
