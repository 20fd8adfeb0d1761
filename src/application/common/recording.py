"""Every use case records its events inside `recording(...)`, which stamps the metadata."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from application.common.actor import Actor
from application.common.context import current_correlation_id
from domains.shared.errors import InvalidInput
from domains.shared.metadata import acting
from domains.shared.values import Role

MAX_REASON = 500


@contextlib.contextmanager
def recording(actor: Actor, role: Role | str, reason: str | None = None) -> Iterator[dict[str, Any]]:
    if reason is not None and len(reason) > MAX_REASON:
        # Checked before any event exists: the audit log keeps at most this many characters.
        raise InvalidInput("reason.too_long", f"原因/意见不能超过{MAX_REASON}个字符", field="reason")
    meta = {
        "actor_id": str(actor.user_id) if actor.user_id else None,
        "actor_name": actor.username,
        "role": str(role),
        "teaching_point_id": str(actor.teaching_point_id) if actor.teaching_point_id else None,
        "correlation_id": current_correlation_id(),
        "reason": reason,
    }
    with acting(meta) as m:
        yield m
