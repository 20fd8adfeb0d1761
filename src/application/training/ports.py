"""What the training platform's login needs from outside: SMS codes and WeChat OAuth."""

from __future__ import annotations

from typing import Protocol

from domains.shared.errors import DomainError


class SmsCodes(Protocol):
    """Issues and checks one-time login codes sent by SMS; throttled per mobile and address.
    `issue` raises DomainError (code `sms.throttled`) when a mobile or an address asks too often."""

    def issue(self, mobile: str, address: str) -> None: ...

    def verify(self, mobile: str, code: str) -> bool:
        """True once for the latest unexpired code of the mobile; it is used up then."""
        ...


class WeChatOAuth(Protocol):
    """Exchanges an OAuth authorisation code for the user's openid (None: the code is not valid)."""

    def openid_for(self, code: str) -> str | None: ...


class SmsThrottled(DomainError):
    """Codes were asked for too often (HTTP 429)."""

    kind = "throttled"
