"""班级管理 · 手动组班 through the API (requirements/teaching.md §2): a teaching point forms a class of a
course (name, grouping deadline, optional tutor), lists the learners still to be grouped (paid
the course, in no class of it), adds, removes and moves learners (a learner in at most one class
per course, no size limit), and after the deadline every change of members is refused."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.http.api_helpers import API, ok, problem
from tests.http.resit_support import cohort
from tests.http.selection_support import learner
from tests.http.teaching_support import add_members, form_class, listed, staff


@pytest.fixture
def paid(client, world, login):
    """Two learners of 玄武 and one of 鼓楼 who selected and paid the catalogue's courses."""
    return cohort(client, login, world, (1, "xuanwu"), (2, "xuanwu"), (3, "gulou"))


def ids(rows):
    return [r["learner_id"] for r in rows]


def test_form_group_move_and_remove(client, world, login, paid):
    xw = login("xuanwu")
    course = paid[0].course
    tutor = staff(world, "bzr1", ["head_teacher"])
    a = ok(form_class(client, xw, course, "会计1班", "2026-10-31 18:00", tutor_id=tutor), 201)
    assert (a["name"], a["course_name"], a["tutor_username"], a["member_count"]) == ("会计1班", "管理会计", "bzr1", 0)
    assert a["grouping_open"] is True and a["grouping_label"] == "分班中"
    assert a["grouping_deadline"].startswith("2026-10-31T10:00:00")  # 18:00 in Beijing
    b = ok(form_class(client, xw, course, "会计2班"), 201)

    ours = [paid[0].learner_id, paid[1].learner_id]
    assert sorted(ids(listed(client, xw, f"course-classes/{a['id']}/candidates"))) == sorted(ours)  # not 鼓楼's learner
    assert ok(add_members(client, xw, a["id"], *ours))["member_count"] == 2
    assert listed(client, xw, f"course-classes/{a['id']}/candidates") == []
    assert sorted(ids(listed(client, xw, f"course-classes/{a['id']}/members"))) == sorted(ours)
    number = paid[1].student_number
    assert ids(listed(client, xw, f"course-classes/{a['id']}/members", student_number=number)) == [paid[1].learner_id]

    refused = problem(add_members(client, xw, b["id"], paid[0].learner_id), 409, "course_class.learner_in_another_class")
    assert "已在本课程的另一个班级中" in refused["detail"] and refused["learners"][0]["student_number"] == paid[0].student_number

    moved = ok(client.post(f"{API}/course-classes/{a['id']}/members/{paid[0].learner_id}/move",
                           json={"target_class_id": b["id"]}, headers=xw))
    assert (moved["from"]["member_count"], moved["to"]["member_count"]) == (1, 1)
    assert ids(listed(client, xw, f"course-classes/{b['id']}/members")) == [paid[0].learner_id]

    after = ok(client.delete(f"{API}/course-classes/{a['id']}/members/{paid[1].learner_id}", headers=xw))
    assert after["member_count"] == 0
    assert ids(listed(client, xw, f"course-classes/{a['id']}/candidates")) == [paid[1].learner_id]  # to be grouped again
    problem(client.delete(f"{API}/course-classes/{a['id']}/members/{paid[1].learner_id}", headers=xw),
            409, "course_class.not_member")

    edited = ok(client.patch(f"{API}/course-classes/{a['id']}", json={"name": "会计一班"}, headers=xw))
    assert (edited["name"], edited["tutor_id"]) == ("会计一班", None)
    assert [c["name"] for c in listed(client, xw, "course-classes", course_id=course)] == ["会计2班", "会计一班"]
    assert [c["name"] for c in listed(client, xw, "course-classes", name="一班")] == ["会计一班"]


def test_only_learners_who_paid_the_course_join(client, world, login, paid):
    xw = login("xuanwu")
    a = ok(form_class(client, xw, paid[0].course, "会计1班"), 201)
    unpaid = learner(client, login, world, 4)
    refused = problem(add_members(client, xw, a["id"], paid[0].learner_id, unpaid), 409, "course_class.course_not_selected")
    assert "没有缴费成功的本课程选课" in refused["detail"]
    assert [x["learner_id"] for x in refused["learners"]] == [unpaid]
    assert ok(client.get(f"{API}/course-classes/{a['id']}", headers=xw))["member_count"] == 0  # nobody joined
    problem(add_members(client, xw, a["id"], paid[2].learner_id), 404, "not_found")  # 鼓楼's learner
    problem(add_members(client, xw, a["id"]), 422, "field.required")


def test_after_the_grouping_deadline_members_stay_as_they_are(client, world, login, paid):
    xw = login("xuanwu")
    a = ok(form_class(client, xw, paid[0].course, "会计1班", "2026-09-30"), 201)
    b = ok(form_class(client, xw, paid[0].course, "会计2班", "2026-12-31"), 201)
    ok(add_members(client, xw, a["id"], paid[0].learner_id))
    world.container.clock.at = datetime(2026, 10, 1, 0, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    shown = ok(client.get(f"{API}/course-classes/{a['id']}", headers=xw))
    assert shown["grouping_open"] is False and shown["grouping_label"] == "已截止"
    refused = problem(add_members(client, xw, a["id"], paid[1].learner_id), 409, "course_class.grouping_closed")
    assert "已过分班截止时间（2026-09-30 23:59）" in refused["detail"]
    problem(client.delete(f"{API}/course-classes/{a['id']}/members/{paid[0].learner_id}", headers=xw),
            409, "course_class.grouping_closed")
    problem(client.post(f"{API}/course-classes/{a['id']}/members/{paid[0].learner_id}/move",
                        json={"target_class_id": b["id"]}, headers=xw), 409, "course_class.grouping_closed")
    ok(add_members(client, xw, b["id"], paid[1].learner_id))  # the other class is still open
    ok(client.patch(f"{API}/course-classes/{a['id']}", json={"name": "会计一班"}, headers=xw))


def test_forming_refuses_bad_input(client, world, login, paid):
    xw = login("xuanwu")
    course = paid[0].course
    problem(form_class(client, xw, course, "会计1班", "31/10/2026"), 422, "course_class.deadline_malformed")
    problem(form_class(client, xw, course, "会计1班", "2026-08-31"), 422, "course_class.deadline_past")
    problem(form_class(client, xw, course, " "), 422, "field.required")
    disabled = staff(world, "bzr2", ["head_teacher"])
    world.container.identity.set_enabled(world.actor("sysadmin"), uuid.UUID(disabled), False)
    problem(form_class(client, xw, course, "会计1班", tutor_id=disabled), 409, "course_class.tutor_not_eligible")
    problem(form_class(client, xw, course, "会计1班", tutor_id=staff(world, "glbzr", ["head_teacher"], tp="102")), 409,
            "course_class.tutor_not_eligible")
    problem(form_class(client, xw, "00000000-0000-0000-0000-000000000000", "会计1班"), 404, "not_found")


def test_roles_and_scope(client, world, login, paid):
    xw = login("xuanwu")
    a = ok(form_class(client, xw, paid[0].course, "会计1班"), 201)
    for school in ("jiaowu", "shenji"):
        problem(form_class(client, login(school), paid[0].course, "x"), 403, "auth.role_not_allowed")
        problem(add_members(client, login(school), a["id"], paid[0].learner_id), 403, "auth.role_not_allowed")
        assert [c["id"] for c in listed(client, login(school), "course-classes")] == [a["id"]]
    gl = login("gulou")
    problem(client.get(f"{API}/course-classes/{a['id']}", headers=gl), 404, "not_found")
    problem(add_members(client, gl, a["id"], paid[2].learner_id), 404, "not_found")
    problem(client.get(f"{API}/course-classes/{a['id']}/candidates", headers=gl), 404, "not_found")
    assert listed(client, gl, "course-classes") == []
    # 鼓楼 groups its own learner of the same course in its own class
    g = ok(form_class(client, gl, paid[2].course, "鼓楼会计班"), 201)
    assert ok(add_members(client, gl, g["id"], paid[2].learner_id))["member_count"] == 1
