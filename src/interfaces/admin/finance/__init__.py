"""Admin pages of finance (财务)."""

from __future__ import annotations

from interfaces.admin.finance.bills import BillPages
from interfaces.admin.finance.refunds import RefundPages
from interfaces.admin.finance.remittances import RemittanceSlipPages

CONTROLLERS = [BillPages, RefundPages, RemittanceSlipPages]
