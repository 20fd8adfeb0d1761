"""Structured JSON logs. Personal data (ID numbers, mobile numbers) is scrubbed from every
field before a line is written, whatever the caller passed."""

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


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(format="%(message)s", stream=sys.stderr, level=level)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            _scrub_processor,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
