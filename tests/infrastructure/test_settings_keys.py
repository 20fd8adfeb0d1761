"""Keys live outside the data directory: the embedded default generates them into the config
directory and says where, keys from older releases move out of `var/`, key files are read for
systemd credentials, and PostgreSQL refuses to start without explicit keys."""

from __future__ import annotations

import stat

import pytest

from infrastructure.settings import ConfigurationError, load_settings
from interfaces.cli import main

KEY_VARIABLES = ("EDULEDGER_SECRET_KEY", "EDULEDGER_AUDIT_KEY", "EDULEDGER_SECRET_KEY_FILE", "EDULEDGER_AUDIT_KEY_FILE")


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    for name in (*KEY_VARIABLES, "EDULEDGER_DATABASE_URL", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    var, config = tmp_path / "var", tmp_path / "config"
    monkeypatch.setenv("EDULEDGER_VAR_DIR", str(var))
    monkeypatch.setenv("EDULEDGER_CONFIG_DIR", str(config))
    return var, config


def test_the_embedded_default_generates_keys_outside_the_data_directory_and_says_where(dirs, capsys):
    var, config = dirs
    settings = load_settings()
    told = capsys.readouterr().err
    assert settings.key_dir is not None and settings.key_dir.is_relative_to(config)
    for name, value in (("secret_key", settings.secret_key), ("audit_key", settings.audit_key)):
        path = settings.key_dir / name
        assert path.read_text() == value and len(value) == 64
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert str(path) in told
    assert not list(var.glob(".*key*"))  # nothing beside the SQLite file
    assert str(var / "eduledger.sqlite3") in (settings.key_dir / "database").read_text()

    again = load_settings()
    assert (again.secret_key, again.audit_key) == (settings.secret_key, settings.audit_key)
    assert capsys.readouterr().err == ""  # said once, when generated


def test_without_a_config_directory_keys_go_under_xdg_config_home(dirs, tmp_path, monkeypatch):
    monkeypatch.delenv("EDULEDGER_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert load_settings().key_dir.is_relative_to(tmp_path / "xdg" / "eduledger")


def test_keys_an_older_release_kept_in_var_are_moved_out_unchanged(dirs, capsys):
    var, _ = dirs
    var.mkdir()
    (var / ".audit_key").write_text("the-old-audit-key\n")
    (var / ".secret_key").write_text("the-old-secret-key")
    settings = load_settings()
    assert (settings.audit_key, settings.secret_key) == ("the-old-audit-key", "the-old-secret-key")
    assert not (var / ".audit_key").exists() and not (var / ".secret_key").exists()
    assert "moved" in capsys.readouterr().err

    (var / ".audit_key").write_text("a-different-key")  # an old copy comes back, and disagrees
    with pytest.raises(ConfigurationError, match="two different keys"):
        load_settings()


def test_a_config_directory_inside_the_data_directory_is_refused(dirs, monkeypatch):
    var, _ = dirs
    monkeypatch.setenv("EDULEDGER_CONFIG_DIR", str(var / "keys"))
    with pytest.raises(ConfigurationError, match="inside the data directory"):
        load_settings()


def test_keys_can_be_given_as_files(dirs, tmp_path, monkeypatch):
    (tmp_path / "audit").write_text("audit-from-file\n")
    (tmp_path / "secret").write_text("secret-from-file")
    monkeypatch.setenv("EDULEDGER_AUDIT_KEY_FILE", str(tmp_path / "audit"))
    monkeypatch.setenv("EDULEDGER_SECRET_KEY_FILE", str(tmp_path / "secret"))
    settings = load_settings()
    assert (settings.audit_key, settings.secret_key, settings.key_dir) == ("audit-from-file", "secret-from-file", None)

    monkeypatch.setenv("EDULEDGER_AUDIT_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ConfigurationError, match="EDULEDGER_AUDIT_KEY_FILE"):
        load_settings()


def test_postgres_refuses_to_start_without_explicit_keys(dirs, monkeypatch, capsys):
    _, config = dirs
    monkeypatch.setenv("EDULEDGER_DATABASE_URL", "postgresql://app@db.example:5432/eduledger")
    with pytest.raises(ConfigurationError) as refused:
        load_settings()
    assert "EDULEDGER_SECRET_KEY" in str(refused.value) and "EDULEDGER_AUDIT_KEY" in str(refused.value)

    monkeypatch.setenv("EDULEDGER_SECRET_KEY", "given")
    with pytest.raises(ConfigurationError) as refused:
        load_settings()
    assert "EDULEDGER_AUDIT_KEY" in str(refused.value) and "EDULEDGER_SECRET_KEY " not in str(refused.value)
    assert not config.exists()  # nothing generated

    for command in (["serve"], ["worker"], ["audit", "verify"]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert "refusing to start on PostgreSQL" in err and "EDULEDGER_AUDIT_KEY" in err

    monkeypatch.setenv("EDULEDGER_AUDIT_KEY", "given too")
    assert load_settings().audit_key == "given too"
