"""The event store: one eventsourcing Application log for the whole monolith.

One log (one notification sequence) keeps projections simple and cross-context saves atomic;
the recorders are the library's own, extended only to write the audit chain link of each
event in the same transaction as the event (ADR 0001, 0003).
"""

from __future__ import annotations

import dataclasses
import typing
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, ClassVar, TypedDict

import msgspec
from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
)
from eventsourcing.domain import BaseAggregate
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    IntegrityError,
    InterfaceError,
    JSONTranscoder,
    Mapper,
    OperationalError,
    Recording,
    StoredEvent,
    Transcoder,
    UUIDAsHex,
    find_id_convertor,
)
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from eventsourcing.utils import get_topic, resolve_topic, retry
from psycopg.sql import SQL, Identifier

from application.common.context import note_position
from domains.learners.learner import StudentNumberSequence
from domains.shared.errors import DomainError, NotFound
from domains.training.ledger import CertificateSerialSequence
from infrastructure import audit_chain
from infrastructure.audit_chain import CHAIN_TABLE, GENESIS


class ChainedSQLiteRecorder(SQLiteApplicationRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} (notification_id INTEGER PRIMARY KEY, hash TEXT NOT NULL)",
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **_: Any
    ) -> Sequence[int] | None:
        if not stored_events:  # nothing to link; MAX(rowid) of an empty table is NULL
            return []
        # One executemany instead of a statement per event. Inside the write transaction no
        # other writer can insert, so the new rowids are the n after the previous maximum.
        # An error anywhere here (the chain step included) rolls the whole insert back.
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

    def select_events_of(self, originator_ids: Sequence[uuid.UUID]) -> list[StoredEvent]:
        """Every stored event of the given aggregates, by aggregate then version: one query per
        500 ids instead of one per aggregate."""
        found: list[StoredEvent] = []
        for i in range(0, len(originator_ids), _MANY):
            part = [oid.hex for oid in originator_ids[i : i + _MANY]]
            with self.datastore.transaction(commit=False) as c:
                c.execute(
                    f"SELECT originator_id, originator_version, topic, state FROM {self.events_table_name} "
                    f"WHERE originator_id IN ({','.join('?' * len(part))}) "
                    "ORDER BY originator_id, originator_version",
                    part,
                )
                found += [
                    StoredEvent(self.convert_originator_id(r[0]), r[1], r[2], r[3]) for r in c.fetchall()
                ]
        return found


_MANY = 500


class ChainedPostgresRecorder(PostgresApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {schema}.{table} "
                "(notification_id bigint PRIMARY KEY, hash text NOT NULL)"
            ).format(schema=Identifier(self.datastore.schema), table=Identifier(CHAIN_TABLE))
        )

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """The library's insert, with the chain link written in the same transaction, on the
        only insert path there is. The library's own has two flaws for us: with
        POSTGRES_ENABLE_DB_FUNCTIONS it inserts through a database function that skips the
        link, and it catches an error raised after the insert (so in our chain step) inside
        its transaction, committing the events unlinked before re-raising. Here any error
        leaves the transaction block and rolls the events back; the setting changes nothing.
        """
        if not stored_events:
            return []
        with (
            self.datastore.get_connection() as conn,
            conn.pipeline() as pipeline,
            conn.transaction(),
            conn.cursor() as curs,
        ):
            self._insert_events(curs, stored_events, **kwargs)  # the library's hook (tracking)
            self._insert_stored_events(curs, stored_events, **kwargs)  # lock, notify, insert
            pipeline.sync()  # a duplicate (version conflict) raises IntegrityError here
            ids = self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
            self._link(curs, ids, stored_events)
            return ids

    def _link(self, curs: Any, ids: Sequence[int], stored_events: Sequence[StoredEvent]) -> None:
        # The table is locked EXCLUSIVE for this insert, so the last link cannot move under us.
        table = SQL("{schema}.{table}").format(
            schema=Identifier(self.datastore.schema), table=Identifier(CHAIN_TABLE)
        )
        curs.execute(SQL("SELECT hash FROM {t} ORDER BY notification_id DESC LIMIT 1").format(t=table))
        row = curs.fetchone()
        links = audit_chain.links_for(row["hash"] if row else GENESIS, ids, stored_events)
        curs.executemany(SQL("INSERT INTO {t} VALUES (%s, %s)").format(t=table), links)

    def select_events_of(self, originator_ids: Sequence[uuid.UUID]) -> list[StoredEvent]:
        """Every stored event of the given aggregates, by aggregate then version, in one query."""
        statement = SQL(
            "SELECT originator_id, originator_version, topic, state FROM {schema}.{table} "
            "WHERE originator_id = ANY(%s) ORDER BY originator_id, originator_version"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, (list(originator_ids),), prepare=True)
            return [
                StoredEvent(r["originator_id"], r["originator_version"], r["topic"], bytes(r["state"]))
                for r in curs.fetchall()
            ]


class MsgspecTranscoder(Transcoder):
    """Plain msgspec JSON. On its own it loses UUID and datetime types (they come back as
    strings); `EventMapper` restores them from the event class. Kept for code that asks the
    mapper for its transcoder."""

    def __init__(self) -> None:
        self._encoder = msgspec.json.Encoder()
        self._decoder = msgspec.json.Decoder()

    def encode(self, obj: Any) -> bytes:
        return self._encoder.encode(obj)

    def decode(self, data: bytes) -> Any:
        return self._decoder.decode(data)


def legacy_transcoder() -> JSONTranscoder:
    """The library's default transcoder, which stored our events before ADR 0007."""
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        transcoder.register(transcoding)
    return transcoder


_PLAIN = (str, int, float, type(None))  # bool is an int


def _is_plain(value: Any) -> bool:
    """JSON-native data all the way down: what an untyped (`Any`) field can carry losslessly.
    (A hot path: every event's metadata passes here, hence the plain loops.)"""
    kind = type(value)
    if kind is str or value is None:
        return True
    if kind is dict:
        for key, item in value.items():
            if (type(item) is not str and item is not None and not _is_plain(item)) or type(key) is not str:
                return False
        return True
    if kind is list or kind is tuple:
        return all(_is_plain(item) for item in value)
    return isinstance(value, _PLAIN)  # numbers, and str subclasses such as StrEnum


def _mentions_any(hint: Any) -> bool:
    return hint is Any or any(_mentions_any(a) for a in typing.get_args(hint))


@dataclasses.dataclass
class _Plan:
    """How one event class is encoded and decoded."""

    cls: type
    topic: str
    class_version: int
    typed: Any  # a TypedDict of the stored fields and their types, or None: legacy JSON only
    decoder: msgspec.json.Decoder | None
    loose: tuple[str, ...]  # fields typed with `Any`: their values must be JSON-native


class EventMapper(Mapper):
    """Stores events as msgspec JSON and decodes them straight into typed dicts (ADR 0007).

    The stored state is plain JSON (UUIDs and datetimes as strings); on the way back the event
    class's own annotations restore UUID, datetime, Decimal, tuples and enums in one msgspec
    pass, so events come back equal to the ones saved, like with the library's JSON
    transcoder, at a fraction of its cost. Events stored in the library's format (before ADR
    0007) still decode. Fields typed `Any` (metadata, the applicant's details) carry plain JSON
    only; an event that puts a UUID or datetime there is stored in the library's format instead,
    so no type is ever lost silently. Upcasting (`class_version`, `upcast_vN_vM`) works as in the
    library: an older state is decoded untyped, upcast, then converted to the class's types.
    """

    def __init__(self, transcoder: Transcoder | None = None, compressor: Any = None, cipher: Any = None) -> None:
        super().__init__(transcoder or MsgspecTranscoder(), compressor=compressor, cipher=cipher)
        self._encoder = msgspec.json.Encoder()
        self._untyped = msgspec.json.Decoder()
        self._legacy = legacy_transcoder()
        self._by_class: dict[type, _Plan] = {}
        self._by_topic: dict[str, _Plan] = {}

    def _plan(self, cls: type) -> _Plan:
        plan = self._by_class.get(cls)
        if plan is None:
            plan = self._by_class[cls] = self._make_plan(cls)
        return plan

    def _plan_for_topic(self, topic: str) -> _Plan:
        plan = self._by_topic.get(topic)
        if plan is None:
            plan = self._by_topic[topic] = self._plan(resolve_topic(topic))
        return plan

    @staticmethod
    def _make_plan(cls: type) -> _Plan:
        topic = get_topic(cls)
        version = getattr(cls, "class_version", 1)
        hints: dict[str, Any] = {}
        if dataclasses.is_dataclass(cls):
            try:
                resolved = typing.get_type_hints(cls)
            except Exception:  # unresolvable annotations: keep the library's format
                resolved = None
            if resolved is not None:
                hints = {
                    f.name: resolved.get(f.name, Any)
                    for f in dataclasses.fields(cls)
                    if f.name not in ("originator_id", "originator_version")
                }
        # The new format is recognised by its timestamp being a plain string.
        if hints.get("timestamp") is not datetime:
            return _Plan(cls, topic, version, None, None, ())
        if version > 1:
            hints["class_version"] = int
        typed = TypedDict(f"{cls.__qualname__}State", hints, total=False)  # type: ignore[misc]
        loose = tuple(name for name, hint in hints.items() if _mentions_any(hint))
        return _Plan(cls, topic, version, typed, msgspec.json.Decoder(typed), loose)

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        plan = self._plan(type(domain_event))
        state = dict(domain_event.__dict__)
        originator_id = state.pop("originator_id")
        originator_version = state.pop("originator_version")
        if plan.class_version > 1:
            state["class_version"] = plan.class_version
        if plan.typed is not None and all(_is_plain(state.get(name)) for name in plan.loose):
            data = self._encoder.encode(state)
        else:
            data = self._legacy.encode(state)
        if self.compressor:
            data = self.compressor.compress(data)
        if self.cipher:
            data = self.cipher.encrypt(data)
        return StoredEvent(
            originator_id=originator_id, originator_version=originator_version, topic=plan.topic, state=data
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        plan = self._plan_for_topic(stored_event.topic)
        data = stored_event.state
        if self.cipher:
            data = self.cipher.decrypt(data)
        if self.compressor:
            data = self.compressor.decompress(data)
        state = self._decode(plan, data)
        cls = plan.cls
        state["originator_id"] = find_id_convertor(cls, type(stored_event.originator_id))(stored_event.originator_id)
        state["originator_version"] = stored_event.originator_version
        event = object.__new__(cls)
        object.__setattr__(event, "__dict__", state)
        return event

    def _decode(self, plan: _Plan, data: bytes) -> dict[str, Any]:
        if plan.decoder is not None and plan.class_version == 1:
            try:
                return plan.decoder.decode(data)
            except msgspec.ValidationError:
                pass  # stored in the library's format (tagged UUIDs and datetimes)
            return self._legacy.decode(data)
        try:
            state = self._untyped.decode(data) if plan.typed is not None else self._legacy.decode(data)
        except msgspec.DecodeError:
            state = self._legacy.decode(data)
        if isinstance(state.get("timestamp"), dict):  # the library's format
            state = self._legacy.decode(data)
        stored_version = state.pop("class_version", 1)
        while stored_version < plan.class_version:
            getattr(plan.cls, f"upcast_v{stored_version}_v{stored_version + 1}")(state)
            stored_version += 1
        if plan.typed is None or not isinstance(state.get("timestamp"), str):
            return state
        typed = msgspec.convert(state, plan.typed, strict=False)
        return {**state, **typed}


class EventLog(Application):
    name = "EduLedger"
    # A student number sequence gains an event with every approval, year after year (and a
    # certificate serial sequence one with every certificate of the year): it is loaded from its
    # latest snapshot plus at most this many events (ADR 0007, 0011).
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {StudentNumberSequence: 50, CertificateSerialSequence: 50}

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording]:
        """The library's `save`, collecting from our aggregates without the runtime-protocol
        `isinstance` checks that cost more than encoding an event on Python 3.11."""
        processing = ProcessingEvent()
        rest = []
        for obj in objs:
            if isinstance(obj, BaseAggregate):
                processing.events.extend(obj.collect_events())
                processing.aggregates[obj.id] = obj
            else:
                rest.append(obj)
        processing.collect_events(*rest, **kwargs)
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        self.notify(processing.events)  # deprecated in the library, kept for parity
        return recordings

    def construct_recorder(self) -> Any:
        # The library reads its settings from the process environment too, where a prefixed
        # variable (EDULEDGER_APPLICATION_RECORDER_TOPIC, ...) outranks ours: refuse to start
        # on a recorder that would store events without their chain links (ADR 0003, 0015).
        recorder = super().construct_recorder()
        if not isinstance(recorder, ChainedSQLiteRecorder | ChainedPostgresRecorder):
            raise RuntimeError(
                f"{type(recorder).__qualname__} does not write the audit chain; "
                "the event log needs ChainedSQLiteRecorder or ChainedPostgresRecorder"
            )
        return recorder

    def construct_transcoder(self) -> Transcoder:
        return MsgspecTranscoder()

    def construct_mapper(self) -> Mapper:
        return EventMapper(self.construct_transcoder(), self.factory.compressor(), self.factory.cipher())


def _project(aggregate: Any, events: Any) -> Any:
    """The library's `project_aggregate` without its per-event runtime-protocol assertion."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


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
            return self.log.repository.get(aggregate_id, version=version, projector_func=_project)
        except AggregateNotFoundError:
            raise NotFound("not_found", "记录不存在") from None

    def find(self, aggregate_id: uuid.UUID) -> Any | None:
        try:
            return self.log.repository.get(aggregate_id, projector_func=_project)
        except AggregateNotFoundError:
            return None

    def find_many(self, aggregate_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Any]:
        """The aggregates that exist among `aggregate_ids`, read with one query per few hundred
        ids rather than one each (bulk use cases)."""
        mapper = self.log.mapper
        events: dict[uuid.UUID, list[Any]] = {}
        for stored in self.log.recorder.select_events_of(list(dict.fromkeys(aggregate_ids))):  # type: ignore[attr-defined]
            events.setdefault(stored.originator_id, []).append(stored)
        found = {}
        for aggregate_id, stored_events in events.items():
            aggregate = _project(None, map(mapper.to_domain_event, stored_events))
            if aggregate is not None:
                found[aggregate_id] = aggregate
        return found

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
