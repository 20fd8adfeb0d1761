"""The finance API (财务): bills, remittance slips, online payments and refunds."""

from __future__ import annotations

from interfaces.http.api.finance.bills import BillController
from interfaces.http.api.finance.payments import (
    OnlinePaymentController,
    UnionPayController,
)
from interfaces.http.api.finance.refunds import RefundController
from interfaces.http.api.finance.remittances import RemittanceSlipController

CONTROLLERS = [BillController, RemittanceSlipController, OnlinePaymentController, UnionPayController, RefundController]
