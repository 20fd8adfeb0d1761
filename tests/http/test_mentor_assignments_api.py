"""学务导师分配 through the API (requirements/teaching.md §1): a teaching point assigns each of its learners
one enabled academic mentor, one by one or many at once; the change of mentor is recorded;
"未分配学务导师" lists those without; other teaching points, school staff and auditors cannot
assign (school staff and auditors read)."""

from __future__ import annotations

import uuid

import pytest

from domains.teaching.mentors import MentorAssignment
from tests.http.api_helpers import API, ok, problem
from tests.http.selection_support import learner
from tests.http.teaching_support import assign_mentor, disable, listed, mentor


@pytest.fixture
def two(client, world, login):
    return [learner(client, login, world, seq) for seq in (1, 2)]


def test_assign_show_and_change_the_mentor(client, world, login, two):
    xw = login("xuanwu")
    first, second = mentor(world, "xwds2"), mentor(world, "xwds3")
    row = ok(assign_mentor(client, xw, two[0], first))
    assert (row["mentor_id"], row["mentor_username"], row["mentor_name"]) == (first, "xwds2", "XWDS2")
    assert row["needs_mentor"] is False and row["mentor_state_label"] == "已分配"
    assert row["mentor_mobile"] == "136****4669"

    changed = ok(assign_mentor(client, xw, two[0], second))
    assert changed["mentor_username"] == "xwds3"
    refused = problem(assign_mentor(client, xw, two[0], second), 409, "mentor_assignment.unchanged")
    assert "已是该学生的学务导师" in refused["detail"]
    assert ok(client.get(f"{API}/mentor-assignments/{two[0]}", headers=login("jiaowu")))["mentor_username"] == "xwds3"

    # the assignment's audit trail records both, the change with the previous mentor
    assignment_id = MentorAssignment.create_id(uuid.UUID(two[0]))
    audit = ok(client.get(f"{API}/audit/aggregates/{assignment_id}/events", headers=login("shenji")))["events"]
    assert [e["event_label"] for e in audit] == ["分配学务导师", "更换学务导师"]
    assert audit[1]["data"]["previous_mentor_id"] == first and audit[1]["data"]["mentor_id"] == second


def test_unassigned_filter_and_the_mentor_list(client, world, login, two):
    xw = login("xuanwu")
    m = mentor(world, "xwds2")
    mentor(world, "xwds4")
    assert {r["learner_id"] for r in listed(client, xw, "mentor-assignments", assignment="unassigned")} == set(two)
    ok(assign_mentor(client, xw, two[0], m))
    unassigned = listed(client, xw, "mentor-assignments", assignment="unassigned")
    assert [r["learner_id"] for r in unassigned] == [two[1]]
    assert unassigned[0]["mentor_state_label"] == "未分配" and unassigned[0]["needs_mentor"] is True
    assert [r["learner_id"] for r in listed(client, xw, "mentor-assignments", assignment="assigned")] == [two[0]]
    assert [r["learner_id"] for r in listed(client, xw, "mentor-assignments", mentor_id=m)] == [two[0]]
    number = unassigned[0]["student_number"]
    assert [r["learner_id"] for r in listed(client, xw, "mentor-assignments", student_number=number)] == [two[1]]
    mentors = ok(client.get(f"{API}/mentor-assignments/mentors", headers=xw))["items"]
    assert [(x["username"], x["assignment_label"], x["learner_count"]) for x in mentors] == [
        ("xwds2", "已用", 1), ("xwds4", "未用", 0)]
    problem(client.get(f"{API}/mentor-assignments", params={"assignment": "bogus"}, headers=xw), 422, "filter.invalid")


def test_only_an_enabled_academic_mentor_of_the_teaching_point(client, world, login, two):
    xw = login("xuanwu")
    off = mentor(world, "xwds5")
    disable(world, off)
    refused = problem(assign_mentor(client, xw, two[0], off), 409, "mentor_assignment.mentor_not_enabled")
    assert "只能为学生分配“启用”状态的学务导师" in refused["detail"]
    problem(assign_mentor(client, xw, two[0], str(world.accounts["xuanwu"])), 409, "mentor_assignment.not_a_mentor")
    problem(assign_mentor(client, xw, two[0], mentor(world, "glds1", tp="102")), 404, "not_found")
    problem(assign_mentor(client, xw, two[0], str(uuid.uuid4())), 404, "not_found")
    assert ok(client.get(f"{API}/mentor-assignments/{two[0]}", headers=xw))["mentor_id"] is None


def test_roles_and_scope(client, world, login, two):
    m = mentor(world, "xwds2")
    problem(assign_mentor(client, login("gulou"), two[0], m), 404, "not_found")
    problem(client.get(f"{API}/mentor-assignments/{two[0]}", headers=login("gulou")), 404, "not_found")
    assert listed(client, login("gulou"), "mentor-assignments") == []
    for school in ("jiaowu", "shenji"):
        problem(assign_mentor(client, login(school), two[0], m), 403, "auth.role_not_allowed")
        assert len(listed(client, login(school), "mentor-assignments")) == 2
    problem(client.get(f"{API}/mentor-assignments"), 401)


def test_batch_assignment_reports_each_refused_learner(client, world, login, two):
    xw = login("xuanwu")
    m = mentor(world, "xwds2")
    theirs = learner(client, login, world, 3, tp_admin="gulou")
    missing = str(uuid.uuid4())
    body = ok(client.post(f"{API}/mentor-assignments/batch",
                          json={"mentor_id": m, "learner_ids": [*two, theirs, missing]}, headers=xw))
    assert body["assigned"] == 2
    assert {(r["learner_id"], r["code"]) for r in body["refused"]} == {(theirs, "not_found"), (missing, "not_found")}
    assert listed(client, xw, "mentor-assignments", assignment="unassigned") == []
    again = ok(client.post(f"{API}/mentor-assignments/batch", json={"mentor_id": m, "learner_ids": two}, headers=xw))
    assert again["assigned"] == 0 and [r["code"] for r in again["refused"]] == ["mentor_assignment.unchanged"] * 2

    disable(world, m)
    refused = problem(client.post(f"{API}/mentor-assignments/batch", json={"mentor_id": m, "learner_ids": two}, headers=xw),
                      409, "mentor_assignment.mentor_not_enabled")
    assert "启用" in refused["detail"]
    problem(client.post(f"{API}/mentor-assignments/batch", json={"mentor_id": m, "learner_ids": []}, headers=xw),
            422, "field.required")
    problem(client.post(f"{API}/mentor-assignments/batch", json={"mentor_id": "x", "learner_ids": two}, headers=xw), 422)
