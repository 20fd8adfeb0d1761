"""Every log line is one scrubbed JSON object, also the ones the web server (uvicorn) and the
job workers (dramatiq) write through the standard library."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator

import dramatiq
import pytest
import uvicorn
from dramatiq.brokers.stub import StubBroker

from infrastructure.logs import configure_logging
from tests.support import make_id_number

ID_NUMBER = make_id_number("19900307", seq=45)
MOBILE = "13812345678"


@pytest.fixture
def stderr() -> Iterator[io.StringIO]:
    stream, real = io.StringIO(), sys.stderr
    sys.stderr = stream
    try:
        configure_logging("INFO")
    finally:
        sys.stderr = real
    yield stream
    configure_logging("INFO")


def lines(stream: io.StringIO) -> list[dict]:
    text = stream.getvalue()
    assert text.strip(), "nothing was logged"
    return [json.loads(line) for line in text.splitlines()]  # every line is JSON, or this fails


def test_a_uvicorn_log_line_is_json_and_scrubbed(stderr):
    # What `eduledger serve` gives uvicorn: no logging config of its own.
    uvicorn.Config(app=None, log_config=None, log_level="info").configure_logging()

    logging.getLogger("uvicorn.error").warning("Invalid HTTP request received from %s: %s", MOBILE, ID_NUMBER)

    [line] = lines(stderr)
    assert line["logger"] == "uvicorn.error" and line["level"] == "warning"
    assert line["event"] == "Invalid HTTP request received from [mobile]: [id-number]"
    assert MOBILE not in stderr.getvalue() and ID_NUMBER not in stderr.getvalue()


def test_a_dramatiq_workers_failure_with_personal_data_in_its_message_is_json_and_scrubbed(stderr):
    broker = StubBroker()
    broker.emit_after("process_boot")

    @dramatiq.actor(broker=broker, max_retries=0, queue_name="log-test")
    def notify(mobile: str, id_number: str) -> None:
        raise ValueError(f"gateway refused {mobile} for {id_number}")

    notify.send(MOBILE, ID_NUMBER)
    worker = dramatiq.Worker(broker, worker_timeout=50)
    worker.start()
    try:
        broker.join(notify.queue_name, fail_fast=False)
        worker.join()
    finally:
        worker.stop()

    found = lines(stderr)
    failures = [x for x in found if x.get("logger", "").startswith("dramatiq") and x["level"] == "error"]
    assert failures, found
    assert "[mobile]" in json.dumps(failures, ensure_ascii=False)
    assert MOBILE not in stderr.getvalue() and ID_NUMBER not in stderr.getvalue()


def test_the_running_app_adds_no_plain_text_handler_of_its_own(container):
    from litestar.testing import TestClient

    from interfaces.http.app import create_app

    stream, real = io.StringIO(), sys.stderr
    sys.stderr = stream
    try:
        with TestClient(create_app(container)) as client:
            assert client.get("/healthz").status_code == 200
            logging.getLogger("uvicorn.error").warning("peer %s", MOBILE)
            logging.getLogger("litestar").warning("peer %s", MOBILE)
    finally:
        sys.stderr = real
        configure_logging("INFO")
    found = lines(stream)
    assert [x["event"] for x in found if x.get("logger") in ("uvicorn.error", "litestar")] == ["peer [mobile]"] * 2
    assert MOBILE not in stream.getvalue()
