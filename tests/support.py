"""Test data builders shared by every suite."""

from __future__ import annotations

from typing import Any

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id_number(birth: str = "19900315", seq: int = 1, region: str = "320102") -> str:
    """A valid 18-digit ID number (GB 11643 check digit) for the given birth date."""
    body = f"{region}{birth}{seq % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def applicant(seq: int = 1, **overrides: Any) -> dict[str, Any]:
    data = {
        "name": f"王小明{seq}",
        "id_number": make_id_number(seq=seq),
        "ethnicity": "汉族",
        "mobile": f"139{seq:08d}",
        "address": "南京市玄武区北京东路41号",
        "prior_level": "大专",
        "prior_school": "南京城市职业学院",
        "prior_graduation_date": "2012-07-01",
        "prior_certificate_number": f"1234567890{seq:04d}",
    }
    data.update(overrides)
    return data
