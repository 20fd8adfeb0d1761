"""Login sessions and login throttling, kept in the platform's own tables.

Only a hash of each session token is stored. A session expires after the configured minutes of
inactivity and absolutely after 12 hours.

Failed logins are counted within a 15-minute window under three keys (ADR 0018): one client
address guessing one account is stopped after 5; one account is locked from every address after
10 (a guesser spread over many addresses); one address is stopped after 100 failures across
accounts, high enough that a campus behind one NAT address is not locked by one attacker trying
many accounts. Keys are stored as digests: the table holds no usernames or addresses.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, Engine, Integer, String, Table, Uuid, delete, func, insert, select, update

from application.common.instant import Instant
from infrastructure.database import platform_tables

sessions = Table(
    "auth_sessions",
    platform_tables,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", Uuid, nullable=False, index=True),
    Column("kind", String(10), nullable=False),  # "api" (bearer) or "admin" (cookie)
    Column("created_at", Instant(), nullable=False),
    Column("expires_at", Instant(), nullable=False),
)

login_failures = Table(
    "auth_login_failures",
    platform_tables,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(100), nullable=False, index=True),
    Column("failed_at", Instant(), nullable=False),
)

PAIR_LIMIT = 5  # one address, one account
ACCOUNT_LIMIT = 10  # one account, any address
ADDRESS_LIMIT = 100  # one address, any account
WINDOW = timedelta(minutes=15)
ABSOLUTE = timedelta(hours=12)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionStore:
    def __init__(self, engine: Engine, idle_minutes: int) -> None:
        self.engine = engine
        self.idle = timedelta(minutes=idle_minutes)

    def open(self, account_id: uuid.UUID, kind: str) -> tuple[str, datetime]:
        token = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        expires = now + self.idle
        with self.engine.begin() as conn:
            conn.execute(
                insert(sessions).values(
                    token_hash=_hash(token), account_id=account_id, kind=kind, created_at=now, expires_at=expires
                )
            )
        return token, expires

    def resolve(self, token: str | None, kind: str) -> uuid.UUID | None:
        """The account behind a live session; each use slides the idle expiry forward."""
        if not token:
            return None
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            row = conn.execute(
                select(sessions).where(sessions.c.token_hash == _hash(token), sessions.c.kind == kind)
            ).mappings().first()
            if row is None:
                return None
            if row["expires_at"] <= now or row["created_at"] + ABSOLUTE <= now:
                conn.execute(delete(sessions).where(sessions.c.token_hash == row["token_hash"]))
                return None
            conn.execute(
                update(sessions).where(sessions.c.token_hash == row["token_hash"]).values(expires_at=now + self.idle)
            )
            return row["account_id"]

    def close(self, token: str | None) -> None:
        if token:
            with self.engine.begin() as conn:
                conn.execute(delete(sessions).where(sessions.c.token_hash == _hash(token)))

    def close_all_for(self, account_id: uuid.UUID) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.account_id == account_id))


class LoginThrottle:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @staticmethod
    def _limits(username: str, address: str) -> dict[str, int]:
        name = (username or "").strip().lower()
        keys = {f"pair:{address}|{name}": PAIR_LIMIT, f"user:{name}": ACCOUNT_LIMIT, f"addr:{address}": ADDRESS_LIMIT}
        return {hashlib.sha256(k.encode()).hexdigest(): limit for k, limit in keys.items()}

    def locked(self, username: str, address: str) -> bool:
        limits = self._limits(username, address)
        since = datetime.now(UTC) - WINDOW
        with self.engine.connect() as conn:
            counts = conn.execute(
                select(login_failures.c.key, func.count())
                .where(login_failures.c.key.in_(list(limits)), login_failures.c.failed_at > since)
                .group_by(login_failures.c.key)
            ).tuples()
            return any(count >= limits[key] for key, count in counts)

    def failed(self, username: str, address: str) -> None:
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            conn.execute(insert(login_failures), [{"key": k, "failed_at": now} for k in self._limits(username, address)])
            conn.execute(delete(login_failures).where(login_failures.c.failed_at < now - WINDOW))

    def succeeded(self, username: str, address: str) -> None:
        """The account's own counts start again; the address's does not (one known password
        must not wipe an address's record of guessing other accounts)."""
        pair, account, _ = self._limits(username, address)
        with self.engine.begin() as conn:
            conn.execute(delete(login_failures).where(login_failures.c.key.in_([pair, account])))
