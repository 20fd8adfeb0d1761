"""A tamper-evident chain over the stored events.

Each stored event gets, in the same transaction that inserts it, a link:
    link_n = HMAC(key, link_{n-1} | notification id | originator id | version | topic | state)
Editing, deleting or inserting an event row by hand breaks the chain at that row; without the
key nobody can forge links that match. `verify` walks both and reports every break. A holder
of the key could rewrite the chain: signed checkpoints kept elsewhere catch that
(`infrastructure.audit_checkpoints`, ADR 0014).
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


def row_bytes(notification_id: int, originator_id: Any, version: int, topic: str, state: Any) -> bytes:
    """The stored row as the chain and the checkpoints see it."""
    head = f"{notification_id}|{_originator_text(originator_id)}|{version}|{topic}|".encode()
    # A row edited by hand may come back as text rather than bytes: hash what is stored.
    return head + (state.encode() if isinstance(state, str) else bytes(state))


def link(prev: str, notification_id: int, originator_id: Any, version: int, topic: str, state: bytes) -> str:
    mac = hmac.new(_key, digestmod=hashlib.sha256)
    mac.update(f"{prev}|".encode())
    mac.update(row_bytes(notification_id, originator_id, version, topic, state))
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
    # Set when the ids were inferred from a gap, not seen: notification_id..last_id were missing
    # (a checkpoint covering them names the exact rows instead).
    last_id: int | None = None

    @property
    def ids(self) -> str:
        if self.last_id is None or self.last_id == self.notification_id:
            return str(self.notification_id)
        return f"{self.notification_id}–{self.last_id}"


ALTERED = "存储事件内容与链记录不符（被修改）"
REMOVED = "链记录对应的存储事件已不存在（被删除）"
INSERTED = "存储事件没有对应的链记录（链外插入）"


def _gap(first: int, last: int) -> Break:
    # SQLite's rowids have no gaps of their own; PostgreSQL's sequence skips the ids of rolled-back
    # inserts, but the row after such a gap still chains from the link before it and verifies.
    # A gap after which the chain does not continue held at least one event deleted with its link.
    detail = "事件连同其链记录被删除：其后一行的链接不再接续之前的链"
    if first != last:
        detail += "（PostgreSQL 上该区间也可能含有回滚写入留下的空号）"
    return Break(first, "removed", detail, last)


def verify(events: Iterator[Any], chain: Iterator[tuple[int, str]]) -> tuple[int, list[Break]]:
    """Walk the stored events and the chain side by side, both in notification-id order.

    Returns how many events were checked and every break found. After a break the walk
    continues from the stored link, so one tampered row is reported once, not for every row
    after it. A row whose link does not follow from the previous one is `altered` when it
    directly follows that one, and names the missing ids as `removed` when ids are missing
    between them (event and link both deleted).
    """
    breaks: list[Break] = []
    checked = 0
    prev, last_seen = GENESIS, 0
    ev = next(events, None)
    ln = next(chain, None)
    while ev is not None or ln is not None:
        if ln is None or (ev is not None and ev.id < ln[0]):
            breaks.append(Break(ev.id, "inserted", INSERTED))
            last_seen = ev.id
            ev = next(events, None)
            continue
        if ev is None or ln[0] < ev.id:
            breaks.append(Break(ln[0], "removed", REMOVED))
            prev, last_seen = ln[1], ln[0]
            ln = next(chain, None)
            continue
        checked += 1
        expected = link(prev, ev.id, ev.originator_id, ev.originator_version, ev.topic, ev.state)
        if not hmac.compare_digest(expected, ln[1]):
            if ev.id > last_seen + 1:
                breaks.append(_gap(last_seen + 1, ev.id - 1))
            else:
                breaks.append(Break(ev.id, "altered", ALTERED))
        prev, last_seen = ln[1], ev.id
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


def _events_table(engine: Any, table: str | None = None) -> tuple[str, str]:
    """(table, id column) of the stored events, read raw; `table` names another recorder's."""
    if engine.dialect.name != "postgresql":
        return table or "stored_events", "rowid"
    if table:
        return table, "notification_id"
    # The library's PostgreSQL recorder names the table after the application ("eduledger_events").
    from infrastructure.eventstore import EventLog

    return f"{EventLog.name.lower()}_events", "notification_id"


def raw_events(
    engine: Any, after: int | None = None, until: int | None = None, page: int = 5000, events_table: str | None = None
) -> Iterator[RawEvent]:
    """Stored event rows with ids in (after, until], read with SQL (a forged row may not parse).
    Without `after`, from the very start: a row forged below the first id counts too."""
    from sqlalchemy import text

    table, id_col = _events_table(engine, events_table)
    bound = "" if until is None else f" AND {id_col} <= :until"
    last = -(2**63) if after is None else after
    while True:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    f"SELECT {id_col}, originator_id, originator_version, topic, state FROM {table} "
                    f"WHERE {id_col} > :last{bound} ORDER BY {id_col} LIMIT :n"
                ),
                {"last": last, "n": page, "until": until},
            ).all()
        if not rows:
            return
        for r in rows:
            yield RawEvent(int(r[0]), r[1], r[2], r[3], r[4])
        last = int(rows[-1][0])


def chain_links(engine: Any, page: int = 5000) -> Iterator[tuple[int, str]]:
    from sqlalchemy import text

    last = -(2**63)
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


def head(engine: Any) -> tuple[int, str]:
    """The chain's newest (position, link): (0, GENESIS) for an empty log."""
    from sqlalchemy import text

    with engine.connect() as conn:
        row = conn.execute(
            text(f"SELECT notification_id, hash FROM {CHAIN_TABLE} ORDER BY notification_id DESC LIMIT 1")
        ).first()
    return (int(row[0]), row[1]) if row else (0, GENESIS)


def link_at(engine: Any, position: int) -> str | None:
    from sqlalchemy import text

    with engine.connect() as conn:
        return conn.execute(
            text(f"SELECT hash FROM {CHAIN_TABLE} WHERE notification_id = :p"), {"p": position}
        ).scalar()


def verify_log(engine: Any, page: int = 5000, events_table: str | None = None) -> tuple[int, list[Break]]:
    """Verify every stored event row against the chain, and the log's end against the
    positions recorded elsewhere (projection tracking, stored checkpoints). `events_table`
    names another recorder's table (the library's recorder test cases use their own)."""
    checked, breaks = verify(raw_events(engine, page=page, events_table=events_table), chain_links(engine, page))
    from infrastructure.audit_checkpoints import truncation

    cut = truncation(engine, events_table)
    return checked, breaks + ([cut] if cut else [])
