"""Fixtures: a real event store and read models on SQLite (default) or PostgreSQL
(EDULEDGER_TEST_DATABASE=postgres). A PostgreSQL run that cannot reach its server fails."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from application.common.actor import SYSTEM
from infrastructure.clock import FixedClock
from infrastructure.container import Container, build
from infrastructure.schema import migrate_database
from infrastructure.settings import load_settings

DATABASE = os.environ.get("EDULEDGER_TEST_DATABASE", "sqlite")
POSTGRES_URL = os.environ.get("EDULEDGER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "secret123"
# Inside the demo admission period of the `world` fixture (2026-08-01 .. 2026-09-30).
NOW = datetime(2026, 9, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

# Fixtures kept in support modules: the training platform's people and courses (`training`,
# `peer`) serve the HTTP suites and the browser check of the learning centre.
pytest_plugins = ["tests.http.training_support"]


def _postgres_database(worker: str) -> str:
    """One database per xdist worker, emptied before each test."""
    import psycopg

    base, parent = POSTGRES_URL.rsplit("/", 1)
    parent = parent.split("?", 1)[0]
    # Named after the database in the URL (CI passes a throwaway one), so concurrent runs against
    # one server never share a database; the default URL keeps the eduledger_test_* names.
    name = f"{'eduledger_test' if parent in ('', 'postgres') else parent}_{worker}"
    # Databases are created from the maintenance database: the URL's own need not exist.
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{base}/{name}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return url


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    if DATABASE == "postgres":
        # xdist names its workers gw0, gw1...; a run without xdist is the "master".
        return _postgres_database(os.environ.get("PYTEST_XDIST_WORKER", "master"))
    if DATABASE != "sqlite":
        raise RuntimeError(f"EDULEDGER_TEST_DATABASE must be sqlite or postgres, not {DATABASE!r}")
    return f"sqlite:///{tmp_path / 'eduledger.sqlite3'}"


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Any:
    settings = load_settings(
        database_url=database_url,
        var_dir=tmp_path,
        secret_key="test-secret-key",
        audit_key="test-audit-key",
        projections="inline",
        broker_url=None,
    )
    if settings.is_postgres:
        # As in production: `eduledger migrate`, then the processes start (which on PostgreSQL
        # refuse an unmigrated database). SQLite migrates itself when the container is built.
        migrate_database(settings)
    return settings


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def container(settings: Any, clock: FixedClock) -> Iterator[Container]:
    c = build(settings, clock=clock, fast_hashing=True)
    yield c
    c.close()


@pytest.fixture
def client(container: Container) -> Iterator[Any]:
    from litestar.testing import TestClient

    from interfaces.http.app import create_app

    with TestClient(create_app(container), raise_server_exceptions=False) as c:
        yield c


@dataclass
class World:
    """A school with two teaching points, staff of every role, an open admission batch."""

    container: Container
    school: uuid.UUID
    tp: dict[str, uuid.UUID]
    study_batch: uuid.UUID
    admission_batch: uuid.UUID
    programmes: dict[str, uuid.UUID]
    accounts: dict[str, uuid.UUID] = field(default_factory=dict)

    def actor(self, username: str) -> Any:
        from application.identity.queries import actor_for

        with self.container.engine.connect() as conn:
            return actor_for(conn, self.accounts[username])


STAFF = [
    ("sysadmin", ["system_admin"], None),
    ("jiaowu", ["academic_affairs"], None),
    ("caiwu", ["finance"], None),
    ("shenji", ["auditor"], None),
    ("xuanwu", ["teaching_point_admin"], "101"),
    ("gulou", ["teaching_point_admin"], "102"),
]


@pytest.fixture
def world(container: Container) -> World:
    org, adm = container.organisation, container.admissions
    school = org.register_school(SYSTEM, "32", "江苏开放大学")
    tp = {
        "101": org.register_teaching_point(SYSTEM, "101", "玄武学习中心", "南京市玄武区", "李娟", "025-84321234"),
        "102": org.register_teaching_point(SYSTEM, "102", "鼓楼学习中心", "南京市鼓楼区", "周敏", "025-83456789"),
    }
    sb = adm.register_study_batch(SYSTEM, "2026F", "2026秋")
    ab = adm.register_admission_batch(SYSTEM, "A202609", "2026年秋季招生", sb, "2026-08-01", "2026-09-30")
    programmes = {
        "accounting": adm.register_programme(
            SYSTEM, code="P-ZSB-KJ", level="专升本", learner_type="开放教育", learner_source="开放教育",
            major="会计学", length_of_schooling="2.5年", teaching_point_ids=[tp["101"], tp["102"]],
        ),
        "administration": adm.register_programme(
            SYSTEM, code="P-GQZ-XZ", level="高起专", learner_type="开放教育", learner_source="开放教育",
            major="行政管理", length_of_schooling="2.5年", teaching_point_ids=[tp["101"]],
        ),
    }
    w = World(container, school, tp, sb, ab, programmes)
    for username, roles, tp_code in STAFF:
        w.accounts[username] = container.identity.register_staff(
            SYSTEM, username=username, name=username, roles=roles, password=PASSWORD, confirm_password=PASSWORD,
            teaching_point_id=tp[tp_code] if tp_code else None, kind="local" if "system_admin" in roles else "unified_identity",
        )
    return w


@pytest.fixture
def login(client: Any, world: World) -> Any:
    """login("xuanwu") -> headers with that user's bearer token."""
    cache: dict[str, dict[str, str]] = {}

    def _login(username: str, password: str = PASSWORD) -> dict[str, str]:
        if username not in cache:
            r = client.post("/api/v1/auth/login", json={"username": username, "password": password})
            assert r.status_code == 200, r.text
            cache[username] = {"Authorization": f"Bearer {r.json()['token']}"}
        return cache[username]

    return _login


# Tests that touch no database (the pure domain's given/when/then, the layering contract) say
# the same on every database: the PostgreSQL run leaves them to the SQLite run. A test about one
# database's own behaviour is marked `@pytest.mark.database("postgres")` (or "sqlite") and belongs
# to that run alone. Either way the other run deselects it: nothing is ever skipped.
DATABASE_FREE = ("tests/domains/", "tests/test_architecture.py")


def _belongs_to_this_run(item: pytest.Item, root: Path) -> bool:
    marker = item.get_closest_marker("database")
    if marker is not None:
        return DATABASE in marker.args
    where = Path(str(item.path)).relative_to(root).as_posix()
    return DATABASE != "postgres" or not where.startswith(DATABASE_FREE)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = Path(str(config.rootpath))
    kept, left = [], []
    for item in items:
        (kept if _belongs_to_this_run(item, root) else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
