"""Signed checkpoints of the audit chain, kept away from the database host (ADR 0014).

Whoever holds the chain's HMAC key and can write to the database could edit an event and
recompute every later link, or cut off the newest events: the chain alone would still verify.
A checkpoint is the chain head (position and link) plus a short SHA-256 fingerprint of every
event row since the previous checkpoint, signed with an Ed25519 key the database host does not
hold. Verifying against checkpoints therefore names, row by row, each event altered, removed or
inserted at or before a checkpoint's position, whoever holds the HMAC key; it needs only the
public key and read access, not the HMAC key.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Integer,
    String,
    Table,
    Text,
    func,
    inspect,
    select,
    text,
)

from infrastructure import audit_chain
from infrastructure.audit_chain import CHAIN_TABLE, Break, raw_events, row_bytes
from infrastructure.database import platform_tables

FORMAT = 1
DIGEST_BYTES = 8  # per row: finding a content with the same 64-bit prefix is out of reach

# The checkpoints taken, as signed (the private key never comes here): the auditor's page lists
# them, and their positions tell `verify` how far the log reached.
checkpoints_table = Table(
    "audit_checkpoints",
    platform_tables,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("position", BigInteger, nullable=False),
    Column("link", String(64), nullable=False),
    Column("taken_at", String(40), nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("line", Text, nullable=False),
)


class CheckpointError(Exception):
    """A key or checkpoint file that cannot be used; the message says which and why."""


# -- keys ---------------------------------------------------------------------------------------


def generate_key_pair(private_path: Path, public_path: Path) -> str:
    """Writes a new Ed25519 key pair (private key mode 0600); returns its key id."""
    for path in (private_path, public_path):
        if path.exists():
            raise CheckpointError(f"{path} already exists; refusing to overwrite a key")
    key = Ed25519PrivateKey.generate()
    private_path.parent.mkdir(parents=True, exist_ok=True)
    private_path.touch(mode=0o600)
    private_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    public_path.parent.mkdir(parents=True, exist_ok=True)
    public_path.write_bytes(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return key_id(key.public_key())


def _read_key(path: Path, loader: Any, kind: type, what: str) -> Any:
    try:
        data = Path(path).read_bytes()
        key = loader(data)
    except (OSError, ValueError, TypeError) as exc:
        raise CheckpointError(f"cannot read the {what} {path}: {exc}") from None
    if not isinstance(key, kind):
        raise CheckpointError(f"{path} is not an Ed25519 {what}")
    return key


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    return _read_key(path, lambda d: serialization.load_pem_private_key(d, None), Ed25519PrivateKey, "private key")


def load_public_key(path: Path) -> Ed25519PublicKey:
    return _read_key(path, serialization.load_pem_public_key, Ed25519PublicKey, "public key")


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


# -- checkpoints --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    position: int  # the chain head: the last notification id
    link: str  # its link
    time: str  # when it was taken, ISO 8601 UTC
    since: int | None  # rows with ids in (since, position] are fingerprinted; None: the whole log
    ids: list[list[int]]  # the ids present then, as runs [first, last]
    digests: str  # base64 of DIGEST_BYTES per present id, in id order
    key_id: str
    signature: str = ""
    format: int = FORMAT

    def signed_bytes(self) -> bytes:
        body = {k: v for k, v in asdict(self).items() if k != "signature"}
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()

    def line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @property
    def taken_at(self) -> datetime:
        return datetime.fromisoformat(self.time)

    def rows(self) -> dict[int, bytes]:
        """The fingerprint of each row present at checkpoint time, by notification id."""
        blob = base64.b64decode(self.digests)
        ids = [i for first, last in self.ids for i in range(first, last + 1)]
        if len(blob) != len(ids) * DIGEST_BYTES:
            raise CheckpointError(f"checkpoint at {self.position}: {len(ids)} ids but {len(blob)} digest bytes")
        return {i: blob[n * DIGEST_BYTES : (n + 1) * DIGEST_BYTES] for n, i in enumerate(ids)}


def from_line(line: str, where: str = "") -> Checkpoint:
    try:
        data = json.loads(line)
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown checkpoint format {data.get('format')!r}")
        return Checkpoint(**data)
    except (ValueError, TypeError) as exc:
        raise CheckpointError(f"not a checkpoint{where}: {exc}") from None


def read_file(path: Path) -> list[Checkpoint]:
    try:
        lines = Path(path).read_text().splitlines()
    except OSError as exc:
        raise CheckpointError(f"cannot read {path}: {exc}") from None
    return [from_line(line, f" ({path}, line {n})") for n, line in enumerate(lines, 1) if line.strip()]


def _digest(e: Any) -> bytes:
    return hashlib.sha256(row_bytes(e.id, e.originator_id, e.originator_version, e.topic, e.state)).digest()[:DIGEST_BYTES]


def _runs(ids: Iterable[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in ids:
        if runs and runs[-1][1] == i - 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return runs


def take(engine: Engine, signing_key: Ed25519PrivateKey, since: int | None, now: datetime) -> Checkpoint:
    """Signs the chain head and the fingerprints of the rows after `since` (the previous
    checkpoint's position; None: the whole log)."""
    position, link = audit_chain.head(engine)
    if since is not None and since > position:  # the log is shorter than it was: cover all of it
        since = None
    rows = list(raw_events(engine, since, position))
    unsigned = Checkpoint(
        position=position, link=link, time=now.isoformat(), since=since,
        ids=_runs(e.id for e in rows),
        digests=base64.b64encode(b"".join(_digest(e) for e in rows)).decode(),
        key_id=key_id(signing_key.public_key()),
    )
    signature = base64.b64encode(signing_key.sign(unsigned.signed_bytes())).decode()
    return Checkpoint(**{**asdict(unsigned), "signature": signature})


def signature_valid(cp: Checkpoint, public_key: Ed25519PublicKey) -> bool:
    if cp.key_id != key_id(public_key):
        return False
    try:
        public_key.verify(base64.b64decode(cp.signature), cp.signed_bytes())
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def record(engine: Engine, cp: Checkpoint) -> None:
    platform_tables.create_all(engine, tables=[checkpoints_table])
    with engine.begin() as conn:
        conn.execute(
            checkpoints_table.insert().values(
                position=cp.position, link=cp.link, taken_at=cp.time, key_id=cp.key_id, line=cp.line()
            )
        )


def stored(engine: Engine, limit: int | None = None) -> list[Checkpoint]:
    """The recorded checkpoints, newest first."""
    if not inspect(engine).has_table(checkpoints_table.name):
        return []
    query = select(checkpoints_table.c.line).order_by(checkpoints_table.c.id.desc())
    with engine.connect() as conn:
        lines = conn.execute(query.limit(limit) if limit else query).scalars().all()
    found = []
    for line in lines:
        try:
            found.append(from_line(line))
        except CheckpointError:
            continue  # a copy garbled in the database proves nothing; the kept file is the evidence
    return found


# -- verification -------------------------------------------------------------------------------

FORGED = "检查点签名无效：检查点被改动，或不是用此公钥对应的私钥签发的"
GONE = "检查点时存在的事件已不存在（被删除或末尾被截断）"
ADDED = "检查点时不存在的事件（事后插入）"
CHANGED = "事件内容与签名检查点记录的指纹不符（被修改，即使链接已用密钥重算）"
RELINKED = "该位置的链接与签名检查点不符（链被改写）"


def _against(engine: Engine, cp: Checkpoint) -> Iterator[Break]:
    then = cp.rows()
    now = {e.id: _digest(e) for e in raw_events(engine, cp.since, cp.position)}
    for nid in sorted(then.keys() | now.keys()):
        if nid not in now:
            yield Break(nid, "removed", GONE)
        elif nid not in then:
            yield Break(nid, "inserted", ADDED)
        elif now[nid] != then[nid]:
            yield Break(nid, "altered", CHANGED)


def check(engine: Engine, cps: Iterable[Checkpoint], public_key: Ed25519PublicKey) -> list[Break]:
    """Every row that differs from what a checkpoint signed, named by its notification id."""
    breaks: dict[tuple[int, str], Break] = {}
    explained = False  # a row change before a checkpoint also changes the link at its position
    for cp in sorted(cps, key=lambda c: c.position):
        if not signature_valid(cp, public_key):
            breaks.setdefault((cp.position, "checkpoint"), Break(cp.position, "checkpoint", FORGED))
            continue
        for b in _against(engine, cp):
            breaks.setdefault((b.notification_id, b.kind), b)
            explained = True
        if audit_chain.link_at(engine, cp.position) not in (cp.link, None) and not explained:
            breaks.setdefault((cp.position, "altered"), Break(cp.position, "altered", RELINKED))
    return sorted(breaks.values(), key=lambda b: (b.notification_id, b.kind))


def truncation(engine: Engine, events_table: str | None = None) -> Break | None:
    """The newest events cut off together with their links leave an intact but shorter chain:
    the positions the projections have read and the checkpoints recorded still remember how far
    the log reached. (Someone who can delete events could edit these too; the signed checkpoint
    files kept elsewhere are what proves a truncation.)"""
    events_table, id_col = audit_chain._events_table(engine, events_table)
    tables = set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        end = max(
            conn.execute(text(f"SELECT MAX({id_col}) FROM {events_table}")).scalar() or 0,
            conn.execute(text(f"SELECT MAX(notification_id) FROM {CHAIN_TABLE}")).scalar() or 0,
        )
        reached = 0
        if "projection_tracking" in tables:
            reached = conn.execute(text("SELECT MAX(position) FROM projection_tracking")).scalar() or 0
        if checkpoints_table.name in tables:
            reached = max(reached, conn.execute(select(func.max(checkpoints_table.c.position))).scalar() or 0)
    if reached <= end:
        return None
    return Break(
        end + 1, "removed", f"日志末尾被截断：日志曾到达位置 {reached}（投影进度或检查点记录），现只到 {end}", reached
    )


def _merge(walk: list[Break], exact: list[Break], covered: list[tuple[int, int]]) -> list[Break]:
    """The walk's breaks and the checkpoints' row-exact ones, each row named once. Inside what a
    checkpoint covers, its exact ids replace what the walk inferred from a gap (on PostgreSQL a
    gap may hold ids no event ever had, or be a rollback gap before an altered row)."""
    out = [
        b for b in walk
        if b.last_id is None
        or not any((since is None or since < b.notification_id) and b.last_id <= pos for since, pos in covered)
    ]
    for b in exact:
        if not any(
            w.kind == b.kind and w.notification_id <= b.notification_id <= (w.last_id or w.notification_id)
            for w in out
        ):
            out.append(b)
    return sorted(out, key=lambda b: (b.notification_id, b.kind))


def verify_all(
    engine: Engine, public_key: Ed25519PublicKey | None, given: Iterable[Checkpoint] = ()
) -> tuple[int, list[Break]]:
    """The chain walk, the log's end, and every checkpoint given plus those recorded in the
    database (the latter only prove anything while their signatures verify, hence the key)."""
    checked, walk = audit_chain.verify_log(engine)
    cps = list(given)
    if public_key is None:
        if cps:
            raise CheckpointError("verifying checkpoints needs the public key (EDULEDGER_CHECKPOINT_PUBLIC_KEY)")
        return checked, walk
    # Recorded checkpoints of another signing key (before a key change) prove nothing either way.
    mine = key_id(public_key)
    cps = list({cp.signature: cp for cp in [*cps, *(c for c in stored(engine) if c.key_id == mine)]}.values())
    covered = [(cp.since, cp.position) for cp in cps if signature_valid(cp, public_key)]
    return checked, _merge(walk, check(engine, cps, public_key), covered)
