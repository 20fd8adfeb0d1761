"""Login sessions and login throttling, kept in the platform's own tables.

Only a hash of each session token is stored. A session expires after the configured minutes of
inactivity and absolutely after 12 hours. Five failed logins for one username or one client
address within 15 minutes lock further attempts for that key until the window passes.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, DateTime, Engine, Integer, String, Table, Uuid, delete, func, insert, select, update

from infrastructure.database import platform_tables

sessions = Table(
    "auth_sessions",
    platform_tables,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", Uuid, nullable=False, index=True),
    Column("kind", String(10), nullable=False),  # "api" (bearer) or "admin" (cookie)
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

login_failures = Table(
    "auth_login_failures",
    platform_tables,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(100), nullable=False, index=True),
    Column("failed_at", DateTime(timezone=True), nullable=False),
)

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
ABSOLUTE = timedelta(hours=12)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


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
            if _aware(row["expires_at"]) <= now or _aware(row["created_at"]) + ABSOLUTE <= now:
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

    def locked(self, *keys: str) -> bool:
        since = datetime.now(UTC) - WINDOW
        with self.engine.connect() as conn:
            for key in keys:
                count = conn.execute(
                    select(func.count()).where(login_failures.c.key == key, login_failures.c.failed_at > since)
                ).scalar_one()
                if count >= MAX_FAILURES:
                    return True
        return False

    def failed(self, *keys: str) -> None:
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            conn.execute(insert(login_failures), [{"key": k, "failed_at": now} for k in keys])
            conn.execute(delete(login_failures).where(login_failures.c.failed_at < now - WINDOW))

    def succeeded(self, username_key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(login_failures).where(login_failures.c.key == username_key))
