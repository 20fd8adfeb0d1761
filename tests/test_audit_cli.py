"""`eduledger audit keygen | checkpoint | verify --checkpoints` end to end, on the test database:
the checkpoint file kept elsewhere catches a rewrite that `audit verify` alone cannot see."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from interfaces.cli import main
from tests.application.test_audit_checkpoints import delete_events, found, ids_of, relink, table_of


@pytest.fixture
def cli_env(world, database_url, tmp_path, monkeypatch):
    """The CLI configured like the `world` container (same database and keys)."""
    for name in ("EDULEDGER_CHECKPOINT_SIGNING_KEY", "EDULEDGER_CHECKPOINT_PUBLIC_KEY", "EDULEDGER_AUDIT_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EDULEDGER_DATABASE_URL", database_url)
    monkeypatch.setenv("EDULEDGER_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("EDULEDGER_CONFIG_DIR", str(tmp_path / "operator"))
    monkeypatch.setenv("EDULEDGER_SECRET_KEY", "test-secret-key")
    monkeypatch.setenv("EDULEDGER_AUDIT_KEY", "test-audit-key")
    return tmp_path


def test_a_checkpoint_file_catches_what_verify_alone_cannot(world, cli_env, capsys, monkeypatch):
    engine = world.container.engine
    assert main(["audit", "checkpoint"]) == 2  # no signing key yet
    assert "audit keygen" in capsys.readouterr().err

    private, public = cli_env / "operator" / "signing.pem", cli_env / "public.pem"
    assert main(["audit", "keygen", "--private", str(private), "--public", str(public)]) == 0
    assert str(private) in capsys.readouterr().out
    assert main(["audit", "keygen", "--private", str(private), "--public", str(public)]) == 2  # never overwritten
    capsys.readouterr()

    kept = cli_env / "elsewhere" / "checkpoints.jsonl"
    kept.parent.mkdir()
    assert main(["audit", "checkpoint", "--signing-key", str(private), "--out", str(kept)]) == 0
    line = json.loads(kept.read_text())
    assert line["position"] == ids_of(engine)[-1] and len(line["link"]) == 64 and line["signature"]
    assert f"position {line['position']}" in capsys.readouterr().err
    # To stdout as well, signed with the key named in the environment.
    monkeypatch.setenv("EDULEDGER_CHECKPOINT_SIGNING_KEY", str(private))
    assert main(["audit", "checkpoint"]) == 0
    assert json.loads(capsys.readouterr().out)["position"] == line["position"]

    # An intruder with the HMAC key rewrites an event, relinks the chain and drops the recorded checkpoints.
    target = ids_of(engine)[4]
    table, id_col = table_of(engine)
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE {table} SET originator_version = originator_version + 100 WHERE {id_col} = :i"), {"i": target})
        conn.execute(text("DELETE FROM audit_checkpoints"))
    relink(engine)

    assert main(["audit", "verify"]) == 0
    assert "chain intact" in capsys.readouterr().out
    assert main(["audit", "verify", "--checkpoints", str(kept)]) == 2  # no public key given
    assert "public key" in capsys.readouterr().err
    assert main(["audit", "verify", "--checkpoints", str(kept), "--public-key", str(public)]) == 1
    out = capsys.readouterr().out
    assert f"BROKEN notification {target}: altered" in out

    monkeypatch.setenv("EDULEDGER_CHECKPOINT_PUBLIC_KEY", str(public))
    assert main(["audit", "verify", "--json", "--checkpoints", str(kept)]) == 1
    assert found(_breaks(capsys.readouterr().out)) == [(target, "altered")]
    assert main(["audit", "checkpoint", "--out", str(kept)]) == 1  # never signed over
    assert f"BROKEN notification {target}: altered" in capsys.readouterr().err
    assert len(kept.read_text().splitlines()) == 1


def test_checkpoint_refuses_to_sign_a_broken_chain_and_verify_names_a_cut_off_tail(world, cli_env, capsys, monkeypatch):
    engine = world.container.engine
    assert main(["audit", "keygen"]) == 0  # into the config directory, found there by default
    assert (cli_env / "operator" / "checkpoint_signing.pem").exists()
    kept = cli_env / "checkpoints.jsonl"
    assert main(["audit", "checkpoint", "--out", str(kept)]) == 0
    capsys.readouterr()

    tail = ids_of(engine)[-2:]
    delete_events(engine, tail, links_too=True)
    with engine.begin() as conn:
        conn.execute(text("UPDATE projection_tracking SET position = :e WHERE position > :e"), {"e": tail[0] - 1})
        conn.execute(text("DELETE FROM audit_checkpoints"))
    assert main(["audit", "verify", "--json", "--checkpoints", str(kept)]) == 1
    assert found(_breaks(capsys.readouterr().out)) == [(n, "removed") for n in tail]

    middle = ids_of(engine)[3]
    delete_events(engine, [middle], links_too=False)
    assert main(["audit", "checkpoint", "--out", str(kept)]) == 1
    assert f"BROKEN notification {middle}: removed" in capsys.readouterr().err
    assert len(kept.read_text().splitlines()) == 1


def _breaks(out: str) -> list:
    from infrastructure.audit_chain import Break

    return [Break(**b) for b in json.loads(out)["breaks"]]
