"""The audit API (审计): an aggregate's events and its state as of a version or a time."""

from __future__ import annotations

from interfaces.http.api.audit.routes import AuditController

CONTROLLERS = [AuditController]
