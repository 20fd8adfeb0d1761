"""Course classes grouped by hand (班级管理 · 手动组班, requirements/teaching.md §2).

After learners have selected and paid a course, a teaching point may group its own learners of
that course into classes by hand: course, class name (班级名称), grouping deadline (分班截止时间,
"在此时间之前可以对学生进行分类或调班") and, optionally, the class's tutor (课程导师). Manual
grouping has no class-size limit ("班级人数不受课程负责人设置的每班人数限制").

- 【加入班级】 adds learners of the teaching point whose selection of the course succeeded (paid)
  and who are in no class of that course yet: a learner is in at most one class per course.
  That is guarded by a ClassPlacement per (learner, course), saved with the class, so two
  classes claiming one learner at once cannot both succeed.
- 【移除】 takes a learner out (to be grouped again); 【调班】 moves a learner to another class
  of the same course at the same teaching point, recorded on both classes.
- Any change of members after a class's grouping deadline is refused; 【编辑】 (name, tutor)
  stays possible.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time

from eventsourcing.domain import event

from domains.curriculum.period import SHANGHAI
from domains.shared.aggregate import DomainAggregate, key_id
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.values import require_aware, require_text
from domains.teaching.common import LearnerFacts, StaffFacts, check_learner

TUTOR_ROLES = frozenset({"head_teacher", "academic_mentor"})
_DEADLINE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2})(?::\d{2})?)?$")


def parse_deadline(raw: str | None) -> datetime:
    """分班截止时间 as people enter it, in Beijing time: "2026-10-31 18:00", or a day
    ("2026-10-31": until the end of that day)."""
    text = (raw or "").strip()
    match = _DEADLINE.match(text)
    if not match:
        raise InvalidInput(
            "course_class.deadline_malformed", "分班截止时间格式应为“YYYY-MM-DD HH:MM”或“YYYY-MM-DD”",
            field="grouping_deadline",
        )
    try:
        day = date.fromisoformat(match.group(1))
        hour, minute = (int(x) for x in match.group(2).split(":")) if match.group(2) else (23, 59)
        at = time(hour, minute, 59 if not match.group(2) else 0)
    except ValueError:
        raise InvalidInput("course_class.deadline_malformed", f"分班截止时间无效：{text}", field="grouping_deadline") from None
    return datetime.combine(day, at, SHANGHAI)


def describe(at: datetime) -> str:
    return f"{at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class Candidate:
    """A learner about to join a class: who they are and whether they studied the course (its
    selection succeeded, paid)."""

    learner: LearnerFacts
    course_paid: bool


def check_tutor(tutor: StaffFacts | None, teaching_point_id: uuid.UUID) -> uuid.UUID | None:
    if tutor is None:
        return None
    if not tutor.roles & TUTOR_ROLES or tutor.teaching_point_id != teaching_point_id or not tutor.enabled:
        raise DomainError(
            "course_class.tutor_not_eligible",
            f"“{tutor.name}”不能担任课程导师：须为本教学点“启用”状态的班主任或学务导师",
        )
    return tutor.account_id


class ClassRefused(DomainError):
    """Every learner a change refused, each with its reason; the code is the first one's."""

    def __init__(self, refused: list[tuple[LearnerFacts, DomainError]]) -> None:
        first = refused[0][1]
        super().__init__(
            first.code,
            "；".join(e.message for _, e in refused),
            learners=[
                {"learner_id": str(f.learner_id), "student_number": f.student_number, "name": f.name,
                 "code": e.code, "message": e.message}
                for f, e in refused
            ],
        )


class CourseClass(DomainAggregate):
    @event("Formed")
    def __init__(
        self,
        teaching_point_id: uuid.UUID,
        course_id: uuid.UUID,
        name: str,
        grouping_deadline: datetime,
        tutor_id: uuid.UUID | None,
        formed_at: datetime,
    ) -> None:
        self.teaching_point_id = teaching_point_id
        self.course_id = course_id
        self.name = name
        self.grouping_deadline = grouping_deadline
        self.tutor_id = tutor_id
        self.formed_at = formed_at
        self.members: set[uuid.UUID] = set()

    @classmethod
    def form(
        cls,
        teaching_point_id: uuid.UUID,
        course_id: uuid.UUID,
        name: str | None,
        grouping_deadline: datetime,
        tutor: StaffFacts | None,
        now: datetime,
    ) -> CourseClass:
        text = require_text(name, "name", "班级名称", 40)
        require_aware(grouping_deadline, "grouping_deadline")
        if grouping_deadline <= require_aware(now):
            raise InvalidInput(
                "course_class.deadline_past", f"分班截止时间须晚于当前时间（{describe(now)}）", field="grouping_deadline"
            )
        return cls(
            teaching_point_id=teaching_point_id, course_id=course_id, name=text, grouping_deadline=grouping_deadline,
            tutor_id=check_tutor(tutor, teaching_point_id), formed_at=now,
        )

    def edit(self, name: str | None, tutor: StaffFacts | None) -> None:
        """【编辑】 the class name and tutor (any time; the deadline binds members only)."""
        text = require_text(name, "name", "班级名称", 40)
        tutor_id = check_tutor(tutor, self.teaching_point_id)
        if (text, tutor_id) == (self.name, self.tutor_id):
            raise DomainError("course_class.unchanged", "班级名称和课程导师都没有变化")
        self._edited(name=text, tutor_id=tutor_id)

    @event("Edited")
    def _edited(self, name: str, tutor_id: uuid.UUID | None) -> None:
        self.name = name
        self.tutor_id = tutor_id

    def check_open(self, now: datetime) -> None:
        if require_aware(now) > self.grouping_deadline:
            raise DomainError(
                "course_class.grouping_closed",
                f"班级“{self.name}”已过分班截止时间（{describe(self.grouping_deadline)}），不能再加入、移除学生或调班",
            )

    def _check_joiner(self, candidate: Candidate) -> None:
        learner = candidate.learner
        check_learner(learner)
        who = f"学生“{learner.name}”（{learner.student_number}）"
        if learner.teaching_point_id != self.teaching_point_id:
            raise DomainError("course_class.other_teaching_point", f"{who}不属于本班级所在的教学点")
        if learner.learner_id in self.members:
            raise DomainError("course_class.already_member", f"{who}已在班级“{self.name}”中")
        if not candidate.course_paid:
            raise DomainError("course_class.course_not_selected", f"{who}没有缴费成功的本课程选课，不能加入班级")

    def add(
        self, candidates: list[Candidate], placements: dict[uuid.UUID, ClassPlacement | None], now: datetime
    ) -> list[ClassPlacement]:
        """【加入班级】 all the learners or none; a refusal names every learner refused. Returns
        the placements to save with the class."""
        self.check_open(now)
        if not candidates:
            raise InvalidInput("course_class.no_learners", "请选择要加入班级的学生", field="learner_ids")
        refused: list[tuple[LearnerFacts, DomainError]] = []
        for candidate in candidates:
            try:
                self._check_joiner(candidate)
                check_unplaced(placements.get(candidate.learner.learner_id), candidate.learner)
            except DomainError as error:
                refused.append((candidate.learner, error))
        if refused:
            raise ClassRefused(refused)
        ids = list(dict.fromkeys(c.learner.learner_id for c in candidates))
        self._learners_added(learner_ids=ids)
        return [place(placements.get(i), i, self.course_id, self.id) for i in ids]

    @event("LearnersAdded")
    def _learners_added(self, learner_ids: list[uuid.UUID]) -> None:
        self.members.update(learner_ids)

    def check_member(self, learner: LearnerFacts) -> None:
        if learner.learner_id not in self.members:
            raise DomainError(
                "course_class.not_member", f"学生“{learner.name}”（{learner.student_number}）不在班级“{self.name}”中"
            )

    def remove(self, learner: LearnerFacts, placement: ClassPlacement, now: datetime) -> None:
        """【移除】: the learner is to be grouped again."""
        self.check_open(now)
        self.check_member(learner)
        self._learner_removed(learner_id=learner.learner_id)
        placement.release()

    @event("LearnerRemoved")
    def _learner_removed(self, learner_id: uuid.UUID) -> None:
        self.members.discard(learner_id)

    def move(self, learner: LearnerFacts, target: CourseClass, placement: ClassPlacement, now: datetime) -> None:
        """【调班】 to another class of the same course and teaching point, both still open."""
        if target.id == self.id:
            raise DomainError("course_class.same_class", f"学生已在班级“{self.name}”中，请选择另一个班级")
        if (target.course_id, target.teaching_point_id) != (self.course_id, self.teaching_point_id):
            raise DomainError("course_class.other_course", "只能调入同一教学点同一课程的班级")
        self.check_open(now)
        target.check_open(now)
        self.check_member(learner)
        self._learner_moved_out(learner_id=learner.learner_id, to_class_id=target.id)
        target._learner_moved_in(learner_id=learner.learner_id, from_class_id=self.id)
        placement.move(target.id)

    @event("LearnerMovedOut")
    def _learner_moved_out(self, learner_id: uuid.UUID, to_class_id: uuid.UUID) -> None:
        self.members.discard(learner_id)

    @event("LearnerMovedIn")
    def _learner_moved_in(self, learner_id: uuid.UUID, from_class_id: uuid.UUID) -> None:
        self.members.add(learner_id)


class ClassPlacement(DomainAggregate):
    """The class a learner is in for one course (none after a removal)."""

    @staticmethod
    def create_id(learner_id: uuid.UUID, course_id: uuid.UUID) -> uuid.UUID:
        return key_id("class_placement", f"{learner_id}:{course_id}")

    @event("Placed")
    def __init__(self, learner_id: uuid.UUID, course_id: uuid.UUID, class_id: uuid.UUID) -> None:
        self.learner_id = learner_id
        self.course_id = course_id
        self.class_id: uuid.UUID | None = class_id

    def place_again(self, class_id: uuid.UUID) -> None:
        self._placed_again(class_id=class_id)

    @event("PlacedAgain")
    def _placed_again(self, class_id: uuid.UUID) -> None:
        self.class_id = class_id

    def move(self, class_id: uuid.UUID) -> None:
        self._moved(class_id=class_id)

    @event("Moved")
    def _moved(self, class_id: uuid.UUID) -> None:
        self.class_id = class_id

    def release(self) -> None:
        self._released()

    @event("Released")
    def _released(self) -> None:
        self.class_id = None


def check_unplaced(placement: ClassPlacement | None, learner: LearnerFacts) -> None:
    if placement is not None and placement.class_id is not None:
        raise DomainError(
            "course_class.learner_in_another_class",
            f"学生“{learner.name}”（{learner.student_number}）已在本课程的另一个班级中，如需调整请使用【调班】",
        )


def place(existing: ClassPlacement | None, learner_id: uuid.UUID, course_id: uuid.UUID, class_id: uuid.UUID) -> ClassPlacement:
    if existing is None:
        return ClassPlacement(learner_id=learner_id, course_id=course_id, class_id=class_id)
    existing.place_again(class_id)
    return existing
