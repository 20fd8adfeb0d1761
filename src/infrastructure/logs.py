"""Structured JSON logs. Personal data (ID numbers, mobile numbers) is scrubbed from every
field before a line is written, whatever the caller passed, and whichever library logged it."""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

import structlog

_ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
# With or without the country code (+86, 0086, 86) and with spaces or dashes as people type them.
_MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)")


def scrub(value: Any) -> Any:
    if isinstance(value, str):
        return _MOBILE.sub("[mobile]", _ID_NUMBER.sub("[id-number]", value))
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(v) for v in value]
    return value


def _scrub_processor(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    return {k: scrub(v) for k, v in event_dict.items()}


_HANDLER_NAME = "eduledger-json"


def configure_logging(level: str = "INFO") -> None:
    """structlog's own loggers and the standard library's (uvicorn, dramatiq's workers, SQLAlchemy,
    httpx, ...) all write one JSON object per line to stderr, through the same scrubber."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    render: list[Any] = [
        structlog.processors.format_exc_info,  # a traceback is text too: scrubbed after it is rendered
        _scrub_processor,
        structlog.processors.JSONRenderer(ensure_ascii=False),
    ]
    structlog.configure(
        processors=[*shared, *render],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *render],
    ))
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # uvicorn (started with log_config=None) and dramatiq log to named loggers: no handlers of
    # their own, so every line reaches the JSON handler above and nothing prints plain text.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "dramatiq"):
        named = logging.getLogger(name)
        named.handlers.clear()
        named.propagate = True
