"""The resit use cases (requirements/exams.md §3): given a learner and the curriculum set up as the school
would (through the API), when the teaching point registers or withdraws a resit, then what is
saved, in one write, or which rule refuses it with its code and a message naming the course.
A course drop never cancels a paid resit."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from domains.exams.registration import ExamRegistration, RegistrationKind, RegistrationStatus
from domains.finance.bill import Bill, BillStatus, FeeType
from domains.shared.aggregate import RecordIndex
from domains.shared.errors import DomainError
from tests.http.api_helpers import API, ok
from tests.http.resit_support import cohort, exam_batch, pay_by_remittance, studied
from tests.http.selection_support import (
    Catalogue,
    batches,
    list_in_programme,
    new_course,
    ready_catalogue,
    select,
    selected,
    set_fees,
)
from tests.http.selection_support import learner as learner_of


def refused(fn: Any, code: str, *words: str) -> DomainError:
    with pytest.raises(DomainError) as info:
        fn()
    assert info.value.code == code, f"{info.value.code}: {info.value.message}"
    for word in words:
        assert word in info.value.message, info.value.message
    return info.value


@pytest.fixture
def saves(container, monkeypatch):
    """Every `store.save` call from here on, with the aggregates it wrote."""
    calls: list[list[Any]] = []
    real = container.store.save

    def save(*objs: Any, **kw: Any) -> Any:
        calls.append(list(objs))
        return real(*objs, **kw)

    monkeypatch.setattr(container.store, "save", save)
    return calls


def registration(container, rid) -> ExamRegistration:
    return container.store.get(rid)


# -- registering --------------------------------------------------------------------------------


def test_the_registration_and_its_exam_fee_bill_are_saved_together(client, world, login, container, saves):
    s = studied(client, login, world)
    saves.clear()
    done = container.exams.register_resit(world.actor("xuanwu"), uuid.UUID(s.course), uuid.UUID(s.resit_batch),
                                          student_number=f" {s.student_number} ")
    assert len(saves) == 1 and {type(a) for a in saves[0]} == {ExamRegistration, Bill, RecordIndex}
    reg, bill = registration(container, done.registration_id), container.store.get(done.bill_id)
    assert reg.id == ExamRegistration.create_id(uuid.UUID(s.learner_id), uuid.UUID(s.course), uuid.UUID(s.resit_batch))
    assert reg.registration_kind is RegistrationKind.RESIT and reg.registration_status is RegistrationStatus.PENDING
    assert reg.teaching_point_id == world.tp["101"] and reg.enrollment_id is None
    assert (bill.fee_type, bill.amount.fen, bill.bill_status) == (FeeType.EXAM_FEE.value, 4000, BillStatus.AWAITING_PAYMENT)
    assert bill.exam_registration_id == reg.id and bill.enrollment_id is None and bill.learner_id == reg.learner_id
    events = ok(client.get(f"{API}/audit/aggregates/{reg.id}/events", headers=login("shenji")))["events"]
    assert [(e["event_type"], e["actor_name"], e["role"]) for e in events] == [("Registered", "xuanwu", "teaching_point_admin")]


def test_the_exam_fee_is_the_lower_of_two_levels_and_needs_every_level_standard(client, world, login, container):
    cat = Catalogue()
    cat.courses["01240"] = new_course(client, login, "01240", "经济学基础", "3")
    list_in_programme(client, login, world.programmes["accounting"], cat.courses["01240"])
    cat.selection_batch, cat.exam_batch = batches(client, login, list(cat.courses.values()))
    set_fees(client, login, junior=False)  # 本科 only: exam fee 40.00
    s = studied(client, login, world, catalogue=cat)
    # The course now belongs to both levels, and 专科 has no standard yet.
    ok(
        client.put(
            f"{API}/courses/{s.catalogue.courses['01240']}/levels", json={"levels": ["本科", "专科"]}, headers=login("jiaowu")
        )
    )
    xw, course, batch = world.actor("xuanwu"), uuid.UUID(cat.courses["01240"]), uuid.UUID(s.resit_batch)
    refused(lambda: container.exams.register_resit(xw, course, batch, student_number=s.student_number),
            "fee_standard.missing", "经济学基础", "专科")
    set_fees(client, login, undergraduate=False)  # 专科: exam fee 30.00
    done = container.exams.register_resit(xw, course, batch, student_number=s.student_number)
    assert container.store.get(done.bill_id).amount.fen == 3000


def test_a_resit_is_for_a_course_the_learner_studied_and_paid(client, world, login, container):
    cat = ready_catalogue(client, login, world)
    s = studied(client, login, world, catalogue=cat)
    xw, batch = world.actor("xuanwu"), uuid.UUID(s.resit_batch)
    # Another learner selected the course but has not paid; a third never selected it.
    unpaid = learner_of(client, login, world, 2)
    selected(client, login("xuanwu"), unpaid, cat.courses["01234"])
    never = learner_of(client, login, world, 3)
    for lid in (unpaid, never):
        refused(lambda lid=lid: container.exams.register_resit(xw, uuid.UUID(s.course), batch, learner_id=uuid.UUID(lid)),
                "exam_registration.course_not_studied", "管理会计", "已修读")
    refused(
        lambda: container.exams.register_resit(xw, uuid.UUID(cat.courses["01235"]), batch, learner_id=uuid.UUID(s.learner_id)),
        "exam_registration.no_final_exam",
        "会计信息系统",
    )


def test_no_resit_while_a_drop_of_the_course_is_under_review(client, world, login, container):
    s = studied(client, login, world)
    xw = world.actor("xuanwu")
    outcome = container.enrolment.drop_courses(xw, [uuid.UUID(s.enrollment())], "转专业")
    assert outcome.refund_ids
    refused(
        lambda: container.exams.register_resit(
            xw, uuid.UUID(s.course), uuid.UUID(s.resit_batch), learner_id=uuid.UUID(s.learner_id)
        ),
        "exam_registration.course_drop_pending",
        "管理会计",
    )


def test_the_exam_batch_must_offer_the_course_inside_its_registration_period(client, world, login, container):
    s = studied(client, login, world)
    xw, course, learner = world.actor("xuanwu"), uuid.UUID(s.course), uuid.UUID(s.learner_id)
    other = exam_batch(client, login, [s.catalogue.courses["01235"]], code="K2027A", name="2027年4月考试")
    later = exam_batch(client, login, [s.course], code="K2027J", name="2027年6月考试", starts="2026-11-01", ends="2026-11-30")
    refused(lambda: container.exams.register_resit(xw, course, uuid.UUID(other), learner_id=learner),
            "batch.course_not_in_batch", "管理会计", "2027年4月考试")
    refused(lambda: container.exams.register_resit(xw, course, uuid.UUID(later), learner_id=learner),
            "exam_batch.registration_closed", "管理会计", "报考期")


def test_one_registration_per_sitting_until_it_is_withdrawn(client, world, login, container):
    s = studied(client, login, world)
    xw, course, batch = world.actor("xuanwu"), uuid.UUID(s.course), uuid.UUID(s.resit_batch)
    first = container.exams.register_resit(xw, course, batch, student_number=s.student_number)
    refused(lambda: container.exams.register_resit(xw, course, batch, student_number=s.student_number),
            "exam_registration.already_registered", "管理会计", "补考，待缴费")
    refused(
        lambda: container.exams.register_resit(xw, course, uuid.UUID(s.catalogue.exam_batch), student_number=s.student_number),
        "exam_registration.already_registered",
        "终考，报考成功",
    )
    container.exams.withdraw_resit(xw, first.registration_id)
    again = container.exams.register_resit(xw, course, batch, student_number=s.student_number)
    assert again.registration_id == first.registration_id and again.bill_id != first.bill_id
    assert registration(container, again.registration_id).registration_status is RegistrationStatus.PENDING


def test_the_learner_is_found_by_the_full_student_number(client, world, login, container):
    s = studied(client, login, world)
    other = learner_of(client, login, world, 2)
    xw, course, batch = world.actor("xuanwu"), uuid.UUID(s.course), uuid.UUID(s.resit_batch)
    refused(lambda: container.exams.register_resit(xw, course, batch, student_number=s.student_number[:-1]),
            "not_found", "完整的学号")
    refused(
        lambda: container.exams.register_resit(xw, course, batch, learner_id=uuid.UUID(other), student_number=s.student_number),
        "learner.number_mismatch",
    )
    refused(lambda: container.exams.register_resit(world.actor("gulou"), course, batch, student_number=s.student_number),
            "not_found", "不属于您的教学点")


# -- withdrawing ----------------------------------------------------------------------------------


def test_withdrawing_an_unpaid_resit_voids_its_bill_in_the_same_save(client, world, login, container, saves):
    s = studied(client, login, world)
    xw = world.actor("xuanwu")
    done = container.exams.register_resit(xw, uuid.UUID(s.course), uuid.UUID(s.resit_batch), student_number=s.student_number)
    saves.clear()
    out = container.exams.withdraw_resit(xw, done.registration_id, "学生本次不参加考试")
    assert len(saves) == 1 and {type(a) for a in saves[0]} == {ExamRegistration, Bill}
    assert out.voided_bill_ids == [done.bill_id]
    assert container.store.get(done.bill_id).bill_status is BillStatus.VOIDED
    assert registration(container, done.registration_id).registration_status is RegistrationStatus.CANCELLED


def test_a_paid_resit_and_one_paid_in_transit_are_not_withdrawn(client, world, login, container):
    s, second = cohort(client, login, world, (1, "xuanwu"), (2, "xuanwu"))
    xw = world.actor("xuanwu")
    paid = container.exams.register_resit(xw, uuid.UUID(s.course), uuid.UUID(s.resit_batch), student_number=s.student_number)
    pay_by_remittance(client, login, [str(paid.bill_id)])
    assert registration(container, paid.registration_id).registration_status is RegistrationStatus.CONFIRMED
    refused(lambda: container.exams.withdraw_resit(xw, paid.registration_id),
            "exam_registration.paid_resit_not_cancellable", "补考已缴费，不允许取消报考")

    transit = container.exams.register_resit(xw, uuid.UUID(second.course), uuid.UUID(second.resit_batch),
                                             student_number=second.student_number)
    ok(client.post(f"{API}/remittance-slips", json={"bill_ids": [str(transit.bill_id)]}, headers=login("xuanwu")), 201)
    refused(lambda: container.exams.withdraw_resit(xw, transit.registration_id), "bill.remittance_in_transit")
    assert registration(container, transit.registration_id).registration_status is RegistrationStatus.PENDING


# -- a course drop never cancels a paid resit ------------------------------------------------------


def test_a_drop_of_the_course_cancels_its_final_exam_but_never_a_paid_resit(client, world, login, container):
    s = studied(client, login, world)
    xw, jw, cw = world.actor("xuanwu"), world.actor("jiaowu"), world.actor("caiwu")
    learner, course = uuid.UUID(s.learner_id), uuid.UUID(s.course)
    final_id = ExamRegistration.create_id(learner, course, uuid.UUID(s.catalogue.exam_batch))
    resit = container.exams.register_resit(xw, course, uuid.UUID(s.resit_batch), learner_id=learner)
    pay_by_remittance(client, login, [str(resit.bill_id)])

    # A paid course: the drop is a refund request; once refunded, the course is dropped.
    (refund_id,) = container.enrolment.drop_courses(xw, [uuid.UUID(s.enrollment())], "转专业").refund_ids
    container.finance.approve_drop(jw, refund_id)
    container.finance.approve_refund(cw, refund_id)
    container.finance.mark_refunded(cw, refund_id, "TK1")
    assert registration(container, final_id).registration_status is RegistrationStatus.CANCELLED
    assert registration(container, resit.registration_id).registration_status is RegistrationStatus.CONFIRMED

    # Selected again (in the catalogue's batch: the resit batch no longer holds the course) and
    # dropped unpaid: the final exam goes again, the paid resit stays.
    ok(client.delete(f"{API}/exam-batches/{s.resit_batch}/courses/{s.course}", headers=login("jiaowu")))
    again = ok(select(client, login("xuanwu"), s.learner_id, s.course), 201)
    assert registration(container, final_id).registration_status is RegistrationStatus.PENDING
    assert registration(container, final_id).registration_kind is RegistrationKind.FINAL
    dropped = container.enrolment.drop_courses(xw, [uuid.UUID(again["enrollments"][0]["id"])])
    assert dropped.dropped and not dropped.refund_ids
    assert registration(container, final_id).registration_status is RegistrationStatus.CANCELLED
    assert registration(container, resit.registration_id).registration_status is RegistrationStatus.CONFIRMED
    assert container.store.get(resit.bill_id).bill_status is BillStatus.PAID


def test_a_completed_drop_cancels_an_unpaid_resit_of_the_course_and_voids_its_bill(client, world, login, container):
    s = studied(client, login, world)
    xw, jw, cw = world.actor("xuanwu"), world.actor("jiaowu"), world.actor("caiwu")
    resit = container.exams.register_resit(xw, uuid.UUID(s.course), uuid.UUID(s.resit_batch), student_number=s.student_number)

    (refund_id,) = container.enrolment.drop_courses(xw, [uuid.UUID(s.enrollment())], "转专业").refund_ids
    container.finance.approve_drop(jw, refund_id)
    container.finance.approve_refund(cw, refund_id)
    # Until the drop completes, the resit stands.
    assert registration(container, resit.registration_id).registration_status is RegistrationStatus.PENDING
    container.finance.mark_refunded(cw, refund_id, "TK2")
    assert registration(container, resit.registration_id).registration_status is RegistrationStatus.CANCELLED
    assert container.store.get(resit.bill_id).bill_status is BillStatus.VOIDED
    regs = ok(client.get(f"{API}/exam-registrations", params={"learner_id": s.learner_id}, headers=login("xuanwu")))
    assert {(r["kind"], r["status"]) for r in regs["items"]} == {("final", "cancelled"), ("resit", "cancelled")}
