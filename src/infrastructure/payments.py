"""The UnionPay gateway adapter (银联在线支付) and the simulator the embedded default ships.

Modelled on UnionPay's ACP front-end consumption (消费) transaction: the payer's browser posts a
signed order form (merId, orderId, txnTime, txnAmt in fen, currencyCode 156, backUrl, ...) to the
gateway; the gateway later posts a signed notification to our back URL (respCode "00" is
success, queryId the gateway's transaction number). Signatures follow ACP's `signMethod=11`
(SHA-256 with the merchant's secure key): the fields other than `signature`, sorted by name,
joined as `k=v&k=v`, then `sha256(that + "&" + sha256(secure_key))` in lowercase hex. A real
deployment sets the merchant id, secure key and gateway URL in the environment; certificates
(`signMethod=01`) would replace `_digest` and nothing else.

The simulator plays the gateway inside the platform: it checks the order form the payer brings
exactly as the gateway would and answers with a notification signed by the same rules, which
then goes through the same callback handling as a real one.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from application.finance.gateway import GatewayNotice, GatewayOrder
from domains.shared.errors import Forbidden, InvalidInput

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOTIFY_PATH = "/api/v1/payments/unionpay/notify"
SIMULATOR_PATH = "/api/v1/payments/unionpay/simulator"
_ORDER_ID = re.compile(r"^[0-9A-Za-z]{8,40}$")
_AMOUNT = re.compile(r"^\d{1,12}$")


def _digest(data: str, secure_key: str) -> str:
    key_hash = hashlib.sha256(secure_key.encode()).hexdigest()
    return hashlib.sha256(f"{data}&{key_hash}".encode()).hexdigest()


def signing_string(params: Mapping[str, str]) -> str:
    return "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "signature")


class UnionPayGateway:
    name = "unionpay"
    simulated = False

    def __init__(self, merchant_id: str, secure_key: str, pay_url: str, notify_url: str) -> None:
        if not merchant_id or not secure_key:
            raise ValueError("UnionPay needs a merchant id and a secure key")
        self.merchant_id = merchant_id
        self._secure_key = secure_key
        self.pay_url = pay_url
        self.notify_url = notify_url

    def sign(self, params: Mapping[str, str]) -> str:
        return _digest(signing_string(params), self._secure_key)

    def signed(self, params: Mapping[str, str]) -> dict[str, str]:
        fields = {k: v for k, v in params.items() if k != "signature"}
        fields["signature"] = self.sign(fields)
        return fields

    def check_signature(self, params: Mapping[str, str]) -> None:
        given = str(params.get("signature") or "")
        # Compared as bytes: compare_digest refuses str with non-ASCII characters.
        if not given or not hmac.compare_digest(given.lower().encode(), self.sign(params).encode()):
            raise Forbidden("payment.signature_invalid", "支付通知签名校验失败")
        if params.get("merId") != self.merchant_id:
            raise Forbidden("payment.merchant_mismatch", "支付通知的商户号与本平台不符")

    def order(self, order_id: str, amount_fen: int, at: datetime) -> GatewayOrder:
        fields = {
            "version": "5.1.0",
            "encoding": "UTF-8",
            "signMethod": "11",
            "txnType": "01",
            "txnSubType": "01",
            "bizType": "000201",
            "channelType": "07",
            "accessType": "0",
            "merId": self.merchant_id,
            "orderId": order_id,
            "txnTime": at.astimezone(SHANGHAI).strftime("%Y%m%d%H%M%S"),
            "txnAmt": str(amount_fen),
            "currencyCode": "156",
            "backUrl": self.notify_url,
        }
        return GatewayOrder(order_id=order_id, pay_url=self.pay_url, fields=self.signed(fields))

    def verify(self, params: Mapping[str, str]) -> GatewayNotice:
        fields = {str(k): str(v) for k, v in params.items()}
        self.check_signature(fields)
        order_id = fields.get("orderId", "")
        if not _ORDER_ID.match(order_id):
            raise InvalidInput("payment.order_id_invalid", "支付通知的订单号无效", field="orderId")
        amount = fields.get("txnAmt", "")
        if not _AMOUNT.match(amount):
            raise InvalidInput("payment.amount_invalid", "支付通知的金额无效", field="txnAmt")
        succeeded = fields.get("respCode") == "00"
        transaction = fields.get("queryId") or None
        if succeeded and not transaction:
            raise InvalidInput("payment.transaction_id_required", "支付成功通知缺少交易流水号", field="queryId")
        return GatewayNotice(
            order_id=order_id,
            transaction_id=transaction,
            amount_fen=int(amount),
            succeeded=succeeded,
            message=(fields.get("respMsg") or "")[:200] or None,
        )


class UnionPaySimulator(UnionPayGateway):
    """The gateway, played by the platform (embedded default, demos and tests)."""

    simulated = True

    def pay(self, order_fields: Mapping[str, str], succeed: bool = True, at: datetime | None = None) -> dict[str, str]:
        """The payer posts the order form here: it is checked as the gateway checks it, and the
        signed notification the gateway would send to `backUrl` is returned."""
        fields = {str(k): str(v) for k, v in order_fields.items()}
        self.check_signature(fields)
        if not _ORDER_ID.match(fields.get("orderId", "")) or not _AMOUNT.match(fields.get("txnAmt", "")):
            raise InvalidInput("payment.order_invalid", "支付订单无效", field="orderId")
        return self.notice(fields["orderId"], int(fields["txnAmt"]), succeed=succeed, at=at)

    def notice(
        self, order_id: str, amount_fen: int, succeed: bool = True, transaction_id: str | None = None,
        at: datetime | None = None,
    ) -> dict[str, str]:
        when = (at or datetime.now(SHANGHAI)).astimezone(SHANGHAI)
        params: dict[str, Any] = {
            "version": "5.1.0",
            "encoding": "UTF-8",
            "signMethod": "11",
            "txnType": "01",
            "txnSubType": "01",
            "bizType": "000201",
            "accessType": "0",
            "merId": self.merchant_id,
            "orderId": order_id,
            "txnTime": when.strftime("%Y%m%d%H%M%S"),
            "txnAmt": str(amount_fen),
            "currencyCode": "156",
            "respCode": "00" if succeed else "11",
            "respMsg": "成功[0000000]" if succeed else "交易失败",
        }
        if succeed:
            params["queryId"] = transaction_id or f"{when:%Y%m%d%H%M%S}{secrets.randbelow(10**8):08d}"
        return self.signed(params)


def unionpay_gateway(settings: Any, environ: Mapping[str, str] | None = None) -> UnionPayGateway:
    """From the environment: EDULEDGER_UNIONPAY_MODE=live with EDULEDGER_UNIONPAY_MERCHANT_ID,
    EDULEDGER_UNIONPAY_SECURE_KEY, EDULEDGER_UNIONPAY_PAY_URL and EDULEDGER_PUBLIC_URL (for the
    back URL); otherwise the simulator, whose key is derived from the platform's secret key."""
    env = os.environ if environ is None else environ
    public = env.get("EDULEDGER_PUBLIC_URL", "").rstrip("/")
    if env.get("EDULEDGER_UNIONPAY_MODE", "simulator") == "live":
        return UnionPayGateway(
            merchant_id=env.get("EDULEDGER_UNIONPAY_MERCHANT_ID", ""),
            secure_key=env.get("EDULEDGER_UNIONPAY_SECURE_KEY", ""),
            pay_url=env.get("EDULEDGER_UNIONPAY_PAY_URL", "https://gateway.95516.com/gateway/api/frontTransReq.do"),
            notify_url=public + NOTIFY_PATH,
        )
    key = hmac.new(str(settings.secret_key).encode(), b"unionpay-simulator", hashlib.sha256).hexdigest()
    return UnionPaySimulator(
        merchant_id=env.get("EDULEDGER_UNIONPAY_MERCHANT_ID", "777290058110048"),
        secure_key=key,
        pay_url=public + SIMULATOR_PATH,
        notify_url=public + NOTIFY_PATH,
    )
