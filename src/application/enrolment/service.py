"""Use cases of course selection and course drops (requirements/enrolment.md §1, §2.2, §2.3, §2.5, §4).

Selecting a course writes, in one atomic save: its bills (credit fee; exam fee when the course
has a final exam), the Enrollment, and the final-exam registration. The six preconditions are
the enrolment policy's; the facts it needs come from the curriculum's aggregates, gathered here
into a `CourseOffer`. Which batches hold a course is looked up in the course's index of batches
(a batch is then loaded and its own periods decide), so nothing is decided on a read model that
may lag (ADR 0016).

A drop of an unpaid course happens at once (its bills voided, its exam registration cancelled);
a drop of a paid course is a refund request that travels the review chain (see finance).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.loading import indexed, load
from application.common.ports import Clock, EventStore
from application.common.recording import recording
from application.curriculum.service import COURSE_BATCHES, note
from domains.curriculum.batches import ExamBatch, SelectionBatch
from domains.curriculum.course import Course
from domains.curriculum.fees import FeeStandard, course_fees
from domains.curriculum.levels import EducationLevel
from domains.curriculum.programme_curriculum import ProgrammeCurriculum
from domains.enrolment.enrollment import Enrollment
from domains.enrolment.policy import (
    CourseOffer,
    Selectable,
    UnmetCondition,
    Window,
    already_selected,
    check_selectable,
    not_yet_selected,
    unmet_conditions,
)
from domains.exams.registration import (
    ExamRegistration,
    RegistrationKind,
    RegistrationStatus,
)
from domains.finance.bill import Bill, BillStatus, FeeType
from domains.finance.refund import Refund
from domains.learners.learner import Learner
from domains.shared.aggregate import RecordIndex
from domains.shared.errors import DomainError, InvalidInput, NotFound
from domains.shared.values import Role

SELECTORS = (Role.TEACHING_POINT_ADMIN, Role.LEARNER)
CONFLICT = "concurrency.conflict"


class CoursesNotSelectable(DomainError):
    """Every refused course with every unmet condition: a screen shows them all at once. The
    code is the first condition's; `details["courses"]` lists each course."""

    def __init__(self, refused: list[tuple[Course, list[UnmetCondition]]]) -> None:
        first = refused[0][1][0]
        super().__init__(
            first.code,
            "；".join(u.message for _, unmet in refused for u in unmet),
            courses=[
                {
                    "course_id": str(course.id),
                    "course_code": course.code,
                    "course_name": course.name,
                    "unmet": [{"condition": u.number, "code": u.code, "message": u.message} for u in unmet],
                }
                for course, unmet in refused
            ],
        )


@dataclass
class Selection:
    enrollment_ids: list[uuid.UUID] = field(default_factory=list)
    bill_ids: list[uuid.UUID] = field(default_factory=list)
    exam_registration_ids: list[uuid.UUID] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # names of courses already selected


@dataclass
class LearnerSelection:
    """One learner's result of a batch selection."""

    learner_id: uuid.UUID
    ok: bool
    result: Selection | None = None
    code: str | None = None
    message: str | None = None


@dataclass
class SelectionCatalogue:
    """What one selection call knows of the chosen courses: loaded once, reused per learner."""

    courses: list[Course]
    standards: dict[str, FeeStandard]
    now: datetime
    offers: dict[uuid.UUID, dict[uuid.UUID, CourseOffer]] = field(default_factory=dict)  # by programme
    # What the preconditions say of a course for a programme: the same for every learner of it.
    verdicts: dict[tuple[uuid.UUID, uuid.UUID], tuple[tuple[UnmetCondition, ...], Selectable | None]] = field(
        default_factory=dict
    )


@dataclass
class DropOutcome:
    dropped: list[uuid.UUID] = field(default_factory=list)  # unpaid: dropped at once
    refund_ids: list[uuid.UUID] = field(default_factory=list)  # paid: a refund request each


def learner_for(store: EventStore, actor: Actor, role: Role, learner_id: uuid.UUID | None) -> Learner:
    """A learner acts for themselves only; a teaching point for its own learners. Anyone else's
    learner is reported as not found."""
    if role is Role.LEARNER:
        if actor.learner_id is None or (learner_id is not None and learner_id != actor.learner_id):
            raise NotFound("not_found", "学生不存在")
        learner_id = actor.learner_id
    if learner_id is None:
        raise InvalidInput("field.required", "请选择学生", field="learner_id")
    learner = store.find(learner_id)
    if not isinstance(learner, Learner):
        raise NotFound("not_found", "学生不存在")
    if role is not Role.LEARNER:
        actor.check_teaching_point(learner.teaching_point_id, "学生")
    return learner


def check_own(actor: Actor, role: Role, learner_id: uuid.UUID, teaching_point_id: uuid.UUID, what: str) -> None:
    """The record is the acting learner's own, or of the acting staff's teaching point."""
    if role is Role.LEARNER:
        if actor.learner_id != learner_id:
            raise NotFound("not_found", f"{what}不存在")
    else:
        actor.check_teaching_point(teaching_point_id, what)


class Enrolment:
    def __init__(self, store: EventStore, clock: Clock, read: Callable[[], Connection]) -> None:
        self.store = store
        self.clock = clock
        self.read = read

    # -- what the curriculum says about a course ---------------------------------------------

    def _batch_ids(self, course_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
        """The batches that ever held each course, from the courses' indexes (not a read model)."""
        found = self.store.find_many([RecordIndex.create_id(COURSE_BATCHES, str(c)) for c in course_ids])
        held = {}
        for course_id in course_ids:
            index = found.get(RecordIndex.create_id(COURSE_BATCHES, str(course_id)))
            if isinstance(index, RecordIndex):
                held[course_id] = list(index.ids)
        return held

    def _offers(
        self, courses: Sequence[Course], listing: ProgrammeCurriculum | None, standards: dict[str, FeeStandard]
    ) -> dict[uuid.UUID, CourseOffer]:
        held = self._batch_ids([c.id for c in courses])
        batches: dict[uuid.UUID, Any] = {}
        offers = {}
        for course in courses:
            selection: list[Window] = []
            exams: list[Window] = []
            for batch_id in sorted(held.get(course.id, []), key=str):
                if batch_id not in batches:
                    batches[batch_id] = self.store.find(batch_id)
                batch = batches[batch_id]
                if isinstance(batch, SelectionBatch) and batch.offers(course.id):
                    selection.append(Window(batch.id, batch.name, batch.selection_starts_at, batch.selection_ends_at))
                elif isinstance(batch, ExamBatch) and batch.offers(course.id):
                    exams.append(Window(batch.id, batch.name, batch.registration_starts_at, batch.registration_ends_at))
            offers[course.id] = CourseOffer(
                course_id=course.id,
                course_name=course.name,
                published=course.is_published,
                version_in_use=course.version_in_use,
                assessment_approved=course.has_approved_assessment,
                includes_final_exam=course.includes_final_exam,
                course_levels=tuple(course.levels),
                fee_standard_levels=frozenset(standards),
                selection_windows=tuple(selection),
                exam_registration_windows=tuple(exams),
                in_programme=listing is not None and listing.includes(course.id),
            )
        return offers

    def _standards(self) -> dict[str, FeeStandard]:
        return fee_standards(self.store)

    # -- selection ----------------------------------------------------------------------------

    def select_courses(
        self, actor: Actor, learner_id: uuid.UUID | None, course_ids: Iterable[uuid.UUID]
    ) -> Selection:
        """Several courses of the learner's programme at once, all or none: a course that cannot
        be selected refuses the request, naming every unmet condition of every such course."""
        role = actor.require(*SELECTORS)
        learner = learner_for(self.store, actor, role, learner_id)
        catalogue = self._catalogue(course_ids)
        existing = self._records([learner], catalogue)
        with recording(actor, role):
            to_save, result = self._selection(learner, catalogue, existing, skip_selected=False)
        self.store.save(*to_save)
        return result

    def select_for_learners(
        self, actor: Actor, learner_ids: Sequence[uuid.UUID], course_ids: Iterable[uuid.UUID], chunk: int = 100
    ) -> list[LearnerSelection]:
        """Batch selection for a cohort (requirements/enrolment.md §2.3): the same courses for each learner,
        each learner on their own (all of their courses or none), courses a learner already
        selected skipped. Every chunk of learners is one atomic write; if someone else touched
        one of them meanwhile, that chunk goes learner by learner."""
        role = actor.require(Role.TEACHING_POINT_ADMIN)
        catalogue = self._catalogue(course_ids)
        outcomes: list[LearnerSelection] = []
        for start in range(0, len(learner_ids), chunk):
            part = list(dict.fromkeys(learner_ids[start : start + chunk]))
            try:
                outcomes += self._select_chunk(actor, role, part, catalogue)
            except DomainError as exc:
                if exc.code != CONFLICT:
                    raise
                for learner_id in part:
                    try:
                        outcomes += self._select_chunk(actor, role, [learner_id], catalogue)
                    except DomainError as one:
                        outcomes.append(LearnerSelection(learner_id, False, code=one.code, message=one.message))
        return outcomes

    def _select_chunk(
        self, actor: Actor, role: Role, learner_ids: list[uuid.UUID], catalogue: SelectionCatalogue
    ) -> list[LearnerSelection]:
        found = self.store.find_many(learner_ids)
        found.update(self._records([x for x in found.values() if isinstance(x, Learner)], catalogue))
        outcomes: list[LearnerSelection] = []
        to_save: list[Any] = []
        with recording(actor, role):
            for learner_id in learner_ids:
                learner = found.get(learner_id)
                try:
                    if not isinstance(learner, Learner) or not actor.can_see_teaching_point(learner.teaching_point_id):
                        raise NotFound("not_found", "学生不存在或不属于本教学点")
                    saving, result = self._selection(learner, catalogue, found, skip_selected=True)
                except DomainError as exc:
                    outcomes.append(LearnerSelection(learner_id, False, code=exc.code, message=exc.message))
                    continue
                to_save += saving
                outcomes.append(LearnerSelection(learner_id, True, result=result))
        if to_save:
            self.store.save(*to_save)
        return outcomes

    def _catalogue(self, course_ids: Iterable[uuid.UUID]) -> SelectionCatalogue:
        ids = list(dict.fromkeys(course_ids))
        if not ids:
            raise InvalidInput("selection.courses_required", "请选择课程", field="course_ids")
        courses = [load(self.store, cid, Course, "课程") for cid in ids]
        return SelectionCatalogue(courses, self._standards(), self.clock.now())

    @staticmethod
    def _selected(found: Mapping[uuid.UUID, Any], learner_id: uuid.UUID, course_id: uuid.UUID) -> bool:
        previous = found.get(Enrollment.create_id(learner_id, course_id))
        return isinstance(previous, Enrollment) and previous.holds_course

    def _records(self, learners: Sequence[Learner], catalogue: SelectionCatalogue) -> dict[uuid.UUID, Any]:
        """The learners' enrollments in the chosen courses, the final-exam registrations a
        selection would take up again and each learner's index of enrollments, read in bulk."""
        ids = []
        for learner in learners:
            ids.append(RecordIndex.create_id(ENROLLMENTS, str(learner.id)))
            for course in catalogue.courses:
                ids.append(Enrollment.create_id(learner.id, course.id))
                _, chosen = self._verdict(catalogue, learner.programme_id, course)
                if course.includes_final_exam and chosen is not None:
                    ids.append(ExamRegistration.create_id(learner.id, course.id, chosen.exam_registration.batch_id))
        return self.store.find_many(ids)

    def _verdict(
        self, catalogue: SelectionCatalogue, programme_id: uuid.UUID, course: Course
    ) -> tuple[list[UnmetCondition], Selectable | None]:
        """The course's unmet conditions for the programme, or the windows it is selected in."""
        key = (programme_id, course.id)
        if key not in catalogue.verdicts:
            offer = self._listing_offers(catalogue, programme_id)[course.id]
            unmet = unmet_conditions(offer, catalogue.now)
            catalogue.verdicts[key] = (tuple(unmet), None if unmet else check_selectable(offer, catalogue.now))
        unmet_found, chosen = catalogue.verdicts[key]
        return list(unmet_found), chosen

    def _listing_offers(self, catalogue: SelectionCatalogue, programme_id: uuid.UUID) -> dict[uuid.UUID, CourseOffer]:
        """The courses' offers for one programme, worked out once per call."""
        if programme_id not in catalogue.offers:
            listing = self.store.find(ProgrammeCurriculum.create_id(programme_id))
            catalogue.offers[programme_id] = self._offers(
                catalogue.courses, listing if isinstance(listing, ProgrammeCurriculum) else None, catalogue.standards
            )
        return catalogue.offers[programme_id]

    def _selection(
        self, learner: Learner, catalogue: SelectionCatalogue, found: Mapping[uuid.UUID, Any], skip_selected: bool
    ) -> tuple[list[Any], Selection]:
        """One learner's courses checked and selected (in memory; the caller saves). Raises
        `CoursesNotSelectable` naming every unmet condition of every refused course."""
        if not learner.may_study:
            raise DomainError("selection.learner_not_enrolled", "该学生不是在籍状态，不能选课")
        offers = self._listing_offers(catalogue, learner.programme_id)
        result = Selection()
        taken = [c.id for c in catalogue.courses if self._selected(found, learner.id, c.id)]
        wanted = catalogue.courses
        if skip_selected:
            keep = set(not_yet_selected([c.id for c in wanted], taken))
            result.skipped = [c.name for c in wanted if c.id not in keep]
            wanted = [c for c in wanted if c.id in keep]
        refused: list[tuple[Course, list[UnmetCondition]]] = []
        for course in wanted:
            unmet, _ = self._verdict(catalogue, learner.programme_id, course)
            if course.id in taken:
                unmet.insert(0, already_selected(course.name))
            if unmet:
                refused.append((course, unmet))
        if refused:
            raise CoursesNotSelectable(refused)
        to_save: list[Any] = []
        created = []
        for course in wanted:
            previous = found.get(Enrollment.create_id(learner.id, course.id))
            if not isinstance(previous, Enrollment):
                created.append(Enrollment.create_id(learner.id, course.id))
            to_save += self._select(
                learner, course, offers[course.id], previous if isinstance(previous, Enrollment) else None,
                catalogue.standards, catalogue.now, result, found,
            )
        if created:
            index = found.get(RecordIndex.create_id(ENROLLMENTS, str(learner.id)))
            index = index if isinstance(index, RecordIndex) else RecordIndex(kind=ENROLLMENTS, key=str(learner.id))
            index.add(*created)
            to_save.append(index)
        return to_save, result

    def _select(
        self,
        learner: Learner,
        course: Course,
        offer: CourseOffer,
        previous: Enrollment | None,
        standards: dict[str, FeeStandard],
        now: datetime,
        result: Selection,
        found: Mapping[uuid.UUID, Any],
    ) -> list[Any]:
        chosen = check_selectable(offer, now)
        fees = course_fees(course.name, course.credit_tenths, course.levels, course.includes_final_exam, standards)
        enrollment_id = Enrollment.create_id(learner.id, course.id)
        exam_batch_id = chosen.exam_registration.batch_id
        registration_id = (
            ExamRegistration.create_id(learner.id, course.id, exam_batch_id) if course.includes_final_exam else None
        )
        tp = learner.teaching_point_id
        bills = [Bill.issue(learner.id, tp, course.id, FeeType.CREDIT_FEE, fees.credit_fee, now, enrollment_id=enrollment_id)]
        if fees.exam_fee is not None:
            bills.append(
                Bill.issue(
                    learner.id, tp, course.id, FeeType.EXAM_FEE, fees.exam_fee, now,
                    enrollment_id=enrollment_id, exam_registration_id=registration_id,
                )
            )
        bill_ids = [b.id for b in bills]
        if previous is None:
            enrollment = Enrollment.select(learner.id, tp, learner.programme_id, offer, bill_ids, now)
        else:
            enrollment = previous
            enrollment.reselect(tp, learner.programme_id, offer, bill_ids, now)
        touched: list[Any] = [*bills, enrollment]
        if registration_id is not None:
            registration = found.get(registration_id)
            if isinstance(registration, ExamRegistration):
                registration.register_again(enrollment.id, now)
            else:
                registration = ExamRegistration.register_final(learner.id, course.id, exam_batch_id, tp, enrollment.id, now)
            touched.append(registration)
            result.exam_registration_ids.append(registration.id)
        result.enrollment_ids.append(enrollment.id)
        result.bill_ids += bill_ids
        return touched

    # -- drops -----------------------------------------------------------------------------------

    def drop_courses(self, actor: Actor, enrollment_ids: Iterable[uuid.UUID], reason: str | None = None) -> DropOutcome:
        """Within the drop period, by the teaching point or the learner. An unpaid course is
        dropped at once (bills voided, exam registration cancelled); a paid one becomes a refund
        request for academic affairs. Several courses: all or none, one save."""
        role = actor.require(*SELECTORS)
        ids = list(dict.fromkeys(enrollment_ids))
        if not ids:
            raise InvalidInput("drop.courses_required", "请选择要退的课程", field="enrollment_ids")
        now = self.clock.now()
        outcome = DropOutcome()
        to_save: list[Any] = []
        for enrollment_id in ids:
            enrollment = load(self.store, enrollment_id, Enrollment, "选课记录")
            check_own(actor, role, enrollment.learner_id, enrollment.teaching_point_id, "选课记录")
            course = load(self.store, enrollment.course_id, Course, "课程")
            batch = load(self.store, enrollment.selection_batch_id, SelectionBatch, "选课批次")
            bills = [load(self.store, b, Bill, "缴费单") for b in enrollment.bill_ids]
            with recording(actor, role, note(reason)):
                batch.check_drop_open(course.id, course.name, now)
                if enrollment.has_payments:
                    refund = Refund.request(
                        enrollment.id, enrollment.learner_id, course.id, enrollment.teaching_point_id,
                        [b for b in bills if b.is_paid], role, reason, now,
                    )
                    enrollment.request_drop(refund.id, now)
                    to_save += [refund, enrollment]
                    outcome.refund_ids.append(refund.id)
                else:
                    enrollment.drop_unpaid(now)
                    to_save += [enrollment, *void_unpaid(bills, "未缴费退课", now)]
                    to_save += registrations_dropped(self.store, enrollment, now)
                    outcome.dropped.append(enrollment.id)
        self.store.save(*to_save)
        return outcome


def fee_standards(store: EventStore) -> dict[str, FeeStandard]:
    """The fee standards finance has set, by education level."""
    found = {}
    for level in EducationLevel:
        standard = store.find(FeeStandard.create_id(level.value))
        if isinstance(standard, FeeStandard):
            found[level.value] = standard
    return found


def void_unpaid(bills: Sequence[Bill], reason: str, at: datetime) -> list[Bill]:
    """Bills of a dropped course that still await payment are voided; one in transit refuses
    the drop (the money may yet arrive)."""
    voided = []
    for bill in bills:
        if bill.bill_status in (BillStatus.AWAITING_PAYMENT, BillStatus.REMITTANCE_IN_TRANSIT):
            bill.void(reason, at)
            voided.append(bill)
    return voided


# Every enrollment of a learner, listed in the save that first selects each course, so a status
# change finds the learner's courses without a read model (ADR 0016).
ENROLLMENTS = "enrollments"


def learner_enrollments(store: EventStore, learner_id: uuid.UUID) -> list[Enrollment]:
    """Every course the learner ever selected (dropped ones too), from the event store."""
    return [e for e in indexed(store, ENROLLMENTS, str(learner_id)).values() if isinstance(e, Enrollment)]


# A learner's resit registrations of a course and their own bills, listed in the save that
# registers each resit, so a drop finds them without a read model (ADR 0016).
RESITS = "resits"


def resit_key(learner_id: uuid.UUID, course_id: uuid.UUID) -> str:
    return f"{learner_id}:{course_id}"


def registrations_dropped(store: EventStore, enrollment: Enrollment, at: datetime) -> list[Any]:
    """A completed drop cancels the course's exam registrations (requirements/exams.md §2.4): the final
    exam registered with the selection, and any resit of the course not yet paid, whose bill is
    voided with it. A paid resit is never cancelled. Returns what changed, to be saved with the
    drop."""
    touched: list[Any] = []
    registration = final_registration(store, enrollment)
    if registration is not None and registration.cancellable:
        registration.cancel("course_dropped", at)
        touched.append(registration)
    found = indexed(store, RESITS, resit_key(enrollment.learner_id, enrollment.course_id)).values()
    pending = [
        r for r in found
        if isinstance(r, ExamRegistration) and r.registration_kind is RegistrationKind.RESIT
        and r.registration_status is RegistrationStatus.PENDING
    ]
    for resit in pending:
        if resit.cancellable:
            resit.cancel("course_dropped", at)
            touched.append(resit)
    ids = {r.id for r in pending}
    touched += void_unpaid([b for b in found if isinstance(b, Bill) and b.exam_registration_id in ids], "退课取消补考", at)
    return touched


def final_registration(store: EventStore, enrollment: Enrollment) -> ExamRegistration | None:
    """The final-exam registration made with this selection, if the course has a final exam.
    A resit of the course is never it: a drop or the selection's payment leaves a resit alone
    (it has its own bill, and once paid it is never cancelled, requirements/exams.md §3)."""
    if not enrollment.includes_final_exam:
        return None
    found = store.find(ExamRegistration.create_id(enrollment.learner_id, enrollment.course_id, enrollment.exam_batch_id))
    if isinstance(found, ExamRegistration) and found.registration_kind is RegistrationKind.FINAL:
        return found
    return None
