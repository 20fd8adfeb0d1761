"""What finance needs from an online payment gateway (UnionPay), implemented in infrastructure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class GatewayOrder:
    """Where the payer's browser goes, with the signed fields it posts there."""

    order_id: str
    pay_url: str
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GatewayNotice:
    """The gateway's signed notification of a payment's outcome, checked and parsed."""

    order_id: str
    transaction_id: str | None
    amount_fen: int
    succeeded: bool
    message: str | None = None


class PaymentGateway(Protocol):
    name: str
    simulated: bool

    def order(self, order_id: str, amount_fen: int, at: datetime) -> GatewayOrder:
        """The signed order for the payer to take to the gateway."""
        ...

    def verify(self, params: Mapping[str, str]) -> GatewayNotice:
        """Check the notification's signature and merchant; raises Forbidden when they fail,
        InvalidInput when a field is missing or malformed."""
        ...
