"""deploy/backup.sh and deploy/restore.sh on a database with data: the restored copy has the
same events, and `audit verify` with the same audit key finds the chain intact (with another
key it does not: the key is part of the backup, kept outside the database).

Part of the PostgreSQL run, where it fails if the server cannot be reached; the SQLite run
(one file, copied while the platform is stopped) leaves it out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

pytestmark = pytest.mark.database("postgres")  # pg_dump and pg_restore

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)


def events(url: str) -> list[tuple[int, str]]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT notification_id, topic FROM eduledger_events ORDER BY 1").fetchall()


def kit_env(settings, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The scripts' environment, with `eduledger` being this checkout's CLI."""
    eduledger = tmp_path / "eduledger"
    eduledger.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m interfaces.cli "$@"\n')
    eduledger.chmod(0o755)
    return {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "EDULEDGER_DATABASE_URL": settings.database_url,
        "EDULEDGER_VAR_DIR": str(tmp_path / "var"),
        "EDULEDGER_SECRET_KEY": settings.secret_key,
        "EDULEDGER_BIN": str(eduledger),
        **extra,
    }


@pytest.fixture
def restored_url(database_url: str) -> str:
    base, name = database_url.rsplit("/", 1)
    target = f"{name}_restored"
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{target}"')
    yield f"{base}/{target}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')


def test_a_restored_backup_has_every_event_and_its_chain_verifies_with_the_same_key(
    container, world, login, settings, restored_url, tmp_path
):
    login("xuanwu")  # a session in a platform table too
    source = settings.database_url
    env = kit_env(settings, tmp_path)
    eduledger = env["EDULEDGER_BIN"]

    backup = run([str(ROOT / "deploy" / "backup.sh"), str(tmp_path / "dumps")], env)
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip())
    assert dump.is_file() and Path(f"{dump}.sha256").is_file()

    # Without the audit key the restore says what to do next and does not claim success.
    keyless = run([str(ROOT / "deploy" / "restore.sh"), str(dump), restored_url], env)
    assert keyless.returncode == 3 and "EDULEDGER_AUDIT_KEY" in keyless.stderr
    assert events(restored_url) == events(source) and len(events(source)) > 10

    # Into a database that is not empty: refused.
    again = run([str(ROOT / "deploy" / "restore.sh"), str(dump), restored_url], env)
    assert again.returncode == 2 and "empty" in again.stderr

    verify = run([eduledger, "audit", "verify"], {**env, "EDULEDGER_DATABASE_URL": restored_url,
                                                       "EDULEDGER_AUDIT_KEY": settings.audit_key})
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert f"checked {len(events(source))} events: chain intact" in verify.stdout

    forged = run([eduledger, "audit", "verify"], {**env, "EDULEDGER_DATABASE_URL": restored_url,
                                                       "EDULEDGER_AUDIT_KEY": "another-key"})
    assert forged.returncode == 1 and "chain intact" not in forged.stdout


def test_restore_verifies_the_chain_itself_when_given_the_key(container, world, settings, restored_url, tmp_path):
    env = kit_env(settings, tmp_path, EDULEDGER_AUDIT_KEY=settings.audit_key)
    dump = run([str(ROOT / "deploy" / "backup.sh"), str(tmp_path / "dumps")], env).stdout.strip()
    restore = run([str(ROOT / "deploy" / "restore.sh"), dump, restored_url], env)
    assert restore.returncode == 0, restore.stderr
    assert "chain intact" in restore.stdout
