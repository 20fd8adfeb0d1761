"""Enrollment: one learner's selection of one course (选课), from selection to payment or drop.

  awaiting_payment (待缴费)  selected; bills issued, not all paid
  paid (选课成功)            every bill paid: the learner may study (requirements/enrolment.md §3.1)
  dropped (已退课)           unpaid: its bills voided; paid: through the refund chain
                             (requirements/enrolment.md §4.2)

The id is derived from (learner, course), so "a course already selected is not selected again"
(requirements/enrolment.md §2.4) holds across concurrent requests: a second selection is a second aggregate
with the same id, and the atomic save fails. A dropped course may be selected again later, as
a new selection on the same aggregate.

"May the learner study this course" is `may_study_course`, here and nowhere else: a paid
selection of a learner still enrolled (在籍), with no drop under review that stops study (the
refund's status decides that, requirements/finance.md §3.3). Read models and screens ask it.

A change of major (转专业) moves the learner to another programme: each of their courses then
records whether it counts for graduation there (the new programme lists the course) or keeps
only its grade (requirements/enrolment.md §5.1), so the credit it earns is counted in the new programme or not.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from eventsourcing.domain import event

from domains.enrolment.policy import CourseNotSelectable, CourseOffer, already_selected, check_selectable
from domains.finance.refund import RefundStatus
from domains.shared.aggregate import DomainAggregate, key_id
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.values import require_aware


class EnrollmentStatus(StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return {"awaiting_payment": "待缴费", "paid": "选课成功", "dropped": "已退课"}[self.value]

    @property
    def holds_course(self) -> bool:
        """The course is the learner's (awaiting payment or paid), so it is "already selected" and
        not selected again (requirements/enrolment.md §2.4); a dropped course may be selected anew."""
        return self is not EnrollmentStatus.DROPPED

    @property
    def counts_for_graduation(self) -> bool:
        """A dropped course (unpaid and voided, or paid and refunded) earns nothing toward
        graduation; a course still selected does, if the learner's programme lists it
        (requirements/enrolment.md §5)."""
        return self is not EnrollmentStatus.DROPPED


def may_study_course(
    selection: EnrollmentStatus, drop_review: RefundStatus | None = None, *, learner_enrolled: bool = True
) -> bool:
    """May the learner study this course: every bill of the selection paid (requirements/enrolment.md §2.2
    note 3), the learner still enrolled, and no drop under review whose status stops study
    (`drop_review` is the open drop request's refund status, None without one)."""
    return (
        learner_enrolled
        and selection is EnrollmentStatus.PAID
        and (drop_review is None or drop_review.may_study)
    )


def may_still_be_dropped(selection: EnrollmentStatus, *, drop_requested: bool) -> bool:
    """Neither dropped nor already asked to be dropped (a withdrawal offers it to drop first,
    when its batch's drop period is open)."""
    return selection.holds_course and not drop_requested


def _bills(bill_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    bills = list(dict.fromkeys(bill_ids))
    if not bills:
        raise InvalidInput("enrollment.bills_required", "选课须生成缴费单", field="bill_ids")
    return bills


class Enrollment(DomainAggregate):
    @staticmethod
    def create_id(learner_id: uuid.UUID, course_id: uuid.UUID) -> uuid.UUID:
        return key_id("enrollment", f"{learner_id}:{course_id}")

    @event("CourseSelected")
    def __init__(
        self,
        learner_id: uuid.UUID,
        course_id: uuid.UUID,
        teaching_point_id: uuid.UUID,
        programme_id: uuid.UUID,
        selection_batch_id: uuid.UUID,
        exam_batch_id: uuid.UUID,
        includes_final_exam: bool,
        bill_ids: list[uuid.UUID],
        selected_at: datetime,
    ) -> None:
        self.learner_id = learner_id
        self.course_id = course_id
        self._start(
            teaching_point_id, programme_id, selection_batch_id, exam_batch_id, includes_final_exam, bill_ids, selected_at
        )

    def _start(
        self,
        teaching_point_id: uuid.UUID,
        programme_id: uuid.UUID,
        selection_batch_id: uuid.UUID,
        exam_batch_id: uuid.UUID,
        includes_final_exam: bool,
        bill_ids: list[uuid.UUID],
        selected_at: datetime,
    ) -> None:
        self.teaching_point_id = teaching_point_id
        self.programme_id = programme_id
        self.selection_batch_id = selection_batch_id
        self.exam_batch_id = exam_batch_id
        self.includes_final_exam = includes_final_exam
        self.bill_ids = list(bill_ids)  # a copy: events are never changed
        self.selected_at = selected_at
        self.paid_bill_ids: list[uuid.UUID] = []
        self.paid_at: datetime | None = None
        self.drop_request_id: uuid.UUID | None = None
        self.dropped_at: datetime | None = None
        self.status = EnrollmentStatus.AWAITING_PAYMENT.value
        self.listed_in_programme = True  # selected in the learner's programme

    @classmethod
    def select(
        cls,
        learner_id: uuid.UUID,
        teaching_point_id: uuid.UUID,
        programme_id: uuid.UUID,
        offer: CourseOffer,
        bill_ids: Sequence[uuid.UUID],
        at: datetime,
    ) -> Enrollment:
        """Selection by the learner or by the teaching point; the same six conditions apply."""
        chosen = check_selectable(offer, at)
        return cls(
            learner_id=learner_id,
            course_id=offer.course_id,
            teaching_point_id=teaching_point_id,
            programme_id=programme_id,
            selection_batch_id=chosen.selection.batch_id,
            exam_batch_id=chosen.exam_registration.batch_id,
            includes_final_exam=offer.includes_final_exam,
            bill_ids=_bills(bill_ids),
            selected_at=at,
        )

    # Whether the learner's programme lists the course (a class default: selections recorded
    # before this rule existed are listed).
    listed_in_programme: bool = True

    @property
    def enrollment_status(self) -> EnrollmentStatus:
        return EnrollmentStatus(self.status)

    @property
    def counts_for_graduation(self) -> bool:
        """计入毕业学分: listed in the learner's programme and not dropped."""
        return self.listed_in_programme and self.enrollment_status.counts_for_graduation

    @property
    def may_study(self) -> bool:
        """For the selection alone: the drop under review and the learner's status are not
        this aggregate's (see `may_study_course`)."""
        return may_study_course(self.enrollment_status)

    @property
    def holds_course(self) -> bool:
        return self.enrollment_status.holds_course

    @property
    def may_still_be_dropped(self) -> bool:
        return may_still_be_dropped(self.enrollment_status, drop_requested=self.drop_request_id is not None)

    @property
    def has_payments(self) -> bool:
        return bool(self.paid_bill_ids)

    def _check_not_dropped(self) -> None:
        if self.enrollment_status is EnrollmentStatus.DROPPED:
            raise DomainError("enrollment.dropped", "该课程已退课")

    def reselect(
        self,
        teaching_point_id: uuid.UUID,
        programme_id: uuid.UUID,
        offer: CourseOffer,
        bill_ids: Sequence[uuid.UUID],
        at: datetime,
    ) -> None:
        """Only a dropped course is selected again; otherwise it is already the learner's."""
        if offer.course_id != self.course_id:
            raise InvalidInput("enrollment.other_course", "课程与选课记录不符", field="course_id")
        if self.holds_course:
            raise CourseNotSelectable([already_selected(offer.course_name)])
        chosen = check_selectable(offer, at)
        self._reselected(
            teaching_point_id=teaching_point_id,
            programme_id=programme_id,
            selection_batch_id=chosen.selection.batch_id,
            exam_batch_id=chosen.exam_registration.batch_id,
            includes_final_exam=offer.includes_final_exam,
            bill_ids=_bills(bill_ids),
            selected_at=at,
        )

    @event("CourseReselected")
    def _reselected(
        self,
        teaching_point_id: uuid.UUID,
        programme_id: uuid.UUID,
        selection_batch_id: uuid.UUID,
        exam_batch_id: uuid.UUID,
        includes_final_exam: bool,
        bill_ids: list[uuid.UUID],
        selected_at: datetime,
    ) -> None:
        self._start(
            teaching_point_id, programme_id, selection_batch_id, exam_batch_id, includes_final_exam, bill_ids, selected_at
        )

    # -- payment: the selection succeeds when its last bill is paid ---------------------------

    def record_payment(self, bill_id: uuid.UUID, at: datetime) -> None:
        """Told once per paid bill. A bill told twice (a retried callback) changes nothing."""
        self._check_not_dropped()
        if bill_id not in self.bill_ids:
            raise DomainError("enrollment.unknown_bill", "该缴费单不属于此选课")
        if bill_id in self.paid_bill_ids:
            return
        self._fee_paid(bill_id=bill_id, paid_at=require_aware(at))
        if set(self.paid_bill_ids) == set(self.bill_ids):
            self._selection_succeeded(paid_at=at)

    @event("FeePaid")
    def _fee_paid(self, bill_id: uuid.UUID, paid_at: datetime) -> None:
        self.paid_bill_ids.append(bill_id)

    @event("SelectionSucceeded")
    def _selection_succeeded(self, paid_at: datetime) -> None:
        self.paid_at = paid_at
        self.status = EnrollmentStatus.PAID.value

    # -- drop -----------------------------------------------------------------------------------

    def drop_unpaid(self, at: datetime) -> None:
        """Nothing paid, nothing to refund: the course is dropped at once and its bills voided
        in the same save (requirements/enrolment.md §4.2). Any payment sends the drop through the refund chain."""
        self._check_not_dropped()
        if self.has_payments:
            raise DomainError("enrollment.paid_drop_needs_refund", "该课程已有缴费，退课须提交退课申请并经审核退费")
        self._dropped(refund_id=None, dropped_at=require_aware(at))

    def request_drop(self, refund_id: uuid.UUID, at: datetime) -> None:
        """Saved with the new refund: one open drop request per course, even under concurrency."""
        self._check_not_dropped()
        if not self.has_payments:
            raise DomainError("enrollment.unpaid_drop_voids_bills", "该课程尚未缴费，退课直接作废缴费单，无需退费审核")
        if self.drop_request_id is not None:
            raise DomainError("enrollment.drop_already_requested", "该课程已有退课申请在处理中")
        self._drop_requested(refund_id=refund_id, requested_at=require_aware(at))

    @event("DropRequested")
    def _drop_requested(self, refund_id: uuid.UUID, requested_at: datetime) -> None:
        self.drop_request_id = refund_id

    def _check_open_request(self, refund_id: uuid.UUID) -> None:
        if self.drop_request_id is None or self.drop_request_id != refund_id:
            raise DomainError("enrollment.no_such_drop_request", "该课程没有这条在处理中的退课申请")

    def close_drop_request(self, refund_id: uuid.UUID, at: datetime) -> None:
        """The request was rejected or cancelled: the course stays selected, a new request may follow."""
        self._check_open_request(refund_id)
        self._drop_request_closed(refund_id=refund_id, closed_at=require_aware(at))

    @event("DropRequestClosed")
    def _drop_request_closed(self, refund_id: uuid.UUID, closed_at: datetime) -> None:
        self.drop_request_id = None

    def complete_drop(self, refund_id: uuid.UUID, at: datetime) -> None:
        """The refund was paid out: the course is dropped."""
        self._check_open_request(refund_id)
        self._dropped(refund_id=refund_id, dropped_at=require_aware(at))

    @event("CourseDropped")
    def _dropped(self, refund_id: uuid.UUID | None, dropped_at: datetime) -> None:
        self.drop_request_id = None
        self.dropped_at = dropped_at
        self.status = EnrollmentStatus.DROPPED.value

    # -- change of major (转专业) ------------------------------------------------------------------

    def assess_for_programme(self, status_change_id: uuid.UUID, programme_id: uuid.UUID, listed: bool) -> None:
        """The learner's change of major was approved: the course counts for graduation in the
        new programme when that programme lists it (`listed`); otherwise it keeps only its
        grade. Recorded in the approval's own save."""
        self._assessed_for_programme(
            status_change_id=status_change_id, programme_id=programme_id, counts_for_graduation=listed
        )

    @event("AssessedForProgramme")
    def _assessed_for_programme(
        self, status_change_id: uuid.UUID, programme_id: uuid.UUID, counts_for_graduation: bool
    ) -> None:
        self.listed_in_programme = counts_for_graduation
