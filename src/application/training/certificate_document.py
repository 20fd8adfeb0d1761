"""What a certificate shows, independent of how it is drawn.

The ledger builds a `CertificateDocument` from its read model (the corrected details when the
certificate was amended, and a line per amendment) and hands it to a `CertificateRenderer`
(`infrastructure.certificates.pdf` draws it as a PDF). Hours are kept in tenths of an hour
throughout, so nothing is rounded on the way to paper.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Protocol

from domains.shared.errors import DomainError
from domains.training.ledger import hours_text

CERTIFICATE_TITLE = "继续教育学时证书"
ISSUING_BODY = "网培中心"


@dataclass(frozen=True)
class CertificateDocument:
    serial: str
    trainee_name: str
    school_name: str
    year: int
    total_tenths: int
    items: tuple[tuple[str, int], ...]  # (title, tenths of an hour)
    issued_on: datetime.date
    verify_url: str
    amendments: tuple[str, ...] = ()  # e.g. "2026-10-02 更正姓名：张三 → 张珊"


class CertificateRenderer(Protocol):
    def render(self, document: CertificateDocument) -> bytes:
        """The certificate as a file (a PDF). Raises CertificateRenderingUnavailable when the
        machine cannot draw it (no CJK font)."""
        ...


class CertificateRenderingUnavailable(DomainError):
    """The certificate cannot be drawn on this machine now (its CJK font is missing)."""

    kind = "unavailable"

    def __init__(self, detail: str) -> None:
        super().__init__("certificates.rendering_unavailable", f"证书文件暂时无法生成：{detail}，请联系系统管理员")


def format_hours(tenths: int) -> str:
    """Tenths of an hour with the unit: 520 -> "52.0 学时"."""
    return f"{hours_text(tenths)} 学时"


def certificate_filename(document: CertificateDocument) -> str:
    """The download name of a certificate: the serial only (no personal data in URLs or headers)."""
    return f"certificate-{document.serial}.pdf"
