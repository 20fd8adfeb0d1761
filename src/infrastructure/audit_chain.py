"""A tamper-evident chain over the stored events.

Each stored event gets, in the same transaction that inserts it, a link:
    link_n = HMAC(key, link_{n-1} | notification id | originator id | version | topic | state)
Editing, deleting or inserting an event row by hand breaks the chain at that row; without the
key nobody can forge links that match. `verify` walks both and reports every break.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
CHAIN_TABLE = "event_chain"

_key: bytes = b""


def configure_key(key: str) -> None:
    global _key
    _key = key.encode()


def link(prev: str, notification_id: int, originator_id: Any, version: int, topic: str, state: bytes) -> str:
    oid = _originator_text(originator_id)
    mac = hmac.new(_key, digestmod=hashlib.sha256)
    mac.update(f"{prev}|{notification_id}|{oid}|{version}|{topic}|".encode())
    # A row edited by hand may come back as text rather than bytes: hash what is stored.
    mac.update(state.encode() if isinstance(state, str) else bytes(state))
    return mac.hexdigest()


def links_for(prev: str, ids: Iterable[int], stored_events: Iterable[Any]) -> list[tuple[int, str]]:
    out = []
    for nid, e in zip(ids, stored_events, strict=True):
        prev = link(prev, nid, e.originator_id, e.originator_version, e.topic, e.state)
        out.append((nid, prev))
    return out


def _originator_text(originator_id: Any) -> str:
    if isinstance(originator_id, uuid.UUID):
        return originator_id.hex
    try:
        return uuid.UUID(str(originator_id)).hex
    except ValueError:
        return str(originator_id)


@dataclass(frozen=True)
class Break:
    notification_id: int
    kind: str  # "altered", "removed", "inserted"
    detail: str


def verify(events: Iterator[Any], chain: Iterator[tuple[int, str]]) -> tuple[int, list[Break]]:
    """Walk the stored events and the chain side by side, both in notification-id order.

    Returns how many events were checked and every break found. After a break the walk
    continues from the stored link, so one tampered row is reported once, not for every row
    after it.
    """
    breaks: list[Break] = []
    checked = 0
    prev = GENESIS
    ev = next(events, None)
    ln = next(chain, None)
    while ev is not None or ln is not None:
        if ln is None or (ev is not None and ev.id < ln[0]):
            breaks.append(Break(ev.id, "inserted", "存储事件没有对应的链记录（链外插入）"))
            ev = next(events, None)
            continue
        if ev is None or ln[0] < ev.id:
            breaks.append(Break(ln[0], "removed", "链记录对应的存储事件已不存在（被删除）"))
            prev = ln[1]
            ln = next(chain, None)
            continue
        checked += 1
        expected = link(prev, ev.id, ev.originator_id, ev.originator_version, ev.topic, ev.state)
        if not hmac.compare_digest(expected, ln[1]):
            breaks.append(Break(ev.id, "altered", "存储事件内容与链记录不符（被修改）"))
        prev = ln[1]
        ev = next(events, None)
        ln = next(chain, None)
    return checked, breaks


@dataclass(frozen=True)
class RawEvent:
    id: int
    originator_id: Any
    originator_version: int
    topic: str
    state: Any


def verify_log(engine: Any, page: int = 5000, events_table: str | None = None) -> tuple[int, list[Break]]:
    """Verify every stored event row, read raw (a forged row may not even parse)."""
    from sqlalchemy import text

    postgres = engine.dialect.name == "postgresql"
    id_col = "notification_id" if postgres else "rowid"
    if events_table is None:
        # The library's PostgreSQL recorder names the table after the application
        # ("eduledger_events"); its SQLite recorder always uses "stored_events".
        from infrastructure.eventstore import EventLog

        events_table = f"{EventLog.name.lower()}_events" if postgres else "stored_events"

    def events() -> Iterator[RawEvent]:
        last = 0
        while True:
            with engine.connect() as conn:
                rows = conn.execute(
                    text(
                        f"SELECT {id_col}, originator_id, originator_version, topic, state FROM {events_table} "
                        f"WHERE {id_col} > :last ORDER BY {id_col} LIMIT :n"
                    ),
                    {"last": last, "n": page},
                ).all()
            if not rows:
                return
            for r in rows:
                yield RawEvent(int(r[0]), r[1], r[2], r[3], r[4])
            last = int(rows[-1][0])

    def links() -> Iterator[tuple[int, str]]:
        last = -1
        while True:
            with engine.connect() as conn:
                rows = conn.execute(
                    text(f"SELECT notification_id, hash FROM {CHAIN_TABLE} WHERE notification_id > :last "
                         "ORDER BY notification_id LIMIT :n"),
                    {"last": last, "n": page},
                ).all()
            if not rows:
                return
            for r in rows:
                yield int(r[0]), r[1]
            last = int(rows[-1][0])

    return verify(events(), links())
