"""Request-scoped context the interfaces set: the correlation id of the request or job."""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import structlog

log = structlog.get_logger(__name__)

correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "eduledger_correlation_id", default=None
)


def current_correlation_id() -> str:
    value = correlation_id.get()
    if value is None:
        value = str(uuid.uuid4())
        correlation_id.set(value)
    return value


# The log position of the last save in this request: clients of a deployment whose projections
# run in workers can wait until the read models have reached it.
# A mutable holder: handlers run in worker threads whose context changes never flow back.
last_position: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "eduledger_last_position", default=None
)


@dataclass
class ReadWait:
    """Set for each request when projections run in workers: a request that saved waits
    (bounded) for the read models to reach its write before it reads them again, so its
    response and the page after it show the change (ADR 0016). `stale` once a wait gave up:
    the response says so, and the request waits no more."""

    wait: Callable[[int], bool]
    stale: bool = False

    def until(self, position: int) -> None:
        if self.stale:
            return
        try:
            reached = self.wait(position)
        except Exception:  # the write is saved: a failed look at the read models must not fail it
            log.exception("read_wait.failed")
            reached = False
        self.stale = not reached


read_wait: contextvars.ContextVar[ReadWait | None] = contextvars.ContextVar("eduledger_read_wait", default=None)


def note_position(position: int) -> None:
    holder = last_position.get()
    if holder is not None:
        holder.append(position)
    waiting = read_wait.get()
    if waiting is not None:
        waiting.until(position)
