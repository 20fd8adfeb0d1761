"""Use cases of the curriculum (requirements/curriculum.md): academic affairs maintains courses, the
programmes' course lists, selection batches and exam batches; school finance sets the fee
standards. Each use case: role check, load, one domain call inside `recording`, one save."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date

from application.common.actor import Actor
from application.common.loading import listing_in, load
from application.common.ports import EventStore
from application.common.recording import recording
from domains.admissions.batches import TrainingProgramme
from domains.curriculum.batches import ExamBatch, SelectionBatch
from domains.curriculum.course import Course
from domains.curriculum.fees import FeeStandard
from domains.curriculum.levels import parse_level
from domains.curriculum.period import Period
from domains.curriculum.programme_curriculum import ProgrammeCurriculum
from domains.shared.aggregate import RecordIndex, UniqueKey, key_id
from domains.shared.errors import DomainError, InvalidInput, NotFound
from domains.shared.money import Money
from domains.shared.values import Role, optional_text

MAINTAINERS = (Role.ACADEMIC_AFFAIRS,)
# The selection and exam batches that ever held a course, listed in the save that adds it to
# each: course selection finds a course's batches without a read model, and each loaded batch
# then says whether it still offers the course (ADR 0016).
COURSE_BATCHES = "course_batches"


def parse_day(raw: str | None, field: str) -> date:
    try:
        day = date.fromisoformat((raw or "").strip())
    except ValueError:
        raise InvalidInput("date.malformed", "日期格式须为 YYYY-MM-DD", field=field) from None
    if not 2000 <= day.year <= 2099:  # also keeps "a month after" and "the day after" in range
        raise InvalidInput("date.out_of_range", "日期须在2000年至2099年之间", field=field)
    return day


def note(raw: str | None, field: str = "reason", label: str = "说明") -> str | None:
    """A reason or comment recorded with the events (their metadata): optional, at most 200
    characters, so every audit row can hold it."""
    return optional_text(raw, field, label, 200)


def days(first: str | None, last: str | None, field: str) -> Period:
    """A period of whole days in Shanghai, both named days included."""
    return Period.of_days(parse_day(first, f"{field}_starts_on"), parse_day(last, f"{field}_ends_on"))


def fen(raw: int, field: str) -> Money:
    """Amounts arrive in fen, as integers; anything else is refused with the field named."""
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0 or raw > 100_000_000:
        raise InvalidInput("money.invalid", "金额须为0至100000000之间的整数（分）", field=field)
    return Money(raw)


class Curriculum:
    def __init__(self, store: EventStore) -> None:
        self.store = store

    def _claim(self, kind: str, key: str, owner: uuid.UUID, taken: str) -> UniqueKey:
        if self.store.find(key_id(kind, key)) is not None:
            raise DomainError(f"{kind}.taken", taken)
        return UniqueKey(kind=kind, key=key, owner_id=owner)

    def _course(self, course_id: uuid.UUID) -> Course:
        return load(self.store, course_id, Course, "课程")

    def _courses(self, course_ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
        """Every course named must exist; returned once each, in the order given."""
        ids = list(dict.fromkeys(course_ids))
        for course_id in ids:
            self._course(course_id)
        return ids

    # -- courses ----------------------------------------------------------------------------

    def register_course(self, actor: Actor, code: str, name: str, credits: str | int, levels: Sequence[str]) -> uuid.UUID:
        role = actor.require(*MAINTAINERS)
        with recording(actor, role):
            course = Course.register(code, name, credits, levels)
            claim = self._claim("course_code", course.code, course.id, f"课程代码“{course.code}”已存在")
        self.store.save(course, claim)
        return course.id

    def publish_course(self, actor: Actor, course_id: uuid.UUID) -> None:
        role = actor.require(*MAINTAINERS)
        course = self._course(course_id)
        with recording(actor, role):
            course.publish()
        self.store.save(course)

    def close_course(self, actor: Actor, course_id: uuid.UUID, reason: str | None = None) -> None:
        role = actor.require(*MAINTAINERS)
        course = self._course(course_id)
        with recording(actor, role, note(reason)):
            course.close()
        self.store.save(course)

    def change_course_levels(self, actor: Actor, course_id: uuid.UUID, levels: Sequence[str]) -> None:
        role = actor.require(*MAINTAINERS)
        course = self._course(course_id)
        with recording(actor, role):
            course.change_levels(levels)
        self.store.save(course)

    def add_course_version(self, actor: Actor, course_id: uuid.UUID, version: str) -> None:
        role = actor.require(*MAINTAINERS)
        course = self._course(course_id)
        with recording(actor, role):
            course.add_version(version)
        self.store.save(course)

    def use_course_version(self, actor: Actor, course_id: uuid.UUID, version: str) -> None:
        role = actor.require(*MAINTAINERS)
        course = self._course(course_id)
        with recording(actor, role):
            course.use_version((version or "").strip())
        self.store.save(course)

    def submit_assessment(self, actor: Actor, course_id: uuid.UUID, includes_final_exam: bool, description: str) -> None:
        role = actor.require(*MAINTAINERS)
        course = self._course(course_id)
        with recording(actor, role):
            course.submit_assessment(includes_final_exam, description)
        self.store.save(course)

    def approve_assessment(self, actor: Actor, course_id: uuid.UUID, comment: str | None = None) -> None:
        role = actor.require(*MAINTAINERS)
        course = self._course(course_id)
        with recording(actor, role, note(comment, "comment")):
            course.approve_assessment()
        self.store.save(course)

    def reject_assessment(self, actor: Actor, course_id: uuid.UUID, reason: str) -> None:
        role = actor.require(*MAINTAINERS)
        course = self._course(course_id)
        with recording(actor, role, note(reason)):
            course.reject_assessment(reason)
        self.store.save(course)

    # -- a programme's course list ----------------------------------------------------------

    def add_programme_course(
        self, actor: Actor, programme_id: uuid.UUID, course_id: uuid.UUID, suggested_semester: int | str
    ) -> None:
        """The list is started with its first course; the programme (admissions) gives its level."""
        role = actor.require(*MAINTAINERS)
        programme = load(self.store, programme_id, TrainingProgramme, "培养方案")
        course = self._course(course_id)
        listing = self.store.find(ProgrammeCurriculum.create_id(programme_id))
        with recording(actor, role):
            if listing is None:
                listing = ProgrammeCurriculum.start(programme_id, programme.level)
            listing.add_course(course, suggested_semester)
        self.store.save(listing)

    def _listing(self, programme_id: uuid.UUID) -> ProgrammeCurriculum:
        return load(self.store, ProgrammeCurriculum.create_id(programme_id), ProgrammeCurriculum, "培养方案课程设置")

    def move_programme_course(
        self, actor: Actor, programme_id: uuid.UUID, course_id: uuid.UUID, suggested_semester: int | str
    ) -> None:
        role = actor.require(*MAINTAINERS)
        listing = self._listing(programme_id)
        with recording(actor, role):
            listing.move_course(course_id, suggested_semester)
        self.store.save(listing)

    def remove_programme_course(self, actor: Actor, programme_id: uuid.UUID, course_id: uuid.UUID) -> None:
        role = actor.require(*MAINTAINERS)
        listing = self._listing(programme_id)
        with recording(actor, role):
            listing.remove_course(course_id)
        self.store.save(listing)

    # -- selection batches ------------------------------------------------------------------

    def register_selection_batch(
        self,
        actor: Actor,
        *,
        code: str,
        name: str,
        selection_starts_on: str,
        selection_ends_on: str,
        drop_starts_on: str | None = None,
        drop_ends_on: str | None = None,
        course_ids: Sequence[uuid.UUID] = (),
    ) -> uuid.UUID:
        """Without a drop period the default applies: from selection start to a month after it ends."""
        role = actor.require(*MAINTAINERS)
        selection = days(selection_starts_on, selection_ends_on, "selection")
        drop = days(drop_starts_on, drop_ends_on, "drop") if (drop_starts_on or drop_ends_on) else None
        courses = self._courses(course_ids)
        with recording(actor, role):
            batch = SelectionBatch.register(code, name, selection, drop, courses)
            claim = self._claim("selection_batch_code", batch.code, batch.id, f"选课批次代码“{batch.code}”已存在")
            indexes = self._held_in(batch.id, courses)
        self.store.save(batch, claim, *indexes)
        return batch.id

    def change_selection_periods(
        self,
        actor: Actor,
        batch_id: uuid.UUID,
        *,
        selection_starts_on: str,
        selection_ends_on: str,
        drop_starts_on: str,
        drop_ends_on: str,
        reason: str | None = None,
    ) -> None:
        role = actor.require(*MAINTAINERS)
        batch = load(self.store, batch_id, SelectionBatch, "选课批次")
        selection = days(selection_starts_on, selection_ends_on, "selection")
        drop = days(drop_starts_on, drop_ends_on, "drop")
        with recording(actor, role, note(reason)):
            batch.change_periods(selection, drop)
        self.store.save(batch)

    def register_exam_batch(
        self,
        actor: Actor,
        *,
        code: str,
        name: str,
        registration_starts_on: str,
        registration_ends_on: str,
        course_ids: Sequence[uuid.UUID] = (),
    ) -> uuid.UUID:
        role = actor.require(*MAINTAINERS)
        registration = days(registration_starts_on, registration_ends_on, "registration")
        courses = self._courses(course_ids)
        with recording(actor, role):
            batch = ExamBatch.register(code, name, registration, courses)
            claim = self._claim("exam_batch_code", batch.code, batch.id, f"考试批次代码“{batch.code}”已存在")
            indexes = self._held_in(batch.id, courses)
        self.store.save(batch, claim, *indexes)
        return batch.id

    def change_exam_registration_period(
        self, actor: Actor, batch_id: uuid.UUID, *, registration_starts_on: str, registration_ends_on: str,
        reason: str | None = None,
    ) -> None:
        role = actor.require(*MAINTAINERS)
        batch = load(self.store, batch_id, ExamBatch, "考试批次")
        registration = days(registration_starts_on, registration_ends_on, "registration")
        with recording(actor, role, note(reason)):
            batch.change_registration_period(registration)
        self.store.save(batch)

    def _held_in(self, batch_id: uuid.UUID, course_ids: Sequence[uuid.UUID]) -> list[RecordIndex]:
        """Each course's index of the batches that hold it gains this batch (see `COURSE_BATCHES`)."""
        return listing_in(self.store, COURSE_BATCHES, [str(c) for c in course_ids], batch_id)

    def _batch(self, batch_id: uuid.UUID) -> SelectionBatch | ExamBatch:
        batch = self.store.find(batch_id)
        if not isinstance(batch, (SelectionBatch, ExamBatch)):
            raise NotFound("not_found", "批次不存在")
        return batch

    def add_batch_courses(self, actor: Actor, batch_id: uuid.UUID, course_ids: Sequence[uuid.UUID]) -> None:
        """For a selection batch or an exam batch alike."""
        role = actor.require(*MAINTAINERS)
        batch = self._batch(batch_id)
        courses = self._courses(course_ids)
        if not courses:
            raise InvalidInput("batch.courses_required", "请选择课程", field="course_ids")
        with recording(actor, role):
            batch.add_courses(courses)
            indexes = self._held_in(batch.id, courses)
        self.store.save(batch, *indexes)

    def remove_batch_course(self, actor: Actor, batch_id: uuid.UUID, course_id: uuid.UUID) -> None:
        role = actor.require(*MAINTAINERS)
        batch = self._batch(batch_id)
        with recording(actor, role):
            batch.remove_course(course_id)
        self.store.save(batch)

    # -- fee standards (school finance) -----------------------------------------------------

    def set_fee_standard(
        self, actor: Actor, level: str, credit_fee_per_credit_fen: int, exam_fee_per_course_fen: int,
        reason: str | None = None,
    ) -> None:
        """Sets or changes the standard of one education level; issued bills keep their amounts."""
        role = actor.require(Role.FINANCE)
        education_level = parse_level(level)
        credit = fen(credit_fee_per_credit_fen, "credit_fee_per_credit_fen")
        exam = fen(exam_fee_per_course_fen, "exam_fee_per_course_fen")
        standard = self.store.find(FeeStandard.create_id(education_level.value))
        with recording(actor, role, note(reason)):
            if standard is None:
                standard = FeeStandard.set(education_level, credit, exam, role)
            else:
                standard.change(credit, exam, role)
        self.store.save(standard)
