"""Settings from environment variables; the embedded default needs none of them."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _var_dir() -> Path:
    path = Path(os.environ.get("EDULEDGER_VAR_DIR", PROJECT_ROOT / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _secret(name: str, env_key: str) -> str:
    """A secret from the environment, or one generated once and kept under var/."""
    value = os.environ.get(env_key)
    if value:
        return value
    path = _var_dir() / f".{name}"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


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
    # Worker mode: how long a read after a write waits for the read models to reach that write.
    read_wait_seconds: float = 5.0

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
    var_dir = _var_dir()
    values: dict[str, object] = {
        "database_url": os.environ.get(
            "EDULEDGER_DATABASE_URL", f"sqlite:///{var_dir / 'eduledger.sqlite3'}"
        ),
        "projections": os.environ.get("EDULEDGER_PROJECTIONS", "inline"),
        "broker_url": os.environ.get("EDULEDGER_BROKER_URL") or None,
        "secret_key": _secret("secret_key", "EDULEDGER_SECRET_KEY"),
        "audit_key": _secret("audit_key", "EDULEDGER_AUDIT_KEY"),
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
    }
    values["read_wait_seconds"] = float(os.environ.get("EDULEDGER_READ_WAIT_SECONDS", "5"))
    values.update(overrides)
    if values["projections"] not in ("inline", "worker"):
        raise ValueError("EDULEDGER_PROJECTIONS must be 'inline' or 'worker'")
    return Settings(**values)  # type: ignore[arg-type]
