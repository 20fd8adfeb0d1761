"""A programme's course list (课程设置) with each course's suggested semester (建议开设学期).

One aggregate per training programme, its id derived from the programme's: the list is found
without a lookup, and a second list for the same programme cannot be started. The programme
itself lives in admissions; this list only keeps its id and education level.
"""

from __future__ import annotations

import uuid

from eventsourcing.domain import event

from domains.curriculum.course import Course
from domains.curriculum.levels import EducationLevel, education_level_of
from domains.shared.aggregate import DomainAggregate, key_id
from domains.shared.errors import DomainError, InvalidInput

MAX_SEMESTER = 12  # 6 years of schooling at most, two semesters a year


def parse_semester(raw: int | str, field: str = "suggested_semester") -> int:
    try:
        semester = int(str(raw).strip())
    except ValueError:
        semester = 0
    if not 1 <= semester <= MAX_SEMESTER:
        raise InvalidInput("curriculum.semester_invalid", f"建议开设学期须为1至{MAX_SEMESTER}", field=field)
    return semester


class ProgrammeCurriculum(DomainAggregate):
    @staticmethod
    def create_id(programme_id: uuid.UUID) -> uuid.UUID:
        return key_id("programme_curriculum", str(programme_id))

    @event("Started")
    def __init__(self, programme_id: uuid.UUID, education_level: str) -> None:
        self.programme_id = programme_id
        self.education_level = education_level
        self.semesters: dict[uuid.UUID, int] = {}  # course id -> suggested semester

    @classmethod
    def start(cls, programme_id: uuid.UUID, programme_level: str) -> ProgrammeCurriculum:
        return cls(programme_id=programme_id, education_level=education_level_of(programme_level).value)

    def includes(self, course_id: uuid.UUID) -> bool:
        return course_id in self.semesters

    def courses_in_semester(self, semester: int | None = None) -> list[uuid.UUID]:
        """The batch-selection screen filters the list by suggested semester (requirements/curriculum.md §2.1)."""
        return [c for c, s in self.semesters.items() if semester is None or s == semester]

    def add_course(self, course: Course, suggested_semester: int | str) -> None:
        """A course joins only programmes of a level it belongs to: its fee and its exam
        depend on that level."""
        semester = parse_semester(suggested_semester)
        if self.includes(course.id):
            raise DomainError("curriculum.course_already_listed", f"课程“{course.name}”已在该培养方案中")
        if self.education_level not in course.levels:
            raise DomainError(
                "curriculum.course_level_mismatch",
                f"课程“{course.name}”不属于{EducationLevel(self.education_level).label}，不能加入该培养方案",
            )
        self._course_added(course_id=course.id, suggested_semester=semester)

    @event("CourseAdded")
    def _course_added(self, course_id: uuid.UUID, suggested_semester: int) -> None:
        self.semesters[course_id] = suggested_semester

    def move_course(self, course_id: uuid.UUID, suggested_semester: int | str) -> None:
        semester = parse_semester(suggested_semester)
        self.check_includes(course_id)
        if self.semesters[course_id] != semester:
            self._course_moved(course_id=course_id, suggested_semester=semester)

    @event("CourseMoved")
    def _course_moved(self, course_id: uuid.UUID, suggested_semester: int) -> None:
        self.semesters[course_id] = suggested_semester

    def remove_course(self, course_id: uuid.UUID) -> None:
        """Removing stops new selections from the programme; earlier selections stand."""
        self.check_includes(course_id)
        self._course_removed(course_id=course_id)

    @event("CourseRemoved")
    def _course_removed(self, course_id: uuid.UUID) -> None:
        del self.semesters[course_id]

    def check_includes(self, course_id: uuid.UUID, course_name: str | None = None) -> None:
        if not self.includes(course_id):
            what = f"课程“{course_name}”" if course_name else "该课程"
            raise DomainError("curriculum.course_not_listed", f"{what}不在该培养方案中")
