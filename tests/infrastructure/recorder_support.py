"""Chained recorders on a database of their own, and the chain walk over what they stored.

The SQLite run uses a file (or a named in-memory database) per test; the PostgreSQL run uses
the test server from `tests/conftest.py` with a database of its own (`<name>_recorders_<worker>`,
emptied per test), so the recorder tables never meet the fixtures' event log.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any
from urllib.parse import unquote, urlparse

import sqlalchemy

from infrastructure.audit_chain import verify_log
from tests.conftest import _postgres_database

POSTGRES_EVENTS_TABLE = "eduledger_events"
SQLITE_EVENTS_TABLE = "stored_events"


def recorders_postgres_url(*schemas: str) -> str:
    """A fresh database for recorder tests: `public` emptied, `schemas` created empty."""
    import psycopg

    url = _postgres_database(f"recorders_{os.environ.get('PYTEST_XDIST_WORKER', 'master')}")
    with psycopg.connect(url, autocommit=True) as conn:
        for schema in schemas:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            conn.execute(f'CREATE SCHEMA "{schema}"')
    return url


def postgres_datastore_args(url: str) -> dict[str, Any]:
    u = urlparse(url)
    return {
        "dbname": u.path.lstrip("/"),
        "host": u.hostname or "127.0.0.1",
        "port": str(u.port or 5432),
        "user": unquote(u.username or "postgres"),
        "password": unquote(u.password or ""),
    }


def chain_breaks(engine: sqlalchemy.Engine, events_table: str) -> tuple[int, list[Any]]:
    try:
        return verify_log(engine, events_table=events_table)
    finally:
        engine.dispose()


def postgres_chain(url: str, events_table: str = POSTGRES_EVENTS_TABLE, schema: str = "public") -> tuple[int, list[Any]]:
    """Walk events and links in `schema` (verify_log reads unqualified tables: search_path)."""
    engine = sqlalchemy.create_engine(
        "postgresql+psycopg://" + url.split("://", 1)[1],
        connect_args={"options": f"-csearch_path={schema}"},
        poolclass=sqlalchemy.NullPool,
    )
    return chain_breaks(engine, events_table)


def sqlite_chain(db_name: str, events_table: str = SQLITE_EVENTS_TABLE) -> tuple[int, list[Any]]:
    """`db_name` as the library's SQLite datastore takes it: a path or a `file:` URI (an
    in-memory database is read while the recorder still holds it open)."""
    engine = sqlalchemy.create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(db_name, uri=True), poolclass=sqlalchemy.NullPool
    )
    return chain_breaks(engine, events_table)
