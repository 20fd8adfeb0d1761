"""Course drops of paid courses through the review chain (requirements/finance.md §3): teaching point or
learner -> academic affairs -> finance -> refunded; the role queues; reject with a reason;
cancel only while pending academic review; study access derived from the refund's status."""

from __future__ import annotations

import pytest

from tests.http.api_helpers import API, ok, problem
from tests.http.selection_support import learner, learner_login, ready_catalogue, selected


@pytest.fixture
def paid(client, world, login):
    """A learner of 玄武 with 管理会计 (63600 + 4000) and 会计信息系统 (39750) paid by remittance."""
    cat = ready_catalogue(client, login, world)
    lid = learner(client, login, world)
    xw = login("xuanwu")
    sel = selected(client, xw, lid, cat.courses["01234"], cat.courses["01235"])
    slip = ok(client.post(f"{API}/remittance-slips", json={"bill_ids": [b["id"] for b in sel["bills"]]}, headers=xw), 201)
    ok(client.post(f"{API}/remittance-slips/{slip['id']}/confirmation", json={}, headers=login("caiwu")))
    by_code = {e["course_code"]: e["id"] for e in sel["enrollments"]}
    return cat, lid, by_code


def drop(client, headers, *enrollment_ids, reason="转专业"):
    return client.post(f"{API}/course-drops", json={"enrollment_ids": list(enrollment_ids), "reason": reason}, headers=headers)


def course(client, headers, lid, code):
    return next(c for c in ok(client.get(f"{API}/learners/{lid}/courses", headers=headers)) if c["course_code"] == code)


def act(client, headers, refund_id, step, **body):
    return client.post(f"{API}/refunds/{refund_id}/{step}", json=body, headers=headers)


def test_the_whole_chain_from_request_to_refund(client, world, login, paid):
    _, lid, enrollment = paid
    xw, jw, cw = login("xuanwu"), login("jiaowu"), login("caiwu")
    outcome = ok(drop(client, xw, enrollment["01234"]), 201)
    assert outcome["dropped"] == []
    (refund,) = outcome["refunds"]
    assert refund["status"] == "pending_academic_review" and refund["status_label"] == "待审核"
    assert refund["amount_fen"] == 67600 and refund["bill_count"] == 2 and refund["cancellable"]
    assert refund["requested_by_role"] == "teaching_point_admin" and refund["requested_by"] == "xuanwu"
    rid = refund["id"]
    still = course(client, xw, lid, "01234")
    assert still["may_study"] is True and still["refund_status"] == "pending_academic_review"

    after_academic = ok(act(client, jw, rid, "academic-approval", comment="同意退课"))
    assert after_academic["status"] == "pending_finance_review" and after_academic["status_label"] == "待财务审核"
    assert not after_academic["may_study"] and after_academic["academic_comment"] == "同意退课"
    assert course(client, xw, lid, "01234")["may_study"] is False  # study stops while finance reviews

    after_finance = ok(act(client, cw, rid, "finance-approval", comment="同意退费"))
    assert after_finance["status"] == "approved_awaiting_refund" and after_finance["status_label"] == "财务审核通过"
    assert course(client, xw, lid, "01234")["may_study"] is False

    done = ok(act(client, cw, rid, "refund-payment", reference="TK20261001"))
    assert done["status"] == "refunded" and done["status_label"] == "已处理退费" and done["refund_reference"] == "TK20261001"
    dropped = course(client, xw, lid, "01234")
    assert dropped["status"] == "dropped" and dropped["may_study"] is False
    assert dropped["counts_for_graduation"] is False and dropped["counts_for_graduation_label"] == "否（已退课）"
    kept = course(client, xw, lid, "01235")  # the other course is untouched
    assert kept["may_study"] is True and kept["counts_for_graduation"] is True
    reg = ok(client.get(f"{API}/exam-registrations", params={"learner_id": lid}, headers=xw))["items"][0]
    assert (reg["status"], reg["cancel_reason"]) == ("cancelled", "course_dropped")
    # The money went back: the course's bills read refunded, no longer paid.
    assert {(b["status"], b["status_label"]) for b in done["bills"]} == {("refunded", "已退费")}

    events = ok(client.get(f"{API}/audit/aggregates/{rid}/events", headers=login("shenji")))["events"]
    assert [(e["event_type"], e["actor_name"], e["role"]) for e in events] == [
        ("DropRequested", "xuanwu", "teaching_point_admin"),
        ("DropApprovedByAcademicAffairs", "jiaowu", "academic_affairs"),
        ("RefundApprovedByFinance", "caiwu", "finance"),
        ("RefundPaid", "caiwu", "finance"),
    ]
    assert events[0]["reason"] == "转专业" and events[-1]["reason"] == "TK20261001"
    history = ok(client.get(f"{API}/audit/aggregates/{enrollment['01234']}/events", headers=login("shenji")))["events"]
    assert [e["event_type"] for e in history] == ["CourseSelected", "FeePaid", "FeePaid",
                                                  "SelectionSucceeded", "DropRequested", "CourseDropped"]


def test_each_role_sees_its_own_queue(client, world, login, paid):
    _, _, enrollment = paid
    xw, jw, cw = login("xuanwu"), login("jiaowu"), login("caiwu")
    first = ok(drop(client, xw, enrollment["01234"]), 201)["refunds"][0]["id"]
    second = ok(drop(client, xw, enrollment["01235"]), 201)["refunds"][0]["id"]

    def queue(headers):
        return [r["id"] for r in ok(client.get(f"{API}/refunds/queue", headers=headers))["items"]]

    assert sorted(queue(jw)) == sorted([first, second]) and queue(cw) == []
    ok(act(client, jw, first, "academic-approval"))
    assert queue(jw) == [second] and queue(cw) == [first]
    ok(act(client, cw, first, "finance-approval"))
    assert queue(cw) == [first]  # approved, awaiting the refund: still finance's work
    ok(act(client, cw, first, "refund-payment"))
    assert queue(cw) == []
    assert sorted(queue(xw)) == sorted([first, second])  # the teaching point sees all its requests
    assert queue(login("gulou")) == [] and ok(client.get(f"{API}/refunds", headers=login("gulou")))["total"] == 0
    listing = ok(client.get(f"{API}/refunds", params={"status": "pending_academic_review"}, headers=jw))
    assert [r["id"] for r in listing["items"]] == [second] and listing["total_amount_fen"] == 39750
    problem(client.get(f"{API}/refunds/{first}", headers=login("gulou")), 404, "not_found")


def test_rejections_need_a_reason_and_leave_the_course_selected(client, world, login, paid):
    _, lid, enrollment = paid
    xw, jw, cw = login("xuanwu"), login("jiaowu"), login("caiwu")
    rid = ok(drop(client, xw, enrollment["01234"]), 201)["refunds"][0]["id"]
    problem(drop(client, xw, enrollment["01234"]), 409, "enrollment.drop_already_requested")
    problem(act(client, jw, rid, "academic-rejection"), 422, "refund.reason_required")
    rejected = ok(act(client, jw, rid, "academic-rejection", reason="已开始学习"))
    assert rejected["status"] == "rejected_by_academic_affairs" and rejected["reject_reason"] == "已开始学习"
    assert rejected["may_study"] and course(client, xw, lid, "01234")["may_study"] is True
    problem(act(client, jw, rid, "academic-approval"), 409, "refund.not_pending_academic_review")

    # The request closed, so another may follow; finance may reject it too.
    again = ok(drop(client, xw, enrollment["01234"]), 201)["refunds"][0]["id"]
    ok(act(client, jw, again, "academic-approval"))
    problem(act(client, cw, again, "finance-rejection", reason=""), 422, "refund.reason_required")
    no = ok(act(client, cw, again, "finance-rejection", reason="超过退费期限"))
    assert no["status"] == "rejected_by_finance" and no["status_label"] == "财务审核驳回" and no["closed_at"]
    current = course(client, xw, lid, "01234")
    assert current["status"] == "paid" and current["may_study"] is True and current["refund_status"] is None
    problem(act(client, cw, again, "refund-payment"), 409, "refund.not_awaiting_refund")


def test_only_the_right_role_moves_each_step(client, world, login, paid):
    _, _, enrollment = paid
    xw, jw, cw = login("xuanwu"), login("jiaowu"), login("caiwu")
    rid = ok(drop(client, xw, enrollment["01234"]), 201)["refunds"][0]["id"]
    for user in ("xuanwu", "caiwu", "shenji"):
        problem(act(client, login(user), rid, "academic-approval"), 403, "auth.role_not_allowed")
    problem(act(client, cw, rid, "finance-approval"), 409, "refund.not_pending_finance_review")
    ok(act(client, jw, rid, "academic-approval"))
    problem(act(client, jw, rid, "finance-approval"), 403, "auth.role_not_allowed")
    problem(act(client, xw, rid, "refund-payment"), 403, "auth.role_not_allowed")
    problem(act(client, cw, rid, "refund-payment"), 409, "refund.not_awaiting_refund")


def test_cancellation_only_while_pending_academic_review_and_only_by_the_requester_side(client, world, login, paid):
    _, lid, enrollment = paid
    xw, jw = login("xuanwu"), login("jiaowu")
    rid = ok(drop(client, xw, enrollment["01234"]), 201)["refunds"][0]["id"]
    problem(act(client, login("gulou"), rid, "cancellation"), 404, "not_found")
    problem(act(client, jw, rid, "cancellation"), 403, "auth.role_not_allowed")
    cancelled = ok(act(client, xw, rid, "cancellation", reason="不退了"))
    assert cancelled["status"] == "cancelled" and cancelled["status_label"] == "已撤销" and not cancelled["cancellable"]
    assert course(client, xw, lid, "01234")["may_study"] is True

    again = ok(drop(client, xw, enrollment["01234"]), 201)["refunds"][0]["id"]
    ok(act(client, jw, again, "academic-approval"))
    body = problem(act(client, xw, again, "cancellation"), 409, "refund.not_cancellable")
    assert "待财务审核" in body["detail"]


def test_a_learner_asks_for_a_drop_and_withdraws_it(client, world, login, paid):
    _, lid, enrollment = paid
    me = learner_login(client, world, lid, seq=1)
    outcome = ok(drop(client, me, enrollment["01235"], reason="工作太忙"), 201)
    (refund,) = outcome["refunds"]
    assert refund["requested_by_role"] == "learner" and refund["requested_by_role_label"] == "学生"
    assert [r["id"] for r in ok(client.get(f"{API}/refunds/queue", headers=me))["items"]] == [refund["id"]]
    ok(act(client, me, refund["id"], "cancellation"))
    other = learner(client, login, world, seq=2)
    problem(client.get(f"{API}/learners/{other}/courses", headers=me), 404, "not_found")


def test_dropping_a_paid_and_an_unpaid_course_together(client, world, login, paid):
    cat, lid, enrollment = paid
    xw = login("xuanwu")
    # A third course, selected but not paid.
    from tests.http.selection_support import list_in_programme, new_course

    extra = new_course(client, login, "01236", "成本会计", "3")
    list_in_programme(client, login, world.programmes["accounting"], extra)
    ok(client.post(f"{API}/selection-batches/{cat.selection_batch}/courses",
                   json={"course_ids": [extra]}, headers=login("jiaowu")))
    ok(client.post(f"{API}/exam-batches/{cat.exam_batch}/courses", json={"course_ids": [extra]}, headers=login("jiaowu")))
    unpaid = selected(client, xw, lid, extra)["enrollments"][0]["id"]
    outcome = ok(drop(client, xw, enrollment["01235"], unpaid), 201)
    assert [d["id"] for d in outcome["dropped"]] == [unpaid]
    assert [r["course_code"] for r in outcome["refunds"]] == ["01235"] and outcome["refunds"][0]["amount_fen"] == 39750
