"""The audit API (审计): an aggregate's events and its state as of a version or a time; the
record search and the log across records."""

from __future__ import annotations

from interfaces.http.api.audit.routes import AuditController
from interfaces.http.api.audit.search import AuditLogController

CONTROLLERS = [AuditController, AuditLogController]
