"""`eduledger housekeeping`: what expired goes, what is still in use stays."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

from infrastructure.housekeeping import housekeeping
from infrastructure.jobs import job_outputs
from infrastructure.sessions import login_failures, sessions
from infrastructure.training_login import sms_codes
from interfaces.cli import main


def count(container, table) -> int:
    with container.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def seed(container) -> str:
    """Two of each kind: one that expired, one still in use. Returns a live session token.
    Times are relative to the moment the test runs (a module-level "now" goes stale when a
    loaded machine reaches the test minutes after importing it)."""
    now = datetime.now(UTC)
    live, _ = container.sessions.open(uuid.uuid4(), "api")
    with container.engine.begin() as conn:
        conn.execute(insert(sessions), [
            {"token_hash": "a" * 64, "account_id": uuid.uuid4(), "kind": "api",
             "created_at": now - timedelta(hours=3), "expires_at": now - timedelta(hours=1)},  # idle too long
            {"token_hash": "b" * 64, "account_id": uuid.uuid4(), "kind": "admin",
             "created_at": now - timedelta(hours=13), "expires_at": now + timedelta(minutes=5)},  # past 12 hours
        ])
        conn.execute(insert(login_failures), [
            {"key": "user:old", "failed_at": now - timedelta(hours=1)},
            {"key": "user:recent", "failed_at": now - timedelta(minutes=1)},
        ])
        code = {"mobile_digest": "m" * 64, "address_digest": "a" * 64, "code_digest": "c" * 64, "failures": 0, "used": False}
        conn.execute(insert(sms_codes), [
            {**code, "sent_at": now - timedelta(hours=2), "expires_at": now - timedelta(hours=2) + timedelta(minutes=5)},
            # expired, but still counts towards this hour's send limit
            {**code, "sent_at": now - timedelta(minutes=20), "expires_at": now - timedelta(minutes=15)},
            {**code, "sent_at": now - timedelta(minutes=1), "expires_at": now + timedelta(minutes=4)},
        ])
        conn.execute(insert(job_outputs), [
            {"job_id": uuid.uuid4(), "content_type": "application/zip", "size": 3, "data": b"old",
             "stored_at": now - timedelta(days=8)},
            {"job_id": uuid.uuid4(), "content_type": "application/zip", "size": 3, "data": b"new",
             "stored_at": now - timedelta(days=1)},
        ])
    return live


def test_housekeeping_deletes_what_expired_and_keeps_what_is_in_use(container):
    live = seed(container)
    counts = housekeeping(container.engine, timedelta(days=7))
    assert counts == {"sessions": 2, "login_failures": 1, "sms_codes": 1, "export_files": 1}
    assert container.sessions.resolve(live, "api") is not None  # a signed-in user stays signed in
    assert (count(container, sessions), count(container, login_failures)) == (1, 1)
    assert count(container, sms_codes) == 2 and count(container, job_outputs) == 1
    with container.engine.connect() as conn:
        assert conn.execute(select(job_outputs.c.data)).scalar_one() == b"new"
    # A second run finds nothing more; a failure still inside the throttle's window is kept.
    assert set(housekeeping(container.engine, timedelta(days=7)).values()) == {0}
    with container.engine.connect() as conn:
        assert conn.execute(select(login_failures.c.key)).scalars().all() == ["user:recent"]


def test_the_command_prints_the_counts_and_takes_a_shorter_retention(container, settings, monkeypatch, capsys):
    seed(container)
    monkeypatch.setenv("EDULEDGER_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("EDULEDGER_VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("EDULEDGER_SECRET_KEY", settings.secret_key)  # PostgreSQL: keys are given
    monkeypatch.setenv("EDULEDGER_AUDIT_KEY", settings.audit_key)
    assert main(["housekeeping", "--export-days", "0.5", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"sessions": 2, "login_failures": 1, "sms_codes": 1, "export_files": 2}
    assert main(["housekeeping"]) == 0
    assert capsys.readouterr().out.strip() == "deleted 0 sessions, 0 login failures, 0 sms codes, 0 export files"
