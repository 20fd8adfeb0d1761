"""Read model of course selections: each learner's courses with their study access.

Study access is the domain's `may_study_course`, never decided here: its inputs are kept
(`status`, `refund_status` of an open drop request, `learner_enrolled`) and `may_study` is
rewritten whenever one of them changes, so lists can filter on it. The row's other inputs are
not in the event, so the update says in SQL "the row's state is one the rule allows", with the
allowed states listed by asking the rule about every state.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Integer,
    String,
    Table,
    Uuid,
    and_,
    case,
    literal,
    or_,
    update,
)

from application.common.instant import Instant
from application.common.projection import Projection, handles, read_models
from application.curriculum.projection import utc
from domains.enrolment.enrollment import Enrollment, EnrollmentStatus, may_study_course
from domains.finance.refund import Refund, RefundStatus
from domains.learners.learner import Learner

enrollments = Table(
    "rm_enrollments",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("learner_id", Uuid, nullable=False, index=True),
    Column("course_id", Uuid, nullable=False, index=True),
    Column("teaching_point_id", Uuid, nullable=False, index=True),
    Column("programme_id", Uuid, nullable=False),
    Column("selection_batch_id", Uuid, nullable=False),
    Column("exam_batch_id", Uuid, nullable=False),
    Column("includes_final_exam", Boolean, nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("may_study", Boolean, nullable=False),
    Column("learner_enrolled", Boolean, nullable=False),
    Column("bill_count", Integer, nullable=False),
    Column("paid_bill_count", Integer, nullable=False),
    Column("drop_refund_id", Uuid),
    Column("refund_status", String(40)),
    Column("selected_at", Instant(), nullable=False),
    Column("paid_at", Instant()),
    Column("dropped_at", Instant()),
    # 计入毕业学分 (`graduation_credit`): False once the course is dropped, or once a change of
    # major moved the learner to a programme that does not list it (it keeps only its grade).
    Column("counts_for_graduation", Boolean, nullable=False),
    Column("updated_at", Instant(), nullable=False),
)

# Every (selection status, drop review, learner enrolled) in which the domain lets the learner study.
_STUDY_STATES = [
    (selection, review, enrolled)
    for selection in EnrollmentStatus
    for review in (None, *RefundStatus)
    for enrolled in (True, False)
    if may_study_course(selection, review, learner_enrolled=enrolled)
]


def study_access(
    status: Any = enrollments.c.status,
    refund_status: Any = enrollments.c.refund_status,
    learner_enrolled: Any = enrollments.c.learner_enrolled,
) -> Any:
    """SQL for `may_study` from the row's state after the update (a value passed in is what
    the update writes; a column, what the row keeps)."""
    allowed = [
        and_(
            status == selection.value,
            refund_status.is_(None) if review is None else refund_status == review.value,
            learner_enrolled == enrolled,
        )
        for selection, review, enrolled in _STUDY_STATES
    ]
    return case((or_(*allowed), True), else_=False)


_GRADUATING = [s.value for s in EnrollmentStatus if s.counts_for_graduation]


def graduation_credit(status: Any, listed: Any) -> Any:
    """SQL for 计入毕业学分, the domain's `Enrollment.counts_for_graduation`: a course the
    learner's programme lists, in a status that counts (a dropped course does not). Once
    dropped, whether it was listed no longer matters: a new selection starts afresh."""
    return case((and_(listed, status.in_(_GRADUATING)), True), else_=False)


def _lit(value: str | None) -> Any:
    return literal(value, String(40))


class EnrolmentProjection(Projection):
    name = "enrolment"
    tables = (enrollments,)

    def _start(self, e: Any) -> dict[str, Any]:
        return {
            "teaching_point_id": e.teaching_point_id,
            "programme_id": e.programme_id,
            "selection_batch_id": e.selection_batch_id,
            "exam_batch_id": e.exam_batch_id,
            "includes_final_exam": e.includes_final_exam,
            "status": EnrollmentStatus.AWAITING_PAYMENT.value,
            "may_study": may_study_course(EnrollmentStatus.AWAITING_PAYMENT),
            "learner_enrolled": True,
            "bill_count": len(e.bill_ids),
            "paid_bill_count": 0,
            "drop_refund_id": None,
            "refund_status": None,
            "selected_at": utc(e.selected_at),
            "paid_at": None,
            "dropped_at": None,
            "counts_for_graduation": EnrollmentStatus.AWAITING_PAYMENT.counts_for_graduation,
            "updated_at": utc(e.timestamp),
        }

    def _set(self, conn: Any, e: Any, where: Any = None, **values: Any) -> None:
        clause = enrollments.c.id == e.originator_id if where is None else where
        conn.execute(update(enrollments).where(clause).values(updated_at=utc(e.timestamp), **values))

    @handles(Enrollment.CourseSelected)
    def _selected(self, conn: Any, e: Any) -> None:
        conn.insert(enrollments, dict(id=e.originator_id, learner_id=e.learner_id, course_id=e.course_id, **self._start(e)))

    @handles(Enrollment.CourseReselected)
    def _reselected(self, conn: Any, e: Any) -> None:
        self._set(conn, e, **{k: v for k, v in self._start(e).items() if k != "updated_at"})

    @handles(Enrollment.FeePaid)
    def _fee_paid(self, conn: Any, e: Any) -> None:
        self._set(conn, e, paid_bill_count=enrollments.c.paid_bill_count + 1)

    @handles(Enrollment.SelectionSucceeded)
    def _succeeded(self, conn: Any, e: Any) -> None:
        paid = EnrollmentStatus.PAID.value
        self._set(conn, e, status=paid, paid_at=utc(e.paid_at), may_study=study_access(status=_lit(paid)))

    @handles(Enrollment.DropRequested)
    def _drop_requested(self, conn: Any, e: Any) -> None:
        pending = RefundStatus.PENDING_ACADEMIC_REVIEW.value
        self._set(
            conn, e, drop_refund_id=e.refund_id, refund_status=pending,
            may_study=study_access(refund_status=_lit(pending)),
        )

    @handles(Enrollment.DropRequestClosed)
    def _drop_closed(self, conn: Any, e: Any) -> None:
        self._set(
            conn, e, drop_refund_id=None, refund_status=None, may_study=study_access(refund_status=_lit(None))
        )

    @handles(Enrollment.CourseDropped)
    def _dropped(self, conn: Any, e: Any) -> None:
        self._set(
            conn, e, status=EnrollmentStatus.DROPPED.value, dropped_at=utc(e.dropped_at), drop_refund_id=None,
            refund_status=None, may_study=study_access(status=_lit(EnrollmentStatus.DROPPED.value), refund_status=_lit(None)),
            counts_for_graduation=graduation_credit(_lit(EnrollmentStatus.DROPPED.value), enrollments.c.counts_for_graduation),
        )

    @handles(Enrollment.AssessedForProgramme)
    def _assessed(self, conn: Any, e: Any) -> None:
        listed = bool(e.counts_for_graduation)  # the event's name for "the new programme lists it"
        self._set(conn, e, counts_for_graduation=graduation_credit(enrollments.c.status, literal(listed, Boolean)))

    @handles(Learner.Withdrawn)
    def _withdrawn(self, conn: Any, e: Any) -> None:
        conn.execute(
            update(enrollments)
            .where(enrollments.c.learner_id == e.originator_id)
            .values(
                learner_enrolled=False,
                may_study=study_access(learner_enrolled=literal(False, Boolean)),
                updated_at=utc(e.timestamp),
            )
        )

    # -- the refund's review decides study access while it is open ---------------------------

    def _refund(self, conn: Any, e: Any, status: RefundStatus) -> None:
        self._set(
            conn, e, where=enrollments.c.drop_refund_id == e.originator_id, refund_status=status.value,
            may_study=study_access(refund_status=_lit(status.value)),
        )

    @handles(Refund.DropApprovedByAcademicAffairs)
    def _academic_ok(self, conn: Any, e: Any) -> None:
        self._refund(conn, e, RefundStatus.PENDING_FINANCE_REVIEW)

    @handles(Refund.DropRejectedByAcademicAffairs)
    def _academic_no(self, conn: Any, e: Any) -> None:
        self._refund(conn, e, RefundStatus.REJECTED_BY_ACADEMIC_AFFAIRS)

    @handles(Refund.RefundApprovedByFinance)
    def _finance_ok(self, conn: Any, e: Any) -> None:
        self._refund(conn, e, RefundStatus.APPROVED_AWAITING_REFUND)

    @handles(Refund.RefundRejectedByFinance)
    def _finance_no(self, conn: Any, e: Any) -> None:
        self._refund(conn, e, RefundStatus.REJECTED_BY_FINANCE)

    @handles(Refund.RefundPaid)
    def _refunded(self, conn: Any, e: Any) -> None:
        self._refund(conn, e, RefundStatus.REFUNDED)

    @handles(Refund.DropCancelled)
    def _cancelled(self, conn: Any, e: Any) -> None:
        self._refund(conn, e, RefundStatus.CANCELLED)
