"""Admin pages of audit (审计)."""

from __future__ import annotations

from interfaces.admin.audit.pages import AuditPages

CONTROLLERS = [AuditPages]
