"""The school headquarters and its teaching points (教学点/学习中心), requirements/organisation.md §1."""

from __future__ import annotations

import re

from eventsourcing.domain import event

from domains.shared.aggregate import DomainAggregate
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.values import optional_text, parse_phone, require_text

_CODE = re.compile(r"^[0-9A-Za-z]{2,10}$")


def parse_code(raw: str, field: str = "code") -> str:
    text = (raw or "").strip()
    if not _CODE.match(text):
        raise InvalidInput("code.malformed", "代码须为2-10位字母或数字", field=field)
    return text


def _split(raw: list[str] | str | None) -> list[str]:
    """A comma never belongs inside one name or number: list items are split too, or a name
    typed as "李娟，陈刚" would be one recruiter in the event and two in the read model."""
    items = [raw] if isinstance(raw, str) else list(raw or [])
    return [part for item in items for part in re.split(r"[,，、]", item or "")]


def parse_recruiters(raw: list[str] | str | None) -> list[str]:
    """Recruiters may be typed comma-separated (requirements/organisation.md §1.3), in ASCII or Chinese commas."""
    items = _split(raw)
    names = [require_text(n, "recruiters", "招生人员姓名", 30) for n in items if n and n.strip()]
    if len(names) > 20:
        raise InvalidInput("recruiters.too_many", "招生人员最多20名", field="recruiters")
    return names


def parse_phones(raw: list[str] | str | None) -> list[str]:
    items = _split(raw)
    phones = [parse_phone(p, "phones") for p in items if p and p.strip()]
    if len(phones) > 20:
        raise InvalidInput("phones.too_many", "招生电话最多20个", field="phones")
    return phones


class School(DomainAggregate):
    """The headquarters (学校/总部), home of the academic-affairs and finance offices."""

    @event("Registered")
    def __init__(self, code: str, name: str) -> None:
        self.code = code
        self.name = name


class TeachingPoint(DomainAggregate):
    @event("Registered")
    def __init__(
        self,
        code: str,
        name: str,
        address: str | None,
        recruiters: list[str],
        phones: list[str],
    ) -> None:
        self.code = code
        self.name = name
        self.address = address
        self.recruiters = recruiters
        self.phones = phones
        self.enabled = True

    @classmethod
    def register(
        cls, code: str, name: str, address: str | None, recruiters: object, phones: object
    ) -> TeachingPoint:
        return cls(
            code=parse_code(code),
            name=require_text(name, "name", "教学点名称", 60),
            address=optional_text(address, "address", "地址", 200),
            recruiters=parse_recruiters(recruiters),  # type: ignore[arg-type]
            phones=parse_phones(phones),  # type: ignore[arg-type]
        )

    def edit_contact_details(self, address: str | None, recruiters: object, phones: object) -> None:
        """Address, recruiters and phones are the teaching point's own to edit."""
        self._contact_details_edited(
            address=optional_text(address, "address", "地址", 200),
            recruiters=parse_recruiters(recruiters),  # type: ignore[arg-type]
            phones=parse_phones(phones),  # type: ignore[arg-type]
        )

    @event("ContactDetailsEdited")
    def _contact_details_edited(
        self, address: str | None, recruiters: list[str], phones: list[str]
    ) -> None:
        self.address = address
        self.recruiters = recruiters
        self.phones = phones

    def disable(self) -> None:
        if not self.enabled:
            raise DomainError("teaching_point.already_disabled", "该教学点已停用")
        self._disabled()

    def enable(self) -> None:
        if self.enabled:
            raise DomainError("teaching_point.already_enabled", "该教学点已启用")
        self._enabled()

    @event("Disabled")
    def _disabled(self) -> None:
        self.enabled = False

    @event("Enabled")
    def _enabled(self) -> None:
        self.enabled = True

    def check_can_admit(self) -> None:
        if not self.enabled:
            raise DomainError("teaching_point.disabled", f"教学点“{self.name}”已停用，不能办理业务")
