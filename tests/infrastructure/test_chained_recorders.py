"""The event log never stores an event without its audit chain link (ADR 0003, 0015): not for an
empty save, not under the library's database-function setting, not when the chain step fails,
and not on a recorder that keeps no chain."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy

from domains.shared.aggregate import UniqueKey
from infrastructure import audit_chain
from infrastructure.audit_chain import verify_log
from infrastructure.eventstore import EventLog
from tests.conftest import DATABASE


@pytest.fixture
def engine(settings: Any) -> Iterator[sqlalchemy.Engine]:
    audit_chain.configure_key(settings.audit_key)
    engine = sqlalchemy.create_engine(settings.sqlalchemy_url, poolclass=sqlalchemy.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def new_log(settings: Any) -> Iterator[Any]:
    """Opens event logs on the test database the way the container does (closed afterwards)."""
    logs: list[EventLog] = []

    def open_log() -> EventLog:
        logs.append(EventLog(env=settings.eventsourcing_env()))
        return logs[-1]

    yield open_log
    for log in logs:
        log.close()


def claim(n: int = 1) -> list[UniqueKey]:
    return [UniqueKey(kind="test", key=f"k{i}-{uuid.uuid4().hex}", owner_id=uuid.uuid4()) for i in range(n)]


def stored_and_linked(engine: sqlalchemy.Engine) -> int:
    checked, breaks = verify_log(engine)
    assert breaks == []
    return checked


def test_saving_nothing_on_a_new_store_records_nothing(new_log: Any, engine: sqlalchemy.Engine) -> None:
    log = new_log()
    assert log.save() == []
    assert log.recorder.insert_events([]) == []
    log.save(*claim(2))
    assert log.save() == []
    assert stored_and_linked(engine) == 2


@pytest.mark.database("postgres")  # a PostgreSQL setting
@pytest.mark.parametrize("variable", ["POSTGRES_ENABLE_DB_FUNCTIONS", "EDULEDGER_POSTGRES_ENABLE_DB_FUNCTIONS"])
def test_the_database_functions_setting_still_links_every_event(
    variable: str, monkeypatch: pytest.MonkeyPatch, new_log: Any, engine: sqlalchemy.Engine
) -> None:
    # The library reads the process environment as well as ours; the prefixed name wins.
    monkeypatch.setenv(variable, "y")
    log = new_log()
    assert log.recorder.datastore.enable_db_functions  # the path that used to skip the link
    log.save(*claim(3))
    log.save(*claim(1))
    assert stored_and_linked(engine) == 4


def test_a_failed_chain_step_rolls_the_events_back(
    monkeypatch: pytest.MonkeyPatch, new_log: Any, engine: sqlalchemy.Engine
) -> None:
    log = new_log()
    log.save(*claim(1))

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("chain step failed")

    with monkeypatch.context() as patch:
        patch.setattr(audit_chain, "links_for", broken)
        lost = claim(2)
        with pytest.raises(RuntimeError, match="chain step failed"):
            log.save(*lost)
    assert log.recorder.max_notification_id() == 1
    assert all(log.recorder.select_events(key.id) == [] for key in lost)
    assert stored_and_linked(engine) == 1
    log.save(*claim(1))  # and the next save links on from the last committed link
    assert stored_and_linked(engine) == 2


def test_the_event_log_refuses_a_recorder_that_keeps_no_chain(monkeypatch: pytest.MonkeyPatch, new_log: Any) -> None:
    module = "postgres" if DATABASE == "postgres" else "sqlite"
    library_recorder = f"eventsourcing.{module}:{'Postgres' if module == 'postgres' else 'SQLite'}ApplicationRecorder"
    monkeypatch.setenv("EDULEDGER_APPLICATION_RECORDER_TOPIC", library_recorder)
    with pytest.raises(RuntimeError, match="does not write the audit chain"):
        new_log()
