"""Status changes (学籍异动, requirements/learners.md §4): who asks, who reviews, the rules of each
kind, one open request per learner, and what final approval does to the learner."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from domains.admissions.batches import TrainingProgramme
from domains.curriculum.programme_curriculum import ProgrammeCurriculum
from domains.enrolment.enrollment import Enrollment
from domains.learners.learner import Learner, LearnerStatus
from domains.learners.status_change import (
    ChangeOfMajorWindow,
    StatusChange,
    StatusChangeKind,
    StatusChangeStatus,
    attachment,
)
from domains.organisation.teaching_point import TeachingPoint
from domains.shared.values import Role
from tests.domains.gwt import error_code, given, refused, then, when

AT = datetime(2026, 9, 20, 2, 0, tzinfo=UTC)
TODAY = date(2026, 9, 20)
TP, OTHER_TP = uuid.UUID(int=0x101), uuid.UUID(int=0x102)
ACCOUNTING, AUDITING, NURSING = uuid.UUID(int=0xA1), uuid.UUID(int=0xA2), uuid.UUID(int=0xA3)
LEARNER = uuid.UUID(int=0xE1)
S = StatusChangeStatus
TPA, LEARNER_ROLE, JW = Role.TEACHING_POINT_ADMIN, Role.LEARNER, Role.ACADEMIC_AFFAIRS

ADMITTED = (
    "Admitted",
    {
        "student_number": "2632101000001",
        "application_form_id": uuid.UUID(int=0xF1),
        "teaching_point_id": TP,
        "programme_id": ACCOUNTING,
        "study_batch_id": uuid.UUID(int=0x5B),
        "admission_batch_id": uuid.UUID(int=0xAB),
        "personal": {"name": "王小明"},
    },
)


def learner(*events: tuple[str, dict]) -> Learner:
    return given(Learner, ADMITTED, *events, id=LEARNER)


def teaching_point(tp_id: uuid.UUID = OTHER_TP, enabled: bool = True) -> TeachingPoint:
    registered = ("Registered", {"code": "102", "name": "鼓楼学习中心", "address": None, "recruiters": [], "phones": []})
    return given(TeachingPoint, registered, *([] if enabled else [("Disabled", {})]), id=tp_id)


def programme(pid: uuid.UUID, level: str, major: str, tps: list[uuid.UUID]) -> TrainingProgramme:
    return given(TrainingProgramme, ("Registered", {
        "code": major, "level": level, "learner_type": "开放教育", "learner_source": "开放教育", "major": major,
        "length_of_schooling": "2.5年", "teaching_point_ids": tps,
    }), id=pid)


def accounting(tps: list[uuid.UUID] | None = None) -> TrainingProgramme:
    return programme(ACCOUNTING, "专升本", "会计学", tps if tps is not None else [TP, OTHER_TP])


def auditing(level: str = "专升本", tps: list[uuid.UUID] | None = None) -> TrainingProgramme:
    return programme(AUDITING, level, "审计学", tps if tps is not None else [TP])


def window(opens_on: str = "2026-09-01", closes_on: str = "2026-09-30") -> ChangeOfMajorWindow:
    return given(ChangeOfMajorWindow, ("Set", {"opens_on": opens_on, "closes_on": closes_on}))


PROOF = [attachment("ab" * 32, "application/pdf", "C:\\证明\\工作证明.pdf", 1024)]


def transfer(role: Role = TPA, who: Learner | None = None) -> tuple[StatusChange, Learner]:
    lr = who or learner()
    sc = StatusChange.request_transfer(lr, accounting(), teaching_point(), role, "工作调动到鼓楼区", PROOF, AT)
    return sc, lr


def saved(sc: StatusChange, lr: Learner) -> None:
    sc.collect_events()
    lr.collect_events()


# -- requesting ------------------------------------------------------------------------------------


def test_a_learner_asks_for_a_transfer_and_waits_for_the_teaching_points_preliminary_review():
    sc, lr = transfer(LEARNER_ROLE)
    then(sc.collect_events(), ("Requested", {
        "learner_id": LEARNER, "kind": "transfer", "teaching_point_id": TP, "programme_id": ACCOUNTING,
        "target_teaching_point_id": OTHER_TP, "target_programme_id": None, "requested_by_role": "learner",
    }))
    then(lr.collect_events(), ("StatusChangeOpened", {"status_change_id": sc.id, "kind": "transfer"}))
    assert sc.change_status is S.PENDING_PRELIMINARY_REVIEW and sc.change_status.label == "待初审"
    assert sc.attachments[0]["file_name"] == "工作证明.pdf"  # no directories kept from the name


def test_a_request_the_teaching_point_enters_is_already_preliminarily_approved():
    sc, _ = transfer(TPA)
    assert sc.change_status is S.PENDING_FINAL_REVIEW and sc.change_status.label == "初审通过"


@pytest.mark.parametrize("role", [Role.ACADEMIC_AFFAIRS, Role.FINANCE, Role.AUDITOR])
def test_only_the_learner_or_the_teaching_point_asks(role):
    lr = learner()
    assert error_code(lambda: transfer(role, lr)) == "status_change.role_not_allowed"
    assert lr.collect_events() == []


def test_a_reason_is_required():
    lr = learner()
    code = error_code(lambda: StatusChange.request_withdrawal(lr, [], TPA, "  ", [], AT))
    assert code == "field.required" and lr.collect_events() == []


def test_one_open_request_per_learner():
    lr = learner(("StatusChangeOpened", {"status_change_id": uuid.UUID(int=0x5C), "kind": "withdrawal"}))
    assert error_code(lambda: transfer(TPA, lr)) == "status_change.already_pending"
    assert lr.collect_events() == []


def test_a_withdrawn_learner_asks_nothing_more():
    lr = learner(
        ("StatusChangeOpened", {"status_change_id": uuid.UUID(int=0x5C), "kind": "withdrawal"}),
        ("Withdrawn", {"status_change_id": uuid.UUID(int=0x5C)}),
    )
    assert error_code(lambda: transfer(TPA, lr)) == "status_change.learner_not_enrolled"


# -- transfer of teaching point ----------------------------------------------------------------------


def test_a_transfer_goes_only_to_an_enabled_teaching_point_offering_the_learners_programme():
    lr = learner()
    request = StatusChange.request_transfer
    assert (
        error_code(lambda: request(lr, accounting(), teaching_point(TP), TPA, "x", [], AT)) == "status_change.same_teaching_point"
    )
    assert (
        error_code(lambda: request(lr, accounting(), teaching_point(enabled=False), TPA, "x", [], AT))
        == "status_change.teaching_point_disabled"
    )
    assert (
        error_code(lambda: request(lr, accounting([TP]), teaching_point(), TPA, "x", [], AT))
        == "status_change.programme_not_offered"
    )
    assert error_code(lambda: request(lr, auditing(), teaching_point(), TPA, "x", [], AT)) == "status_change.programme_mismatch"
    assert lr.collect_events() == []


def test_final_approval_of_a_transfer_moves_the_learner_to_the_new_teaching_point():
    sc, lr = transfer(TPA)
    saved(sc, lr)
    when(sc, lambda a: a.approve(JW, "同意", AT, lr, programme=accounting(), target_teaching_point=teaching_point()))
    then(lr.collect_events(), ("TeachingPointTransferred", {
        "status_change_id": sc.id, "from_teaching_point_id": TP, "teaching_point_id": OTHER_TP,
    }))
    assert lr.teaching_point_id == OTHER_TP and lr.pending_status_change_id is None
    assert sc.change_status is S.APPROVED and sc.change_status.label == "复审通过"


def test_a_transfer_is_checked_again_at_final_approval():
    sc, lr = transfer(TPA)
    saved(sc, lr)
    refused(
        sc,
        lambda a: a.approve(JW, None, AT, lr, programme=accounting(), target_teaching_point=teaching_point(enabled=False)),
        "status_change.teaching_point_disabled",
    )
    assert lr.collect_events() == [] and lr.teaching_point_id == TP


# -- change of major ------------------------------------------------------------------------------------


def change_of_major(lr: Learner, target: TrainingProgramme | None = None, win: ChangeOfMajorWindow | None = None,
                    today: date = TODAY) -> StatusChange:
    return StatusChange.request_change_of_major(
        lr, accounting(), target or auditing(), win or window(), today, LEARNER_ROLE, "兴趣转向审计", [], AT
    )


def test_a_change_of_major_only_inside_the_window():
    lr = learner()
    assert error_code(lambda: change_of_major(lr, today=date(2026, 10, 1))) == "status_change.outside_change_of_major_window"
    assert error_code(lambda: StatusChange.request_change_of_major(
        lr, accounting(), auditing(), None, TODAY, TPA, "x", [], AT)) == "status_change.no_change_of_major_window"
    assert change_of_major(lr, today=date(2026, 9, 30)).kind == "change_of_major"  # the last day counts


def test_a_change_of_major_only_to_another_programme_of_the_same_level_at_the_learners_teaching_point():
    lr = learner()
    assert error_code(lambda: change_of_major(lr, auditing(level="高起专"))) == "status_change.level_differs"
    assert error_code(lambda: change_of_major(lr, accounting())) == "status_change.same_programme"
    assert error_code(lambda: change_of_major(lr, auditing(tps=[OTHER_TP]))) == "status_change.programme_not_offered"
    assert lr.collect_events() == []


def test_final_approval_of_a_change_of_major_changes_the_learners_programme():
    lr = learner()
    sc = change_of_major(lr)
    saved(sc, lr)
    when(sc, lambda a: a.approve_preliminarily(TPA, None, AT))
    when(sc, lambda a: a.approve(JW, None, AT, lr, programme=accounting(), target_programme=auditing()))
    then(lr.collect_events(), ("ProgrammeChanged", {
        "status_change_id": sc.id, "from_programme_id": ACCOUNTING, "programme_id": AUDITING,
    }))
    assert lr.programme_id == AUDITING


COURSE_KEPT, COURSE_LEFT = uuid.UUID(int=0xC1), uuid.UUID(int=0xC2)


def course_of(course_id: uuid.UUID, *more: tuple[str, dict]) -> Enrollment:
    selected = ("CourseSelected", {
        "learner_id": LEARNER, "course_id": course_id, "teaching_point_id": TP, "programme_id": ACCOUNTING,
        "selection_batch_id": uuid.UUID(int=0x5E), "exam_batch_id": uuid.UUID(int=0xEB), "includes_final_exam": True,
        "bill_ids": [uuid.UUID(int=0xB1)], "selected_at": AT,
    })
    return given(Enrollment, selected, *more, id=Enrollment.create_id(LEARNER, course_id))


def preliminarily_approved_change_of_major(lr: Learner) -> StatusChange:
    sc = change_of_major(lr)
    sc.approve_preliminarily(TPA, None, AT)
    saved(sc, lr)
    return sc


def auditing_courses(*course_ids: uuid.UUID) -> ProgrammeCurriculum:
    return given(ProgrammeCurriculum, ("Started", {"programme_id": AUDITING, "education_level": "undergraduate"}),
                 *[("CourseAdded", {"course_id": c, "suggested_semester": 1}) for c in course_ids],
                 id=ProgrammeCurriculum.create_id(AUDITING))


def test_a_change_of_major_keeps_credits_valid_only_for_courses_in_the_new_programme():
    """Given a learner with two courses, one of them on the new programme's course list, when
    the change of major is approved, then in the same save each course records whether it
    counts for graduation in the new programme or keeps only its grade."""
    lr = learner()
    kept, left = course_of(COURSE_KEPT, ("FeePaid", {"bill_id": uuid.UUID(int=0xB1), "paid_at": AT}),
                           ("SelectionSucceeded", {"paid_at": AT})), course_of(COURSE_LEFT)
    sc = preliminarily_approved_change_of_major(lr)
    when(sc, lambda a: a.approve(JW, None, AT, lr, programme=accounting(), target_programme=auditing(),
                                 target_curriculum=auditing_courses(COURSE_KEPT), enrollments=[kept, left]))
    then(kept.collect_events(), ("AssessedForProgramme", {
        "status_change_id": sc.id, "programme_id": AUDITING, "counts_for_graduation": True,
    }))
    then(left.collect_events(), ("AssessedForProgramme", {
        "status_change_id": sc.id, "programme_id": AUDITING, "counts_for_graduation": False,
    }))
    assert (kept.counts_for_graduation, left.counts_for_graduation) == (True, False)
    assert lr.programme_id == AUDITING


def test_a_change_of_major_to_a_programme_without_a_course_list_keeps_only_grades():
    lr = learner()
    course = course_of(COURSE_KEPT)
    sc = preliminarily_approved_change_of_major(lr)
    when(sc, lambda a: a.approve(JW, None, AT, lr, programme=accounting(), target_programme=auditing(),
                                 target_curriculum=None, enrollments=[course]))
    then(course.collect_events(), ("AssessedForProgramme", {"counts_for_graduation": False}))


def test_a_change_of_major_refuses_another_learners_courses_or_another_programmes_list():
    lr = learner()
    sc = preliminarily_approved_change_of_major(lr)
    someone_else = given(Enrollment, ("CourseSelected", {
        "learner_id": uuid.UUID(int=0xE2), "course_id": COURSE_KEPT, "teaching_point_id": TP, "programme_id": ACCOUNTING,
        "selection_batch_id": uuid.UUID(int=0x5E), "exam_batch_id": uuid.UUID(int=0xEB), "includes_final_exam": True,
        "bill_ids": [uuid.UUID(int=0xB1)], "selected_at": AT,
    }))
    targets = {"programme": accounting(), "target_programme": auditing()}
    refused(sc, lambda a: a.approve(JW, None, AT, lr, **targets, enrollments=[someone_else]), "status_change.enrollment_mismatch")
    other_list = given(ProgrammeCurriculum, ("Started", {"programme_id": NURSING, "education_level": "undergraduate"}))
    refused(
        sc, lambda a: a.approve(JW, None, AT, lr, **targets, target_curriculum=other_list), "status_change.curriculum_mismatch"
    )
    assert lr.collect_events() == [] and someone_else.collect_events() == []


def test_a_course_selected_again_after_a_change_of_major_counts_in_the_new_programme():
    course = course_of(COURSE_KEPT, ("AssessedForProgramme", {
        "status_change_id": uuid.UUID(int=0x5C), "programme_id": AUDITING, "counts_for_graduation": False,
    }), ("CourseDropped", {"refund_id": None, "dropped_at": AT}))
    assert course.counts_for_graduation is False
    replayed = course_of(COURSE_KEPT, ("AssessedForProgramme", {
        "status_change_id": uuid.UUID(int=0x5C), "programme_id": AUDITING, "counts_for_graduation": False,
    }), ("CourseDropped", {"refund_id": None, "dropped_at": AT}), ("CourseReselected", {
        "teaching_point_id": TP, "programme_id": AUDITING, "selection_batch_id": uuid.UUID(int=0x5E),
        "exam_batch_id": uuid.UUID(int=0xEB), "includes_final_exam": True, "bill_ids": [uuid.UUID(int=0xB2)],
        "selected_at": AT,
    }))
    assert replayed.counts_for_graduation is True


# -- withdrawal -------------------------------------------------------------------------------------------


def test_a_withdrawal_lists_the_courses_still_inside_their_drop_period():
    lr = learner()
    droppable = [uuid.UUID(int=0xE11), uuid.UUID(int=0xE12), uuid.UUID(int=0xE11)]
    sc = StatusChange.request_withdrawal(lr, droppable, LEARNER_ROLE, "出国", [], AT)
    assert sc.droppable_enrollment_ids == [uuid.UUID(int=0xE11), uuid.UUID(int=0xE12)]
    assert sc.change_kind.label == "退学"


def test_final_approval_of_a_withdrawal_ends_the_learners_study():
    lr = learner()
    sc = StatusChange.request_withdrawal(lr, [], TPA, "出国", [], AT)
    saved(sc, lr)
    when(sc, lambda a: a.approve(JW, None, AT, lr))
    then(lr.collect_events(), ("Withdrawn", {"status_change_id": sc.id}))
    assert lr.status == LearnerStatus.WITHDRAWN.value and lr.may_study is False


# -- reviews and cancellation -------------------------------------------------------------------------------


def test_the_teaching_point_reviews_a_learners_request_first():
    sc, lr = transfer(LEARNER_ROLE)
    saved(sc, lr)
    refused(sc, lambda a: a.approve(JW, None, AT, lr, programme=accounting(), target_teaching_point=teaching_point()),
            "status_change.not_pending_final_review")
    refused(sc, lambda a: a.approve_preliminarily(JW, None, AT), "status_change.role_not_allowed", "forbidden")
    then(when(sc, lambda a: a.approve_preliminarily(TPA, "情况属实", AT)),
         ("PreliminarilyApproved", {"comment": "情况属实"}))
    refused(sc, lambda a: a.approve_preliminarily(TPA, None, AT), "status_change.not_pending_preliminary_review")
    refused(sc, lambda a: a.reject(TPA, "不同意", AT, lr), "status_change.role_not_allowed")


def test_a_preliminary_rejection_needs_a_reason_and_frees_the_learner_to_ask_again():
    sc, lr = transfer(LEARNER_ROLE)
    saved(sc, lr)
    refused(sc, lambda a: a.reject_preliminarily(TPA, " ", AT, lr), "status_change.reason_required")
    then(when(sc, lambda a: a.reject_preliminarily(TPA, "材料不全", AT, lr)),
         ("PreliminarilyRejected", {"reason": "材料不全"}))
    then(lr.collect_events(), ("StatusChangeClosed", {"status_change_id": sc.id, "outcome": "preliminarily_rejected"}))
    assert sc.change_status.label == "初审驳回" and lr.pending_status_change_id is None
    transfer(TPA, lr)  # a new request is accepted


def test_a_final_rejection_needs_a_reason_and_leaves_the_learner_as_it_was():
    sc, lr = transfer(TPA)
    saved(sc, lr)
    refused(sc, lambda a: a.reject(JW, "", AT, lr), "status_change.reason_required")
    when(sc, lambda a: a.reject(JW, "转入教学点名额已满", AT, lr))
    assert sc.change_status.label == "复审驳回" and sc.reject_reason == "转入教学点名额已满"
    assert lr.teaching_point_id == TP and lr.pending_status_change_id is None


def test_the_requester_cancels_while_the_school_has_not_decided():
    sc, lr = transfer(LEARNER_ROLE)
    saved(sc, lr)
    refused(sc, lambda a: a.cancel(JW, AT, lr), "status_change.role_not_allowed")
    then(when(sc, lambda a: a.cancel(LEARNER_ROLE, AT, lr)), ("Cancelled", {"cancelled_at": AT}))
    assert sc.change_status.label == "已撤销" and lr.pending_status_change_id is None
    refused(sc, lambda a: a.cancel(TPA, AT, lr), "status_change.not_cancellable")


def test_a_decided_request_is_not_cancelled():
    sc, lr = transfer(TPA)
    saved(sc, lr)
    when(sc, lambda a: a.approve(JW, None, AT, lr, programme=accounting(), target_teaching_point=teaching_point()))
    lr.collect_events()
    refused(sc, lambda a: a.cancel(TPA, AT, lr), "status_change.not_cancellable")


def test_a_review_of_another_learners_request_is_refused():
    sc, lr = transfer(TPA)
    saved(sc, lr)
    other = given(Learner, ADMITTED)
    refused(sc, lambda a: a.reject(JW, "不同意", AT, other), "status_change.learner_mismatch")


def test_proof_files_are_png_jpg_or_pdf_of_at_most_5_mb_and_at_most_ten():
    assert error_code(lambda: attachment("r", "image/gif", "a.gif", 10)) == "status_change.attachment_type"
    assert error_code(lambda: attachment("r", "image/png", "a.png", 5 * 1024 * 1024 + 1)) == "status_change.attachment_too_large"
    lr = learner()
    many = [attachment(f"{i:064x}", "image/png", "a.png", 10) for i in range(11)]
    assert (
        error_code(lambda: StatusChange.request_withdrawal(lr, [], TPA, "出国", many, AT)) == "status_change.too_many_attachments"
    )


# -- the change-of-major window ------------------------------------------------------------------------------


def test_academic_affairs_sets_and_moves_the_change_of_major_window():
    assert error_code(lambda: ChangeOfMajorWindow.set(TPA, "2026-09-01", "2026-09-30")) == "status_change.role_not_allowed"
    assert error_code(lambda: ChangeOfMajorWindow.set(JW, "2026-09-30", "2026-09-01")) == "change_of_major_window.period_invalid"
    assert error_code(lambda: ChangeOfMajorWindow.set(JW, "九月", "2026-09-01")) == "date.malformed"
    win = ChangeOfMajorWindow.set(JW, "2026-09-01", "2026-09-30")
    assert win.id == ChangeOfMajorWindow.create_id()
    then(win.collect_events(), ("Set", {"opens_on": "2026-09-01", "closes_on": "2026-09-30"}))
    then(when(win, lambda a: a.change(JW, "2026-10-01", "2026-10-15")), ("Changed", {"opens_on": "2026-10-01"}))
    assert not win.is_open_on(TODAY) and win.is_open_on(date(2026, 10, 15))
    assert StatusChangeKind.parse("withdrawal") is StatusChangeKind.WITHDRAWAL
    assert error_code(lambda: StatusChangeKind.parse("suspension")) == "status_change.kind_invalid"
