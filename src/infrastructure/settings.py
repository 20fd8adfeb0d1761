"""Settings from environment variables; the embedded default needs none of them."""

from __future__ import annotations

import hashlib
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _var_dir() -> Path:
    path = Path(os.environ.get("EDULEDGER_VAR_DIR", PROJECT_ROOT / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


class ConfigurationError(ValueError):
    """Settings the platform must not start with; the message says what to set."""


def config_dir() -> Path:
    """Where the embedded default keeps generated keys: never inside the data directory."""
    explicit = os.environ.get("EDULEDGER_CONFIG_DIR")
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "eduledger"


def _given_key(env_key: str) -> str | None:
    """A key set in the environment, or in a file named by `<env_key>_FILE` (systemd credentials)."""
    value = os.environ.get(env_key)
    if value:
        return value
    file = os.environ.get(f"{env_key}_FILE")
    if not file:
        return None
    try:
        value = Path(file).read_text().strip()
    except OSError as exc:
        raise ConfigurationError(f"{env_key}_FILE={file}: cannot read it ({exc.strerror})") from None
    if not value:
        raise ConfigurationError(f"{env_key}_FILE={file} is empty")
    return value


def _say(message: str) -> None:
    print(f"eduledger: {message}", file=sys.stderr, flush=True)


def _generated_key(name: str, key_dir: Path, var_dir: Path) -> str:
    """The embedded default's key, generated once into `key_dir`; a key an older release kept
    in the data directory is moved there first, so existing data still verifies."""
    path = key_dir / name
    old = var_dir / f".{name}"
    if old.exists():
        value = old.read_text().strip()
        if path.exists() and path.read_text().strip() != value:
            raise ConfigurationError(
                f"two different keys for one database: {old} (older release) and {path}; "
                f"keep the one the data was written with in {path} and delete the other"
            )
        _write_key(path, value)
        old.unlink()
        _say(f"moved {old} out of the data directory to {path}")
    if not path.exists():
        _write_key(path, secrets.token_hex(32))
        _say(f"generated {name.replace('_', ' ')} into {path} (set EDULEDGER_{name.upper()}_FILE to use another)")
    return path.read_text().strip()


def _write_key(path: Path, value: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(value)


def _keys(database_url: str, var_dir: Path) -> tuple[str, str, Path | None]:
    """(secret key, audit key, where generated keys live). PostgreSQL needs both keys given."""
    given = {name: _given_key(f"EDULEDGER_{name.upper()}") for name in ("secret_key", "audit_key")}
    missing = [f"EDULEDGER_{n.upper()} (or EDULEDGER_{n.upper()}_FILE)" for n, v in given.items() if not v]
    if not missing:
        return given["secret_key"], given["audit_key"], None  # type: ignore[return-value]
    if not database_url.startswith("sqlite:///"):
        raise ConfigurationError(
            "refusing to start on PostgreSQL without explicit keys: set " + " and ".join(missing)
            + ", the same on every process, from a secret store outside the data directory"
        )
    database = Path(database_url.split("sqlite:///", 1)[1]).resolve()
    key_dir = config_dir() / "keys" / hashlib.sha256(str(database).encode()).hexdigest()[:12]
    for data_dir in {database.parent, var_dir.resolve()}:
        if key_dir.resolve().is_relative_to(data_dir):
            raise ConfigurationError(
                f"the key directory {key_dir} is inside the data directory {data_dir}: "
                "set EDULEDGER_CONFIG_DIR elsewhere"
            )
    if not (key_dir / "database").exists():
        key_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        (key_dir / "database").write_text(f"{database}\n")  # which database these keys belong to
    values = [given[n] or _generated_key(n, key_dir, var_dir) for n in ("secret_key", "audit_key")]
    return values[0], values[1], key_dir


def _public_key_path() -> Path | None:
    """The checkpoint verification key: EDULEDGER_CHECKPOINT_PUBLIC_KEY, or the one
    `eduledger audit keygen` wrote into the config directory."""
    explicit = os.environ.get("EDULEDGER_CHECKPOINT_PUBLIC_KEY")
    if explicit:
        return Path(explicit)
    default = config_dir() / "checkpoint_public.pem"
    return default if default.exists() else None


@dataclass(frozen=True)
class Settings:
    database_url: str
    projections: str  # "inline": after each save, in-process; "worker": a separate process
    broker_url: str | None  # redis://… or amqp://…; None: in-process jobs
    secret_key: str
    audit_key: str
    cookie_secure: bool
    session_minutes: int
    school_code: str
    school_name: str
    student_number_pattern: str
    log_level: str
    var_dir: Path
    # Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR ranges); none by default.
    trusted_proxies: tuple[str, ...] = ()
    key_dir: Path | None = None  # where the embedded default generated its keys; None: keys given
    checkpoint_public_key: Path | None = None  # verifies signed audit checkpoints (ADR 0014)
    # A running job renews its lease by a heartbeat; every process that runs jobs sweeps for
    # leases that ran out (a killed process) this often and resumes those jobs.
    job_lease_seconds: float = 30.0
    job_sweep_seconds: float = 15.0
    # /readyz fails when a read model is this many events behind (projections in a worker).
    ready_max_lag: int = 1000
    # When set, /metrics answers only with `Authorization: Bearer <token>`.
    metrics_token: str | None = None
    # `eduledger housekeeping` deletes the files of photo exports kept longer than this.
    export_retention_days: float = 7.0
    # Worker mode: how long a read after a write waits for the read models to reach that write.
    read_wait_seconds: float = 5.0
    # The largest training chapter video an administrator may upload.
    training_video_max_mb: int = 200

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql", "postgres"))

    @property
    def sqlalchemy_url(self) -> str:
        if self.is_postgres:
            rest = self.database_url.split("://", 1)[1]
            return f"postgresql+psycopg://{rest}"
        return self.database_url

    def eventsourcing_env(self) -> dict[str, str]:
        if self.is_postgres:
            u = urlparse(self.database_url)
            env = {
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_DBNAME": u.path.lstrip("/"),
                "POSTGRES_HOST": u.hostname or "127.0.0.1",
                "POSTGRES_PORT": str(u.port or 5432),
                "POSTGRES_USER": unquote(u.username or "postgres"),
                "POSTGRES_PASSWORD": unquote(u.password or ""),
                "POSTGRES_LOCK_TIMEOUT": "5",
                "POSTGRES_POOL_SIZE": "5",
                "POSTGRES_MAX_OVERFLOW": "10",
                "APPLICATION_RECORDER_TOPIC": "infrastructure.eventstore:ChainedPostgresRecorder",
            }
        else:
            env = {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": self.sqlite_path,
                "SQLITE_LOCK_TIMEOUT": "30",
                "APPLICATION_RECORDER_TOPIC": "infrastructure.eventstore:ChainedSQLiteRecorder",
            }
        return env

    @property
    def sqlite_path(self) -> str:
        return self.database_url.split("sqlite:///", 1)[1]


def load_settings(**overrides: object) -> Settings:
    var_dir = Path(overrides["var_dir"]) if "var_dir" in overrides else _var_dir()  # type: ignore[arg-type]
    database_url = str(
        overrides.get("database_url")
        or os.environ.get("EDULEDGER_DATABASE_URL", f"sqlite:///{var_dir / 'eduledger.sqlite3'}")
    )
    values: dict[str, object] = {
        "database_url": database_url,
        "projections": os.environ.get("EDULEDGER_PROJECTIONS", "inline"),
        "broker_url": os.environ.get("EDULEDGER_BROKER_URL") or None,
        "cookie_secure": os.environ.get("EDULEDGER_COOKIE_SECURE", "1") not in ("0", "false", "no"),
        "session_minutes": int(os.environ.get("EDULEDGER_SESSION_MINUTES", "120")),
        "school_code": os.environ.get("EDULEDGER_SCHOOL_CODE", "32"),
        "school_name": os.environ.get("EDULEDGER_SCHOOL_NAME", "江苏开放大学"),
        "student_number_pattern": os.environ.get(
            "EDULEDGER_STUDENT_NUMBER_PATTERN", "{year2}{school}{teaching_point}{seq:05d}"
        ),
        "log_level": os.environ.get("EDULEDGER_LOG_LEVEL", "INFO"),
        "var_dir": var_dir,
        "trusted_proxies": tuple(
            p.strip() for p in os.environ.get("EDULEDGER_TRUSTED_PROXIES", "").split(",") if p.strip()
        ),
        "checkpoint_public_key": _public_key_path(),
        "job_lease_seconds": float(os.environ.get("EDULEDGER_JOB_LEASE_SECONDS", "30")),
        "job_sweep_seconds": float(os.environ.get("EDULEDGER_JOB_SWEEP_SECONDS", "15")),
        "ready_max_lag": int(os.environ.get("EDULEDGER_READY_MAX_LAG", "1000")),
        "metrics_token": os.environ.get("EDULEDGER_METRICS_TOKEN") or None,
        "export_retention_days": float(os.environ.get("EDULEDGER_EXPORT_RETENTION_DAYS", "7")),
        "training_video_max_mb": int(os.environ.get("EDULEDGER_TRAINING_VIDEO_MAX_MB", "200")),
    }
    if not ("secret_key" in overrides and "audit_key" in overrides):
        values["secret_key"], values["audit_key"], values["key_dir"] = _keys(database_url, var_dir)
    values["read_wait_seconds"] = float(os.environ.get("EDULEDGER_READ_WAIT_SECONDS", "5"))
    values.update(overrides)
    if values["projections"] not in ("inline", "worker"):
        raise ValueError("EDULEDGER_PROJECTIONS must be 'inline' or 'worker'")
    return Settings(**values)  # type: ignore[arg-type]
