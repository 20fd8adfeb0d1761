"""School training platforms under the national training centre (学校培训平台, requirements/training.md §1).

A school's platform has its full standard name (规范全称) and the campus network ranges it has
authorised. A trainee's first registration must come from inside one of those ranges, and the
unit name the trainee gives must be that full name; later logins are not restricted.
"""

from __future__ import annotations

import ipaddress
import uuid

from eventsourcing.domain import event

from domains.shared.aggregate import DomainAggregate
from domains.shared.errors import DomainError, Forbidden, InvalidInput
from domains.shared.values import require_text

MAX_RANGES = 50

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_campus_ranges(raw: list[str] | str) -> list[str]:
    """CIDR ranges ("202.119.32.0/20", one per line or a list); host bits must be zero."""
    items = raw.replace(",", "\n").splitlines() if isinstance(raw, str) else list(raw)
    ranges: list[str] = []
    for item in (str(i).strip() for i in items):
        if not item:
            continue
        try:
            network = ipaddress.ip_network(item, strict=True)
        except ValueError:
            raise InvalidInput(
                "training_school.campus_range_invalid",
                f"校园网IP范围“{item[:50]}”格式不正确，须为网段写法，如 202.119.32.0/20（主机位须为0）",
                field="campus_ranges",
            ) from None
        if str(network) not in ranges:
            ranges.append(str(network))
    if not ranges:
        raise InvalidInput("training_school.campus_range_required", "至少填写一个校园网授权IP范围", field="campus_ranges")
    if len(ranges) > MAX_RANGES:
        raise InvalidInput(
            "training_school.too_many_ranges", f"校园网授权IP范围最多{MAX_RANGES}个", field="campus_ranges"
        )
    return ranges


def matching_range(ranges: list[str], address: str) -> str | None:
    """The authorised range the address lies in, or None (also for an unreadable address)."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for text in ranges:
        network: Network = ipaddress.ip_network(text)
        if ip.version == network.version and ip in network:
            return text
    return None


def normalise_unit_name(raw: str | None) -> str:
    """Unit names compare without surrounding or inner blanks (full-width ones included)."""
    return "".join((raw or "").split()).replace("\u3000", "")


class TrainingSchool(DomainAggregate):
    @event("Registered")
    def __init__(self, name: str, campus_ranges: list[str]) -> None:
        self.name = name
        self.campus_ranges = campus_ranges
        self.training_list: list[uuid.UUID] = []

    @classmethod
    def register(cls, name: str, campus_ranges: list[str] | str) -> TrainingSchool:
        return cls(name=require_text(name, "name", "学校规范全称", 60), campus_ranges=parse_campus_ranges(campus_ranges))

    def edit(self, name: str, campus_ranges: list[str] | str) -> None:
        self._edited(name=require_text(name, "name", "学校规范全称", 60), campus_ranges=parse_campus_ranges(campus_ranges))

    @event("Edited")
    def _edited(self, name: str, campus_ranges: list[str]) -> None:
        self.name = name
        self.campus_ranges = campus_ranges

    def check_first_registration(self, address: str, unit_name: str) -> str:
        """requirements/training.md §1: inside an authorised campus range, unit name equal to the full name.
        Returns the matching range (recorded instead of the address)."""
        matched = matching_range(self.campus_ranges, address)
        if matched is None:
            raise Forbidden(
                "training_registration.outside_campus",
                f"首次注册须在“{self.name}”校园网授权IP范围内的电脑上完成；您当前的网络不在授权范围内，"
                "请连接校园网后再注册（注册成功后登录不受此限制）",
            )
        if normalise_unit_name(unit_name) != normalise_unit_name(self.name):
            raise InvalidInput(
                "training_registration.unit_name_mismatch",
                f"单位名称须与学校平台名称（规范全称）“{self.name}”一致",
                field="unit_name",
            )
        return matched

    def set_training_list(self, course_ids: list[uuid.UUID]) -> None:
        """培训课单: the courses the school presets for one-click sign-up."""
        unique = list(dict.fromkeys(course_ids))
        if unique == self.training_list:
            raise DomainError("training_school.training_list_unchanged", "培训课单没有变化")
        self._training_list_set(course_ids=unique)

    @event("TrainingListSet")
    def _training_list_set(self, course_ids: list[uuid.UUID]) -> None:
        self.training_list = list(course_ids)
