"""Education levels (学历层次) a course belongs to, and which one a programme's level means.

Fee standards are set per education level (requirements/curriculum.md §4), while programmes carry the
finer admission level (专升本, 高起本, 高起专): both 专升本 and 高起本 lead to 本科.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from domains.shared.errors import InvalidInput


class EducationLevel(StrEnum):
    UNDERGRADUATE = "undergraduate"  # 本科
    JUNIOR_COLLEGE = "junior_college"  # 专科

    @property
    def label(self) -> str:
        return EDUCATION_LEVEL_LABELS[self]


EDUCATION_LEVEL_LABELS = {
    EducationLevel.UNDERGRADUATE: "本科",
    EducationLevel.JUNIOR_COLLEGE: "专科",
}

PROGRAMME_LEVELS = {
    "专升本": EducationLevel.UNDERGRADUATE,
    "高起本": EducationLevel.UNDERGRADUATE,
    "高起专": EducationLevel.JUNIOR_COLLEGE,
}


def education_level_of(programme_level: str) -> EducationLevel:
    try:
        return PROGRAMME_LEVELS[programme_level]
    except KeyError:
        raise InvalidInput(
            "programme.level_invalid", f"层次须为{'、'.join(PROGRAMME_LEVELS)}之一", field="level"
        ) from None


def parse_level(raw: str, field: str = "level") -> EducationLevel:
    """Accepts the code or the Chinese label (本科 / 专科)."""
    text = (raw or "").strip()
    for level in EducationLevel:
        if text in (level.value, level.label):
            return level
    raise InvalidInput("education_level.invalid", "学历须为本科或专科", field=field)


def parse_levels(raw: Iterable[str], field: str = "levels") -> list[str]:
    """A course belongs to one level or to both; kept in a fixed order so equal sets compare equal."""
    levels = {parse_level(r, field) for r in raw}
    if not levels:
        raise InvalidInput("course.levels_required", "课程须属于本科或专科（或两者）", field=field)
    return [level.value for level in EducationLevel if level in levels]


def labels(levels: Iterable[str]) -> str:
    return "、".join(EducationLevel(v).label for v in levels)
