"""The PostgreSQL roles and grants of the deployment kit really work: the application role
saves events (through the event store's EXCLUSIVE table lock), catches projections up, opens
sessions and runs jobs, and it cannot change or delete an event or a chain link.

Part of the PostgreSQL run (EDULEDGER_TEST_DATABASE=postgres), where it fails if the server
cannot be reached; the SQLite run has no roles to grant and leaves it out."""

from __future__ import annotations

import os
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from application.common.actor import SYSTEM
from infrastructure.audit_chain import verify_log
from infrastructure.container import build
from tests.conftest import PASSWORD, POSTGRES_URL

pytestmark = pytest.mark.database("postgres")  # SQLite has no roles

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "postgres"


def kit_sql(name: str, owner: str, app: str) -> str:
    return (DEPLOY / name).read_text().replace("eduledger_owner", owner).replace("eduledger_app", app)


def create_schema(settings: Any) -> None:
    """What `eduledger migrate` does, as the owner role."""
    try:
        from infrastructure.schema import migrate_database  # type: ignore[import-not-found]
    except ImportError:  # before `eduledger migrate` existed, building a container created it
        build(settings, fast_hashing=True).close()
        return
    migrate_database(settings)


@pytest.fixture
def throwaway() -> Any:
    """A database of its own and two roles of its own (roles are server-wide)."""
    import psycopg

    base, parent = POSTGRES_URL.rsplit("/", 1)
    parent = parent.split("?", 1)[0]
    name = f"{'eduledger_test' if parent in ('', 'postgres') else parent}_roles_{os.environ.get('PYTEST_XDIST_WORKER', 'master')}"
    owner, app = f"{name}_owner", f"{name}_app"
    admin = psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5)

    def drop() -> None:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for role in (owner, app):
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')

    drop()
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}", owner, app
    finally:
        drop()
        admin.close()


def test_the_application_role_writes_through_the_event_store_lock_and_cannot_change_events(
    throwaway, settings, tmp_path, monkeypatch
):
    import psycopg
    from litestar.testing import TestClient

    from interfaces.http.app import create_app

    url, owner, app = throwaway
    superuser_host = url.split("://", 1)[1].split("@", 1)[-1]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(kit_sql("roles.sql", owner, app))

    owner_url, app_url = f"postgresql://{owner}@{superuser_host}", f"postgresql://{app}@{superuser_host}"
    create_schema(replace(settings, database_url=owner_url))
    with psycopg.connect(owner_url, autocommit=True) as conn:
        conn.execute(kit_sql("grants.sql", owner, app))

    # The application role never creates tables: the library must not try either.
    monkeypatch.setenv("CREATE_TABLE", "n")
    container = build(replace(settings, database_url=app_url, var_dir=tmp_path), fast_hashing=True)
    try:
        school = container.organisation.register_school(SYSTEM, "32", "江苏开放大学")  # a save, inline catch-up
        tp = container.organisation.register_teaching_point(SYSTEM, "101", "玄武学习中心", "南京", "李娟", "025-84321234")
        container.identity.register_staff(
            SYSTEM, username="xuanwu", name="xuanwu", roles=["teaching_point_admin"], password=PASSWORD,
            confirm_password=PASSWORD, teaching_point_id=tp, kind="unified_identity",
        )
        container.runner.catch_up()
        assert min(container.runner.positions().values()) > 0
        with TestClient(create_app(container), raise_server_exceptions=False) as client:
            assert client.post("/api/v1/auth/login", json={"username": "xuanwu", "password": "wrong"}).status_code == 401
            login = client.post("/api/v1/auth/login", json={"username": "xuanwu", "password": PASSWORD})
            assert login.status_code == 200, login.text
            me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {login.json()['token']}"})
            assert me.status_code == 200 and client.get("/readyz").status_code == 200
        checked, breaks = verify_log(container.engine)
        assert checked >= 3 and breaks == []
    finally:
        container.close()
    assert isinstance(school, uuid.UUID)

    with psycopg.connect(app_url, autocommit=True) as conn:
        for statement in (
            "UPDATE eduledger_events SET topic = topic",
            "DELETE FROM eduledger_events",
            "TRUNCATE eduledger_events",
            "UPDATE event_chain SET hash = hash",
            "DELETE FROM event_chain",
            "DROP TRIGGER eduledger_events_append_only ON eduledger_events",
            "ALTER TABLE eduledger_events DISABLE TRIGGER USER",
            "CREATE TABLE sneaky (id int)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        assert conn.execute("SELECT count(*) FROM eduledger_events").fetchone()[0] == checked
