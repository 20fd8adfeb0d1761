"""Who may register a resit (补考报考, requirements/exams.md §3).

"补考的课程需学生或教学点代为报考": a resit is a second sitting of a course's final exam, so the
learner must be one who may study (在籍), the course's assessment must include a final exam, and
the learner must have studied it: a selection of the course that succeeded (paid, 选课成功) and
is not on its way out through a drop under review. The exam batch's own rule (the course is in
the batch, inside its registration period) is the batch's (`ExamBatch.check_registration_open`);
a sitting is registered once (pending or confirmed). Each refusal names the course.

The use case gathers the facts from the aggregates into `ResitFacts`; the rules read only them.
"""

from __future__ import annotations

from dataclasses import dataclass

from domains.exams.registration import ExamRegistration, RegistrationStatus
from domains.shared.errors import DomainError


@dataclass(frozen=True)
class ResitFacts:
    course_name: str
    learner_may_study: bool
    includes_final_exam: bool
    course_paid: bool  # the learner's selection of the course succeeded (every bill paid, 选课成功)
    drop_requested: bool  # a drop of that selection is under review


def check_resit(facts: ResitFacts) -> None:
    """The first rule the learner or the course breaks, as a domain error naming the course."""
    name = facts.course_name
    if not facts.learner_may_study:
        raise DomainError("exam_registration.learner_not_enrolled", f"该学生不是在籍状态，不能报考课程“{name}”的补考")
    if not facts.includes_final_exam:
        raise DomainError("exam_registration.no_final_exam", f"课程“{name}”的考核要求不含终考，无需补考")
    if not facts.course_paid:
        raise DomainError(
            "exam_registration.course_not_studied",
            f"该学生没有缴费成功的课程“{name}”的选课，补考只能报考已修读的课程",
        )
    if facts.drop_requested:
        raise DomainError("exam_registration.course_drop_pending", f"课程“{name}”有退课申请在处理中，不能报考补考")


def check_sitting_free(registration: ExamRegistration | None, course_name: str, exam_batch_name: str) -> None:
    """One registration per sitting: a pending or confirmed one (final exam or resit) refuses
    another; a cancelled one may be taken up again."""
    if registration is None or registration.registration_status is RegistrationStatus.CANCELLED:
        return
    raise DomainError(
        "exam_registration.already_registered",
        f"该学生已报考考试批次“{exam_batch_name}”的课程“{course_name}”"
        f"（{registration.registration_kind.label}，{registration.registration_status.label}），不能重复报考",
    )
