"""学籍异动 through the HTTP API: transfer, change of major and withdrawal from the request to the
school's decision, the scope of each teaching point, proof files, problems and the audit trail."""

from __future__ import annotations

import base64
from typing import Any

from tests.http.api_helpers import API, ok, problem
from tests.http.selection_support import learner, learner_login, list_in_programme, ready_catalogue, selected

SC = f"{API}/status-changes"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def number_of(world: Any, learner_id: str) -> str:
    import uuid

    return world.container.store.get(uuid.UUID(learner_id)).student_number


def ask(client: Any, headers: dict[str, str], kind: str, reason: str = "工作调动", **body: Any) -> Any:
    return client.post(SC, json={"kind": kind, "reason": reason, **body}, headers=headers)


def step(client: Any, headers: dict[str, str], sc_id: str, action: str, **body: Any) -> Any:
    return client.post(f"{SC}/{sc_id}/{action}", json=body, headers=headers)


def test_a_learner_asks_for_a_transfer_with_a_proof_file_and_both_reviews_move_them(client, login, world):
    lid = learner(client, login, world)
    me = learner_login(client, world, lid)
    attachment = {"file_name": "工作证明.pdf", "content": base64.b64encode(PDF).decode()}
    sc = ok(ask(client, me, "transfer", target_teaching_point_id=str(world.tp["102"]), attachments=[attachment]), 201)
    assert (sc["kind_label"], sc["status_label"], sc["requested_by_role_label"]) == ("转教学点", "待初审", "学生")
    assert sc["target_teaching_point_name"] == "鼓楼学习中心" and sc["cancellable"] is True
    # Both teaching points see it; the learner's own reviews it first, then the school.
    assert ok(client.get(SC, headers=login("gulou")))["total"] == 1
    problem(step(client, login("gulou"), sc["id"], "preliminary-approval"), 404)
    problem(step(client, login("jiaowu"), sc["id"], "approval"), 409, "status_change.not_pending_final_review")
    problem(step(client, login("xuanwu"), sc["id"], "approval"), 403)
    assert ok(step(client, login("xuanwu"), sc["id"], "preliminary-approval", comment="属实"))["status_label"] == "初审通过"
    done = ok(step(client, login("jiaowu"), sc["id"], "approval", comment="同意"))
    assert (done["status_label"], done["cancellable"]) == ("复审通过", False)
    record = ok(client.get(f"{API}/learners/{lid}", headers=login("gulou")))
    assert record["teaching_point_id"] == str(world.tp["102"])
    problem(client.get(f"{API}/learners/{lid}", headers=login("xuanwu")), 404)  # no longer the old point's
    # The learner's record lists it in the status history, with who decided each step.
    [history] = ok(client.get(f"{API}/learners/{lid}/record", headers=me))["status_history"]
    assert (history["kind_label"], history["from_label"], history["to_label"]) == ("转教学点", "玄武学习中心", "鼓楼学习中心")
    assert (history["status_label"], history["requested_by_role_label"]) == ("复审通过", "学生")
    assert (history["preliminary_reviewed_by"], history["closed_by"]) == ("xuanwu", "jiaowu")
    assert history["requested_at"] and history["preliminary_reviewed_at"] and history["closed_at"]
    # The proof file comes back as stored, to those who may see the request.
    r = client.get(f"{SC}/{sc['id']}/attachments/0", headers=login("jiaowu"))
    assert r.status_code == 200 and r.content == PDF and r.headers["content-type"].startswith("application/pdf")
    problem(client.get(f"{SC}/{sc['id']}/attachments/1", headers=login("jiaowu")), 404)
    # The audit trail: every step with actor, role, teaching point and correlation id.
    events = ok(client.get(f"{API}/audit/aggregates/{sc['id']}/events", headers=login("shenji")))["events"]
    assert [(e["event_label"], e["role"]) for e in events] == [
        ("申请学籍异动", "learner"), ("初审通过", "teaching_point_admin"), ("复审通过", "academic_affairs"),
    ]
    assert events[1]["actor_name"] == "xuanwu" and events[1]["teaching_point_id"] == str(world.tp["101"])
    assert all(e["correlation_id"] for e in events)
    trail = ok(client.get(f"{API}/audit/aggregates/{lid}/events", headers=login("shenji")))["events"]
    assert [e["event_label"] for e in trail][-2:] == ["发起学籍异动", "转教学点"]


def test_the_rules_of_a_transfer_are_answered_as_problems(client, login, world):
    lid = learner(client, login, world)
    number = number_of(world, lid)
    tp = login("xuanwu")
    problem(ask(client, tp, "suspension", student_number=number), 422, "status_change.kind_invalid")
    problem(ask(client, tp, "transfer", student_number=number), 422, "field.required")
    problem(ask(client, tp, "transfer", reason=" ", student_number=number, target_teaching_point_id=str(world.tp["102"])), 422)
    problem(ask(client, tp, "transfer", student_number=number, target_teaching_point_id=str(world.tp["101"])),
            409, "status_change.same_teaching_point")
    problem(ask(client, tp, "transfer"), 422, "status_change.learner_required")
    problem(ask(client, login("gulou"), "transfer", student_number=number, target_teaching_point_id=str(world.tp["102"])), 404)
    problem(ask(client, login("jiaowu"), "transfer", student_number=number, target_teaching_point_id=str(world.tp["102"])), 403)
    # The administration programme is offered at 101 only.
    other = learner(client, login, world, 2, programme=world.programmes["administration"])
    problem(ask(client, tp, "transfer", learner_id=other, target_teaching_point_id=str(world.tp["102"])),
            409, "status_change.programme_not_offered")
    disguised = {"file_name": "证明.png", "content": base64.b64encode(b"GIF89a not a png").decode()}
    body = problem(ask(client, tp, "transfer", learner_id=lid, target_teaching_point_id=str(world.tp["102"]),
                       attachments=[disguised]), 422, "upload.type")
    assert "PNG" in body["detail"]
    huge = {"file_name": "大.pdf", "content": base64.b64encode(PDF[:-7] + b"0" * (5 * 1024 * 1024) + b"%%EOF\n").decode()}
    body = problem(ask(client, tp, "transfer", learner_id=lid, target_teaching_point_id=str(world.tp["102"]), attachments=[huge]),
                   422, "upload.too_large")
    assert body["detail"] == "证明材料“大.pdf”文件不能超过 5 MB"
    truncated = {"file_name": "证明.pdf", "content": base64.b64encode(PDF[:20]).decode()}
    problem(ask(client, tp, "transfer", learner_id=lid, target_teaching_point_id=str(world.tp["102"]), attachments=[truncated]),
            422, "upload.type")
    assert ok(client.get(SC, headers=tp))["total"] == 0  # nothing saved
    sc = ok(ask(client, tp, "transfer", learner_id=lid, target_teaching_point_id=str(world.tp["102"])), 201)
    assert sc["status_label"] == "初审通过"  # entered by the teaching point
    problem(ask(client, tp, "withdrawal", learner_id=lid), 409, "status_change.already_pending")
    problem(step(client, login("jiaowu"), sc["id"], "rejection"), 422, "status_change.reason_required")
    rejected = ok(step(client, login("jiaowu"), sc["id"], "rejection", reason="名额已满"))
    assert (rejected["status_label"], rejected["reject_reason"]) == ("复审驳回", "名额已满")
    problem(step(client, tp, sc["id"], "cancellation"), 409, "status_change.not_cancellable")


def test_a_change_of_major_within_the_window_and_the_same_level(client, login, world):
    jw = login("jiaowu")
    auditing = ok(client.post(f"{API}/programmes", json={
        "code": "P-ZSB-SJ", "level": "专升本", "learner_type": "开放教育", "learner_source": "开放教育", "major": "审计学",
        "length_of_schooling": "2.5年", "teaching_point_ids": [str(world.tp["101"])],
    }, headers=jw), 201)["id"]
    lid = learner(client, login, world)
    me = learner_login(client, world, lid)
    assert ok(client.get(f"{API}/change-of-major-window", headers=me)) == {"window": None}
    problem(ask(client, me, "change_of_major", target_programme_id=auditing), 409, "status_change.no_change_of_major_window")
    problem(client.put(f"{API}/change-of-major-window",
                       json={"opens_on": "2026-09-01", "closes_on": "2026-09-10"}, headers=login("xuanwu")), 403)
    problem(client.put(f"{API}/change-of-major-window",
                       json={"opens_on": "2026-09-10", "closes_on": "2026-09-01"}, headers=jw), 422)
    window = ok(client.put(f"{API}/change-of-major-window",
                           json={"opens_on": "2026-09-01", "closes_on": "2026-09-10"}, headers=jw))
    assert window == {"window": {"opens_on": "2026-09-01", "closes_on": "2026-09-10", "open": True}}
    problem(ask(client, me, "change_of_major", target_programme_id=str(world.programmes["administration"])),
            409, "status_change.level_differs")
    sc = ok(ask(client, me, "change_of_major", reason="转审计", target_programme_id=auditing), 201)
    assert (sc["major"], sc["target_major"], sc["target_level"]) == ("会计学", "审计学", "专升本")
    problem(step(client, login("xuanwu"), sc["id"], "preliminary-rejection"), 422, "status_change.reason_required")
    ok(step(client, login("xuanwu"), sc["id"], "preliminary-approval"))
    ok(step(client, jw, sc["id"], "approval"))
    assert ok(client.get(f"{API}/learners/{lid}", headers=me))["major"] == "审计学"
    [history] = ok(client.get(f"{API}/learners/{lid}/record", headers=jw))["status_history"]
    assert (history["kind_label"], history["from_label"], history["to_label"]) == ("转专业", "专升本会计学", "专升本审计学")
    listed = ok(client.get(SC, params={"kind": "change_of_major", "status": "approved"}, headers=jw))
    assert [i["id"] for i in listed["items"]] == [sc["id"]]


def auditing_programme(client: Any, login: Any, world: Any) -> str:
    """专升本审计学 at 玄武, and the change-of-major window open today."""
    jw = login("jiaowu")
    ok(client.put(f"{API}/change-of-major-window", json={"opens_on": "2026-09-01", "closes_on": "2026-09-10"}, headers=jw))
    return ok(client.post(f"{API}/programmes", json={
        "code": "P-ZSB-SJ", "level": "专升本", "learner_type": "开放教育", "learner_source": "开放教育", "major": "审计学",
        "length_of_schooling": "2.5年", "teaching_point_ids": [str(world.tp["101"])],
    }, headers=jw), 201)["id"]


def changed_major_with_courses(client: Any, login: Any, world: Any) -> tuple[str, Any]:
    """A learner of 会计学 with both catalogue courses selected moves to 审计学, whose course
    list holds 管理会计 (01234) only."""
    cat = ready_catalogue(client, login, world)
    auditing = auditing_programme(client, login, world)
    list_in_programme(client, login, auditing, cat.courses["01234"])
    lid = learner(client, login, world)
    tp = login("xuanwu")
    selected(client, tp, lid, *cat.courses.values())
    sc = ok(ask(client, tp, "change_of_major", reason="转审计", learner_id=lid, target_programme_id=auditing), 201)
    ok(step(client, login("jiaowu"), sc["id"], "approval"))
    return lid, cat


def test_a_change_of_major_keeps_credits_valid_only_for_courses_in_the_new_programme(client, login, world):
    lid, _ = changed_major_with_courses(client, login, world)
    courses = ok(client.get(f"{API}/learners/{lid}/courses", headers=login("xuanwu")))
    counted = {c["course_code"]: (c["counts_for_graduation"], c["counts_for_graduation_label"]) for c in courses}
    assert counted == {"01234": (True, "是"), "01235": (False, "否（仅保留成绩）")}
    assert ok(client.get(f"{API}/learners/{lid}", headers=login("xuanwu")))["major"] == "审计学"
    # Each course's audit trail says what the approval decided for it.
    for c in courses:
        trail = ok(client.get(f"{API}/audit/aggregates/{c['id']}/events", headers=login("shenji")))["events"]
        assert (trail[-1]["event_label"], trail[-1]["role"]) == ("转专业后认定是否计入毕业学分", "academic_affairs")


def test_a_withdrawal_lists_the_courses_still_droppable_and_ends_study_on_approval(client, login, world):
    cat = ready_catalogue(client, login, world)
    lid = learner(client, login, world)
    number = number_of(world, lid)
    tp = login("xuanwu")
    chosen = selected(client, tp, lid, *cat.courses.values())
    prompt = ok(client.get(f"{SC}/withdrawal-courses", params={"student_number": number}, headers=tp))
    assert sorted(c["course_name"] for c in prompt["courses"]) == ["会计信息系统", "管理会计"]
    problem(client.get(f"{SC}/withdrawal-courses", params={"student_number": number}, headers=login("gulou")), 404)
    sc = ok(ask(client, tp, "withdrawal", reason="出国定居", student_number=number), 201)
    assert [c["status_label"] for c in sc["droppable_courses"]] == ["待缴费", "待缴费"]
    # The drop itself is the normal drop flow; the request shows its effect.
    first, first_course = chosen["enrollments"][0]["id"], chosen["enrollments"][0]["course_id"]
    ok(client.post(f"{API}/course-drops", json={"enrollment_ids": [first]}, headers=tp), 201)
    view = ok(client.get(f"{SC}/{sc['id']}", headers=tp))
    assert {c["enrollment_id"]: c["status_label"] for c in view["droppable_courses"]}[first] == "已退课"
    assert len(ok(client.get(f"{SC}/withdrawal-courses", params={"learner_id": lid}, headers=tp))["courses"]) == 1
    ok(step(client, login("jiaowu"), sc["id"], "approval"))
    record = ok(client.get(f"{API}/learners/{lid}", headers=tp))
    assert (record["status"], record["status_label"]) == ("withdrawn", "已退学")
    problem(ask(client, tp, "withdrawal", learner_id=lid), 409, "status_change.learner_not_enrolled")
    # Learning stops: no new course selection for a withdrawn learner.
    problem(client.post(f"{API}/enrollments", json={"learner_id": lid, "course_ids": [first_course]}, headers=tp),
            409, "selection.learner_not_enrolled")


def test_lists_are_scoped_and_filtered(client, login, world):
    ours = learner(client, login, world, 1)
    theirs = learner(client, login, world, 2, tp_admin="gulou")
    me = learner_login(client, world, ours)
    mine = ok(ask(client, me, "withdrawal", reason="个人原因"), 201)
    ok(ask(client, login("gulou"), "withdrawal", learner_id=theirs), 201)
    assert ok(client.get(SC, headers=login("jiaowu")))["total"] == 2
    assert [i["id"] for i in ok(client.get(SC, headers=login("xuanwu")))["items"]] == [mine["id"]]
    assert [i["id"] for i in ok(client.get(SC, headers=me))["items"]] == [mine["id"]]
    problem(client.get(f"{SC}/{mine['id']}", headers=login("gulou")), 404)
    by_name = ok(client.get(SC, params={"name": mine["learner_name"], "status": "pending_preliminary_review"},
                            headers=login("jiaowu")))
    assert [i["id"] for i in by_name["items"]] == [mine["id"]]
    assert ok(client.get(SC, params={"kind": "transfer"}, headers=login("jiaowu")))["total"] == 0
    problem(step(client, login("jiaowu"), mine["id"], "cancellation"), 403)
    assert ok(step(client, me, mine["id"], "cancellation", reason="不退了"))["status_label"] == "已撤销"
