"""Request-scoped context the interfaces set: the correlation id of the request or job."""

from __future__ import annotations

import contextvars
import uuid

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


def note_position(position: int) -> None:
    holder = last_position.get()
    if holder is not None:
        holder.append(position)
