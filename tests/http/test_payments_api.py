"""Paying bills through the HTTP API (requirements/finance.md §1.1, §2): remittance confirmed or rejected
by finance, online through the UnionPay gateway (the embedded simulator) with a signed callback
and idempotency keys. Payment unlocks learning and confirms the exam registration."""

from __future__ import annotations

import pytest

from tests.http.api_helpers import API, ok, problem
from tests.http.selection_support import learner, learner_login, ready_catalogue, selected

NOTIFY = f"{API}/payments/unionpay/notify"


@pytest.fixture
def two_learners(client, world, login):
    """Two learners of 玄武 with 管理会计 selected (credit 63600 + exam 4000 each), and one of 鼓楼."""
    cat = ready_catalogue(client, login, world)
    a, b = learner(client, login, world, seq=1), learner(client, login, world, seq=2)
    c = learner(client, login, world, seq=3, tp_admin="gulou")
    xw = login("xuanwu")
    bills = {lid: selected(client, xw, lid, cat.courses["01234"])["bills"] for lid in (a, b)}
    other = selected(client, login("gulou"), c, cat.courses["01234"])["bills"]
    return cat, a, b, c, bills, other


def ids(bills):
    return [b["id"] for b in bills]


def remit(client, headers, bill_ids, reference="BK20260902001"):
    return client.post(f"{API}/remittance-slips", json={"bill_ids": bill_ids, "bank_reference": reference}, headers=headers)


def test_batch_remittance_confirmed_by_finance_unlocks_learning_and_confirms_the_exam(client, world, login, two_learners):
    cat, a, b, _, bills, _ = two_learners
    xw = login("xuanwu")
    everything = ids(bills[a]) + ids(bills[b])
    slip = ok(remit(client, xw, everything), 201)
    assert slip["status"] == "submitted" and slip["status_label"] == "待确认"
    assert slip["amount_fen"] == 2 * (63600 + 4000) and slip["bill_count"] == 4 and len(slip["bills"]) == 4
    assert slip["slip_number"].startswith("HK20260901") and slip["bank_reference"] == "BK20260902001"
    assert {x["status"] for x in slip["bills"]} == {"remittance_in_transit"}
    assert ok(client.get(f"{API}/learners/{a}/courses", headers=xw))[0]["may_study"] is False

    queue = ok(client.get(f"{API}/remittance-slips", params={"status": "submitted"}, headers=login("caiwu")))
    assert queue["total"] == 1 and queue["total_amount_fen"] == 135200
    problem(client.post(f"{API}/remittance-slips/{slip['id']}/confirmation", json={}, headers=xw), 403, "auth.role_not_allowed")
    confirmed = ok(client.post(f"{API}/remittance-slips/{slip['id']}/confirmation",
                               json={"comment": "已到账"}, headers=login("caiwu")))
    assert confirmed["status"] == "confirmed" and {x["status"] for x in confirmed["bills"]} == {"paid"}
    assert {x["method"] for x in confirmed["bills"]} == {"remittance"}

    for lid in (a, b):
        (course,) = ok(client.get(f"{API}/learners/{lid}/courses", headers=xw))
        assert course["status"] == "paid" and course["status_label"] == "选课成功" and course["may_study"] is True
    regs = ok(client.get(f"{API}/exam-registrations",
                         params={"exam_batch_id": cat.exam_batch, "status": "confirmed"}, headers=xw))
    assert regs["total"] == 2 and {r["status_label"] for r in regs["items"]} == {"报考成功"}
    totals = ok(client.get(f"{API}/bills/totals", headers=login("caiwu")))
    xuanwu = next(t for t in totals if t["teaching_point_name"] == "玄武学习中心")
    assert xuanwu["by_status"]["paid"]["amount_fen"] == 135200
    # Paying again is refused.
    problem(remit(client, xw, ids(bills[a])[:1]), 409, "bill.already_paid")
    problem(client.post(f"{API}/remittance-slips/{slip['id']}/confirmation", json={}, headers=login("caiwu")),
            409, "remittance.not_awaiting_confirmation")


def test_finance_rejects_a_remittance_and_the_bills_await_payment_again(client, world, login, two_learners):
    _, a, _, _, bills, _ = two_learners
    xw = login("xuanwu")
    slip = ok(remit(client, xw, ids(bills[a])), 201)
    problem(remit(client, xw, ids(bills[a])), 409, "bill.remittance_in_transit")
    problem(client.post(f"{API}/remittance-slips/{slip['id']}/rejection", json={}, headers=login("caiwu")), 422, "field.required")
    rejected = ok(client.post(f"{API}/remittance-slips/{slip['id']}/rejection",
                              json={"reason": "款项未到账"}, headers=login("caiwu")))
    assert rejected["status"] == "rejected" and rejected["reject_reason"] == "款项未到账"
    assert {x["status"] for x in rejected["bills"]} == {"awaiting_payment"}
    assert ok(client.get(f"{API}/learners/{a}/courses", headers=xw))[0]["may_study"] is False
    ok(remit(client, xw, ids(bills[a]), "BK2"), 201)  # remitted again on a new slip


def test_a_teaching_point_pays_only_its_own_bills_and_each_once(client, world, login, two_learners):
    _, a, _, _, bills, other = two_learners
    xw = login("xuanwu")
    problem(remit(client, xw, ids(bills[a]) + ids(other)[:1]), 404, "not_found")
    problem(remit(client, xw, [ids(bills[a])[0], ids(bills[a])[0]]), 422, "payment.duplicate_bills")
    problem(remit(client, xw, []), 422, "payment.bills_required")
    problem(remit(client, login("caiwu"), ids(bills[a])), 403, "auth.role_not_allowed")
    problem(client.post(f"{API}/online-payments", json={"bill_ids": ids(other)},
                        headers={**xw, "Idempotency-Key": "pay-other-001"}), 404, "not_found")
    assert ok(client.get(f"{API}/remittance-slips", headers=login("gulou")))["total"] == 0


def pay_online(client, headers, bill_ids, key):
    return client.post(f"{API}/online-payments", json={"bill_ids": bill_ids}, headers={**headers, "Idempotency-Key": key})


def test_online_payment_through_the_gateway_simulator(client, world, login, two_learners):
    _, a, _, _, bills, _ = two_learners
    xw = login("xuanwu")
    started = ok(pay_online(client, xw, ids(bills[a]), "order-a-0001"), 201)
    assert started["status"] == "initiated" and started["amount_fen"] == 67600 and not started["replayed"]
    gateway = started["gateway"]
    assert gateway["name"] == "unionpay" and gateway["pay_url"].endswith("/payments/unionpay/simulator")
    fields = gateway["fields"]
    assert fields["txnAmt"] == "67600" and fields["currencyCode"] == "156" and fields["orderId"] == gateway["order_id"]
    assert fields["backUrl"].endswith("/payments/unionpay/notify") and len(fields["signature"]) == 64

    # A retried request with the same key finds the same payment and starts nothing new.
    again = ok(pay_online(client, xw, ids(bills[a]), "order-a-0001"))
    assert again["id"] == started["id"] and again["replayed"] and again["gateway"]["order_id"] == gateway["order_id"]
    problem(pay_online(client, xw, ids(bills[a])[:1], "order-a-0001"), 409, "payment.idempotency_key_reused")
    problem(client.post(f"{API}/online-payments", json={"bill_ids": ids(bills[a])}, headers=xw),
            422, "payment.idempotency_key_invalid")

    # The payer takes the signed order to the gateway; a forged order is refused there.
    forged = {**fields, "txnAmt": "1"}
    problem(client.post(f"{API}/payments/unionpay/simulator", data=forged), 403, "payment.signature_invalid")
    paid = ok(client.post(f"{API}/payments/unionpay/simulator", data=fields))
    assert paid == {"order_id": gateway["order_id"], "resp_code": "00", "status": "succeeded"}

    payment = ok(client.get(f"{API}/online-payments/{started['id']}", headers=xw))
    assert payment["status"] == "succeeded" and payment["gateway_transaction_id"]
    assert {(x["status"], x["method"]) for x in payment["bills"]} == {("paid", "unionpay")}
    assert ok(client.get(f"{API}/learners/{a}/courses", headers=xw))[0]["may_study"] is True
    reg = ok(client.get(f"{API}/exam-registrations", params={"learner_id": a}, headers=xw))["items"][0]
    assert reg["status"] == "confirmed"
    # Once paid, the same key answers with the paid payment and no order to pay again.
    done = ok(pay_online(client, xw, ids(bills[a]), "order-a-0001"))
    assert done["status"] == "succeeded" and done["gateway"] is None
    problem(pay_online(client, xw, ids(bills[a]), "order-a-0002"), 409, "bill.already_paid")
    # The gateway's events are recorded under its own name.
    events = ok(client.get(f"{API}/audit/aggregates/{started['id']}/events", headers=login("shenji")))["events"]
    assert [(e["event_type"], e["actor_name"], e["role"]) for e in events] == [
        ("Initiated", "xuanwu", "teaching_point_admin"), ("Succeeded", "unionpay", "payment_gateway"),
    ]


def test_the_signed_callback_pays_once_and_refuses_forgeries(client, world, login, two_learners):
    _, a, _, _, bills, _ = two_learners
    xw = login("xuanwu")
    started = ok(pay_online(client, xw, ids(bills[a]), "order-a-0001"), 201)
    gateway = world.container.finance.gateway
    notice = gateway.notice(started["gateway"]["order_id"], 67600, transaction_id="202609011000000001")

    tampered = {**notice, "txnAmt": "100"}
    problem(client.post(NOTIFY, data=tampered), 403, "payment.signature_invalid")
    problem(client.post(NOTIFY, data={k: v for k, v in notice.items() if k != "signature"}), 403, "payment.signature_invalid")
    other_merchant = gateway.signed({**notice, "merId": "898000000000001"})
    problem(client.post(NOTIFY, data=other_merchant), 403, "payment.merchant_mismatch")
    short = gateway.notice(started["gateway"]["order_id"], 100, transaction_id="202609011000000009")
    problem(client.post(NOTIFY, data=short), 409, "payment.amount_mismatch")
    unknown = gateway.notice("0" * 32, 67600)
    problem(client.post(NOTIFY, data=unknown), 404, "not_found")

    r = client.post(NOTIFY, data=notice)
    assert r.status_code == 200 and r.text == "ok"
    shenji = login("shenji")
    before = [len(ok(client.get(f"{API}/audit/aggregates/{x}/events", headers=shenji))["events"])
              for x in [started["id"], *ids(bills[a])]]
    # The gateway retries its notification: nothing is paid twice, nothing new is recorded.
    r = client.post(NOTIFY, data=notice)
    assert r.status_code == 200 and r.text == "ok"
    after = [len(ok(client.get(f"{API}/audit/aggregates/{x}/events", headers=shenji))["events"])
             for x in [started["id"], *ids(bills[a])]]
    assert before == after == [2, 2, 2]
    # Another success for the same order (a different transaction) is refused.
    second = gateway.notice(started["gateway"]["order_id"], 67600, transaction_id="202609011000000002")
    problem(client.post(NOTIFY, data=second), 409, "payment.already_succeeded")


def test_a_failed_payment_leaves_the_bills_awaiting_payment(client, world, login, two_learners):
    _, a, _, _, bills, _ = two_learners
    xw = login("xuanwu")
    started = ok(pay_online(client, xw, ids(bills[a]), "order-a-0001"), 201)
    failed = ok(client.post(f"{API}/payments/unionpay/simulator",
                            params={"result": "failure"}, data=started["gateway"]["fields"]))
    assert failed["status"] == "failed" and failed["resp_code"] != "00"
    payment = ok(client.get(f"{API}/online-payments/{started['id']}", headers=xw))
    assert payment["status"] == "failed" and payment["failure_reason"] == "交易失败"
    assert {x["status"] for x in payment["bills"]} == {"awaiting_payment"}
    assert ok(pay_online(client, xw, ids(bills[a]), "order-a-0001"))["gateway"] is None  # that payment is over
    retry = ok(pay_online(client, xw, ids(bills[a]), "order-a-0002"), 201)  # a new key starts a new payment
    ok(client.post(f"{API}/payments/unionpay/simulator", data=retry["gateway"]["fields"]))
    assert ok(client.get(f"{API}/learners/{a}/courses", headers=xw))[0]["may_study"] is True


def test_a_learner_pays_their_own_bills_online(client, world, login, two_learners):
    _, a, b, _, bills, _ = two_learners
    me = learner_login(client, world, a, seq=1)
    problem(pay_online(client, me, ids(bills[b]), "learner-pay-01"), 404, "not_found")
    started = ok(pay_online(client, me, ids(bills[a]), "learner-pay-01"), 201)
    ok(client.post(f"{API}/payments/unionpay/simulator", data=started["gateway"]["fields"]))
    assert ok(client.get(f"{API}/online-payments/{started['id']}", headers=me))["status"] == "succeeded"
    assert ok(client.get(f"{API}/learners/{a}/courses", headers=me))[0]["may_study"] is True
    problem(client.get(f"{API}/online-payments/{started['id']}", headers=login("gulou")), 404, "not_found")
    problem(remit(client, me, ids(bills[a])), 403, "auth.role_not_allowed")


def test_invalid_input_to_selection_payment_and_refunds_never_yields_a_500(client, world, login, two_learners):
    from hypothesis import given
    from hypothesis import strategies as st

    from tests.http.test_invalid_input_fuzz import FUZZ, check, scalars, shaped, tricky_text

    cat, a, _, _, bills, _ = two_learners
    xw, cw, jw = login("xuanwu"), login("caiwu"), login("jiaowu")
    known = [a, *ids(bills[a]), *cat.courses.values(), "00000000-0000-0000-0000-000000000000", "x"]
    some = st.lists(st.sampled_from(known), max_size=3)
    slip = ok(remit(client, xw, ids(bills[a])), 201)["id"]
    enrollment = ok(client.get(f"{API}/enrollments", params={"learner_id": a}, headers=xw))["items"][0]["id"]
    gateway_fields = st.dictionaries(
        st.sampled_from(["merId", "orderId", "txnAmt", "respCode", "respMsg", "queryId", "signature", "txnTime", "x"]),
        tricky_text, max_size=8,
    )

    @FUZZ
    @given(
        selection=shaped("learner_id", "course_ids", nested={"learner_id": st.sampled_from(known), "course_ids": some}),
        drop=shaped("enrollment_ids", "reason",
                    nested={"enrollment_ids": st.lists(st.sampled_from([enrollment, *known]), max_size=2)}),
        remittance=shaped("bill_ids", "bank_reference", nested={"bill_ids": some}),
        online=shaped("bill_ids", "idempotency_key", nested={"bill_ids": some}),
        key=tricky_text,
        decision=shaped("reason", "comment", "reference"),
        notice=gateway_fields,
        query=st.dictionaries(st.sampled_from(["page", "status", "fee_type", "course_id", "learner_id", "may_study",
                                               "exam_batch_id", "kind", "name", "major"]), scalars.map(str), max_size=4),
        # Learners that are never this teaching point's: refused before any job is queued.
        cohort=shaped("learner_ids", "course_ids", nested={
            "learner_ids": st.lists(st.sampled_from(["00000000-0000-0000-0000-000000000000", "x", 7]), max_size=2),
            "course_ids": some,
        }),
        resit=shaped("student_number", "learner_id", "course_id", "exam_batch_id", nested={
            "learner_id": st.sampled_from(known), "course_id": st.sampled_from(known),
            "exam_batch_id": st.sampled_from([cat.exam_batch, *known]),
        }),
    )
    def run(selection, drop, remittance, online, key, decision, notice, query, cohort, resit):
        check(client.post(f"{API}/enrollments", json=selection, headers=xw))
        check(client.post(f"{API}/batch-selections", json=cohort, headers=xw))
        check(client.post(f"{API}/exam-registrations/resits", json=resit, headers=xw))
        check(client.post(f"{API}/course-drops", json=drop, headers=xw))
        check(client.post(f"{API}/remittance-slips", json=remittance, headers=xw))
        check(client.post(f"{API}/remittance-slips/{slip}/rejection", json=decision, headers=cw))
        headers = {**xw, "Idempotency-Key": key.encode("ascii", "ignore").decode()[:80]}
        check(client.post(f"{API}/online-payments", json=online, headers=headers))
        check(client.post(NOTIFY, data=notice))
        check(client.post(f"{API}/payments/unionpay/simulator", data=notice))
        for path in ("enrollments", "bills", "bills/totals", "refunds", "refunds/queue", "exam-registrations", "remittance-slips",
                     "batch-selections"):
            check(client.get(f"{API}/{path}", params=query, headers=jw))

    run()
    container = world.container
    assert container.runner.position() == container.log.recorder.max_notification_id()
