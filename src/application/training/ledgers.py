"""Opening a trainee's certificate ledger where hours are credited.

The learning side (courses completed in full, lectures attended in full) calls
`load_or_open_ledger` inside its own `recording(...)` block, credits the hours, and saves the
ledger in the same atomic `store.save(...)` as its own aggregate, so an hour is never credited
without the learning fact that earned it.
"""

from __future__ import annotations

import uuid

from application.common.ports import EventStore
from domains.shared.errors import NotFound
from domains.training.ledger import CertificateLedger


def load_or_open_ledger(store: EventStore, trainee_id: uuid.UUID, training_school_id: uuid.UUID) -> CertificateLedger:
    """The trainee's ledger, or a new one (saved with the caller's next save)."""
    found = store.find(CertificateLedger.create_id(trainee_id))
    if found is None:
        return CertificateLedger.open(trainee_id, training_school_id)
    if not isinstance(found, CertificateLedger):
        raise NotFound("not_found", "学时账户不存在")
    return found


def find_ledger(store: EventStore, trainee_id: uuid.UUID) -> CertificateLedger | None:
    found = store.find(CertificateLedger.create_id(trainee_id))
    return found if isinstance(found, CertificateLedger) else None
