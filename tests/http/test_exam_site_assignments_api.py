"""为学生分配考点 through the API (requirements/teaching.md §3): a teaching point assigns each of its learners
a default exam site (code and name) and may change it; learners without one are listed; school
staff and auditors read only."""

from __future__ import annotations

import uuid

import pytest

from domains.teaching.exam_sites import ExamSiteAssignment
from tests.http.api_helpers import API, ok, problem
from tests.http.selection_support import learner
from tests.http.teaching_support import assign_site, listed


@pytest.fixture
def two(client, world, login):
    return [learner(client, login, world, seq) for seq in (1, 2)]


def test_assign_change_and_list_default_exam_sites(client, world, login, two):
    xw = login("xuanwu")
    row = ok(assign_site(client, xw, two[0], " KD01 ", "玄武考点"))
    assert (row["site_code"], row["site_name"], row["needs_site"], row["site_state_label"]) == (
        "KD01", "玄武考点", False, "已分配")
    changed = ok(assign_site(client, xw, two[0], "KD02", "珠江路考点"))
    assert (changed["site_code"], changed["site_name"]) == ("KD02", "珠江路考点")
    refused = problem(assign_site(client, xw, two[0], "KD02", "珠江路考点"), 409, "exam_site_assignment.unchanged")
    assert "常用考点已是“珠江路考点”" in refused["detail"]

    unassigned = listed(client, xw, "exam-site-assignments", assignment="unassigned")
    assert [(r["learner_id"], r["site_state_label"], r["site_code"]) for r in unassigned] == [(two[1], "未分配", None)]
    assert [r["learner_id"] for r in listed(client, xw, "exam-site-assignments", site_code="KD02")] == [two[0]]
    assert [r["learner_id"] for r in listed(client, xw, "exam-site-assignments", site_code="KD01")] == []

    history = ok(client.get(f"{API}/audit/aggregates/{ExamSiteAssignment.create_id(uuid.UUID(two[0]))}/events",
                            headers=login("shenji")))["events"]
    assert [e["event_label"] for e in history] == ["分配常用考点", "调整常用考点"]
    assert history[1]["data"]["previous_site_code"] == "KD01"


@pytest.mark.parametrize(("code", "name", "field"),
                         [("", "玄武考点", "site_code"), ("KD01", " ", "site_name"), ("K" * 21, "玄武考点", "site_code")])
def test_code_and_name_are_required(client, world, login, two, code, name, field):
    body = problem(assign_site(client, login("xuanwu"), two[0], code, name), 422)
    assert body["field"] == field and ("必填" in body["detail"] or "不能超过" in body["detail"])


def test_roles_and_scope(client, world, login, two):
    problem(assign_site(client, login("gulou"), two[0], "KD01", "玄武考点"), 404, "not_found")
    assert listed(client, login("gulou"), "exam-site-assignments") == []
    for school in ("jiaowu", "shenji", "caiwu"):
        problem(assign_site(client, login(school), two[0], "KD01", "玄武考点"), 403, "auth.role_not_allowed")
        assert len(listed(client, login(school), "exam-site-assignments")) == 2
    ok(client.get(f"{API}/exam-site-assignments/{two[0]}", headers=login("shenji")))
    problem(client.get(f"{API}/exam-site-assignments/{two[0]}", headers=login("gulou")), 404, "not_found")
