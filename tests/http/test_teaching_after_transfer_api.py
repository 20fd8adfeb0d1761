"""After a transfer of teaching point (学籍异动 approved by the school), the new teaching point
must assign the learner a mentor and a default exam site again (requirements/teaching.md §1, §3): the
old assignments no longer count, the learner is listed as 未分配 at the new teaching point, and
only the new teaching point's own mentors can be assigned."""

from __future__ import annotations

from tests.http.api_helpers import API, ok, problem
from tests.http.resit_support import cohort
from tests.http.selection_support import learner
from tests.http.teaching_support import add_members, assign_mentor, assign_site, form_class, listed, mentor


def transfer(client, login, world, learner_id):
    body = {"kind": "transfer", "reason": "工作调动", "learner_id": learner_id, "target_teaching_point_id": str(world.tp["102"])}
    sc = ok(client.post(f"{API}/status-changes", json=body, headers=login("xuanwu")), 201)  # entered: 初审通过
    ok(client.post(f"{API}/status-changes/{sc['id']}/approval", json={"comment": "同意"}, headers=login("jiaowu")))


def test_the_new_teaching_point_assigns_mentor_and_exam_site_again(client, world, login):
    xw, gl = login("xuanwu"), login("gulou")
    lid = learner(client, login, world)
    old_mentor, new_mentor = mentor(world, "xwds2"), mentor(world, "glds1", tp="102")
    ok(assign_mentor(client, xw, lid, old_mentor))
    ok(assign_site(client, xw, lid, "KD01", "玄武考点"))
    transfer(client, login, world, lid)

    (row,) = listed(client, gl, "mentor-assignments", assignment="unassigned")
    assert (row["learner_id"], row["needs_mentor"], row["mentor_id"]) == (lid, True, None)
    assert row["mentor_state_label"] == "转教学点后需重新分配"
    (site,) = listed(client, gl, "exam-site-assignments", assignment="unassigned")
    assert (site["needs_site"], site["site_code"], site["site_state_label"]) == (True, None, "转教学点后需重新分配")
    assert listed(client, xw, "mentor-assignments") == []  # no longer the old point's learner
    problem(assign_mentor(client, xw, lid, old_mentor), 404, "not_found")
    mentors = ok(client.get(f"{API}/mentor-assignments/mentors", headers=xw))["items"]
    assert [(m["username"], m["assignment_label"]) for m in mentors] == [("xwds2", "未用")]

    problem(assign_mentor(client, gl, lid, old_mentor), 404, "not_found")  # another point's mentor
    assigned = ok(assign_mentor(client, gl, lid, new_mentor))
    assert (assigned["mentor_username"], assigned["needs_mentor"], assigned["teaching_point_name"]) == (
        "glds1", False, "鼓楼学习中心")
    again = ok(assign_site(client, gl, lid, "KD01", "玄武考点"))  # the same site, now chosen by 鼓楼
    assert (again["needs_site"], again["site_state_label"]) == (False, "已分配")
    assert listed(client, gl, "mentor-assignments", assignment="unassigned") == []
    assert listed(client, gl, "exam-site-assignments", assignment="unassigned") == []


def test_a_class_member_who_moved_away_can_still_be_taken_out_of_the_old_class(client, world, login):
    xw = login("xuanwu")
    (paid,) = cohort(client, login, world, (1, "xuanwu"))
    a = ok(form_class(client, xw, paid.course, "会计1班"), 201)
    ok(add_members(client, xw, a["id"], paid.learner_id))
    transfer(client, login, world, paid.learner_id)
    assert [m["teaching_point_name"] for m in listed(client, xw, f"course-classes/{a['id']}/members")] == ["鼓楼学习中心"]
    assert ok(client.delete(f"{API}/course-classes/{a['id']}/members/{paid.learner_id}", headers=xw))["member_count"] == 0
    # 鼓楼 may now group the learner in a class of its own
    g = ok(form_class(client, login("gulou"), paid.course, "鼓楼会计班"), 201)
    assert [m["learner_id"] for m in listed(client, login("gulou"), f"course-classes/{g['id']}/candidates")] == [paid.learner_id]
    assert ok(add_members(client, login("gulou"), g["id"], paid.learner_id))["member_count"] == 1
