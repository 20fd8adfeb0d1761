"""Course selection through the HTTP API (requirements/enrolment.md §1, §2.2, §2.3): the six preconditions, bills
per the fee standard, the final-exam registration, scope, and drops of unpaid courses."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.http.api_helpers import API, ok, problem
from tests.http.selection_support import (
    JUNIOR_FEES,
    UNDERGRADUATE_FEES,
    batches,
    learner,
    learner_login,
    list_in_programme,
    new_course,
    ready_catalogue,
    select,
    selected,
    set_fees,
)

SH = ZoneInfo("Asia/Shanghai")


def test_a_teaching_point_selects_courses_and_bills_and_the_exam_registration_follow(client, world, login):
    cat = ready_catalogue(client, login, world)
    lid = learner(client, login, world)
    xw = login("xuanwu")
    result = selected(client, xw, lid, cat.courses["01234"], cat.courses["01235"])

    enrollments = {e["course_code"]: e for e in result["enrollments"]}
    assert set(enrollments) == {"01234", "01235"}
    for e in enrollments.values():
        assert e["status"] == "awaiting_payment" and e["status_label"] == "待缴费" and e["may_study"] is False
        assert e["learner_id"] == lid and e["selection_batch_id"] == cat.selection_batch and e["exam_batch_id"] == cat.exam_batch
    # 4 credits x 159.00 and one exam at 40.00; 2.5 credits x 159.00 = 397.50 and no final exam.
    bills = sorted((b["course_code"], b["fee_type"], b["amount_fen"], b["status"]) for b in result["bills"])
    assert bills == [
        ("01234", "credit_fee", 63600, "awaiting_payment"),
        ("01234", "exam_fee", 4000, "awaiting_payment"),
        ("01235", "credit_fee", 39750, "awaiting_payment"),
    ]
    assert len(result["exam_registration_ids"]) == 1

    regs = ok(client.get(f"{API}/exam-registrations", params={"exam_batch_id": cat.exam_batch}, headers=xw))
    assert regs["total"] == 1
    reg = regs["items"][0]
    assert (reg["course_code"], reg["kind"], reg["status"], reg["status_label"]) == ("01234", "final", "pending", "待缴费")

    courses = ok(client.get(f"{API}/learners/{lid}/courses", headers=xw))
    assert [(c["course_code"], c["may_study"]) for c in courses] == [("01234", False), ("01235", False)]
    listed = ok(client.get(f"{API}/bills", params={"learner_id": lid}, headers=xw))
    assert listed["total"] == 3 and listed["total_amount_fen"] == 63600 + 4000 + 39750

    # The enrollment's history shows who selected it, and the bills and registration were one write.
    eid = enrollments["01234"]["id"]
    events = ok(client.get(f"{API}/audit/aggregates/{eid}/events", headers=login("shenji")))["events"]
    assert [e["event_type"] for e in events] == ["CourseSelected"]
    assert events[0]["actor_name"] == "xuanwu" and events[0]["role"] == "teaching_point_admin"


def test_a_course_common_to_both_levels_takes_the_lower_standard(client, world, login):
    cid = new_course(client, login, "02001", "公文写作", "3", ("本科", "专科"))
    list_in_programme(client, login, world.programmes["accounting"], cid)
    list_in_programme(client, login, world.programmes["administration"], cid)
    batches(client, login, [cid])
    # 本科 is the cheaper credit fee, 专科 the cheaper exam fee: each bill takes its own lower amount.
    ok(client.put(f"{API}/fee-standards/undergraduate",
                  json={"credit_fee_per_credit_fen": 11000, "exam_fee_per_course_fen": 5000}, headers=login("caiwu")))
    ok(client.put(f"{API}/fee-standards/junior_college", json=JUNIOR_FEES, headers=login("caiwu")))
    lid = learner(client, login, world, programme=world.programmes["administration"], prior_level="高中")
    result = selected(client, login("xuanwu"), lid, cid)
    assert sorted((b["fee_type"], b["amount_fen"]) for b in result["bills"]) == [("credit_fee", 33000), ("exam_fee", 3000)]


def _unready(client, login, world, missing):
    """A 本科 course of the accounting programme, ready but for one precondition."""
    cid = new_course(
        client, login, "03001", "财务管理", publish=missing != "published", version=missing != "version",
        final_exam=None if missing == "assessment" else True,
        levels=("本科", "专科") if missing == "fees" else ("本科",),
    )
    if missing != "programme":
        list_in_programme(client, login, world.programmes["accounting"], cid)
    jw = login("jiaowu")
    selection = {"selection_starts_on": "2026-09-01", "selection_ends_on": "2026-09-30"}
    if missing == "selection_period":
        selection = {"selection_starts_on": "2026-09-10", "selection_ends_on": "2026-09-30"}
    registration = {"registration_starts_on": "2026-09-01", "registration_ends_on": "2026-10-15"}
    if missing == "registration_period":
        registration = {"registration_starts_on": "2026-08-01", "registration_ends_on": "2026-08-31"}
    ok(client.post(f"{API}/selection-batches",
                   json={"code": "X1", "name": "秋季选课", **selection, "course_ids": [cid]}, headers=jw), 201)
    ok(client.post(f"{API}/exam-batches",
                   json={"code": "K1", "name": "1月考试", **registration, "course_ids": [cid]}, headers=jw), 201)
    set_fees(client, login, junior=missing != "fees")
    return cid


@pytest.mark.parametrize(
    ("missing", "code", "words"),
    [
        ("programme", "selection.course_not_in_programme", "不在该学生的培养方案中"),
        ("published", "selection.course_not_published", "状态不是“已发布”"),
        ("version", "selection.no_version_in_use", "没有正在使用中的课程版本"),
        ("assessment", "selection.assessment_not_approved", "没有审核通过的课程考核要求"),
        ("selection_period", "selection.not_in_selection_period", "当前不在选课期内"),
        ("registration_period", "selection.not_in_exam_registration_period", "当前不在报考期内"),
        ("fees", "selection.fee_standard_missing", "（专科）未设置考试费、学分费收费标准"),
    ],
)
def test_each_precondition_is_refused_with_its_own_code_naming_the_course(client, world, login, missing, code, words):
    cid = _unready(client, login, world, missing)
    lid = learner(client, login, world)
    body = problem(select(client, login("xuanwu"), lid, cid), 409, code)
    assert "课程“财务管理”" in body["detail"] and words in body["detail"]
    assert body["courses"][0]["course_code"] == "03001"
    assert [u["code"] for u in body["courses"][0]["unmet"]] == [code]
    # Nothing was written.
    assert ok(client.get(f"{API}/enrollments", params={"learner_id": lid}, headers=login("xuanwu")))["total"] == 0
    assert ok(client.get(f"{API}/bills", params={"learner_id": lid}, headers=login("xuanwu")))["total"] == 0
    # The selectable-courses screen says the same before anyone tries.
    offered = ok(client.get(f"{API}/learners/{lid}/selectable-courses", headers=login("xuanwu")))
    if missing != "programme":
        assert [u["code"] for u in offered[0]["unmet"]] == [code] and not offered[0]["selectable"]


def test_every_unmet_condition_of_every_course_is_reported_and_nothing_is_selected(client, world, login):
    cat = ready_catalogue(client, login, world)
    draft = new_course(client, login, "03002", "审计学", publish=False, version=False, final_exam=None)
    list_in_programme(client, login, world.programmes["accounting"], draft)
    lid = learner(client, login, world)
    body = problem(select(client, login("xuanwu"), lid, cat.courses["01234"], draft), 409, "selection.course_not_published")
    (refused,) = body["courses"]
    assert refused["course_name"] == "审计学"
    assert [u["condition"] for u in refused["unmet"]] == [1, 2, 3, 4, 5]
    assert ok(client.get(f"{API}/enrollments", params={"learner_id": lid}, headers=login("xuanwu")))["total"] == 0


def test_a_course_already_selected_is_not_selected_again(client, world, login):
    cat = ready_catalogue(client, login, world)
    lid = learner(client, login, world)
    xw = login("xuanwu")
    selected(client, xw, lid, cat.courses["01234"])
    body = problem(select(client, xw, lid, cat.courses["01235"], cat.courses["01234"]), 409, "enrollment.already_selected")
    assert "管理会计" in body["detail"]
    assert ok(client.get(f"{API}/enrollments", params={"learner_id": lid}, headers=xw))["total"] == 1
    # Asking for one course twice in one request selects it once.
    assert len(selected(client, xw, lid, cat.courses["01235"], cat.courses["01235"])["enrollments"]) == 1


def test_scope_teaching_points_select_for_their_own_learners_and_learners_for_themselves(client, world, login):
    cat = ready_catalogue(client, login, world)
    lid = learner(client, login, world, seq=1)
    other = learner(client, login, world, seq=2, tp_admin="gulou")
    problem(select(client, login("gulou"), lid, cat.courses["01234"]), 404, "not_found")
    for user in ("jiaowu", "caiwu", "shenji"):
        problem(select(client, login(user), lid, cat.courses["01234"]), 403, "auth.role_not_allowed")
    problem(client.post(f"{API}/enrollments", json={"course_ids": [cat.courses["01234"]]}), 401, "auth.required")

    me = learner_login(client, world, lid, seq=1)
    mine = selected(client, me, None, cat.courses["01234"])
    assert mine["enrollments"][0]["learner_id"] == lid and len(mine["bills"]) == 2
    problem(select(client, me, other, cat.courses["01234"]), 404, "not_found")
    # A learner reads their own courses and bills only.
    assert [c["course_code"] for c in ok(client.get(f"{API}/learners/{lid}/courses", headers=me))] == ["01234"]
    problem(client.get(f"{API}/learners/{other}/courses", headers=me), 404, "not_found")
    assert ok(client.get(f"{API}/bills", headers=me))["total"] == 2
    assert ok(client.get(f"{API}/enrollments", headers=login("gulou")))["total"] == 0
    problem(client.get(f"{API}/enrollments/{mine['enrollments'][0]['id']}", headers=login("gulou")), 404, "not_found")
    # Its events record the learner as the actor.
    events = ok(client.get(f"{API}/audit/aggregates/{mine['enrollments'][0]['id']}/events", headers=login("shenji")))["events"]
    assert events[0]["role"] == "learner"


def test_rosters_filter_as_the_seed_screens_do(client, world, login):
    cat = ready_catalogue(client, login, world)
    a = learner(client, login, world, seq=1)
    learner(client, login, world, seq=2)
    xw = login("xuanwu")
    selected(client, xw, a, cat.courses["01234"])
    jw = login("jiaowu")
    assert ok(client.get(f"{API}/enrollments", params={"major": "会计学", "course_id": cat.courses["01234"]},
                         headers=jw))["total"] == 1
    assert ok(client.get(f"{API}/enrollments", params={"major": "行政管理"}, headers=jw))["total"] == 0
    assert ok(client.get(f"{API}/enrollments", params={"name": "王小明1", "status": "awaiting_payment"},
                         headers=jw))["total"] == 1
    assert ok(client.get(f"{API}/enrollments", params={"student_number": "2632101", "may_study": "false"},
                         headers=jw))["total"] == 1
    assert ok(client.get(f"{API}/bills", params={"status": "paid"}, headers=jw))["total"] == 0
    assert ok(client.get(f"{API}/bills", params={"fee_type": "exam_fee", "study_batch_id": str(world.study_batch)},
                         headers=jw))["total_amount_fen"] == 4000
    totals = ok(client.get(f"{API}/bills/totals", headers=jw))
    assert [(t["teaching_point_name"], t["count"], t["amount_fen"]) for t in totals] == [("玄武学习中心", 2, 67600)]
    assert totals[0]["by_status"]["awaiting_payment"] == {"label": "待缴费", "count": 2, "amount_fen": 67600}
    assert ok(client.get(f"{API}/bills/totals", headers=login("gulou"))) == []


def test_an_unpaid_course_is_dropped_at_once_and_may_be_selected_again(client, world, login):
    cat = ready_catalogue(client, login, world)
    lid = learner(client, login, world)
    xw = login("xuanwu")
    first = selected(client, xw, lid, cat.courses["01234"])
    eid = first["enrollments"][0]["id"]
    outcome = ok(client.post(f"{API}/course-drops", json={"enrollment_ids": [eid], "reason": "错选"}, headers=xw), 201)
    assert outcome["refunds"] == []
    (dropped,) = outcome["dropped"]
    assert dropped["status"] == "dropped" and dropped["status_label"] == "已退课" and not dropped["may_study"]
    bills = ok(client.get(f"{API}/bills", params={"enrollment_id": eid}, headers=xw))["items"]
    assert {b["status"] for b in bills} == {"voided"} and {b["void_reason"] for b in bills} == {"未缴费退课"}
    reg = ok(client.get(f"{API}/exam-registrations", headers=xw))["items"][0]
    assert (reg["status"], reg["cancel_reason"]) == ("cancelled", "course_dropped")
    problem(client.post(f"{API}/course-drops", json={"enrollment_ids": [eid]}, headers=xw), 409, "enrollment.dropped")

    again = selected(client, xw, lid, cat.courses["01234"])
    assert again["enrollments"][0]["id"] == eid and again["enrollments"][0]["status"] == "awaiting_payment"
    assert {b["id"] for b in again["bills"]}.isdisjoint({b["id"] for b in bills})
    reg = ok(client.get(f"{API}/exam-registrations", headers=xw))["items"][0]
    assert reg["status"] == "pending" and reg["cancel_reason"] is None
    events = ok(client.get(f"{API}/audit/aggregates/{eid}/events", headers=login("shenji")))["events"]
    assert [e["event_type"] for e in events] == ["CourseSelected", "CourseDropped", "CourseReselected"]


def test_drops_only_in_the_drop_period_and_only_of_ones_own(client, world, login):
    cat = ready_catalogue(client, login, world)
    lid = learner(client, login, world)
    eid = selected(client, login("xuanwu"), lid, cat.courses["01234"])["enrollments"][0]["id"]
    problem(client.post(f"{API}/course-drops", json={"enrollment_ids": [eid]}, headers=login("gulou")), 404, "not_found")
    problem(client.post(f"{API}/course-drops", json={"enrollment_ids": [eid]}, headers=login("jiaowu")),
            403, "auth.role_not_allowed")
    problem(client.post(f"{API}/course-drops", json={"enrollment_ids": []}, headers=login("xuanwu")),
            422, "drop.courses_required")
    world.container.clock.at = datetime(2026, 11, 1, 9, 0, tzinfo=SH)  # the drop period ended 2026-10-31
    body = problem(client.post(f"{API}/course-drops", json={"enrollment_ids": [eid]}, headers=login("xuanwu")),
                   409, "selection_batch.drop_period_closed")
    assert "管理会计" in body["detail"] and "2026-09-01至2026-10-31" in body["detail"]


def test_fee_standards_apply_to_new_bills_only(client, world, login):
    cat = ready_catalogue(client, login, world)
    a, b = learner(client, login, world, seq=1), learner(client, login, world, seq=2)
    xw = login("xuanwu")
    first = selected(client, xw, a, cat.courses["01235"])
    ok(client.put(f"{API}/fee-standards/undergraduate",
                  json={**UNDERGRADUATE_FEES, "credit_fee_per_credit_fen": 20000}, headers=login("caiwu")))
    second = selected(client, xw, b, cat.courses["01235"])
    assert [x["amount_fen"] for x in first["bills"]] == [39750] and [x["amount_fen"] for x in second["bills"]] == [50000]
    assert ok(client.get(f"{API}/bills/{first['bills'][0]['id']}", headers=xw))["amount_fen"] == 39750
