"""Admin pages of audit (审计): the audit-chain check, the record search and replay, the log
across records. Auditors only; auditors change nothing (the admin router refuses their posts,
all but the search by 身份证号)."""

from __future__ import annotations

from interfaces.admin.audit.chain import AuditChainPages
from interfaces.admin.audit.log import AuditLogPages
from interfaces.admin.audit.records import AuditRecordPages

CONTROLLERS = [AuditChainPages, AuditRecordPages, AuditLogPages]
