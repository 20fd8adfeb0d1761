"""Resits through the API (requirements/exams.md §3): the teaching point (full student number) or the
learner registers a resit of a course the learner studied; it comes with its own exam-fee bill;
paying the bill (remittance confirmed by finance) confirms it; an unpaid resit may be withdrawn
(its bill voided), a paid one never."""

from __future__ import annotations

import pytest

from tests.http.api_helpers import API, ok, problem
from tests.http.resit_support import cohort, pay_by_remittance, register_resit, studied, withdraw
from tests.http.selection_support import learner_login


@pytest.fixture
def both(client, world, login):
    """Two learners of 玄武 who studied 管理会计."""
    return cohort(client, login, world, (1, "xuanwu"), (2, "xuanwu"))


@pytest.fixture
def done(client, world, login):
    return studied(client, login, world)


def registration(client, headers, registration_id):
    return ok(client.get(f"{API}/exam-registrations/{registration_id}", headers=headers))


def bill(client, headers, bill_id):
    return ok(client.get(f"{API}/bills/{bill_id}", headers=headers))


def test_register_pay_and_the_paid_resit_stays(client, world, login, done):
    xw = login("xuanwu")
    body = ok(register_resit(client, xw, done.course, done.resit_batch, student_number=done.student_number), 201)
    reg, resit_bill = body["registration"], body["bill"]
    assert (reg["kind"], reg["kind_label"], reg["status"], reg["status_label"]) == ("resit", "补考", "pending", "待缴费")
    assert reg["learner_id"] == done.learner_id and reg["exam_batch_name"] == "2027年7月考试"
    assert reg["course_name"] == "管理会计" and reg["enrollment_id"] is None
    assert (resit_bill["fee_type"], resit_bill["fee_type_label"], resit_bill["amount_fen"]) == ("exam_fee", "考试费", 4000)
    assert resit_bill["status"] == "awaiting_payment" and resit_bill["exam_registration_id"] == reg["id"]
    assert resit_bill["enrollment_id"] is None
    listed = ok(client.get(f"{API}/exam-registrations", params={"learner_id": done.learner_id, "kind": "resit"}, headers=xw))
    assert [r["id"] for r in listed["items"]] == [reg["id"]]

    pay_by_remittance(client, login, [resit_bill["id"]])
    paid = registration(client, xw, reg["id"])
    assert (paid["status"], paid["status_label"]) == ("confirmed", "报考成功") and paid["confirmed_at"]
    assert bill(client, xw, resit_bill["id"])["status"] == "paid"

    refused = problem(withdraw(client, xw, reg["id"]), 409, "exam_registration.paid_resit_not_cancellable")
    assert "补考已缴费" in refused["detail"]
    problem(register_resit(client, xw, done.course, done.resit_batch, student_number=done.student_number), 409,
            "exam_registration.already_registered")
    assert registration(client, xw, reg["id"])["status"] == "confirmed"


def test_withdrawal_before_payment_voids_the_bill_and_a_new_registration_bills_again(client, world, login, done):
    xw = login("xuanwu")
    first = ok(register_resit(client, xw, done.course, done.resit_batch, learner_id=done.learner_id), 201)
    out = ok(withdraw(client, xw, first["registration"]["id"]))
    assert (out["registration"]["status"], out["registration"]["status_label"]) == ("cancelled", "已取消")
    assert out["registration"]["cancel_reason"] == "withdrawn"
    assert [(b["id"], b["status"]) for b in out["voided_bills"]] == [(first["bill"]["id"], "voided")]
    assert bill(client, xw, first["bill"]["id"])["status_label"] == "已作废"
    problem(withdraw(client, xw, first["registration"]["id"]), 409, "exam_registration.already_cancelled")

    again = ok(register_resit(client, xw, done.course, done.resit_batch, student_number=done.student_number), 201)
    assert again["registration"]["id"] == first["registration"]["id"]  # one registration per sitting
    assert again["registration"]["status"] == "pending" and again["bill"]["id"] != first["bill"]["id"]
    assert again["bill"]["status"] == "awaiting_payment"


def test_a_final_exam_is_not_withdrawn_here(client, world, login, done):
    xw = login("xuanwu")
    final = ok(client.get(f"{API}/exam-registrations", params={"learner_id": done.learner_id, "kind": "final"}, headers=xw))
    problem(withdraw(client, xw, final["items"][0]["id"]), 409, "exam_registration.final_follows_selection")


def test_a_teaching_point_registers_and_withdraws_only_its_own_learners(client, world, login, done):
    gl = login("gulou")
    for who in ({"student_number": done.student_number}, {"learner_id": done.learner_id}):
        problem(register_resit(client, gl, done.course, done.resit_batch, **who), 404, "not_found")
    reg = ok(register_resit(client, login("xuanwu"), done.course, done.resit_batch, student_number=done.student_number), 201)
    problem(withdraw(client, gl, reg["registration"]["id"]), 404, "not_found")
    problem(client.get(f"{API}/exam-registrations/{reg['registration']['id']}", headers=gl), 404, "not_found")
    # School staff do not register resits; an unknown or partial student number finds nobody.
    problem(register_resit(client, login("jiaowu"), done.course, done.resit_batch, learner_id=done.learner_id), 403,
            "auth.role_not_allowed")
    missing = problem(register_resit(client, login("xuanwu"), done.course, done.resit_batch,
                                     student_number=done.student_number[:-2]), 404, "not_found")
    assert "完整的学号" in missing["detail"]
    problem(register_resit(client, login("xuanwu"), done.course, done.resit_batch), 422,
            "exam_registration.learner_required")


def test_the_learner_registers_for_themselves(client, world, login, both):
    done, other = both
    me = learner_login(client, world, done.learner_id)
    body = ok(register_resit(client, me, done.course, done.resit_batch), 201)
    assert body["registration"]["learner_id"] == done.learner_id and body["bill"]["amount_fen"] == 4000
    assert registration(client, me, body["registration"]["id"])["status"] == "pending"
    problem(register_resit(client, me, other.course, other.resit_batch, student_number=other.student_number), 404, "not_found")
    problem(register_resit(client, me, other.course, other.resit_batch, learner_id=other.learner_id), 404, "not_found")
    ok(withdraw(client, me, body["registration"]["id"]))


def test_a_refusal_names_the_course(client, world, login, done):
    xw = login("xuanwu")
    no_exam = problem(register_resit(client, xw, done.catalogue.courses["01235"], done.resit_batch,
                                     student_number=done.student_number), 409, "exam_registration.no_final_exam")
    assert "会计信息系统" in no_exam["detail"]
    taken = problem(register_resit(client, xw, done.course, done.catalogue.exam_batch, student_number=done.student_number),
                    409, "exam_registration.already_registered")
    assert "管理会计" in taken["detail"] and "终考" in taken["detail"]  # the first sitting is the selection's
