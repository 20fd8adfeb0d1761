"""Fixtures more than one HTTP suite takes: trainees with certificate ledgers and their
sign-ins, and the log lines the app writes."""

from __future__ import annotations

import gc
import io
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import structlog

from infrastructure.logs import configure_logging
from tests.http.api_helpers import login_as
from tests.training_ledger_support import TrainingWorld, training_world


@pytest.fixture
def tw(container: Any) -> TrainingWorld:
    return training_world(container)


@pytest.fixture
def who(client: Any, tw: TrainingWorld) -> Callable[[str], dict[str, str]]:
    """who(username): that user's bearer-token headers (one sign-in each)."""
    cache: dict[str, dict[str, str]] = {}

    def headers(username: str) -> dict[str, str]:
        if username not in cache:
            cache[username] = login_as(client, username)
        return cache[username]

    return headers


def _forget_cached_loggers() -> None:
    """structlog caches each module logger's assembled pipeline (and output file) on first use;
    forget them so that every logger of the app writes through the pipeline configured now."""
    for obj in gc.get_objects():
        if isinstance(obj, structlog._config.BoundLoggerLazyProxy) and "bind" in vars(obj):
            del obj.bind


@pytest.fixture
def log_output(client: Any) -> Iterator[io.StringIO]:
    """Everything the app's structlog pipeline writes during the test (the client's app is
    already up, so the capture is configured after it)."""
    stream = io.StringIO()
    real_stderr = sys.stderr
    sys.stderr = stream
    try:
        configure_logging("DEBUG")
        structlog.configure(cache_logger_on_first_use=False)
        _forget_cached_loggers()
    finally:
        sys.stderr = real_stderr
    yield stream
    configure_logging("INFO")
    _forget_cached_loggers()
