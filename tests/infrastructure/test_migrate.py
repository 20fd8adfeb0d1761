"""`eduledger migrate`: the only thing that creates or changes schema (ADR 0013)."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, MetaData, String, Table, Uuid, inspect, select, text, update

from application.common.actor import SYSTEM
from application.common.projection import Projection, handles
from application.common.queries import Page
from application.organisation.queries import list_teaching_points
from application.projections import all_projections
from domains.organisation.teaching_point import TeachingPoint
from infrastructure import read_model_swap
from infrastructure.container import build
from infrastructure.database import make_engine
from infrastructure.jobs import bulk_job_items, bulk_jobs
from infrastructure.projections import tracking
from infrastructure.schema import (
    SchemaNotCurrent,
    alembic_config,
    event_log,
    head,
    migrate,
    migrate_database,
    pending,
    platform_metadata,
    rebuild_read_models,
)
from infrastructure.settings import load_settings
from tests.infrastructure.processes import Processes


@pytest.fixture
def fresh(tmp_path: Path, database_url: str) -> Any:
    """Settings of an empty database that nothing has migrated yet."""
    return load_settings(
        database_url=database_url, var_dir=tmp_path, secret_key="test-secret-key", audit_key="test-audit-key",
        projections="inline", broker_url=None,
    )


def test_upgrading_through_every_revision_gives_exactly_the_declared_platform_tables(fresh):
    engine = make_engine(fresh)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), platform_metadata()) == []
            assert set(inspect(conn).get_table_names()) == {*platform_metadata().tables, "alembic_version"}
    finally:
        engine.dispose()


def test_a_database_made_before_migrations_is_recorded_at_the_first_revision_and_kept(container, world):
    engine, settings = container.engine, container.settings
    with engine.begin() as conn:  # what `create_all` at start-up used to leave behind
        conn.exec_driver_sql("DROP TABLE alembic_version")
        conn.exec_driver_sql("DROP TABLE audit_checkpoints")  # came with revision 0002
        conn.exec_driver_sql("DROP TABLE data_steps")  # and revision 0003
        conn.exec_driver_sql("DROP TABLE stored_video_chunks")  # and revision 0005
        conn.exec_driver_sql("DROP TABLE stored_videos")
        _name_bulk_job_tables_as_before_0004(conn)
    assert migrate(engine, settings, all_projections()) == [
        "recorded the existing platform tables as revision 0001",
        f"upgraded the platform tables from 0001 to {head()}",
        # the world's records were made with their indexes, so the upgrade owes them nothing
        "data step decision_indexes: wrote 0 records",
    ]
    assert migrate(engine, settings, all_projections()) == []  # each step runs once
    assert pending(engine, container.log.recorder.events_table_name, all_projections()) == []
    with engine.connect() as conn:
        assert list_teaching_points(conn, world.actor("sysadmin"), Page(1, 20)).total == 2


# The bulk job tables under the names they had before revision 0004, with their indexed columns.
BEFORE_0004 = {"bulk_jobs": ("import_jobs", ("created_at", "status", "teaching_point_id")), "bulk_job_items": ("import_rows", ())}


def _name_bulk_job_tables_as_before_0004(conn: Any) -> None:
    for new, (old, indexed) in BEFORE_0004.items():
        conn.exec_driver_sql(f"ALTER TABLE {new} RENAME TO {old}")
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"ALTER INDEX {new}_pkey RENAME TO {old}_pkey")
        for column in indexed:
            conn.exec_driver_sql(f"DROP INDEX ix_{new}_{column}")
            conn.exec_driver_sql(f"CREATE INDEX ix_{old}_{column} ON {old} ({column})")


def test_the_bulk_job_tables_are_renamed_with_their_jobs_and_items_kept(fresh):
    engine = make_engine(fresh)
    job_id = uuid.uuid4()
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "0003")
            conn.execute(
                text(
                    "INSERT INTO import_jobs (id, kind, status, filename, actor_username, actor_name, actor_roles,"
                    " correlation_id, total, processed, succeeded, failed, attempts, created_at)"
                    " VALUES (:id, 'form_import', 'done', 'a.csv', 'xuanwu', '玄武', 'teaching_point_admin', 'c', 1, 1, 1, 0, 1,"
                    " :at)"
                ),
                {"id": job_id if conn.dialect.name == "postgresql" else job_id.hex, "at": "2026-09-01 02:00:00+00:00"},
            )
            conn.execute(
                text("INSERT INTO import_rows (job_id, row, ok) VALUES (:id, 2, true)"),
                {"id": job_id if conn.dialect.name == "postgresql" else job_id.hex},
            )
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        with engine.connect() as conn:
            assert conn.execute(select(bulk_jobs.c.filename, bulk_jobs.c.succeeded)).all() == [("a.csv", 1)]
            assert conn.execute(select(bulk_job_items.c.job_id, bulk_job_items.c.row)).all() == [(job_id, 2)]
            assert compare_metadata(MigrationContext.configure(conn), platform_metadata()) == []
            assert not {"import_jobs", "import_rows"} & set(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def test_migrate_runs_started_together_do_the_work_once(fresh):
    processes = Processes(fresh.var_dir, fresh.database_url)
    try:
        runs = processes.together(("migrate",), ("migrate",), ("migrate",))
        outputs = []
        for run in runs:
            assert run.wait(timeout=240) == 0, processes.output(run)
            outputs.append(processes.output(run))
    finally:
        processes.stop()
    did_work = [o for o in outputs if "created the platform tables" in o]
    assert len(did_work) == 1, outputs
    assert "created the event store tables" in did_work[0] and "built read models" in did_work[0]
    assert sum("nothing to migrate" in o for o in outputs) == 2, outputs


def test_a_process_on_an_unmigrated_database_refuses_to_start_or_migrates_itself(fresh):
    if not fresh.is_postgres:  # the embedded default migrates itself at start
        container = build(fresh, fast_hashing=True)
        container.close()
        engine = make_engine(fresh)
        log = event_log(fresh)
        assert pending(engine, log.recorder.events_table_name, all_projections()) == []
        log.close()
        engine.dispose()
        return
    with pytest.raises(SchemaNotCurrent, match="eduledger migrate"):
        build(fresh, fast_hashing=True)
    code, output = Processes(fresh.var_dir, fresh.database_url).run("serve", "--port", "1")
    assert code != 0
    assert "Run `eduledger migrate`" in output and "the event store has no tables" in output
    engine = make_engine(fresh)
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == []  # refusing created nothing
    engine.dispose()


def test_a_changed_read_model_is_rebuilt_once_while_its_list_keeps_answering(container, world, monkeypatch):
    engine, settings = container.engine, container.settings
    # What a release that changed the organisation tables looks like to migrate.
    with engine.begin() as conn:
        conn.execute(update(tracking).where(tracking.c.name == "organisation").values(fingerprint="older release"))
    monkeypatch.setattr(read_model_swap, "BATCH", 2)  # many small batches: a long rebuild

    stop, rebuilding, errors, answers = threading.Event(), threading.Event(), [], []
    during: list[int] = []
    sysadmin = world.actor("sysadmin")

    def keep_listing() -> None:
        while not stop.is_set():
            try:
                with engine.connect() as conn:
                    answers.append(list_teaching_points(conn, sysadmin, Page(1, 20)).total)
                if rebuilding.is_set():
                    during.append(1)
            except Exception as e:  # any failure of the list is what the test is about
                errors.append(repr(e))

    next_batch = read_model_swap._next_batch
    writer: list[threading.Thread] = []

    def slow_replay(log_app: Any, position: int) -> Any:
        if position > 0 and not rebuilding.is_set():
            rebuilding.set()
            # The list answers from the live tables while the new ones are half built ...
            _wait(lambda: len(during) >= 3, "lists answered during the rebuild")
            # ... and a teaching point registered now reaches the new tables too.
            writer.append(threading.Thread(target=_register_third_point, args=(container,)))
            writer[0].start()
        return next_batch(log_app, position)

    monkeypatch.setattr(read_model_swap, "_next_batch", slow_replay)
    reader = threading.Thread(target=keep_listing)
    reader.start()
    reports: list[list[str]] = []
    second = threading.Thread(target=lambda: reports.append(migrate(engine, settings, all_projections())))
    try:
        first = migrate(engine, settings, all_projections())
        second.start()
        second.join(timeout=240)
        writer[0].join(timeout=240)
    finally:
        stop.set()
        reader.join(timeout=60)

    assert len(first) == 1 and first[0].startswith("rebuilt read model organisation from ")
    assert reports == [[]]  # the second run found nothing to do
    assert errors == []
    assert len(during) >= 3 and set(answers) <= {2, 3}
    with engine.connect() as conn:
        assert list_teaching_points(conn, sysadmin, Page(1, 20)).total == 3
        leftovers = [t for t in inspect(conn).get_table_names() if "__" in t]
    assert leftovers == []
    assert pending(engine, container.log.recorder.events_table_name, all_projections()) == []
    container.organisation.register_teaching_point(SYSTEM, "104", "秦淮学习中心", "南京市秦淮区", "王芳", "025-86543210")
    with engine.connect() as conn:  # the swapped-in tables are the live ones now
        assert list_teaching_points(conn, sysadmin, Page(1, 20)).total == 4


def _register_third_point(container: Any) -> None:
    container.organisation.register_teaching_point(SYSTEM, "103", "江宁学习中心", "南京市江宁区", "陈静", "025-52123456")


def _wait(ready: Any, what: str) -> None:
    import time

    deadline = time.monotonic() + 120
    while not ready():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def _point_names(with_code: bool) -> Projection:
    """A test-only read model whose table gains a column between two releases."""
    columns = [Column("code", String(20))] if with_code else []
    table = Table("rm_test_point_names", MetaData(), Column("id", Uuid, primary_key=True),
                  Column("name", String(60)), *columns)

    class PointNames(Projection):
        name = "test_point_names"
        tables = (table,)

        @handles(TeachingPoint.Registered)
        def _registered(self, conn: Any, e: Any) -> None:
            conn.insert(table, {"id": e.originator_id, "name": e.name, **({"code": e.code} if with_code else {})})

    return PointNames()


def test_a_read_model_that_gains_a_column_is_rebuilt_with_it_and_filled_from_the_log(container, world):
    engine, settings = container.engine, container.settings
    assert migrate(engine, settings, [*all_projections(), _point_names(False)]) == [
        "built read models test_point_names from " + str(container.log.recorder.max_notification_id()) + " events"
    ]
    new_release = _point_names(True)
    with pytest.raises(SchemaNotCurrent, match="read models changed shape: test_point_names"):
        _require(container, [*all_projections(), new_release])
    done = migrate(engine, settings, [*all_projections(), new_release])
    assert len(done) == 1 and done[0].startswith("rebuilt read model test_point_names")
    table = new_release.tables[0]
    with engine.connect() as conn:
        assert sorted(conn.execute(select(table.c.code)).scalars()) == ["101", "102"]
    assert migrate(engine, settings, [*all_projections(), new_release]) == []


def _require(container: Any, projections: list[Projection]) -> None:
    from infrastructure.schema import require_current

    require_current(container.engine, container.log, projections)


def test_rebuilding_every_read_model_beside_the_live_ones_gives_the_same_rows(container, world, settings):
    def rows() -> dict[str, list[Any]]:
        with container.engine.connect() as conn:
            return {
                t.name: sorted(map(repr, conn.execute(select(t)).all()))
                for p in all_projections() for t in p.tables
            }

    before = rows()
    assert rebuild_read_models(settings) > 0
    assert rows() == before
    assert pending(container.engine, container.log.recorder.events_table_name, all_projections()) == []


def test_migrating_a_current_database_again_changes_nothing(fresh):
    assert "created the event store tables" in migrate_database(fresh)
    assert migrate_database(fresh) == []
