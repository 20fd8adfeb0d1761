"""SQLAlchemy engine for read models and the platform's own tables (sessions, jobs, tracking)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event

from infrastructure.settings import Settings

# Platform tables that are not read models: never dropped by a projection rebuild.
platform_tables = MetaData()


def make_engine(settings: Settings) -> Engine:
    if settings.is_postgres:
        return create_engine(
            settings.sqlalchemy_url, pool_size=5, max_overflow=10, pool_pre_ping=True, future=True
        )
    # Pooled: opening an SQLite connection (and its pragmas) costs more than most statements.
    engine = create_engine(
        settings.sqlalchemy_url,
        connect_args={"timeout": 30, "check_same_thread": False},
        pool_size=5,
        max_overflow=10,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _: Any) -> None:
        # Let SQLAlchemy, not the driver, open transactions, and open them for writing at once:
        # a deferred transaction that reads and then writes can fail under a concurrent writer.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A page's read connection runs each statement on its own (see `reader`): it never holds
        # the write lock, so a use case writing in the same request is not blocked by it.
        if conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            return
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def reader(engine: Engine) -> Any:
    """A connection for reading read models while serving one request: each statement reads the
    latest committed state and holds no transaction open (on SQLite an open transaction would
    hold the write lock, since transactions begin IMMEDIATE)."""
    return engine.connect().execution_options(isolation_level="AUTOCOMMIT")
