"""The eventsourcing library's own recorder test cases, run against our chained recorders
(ADR 0015): the application-recorder case, the non-interleaving case and the concurrency cases,
in the variants the library runs for its SQLite and PostgreSQL recorders. After every test the
audit chain over the recorder's tables is walked and any break fails the test.

The SQLite cases run in the SQLite run, the PostgreSQL cases in the PostgreSQL run
(EDULEDGER_TEST_DATABASE=postgres, on the server of EDULEDGER_TEST_POSTGRES_URL, in a database
of their own); a PostgreSQL run that cannot reach its server fails.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Any, Literal

import pytest
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests import persistence as library

from infrastructure import audit_chain
from infrastructure.eventstore import ChainedPostgresRecorder, ChainedSQLiteRecorder
from tests.infrastructure.recorder_support import (
    POSTGRES_EVENTS_TABLE,
    postgres_chain,
    postgres_datastore_args,
    recorders_postgres_url,
    sqlite_chain,
)

sqlite_run = pytest.mark.database("sqlite")  # the SQLite recorder's cases belong to the SQLite run
postgres_run = pytest.mark.database("postgres")


class ChainVerified:
    """Walks the chain of what the test stored, after the test, and fails on any break."""

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        audit_chain.configure_key("recorder-contract-key")
        self.recorded = False

    def tearDown(self) -> None:
        try:
            if self.recorded:
                checked, breaks = self.walk_chain()
                assert breaks == [], f"the audit chain broke after {checked} events: {breaks[:5]}"
        finally:
            self.release()
            super().tearDown()  # type: ignore[misc]

    def walk_chain(self) -> tuple[int, list[Any]]:
        raise NotImplementedError

    def release(self) -> None:
        raise NotImplementedError


class TextOriginatorIDs:
    originator_id_type: Literal["uuid", "text"] = "text"

    def new_originator_id(self) -> str:
        return f"test-{uuid.uuid4()}"


class ChainedSQLite(ChainVerified):
    originator_id_type: Literal["uuid", "text"] = "uuid"

    def setUp(self) -> None:
        super().setUp()
        self.tmp = tempfile.TemporaryDirectory()
        self.db_name = str(Path(self.tmp.name) / "events.sqlite3")
        self.datastores: list[SQLiteDatastore] = []

    def use_memory_db(self) -> None:
        # Named and shared by the test's connections, so the chain walk can read it too.
        self.db_name = f"file:recorders_{uuid.uuid4().hex}?mode=memory&cache=shared"

    def create_recorder(self) -> ChainedSQLiteRecorder:
        datastore = SQLiteDatastore(db_name=self.db_name, pool_size=100, originator_id_type=self.originator_id_type)
        self.datastores.append(datastore)
        recorder = ChainedSQLiteRecorder(datastore)
        recorder.create_table()
        self.recorded = True
        return recorder

    def walk_chain(self) -> tuple[int, list[Any]]:
        return sqlite_chain(self.db_name)

    def release(self) -> None:
        for datastore in self.datastores:
            datastore.close()
        self.tmp.cleanup()


@sqlite_run
class TestChainedSQLiteRecorder(ChainedSQLite, library.ApplicationRecorderTestCase):
    def test_concurrent_no_conflicts_in_memory_db(self) -> None:
        self.use_memory_db()
        super().test_concurrent_no_conflicts()

    def test_concurrent_throughput_in_memory_db(self) -> None:
        self.use_memory_db()
        super().test_concurrent_throughput()


@sqlite_run
class TestChainedSQLiteRecorderWithTextOriginatorID(TextOriginatorIDs, TestChainedSQLiteRecorder):
    pass


@sqlite_run
class TestChainedSQLiteNonInterleaving(ChainedSQLite, library.NonInterleavingNotificationIDsBaseCase):
    insert_num = 10000  # as the library runs it for SQLite


@sqlite_run
class TestChainedSQLiteNonInterleavingInMemory(TestChainedSQLiteNonInterleaving):
    def setUp(self) -> None:
        super().setUp()
        self.use_memory_db()


class ChainedPostgres(ChainVerified):
    """Mirrors the library's PostgreSQL set-up: a pool of one connection, resized by the tests
    that need more."""

    schema = "public"
    originator_id_type: Literal["uuid", "text"] = "uuid"
    enable_db_functions = False

    def setUp(self) -> None:
        super().setUp()
        self.url = recorders_postgres_url(*([self.schema] if self.schema != "public" else []))
        self.datastore = PostgresDatastore(
            **postgres_datastore_args(self.url),
            pool_size=1,
            max_overflow=0,
            schema=self.schema,
            originator_id_type=self.originator_id_type,
            enable_db_functions=self.enable_db_functions,
        )

    def create_recorder(self) -> ChainedPostgresRecorder:
        recorder = ChainedPostgresRecorder(self.datastore, events_table_name=POSTGRES_EVENTS_TABLE)
        recorder.create_table()
        self.recorded = True
        return recorder

    def walk_chain(self) -> tuple[int, list[Any]]:
        return postgres_chain(self.url, schema=self.schema)

    def release(self) -> None:
        self.datastore.close()

    def resize_pool(self, size: int) -> None:
        self.datastore.pool.open()
        self.datastore.pool.resize(size, size)


@postgres_run
class TestChainedPostgresRecorder(ChainedPostgres, library.ApplicationRecorderTestCase):
    def test_insert_subscribe(self) -> None:
        self.resize_pool(2)
        super().optional_test_insert_subscribe()

    def test_concurrent_no_conflicts(self, initial_position: int = 0) -> None:
        self.resize_pool(12)
        super().test_concurrent_no_conflicts()

    def test_concurrent_throughput(self) -> None:
        self.resize_pool(10)
        super().test_concurrent_throughput()


@postgres_run
class TestChainedPostgresRecorderWithSchema(TestChainedPostgresRecorder):
    schema = "myschema"


@postgres_run
class TestChainedPostgresRecorderWithTextOriginatorID(TextOriginatorIDs, TestChainedPostgresRecorder):
    pass


@postgres_run
class TestChainedPostgresRecorderWithDbFunctions(TestChainedPostgresRecorder):
    """POSTGRES_ENABLE_DB_FUNCTIONS=y: the library would insert through a database function
    that writes no link; ours links on this path too."""

    enable_db_functions = True


@postgres_run
class TestChainedPostgresRecorderWithDbFunctionsAndTextOriginatorID(
    TextOriginatorIDs, TestChainedPostgresRecorderWithDbFunctions
):
    pass


@postgres_run
class TestChainedPostgresNonInterleaving(ChainedPostgres, library.NonInterleavingNotificationIDsBaseCase):
    insert_num = 100  # as the library runs it for PostgreSQL

    def setUp(self) -> None:
        super().setUp()
        self.resize_pool(2)  # two writers race
