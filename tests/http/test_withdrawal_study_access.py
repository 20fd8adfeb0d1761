"""A learner who withdraws (退学 approved) studies nothing more: every course of theirs reads
不可学习 in the course lists, even one paid and under no drop, and stays so whatever happens to
its bills afterwards."""

from __future__ import annotations

import uuid

from tests.admin.test_enrolment import pay
from tests.http.api_helpers import API, ok
from tests.http.selection_support import learner, ready_catalogue, selected


def test_withdrawal_ends_study_access_of_every_course(client, world, login):
    cat = ready_catalogue(client, login, world)
    lid = learner(client, login, world)
    sel = selected(client, login("xuanwu"), lid, cat.courses["01234"], cat.courses["01235"])
    paid = [b["id"] for b in sel["bills"] if b["course_id"] == cat.courses["01234"]]
    pay(client, login, paid)
    xuanwu = login("xuanwu")
    courses = ok(client.get(f"{API}/enrollments", params={"learner_id": lid}, headers=xuanwu))["items"]
    assert sorted(e["may_study"] for e in courses) == [False, True]

    number = world.container.store.get(uuid.UUID(lid)).student_number
    sc = world.container.status_changes.request(world.actor("xuanwu"), "withdrawal", "出国定居", student_number=number)
    world.container.status_changes.approve(world.actor("jiaowu"), sc)

    courses = ok(client.get(f"{API}/enrollments", params={"learner_id": lid}, headers=xuanwu))["items"]
    assert [e["may_study"] for e in courses] == [False, False]
    # The unpaid course's bills are paid later: still no study for a withdrawn learner.
    pay(client, login, [b["id"] for b in sel["bills"] if b["course_id"] == cat.courses["01235"]])
    courses = ok(client.get(f"{API}/enrollments", params={"learner_id": lid}, headers=xuanwu))["items"]
    assert [e["may_study"] for e in courses] == [False, False]
    assert ok(client.get(f"{API}/enrollments", params={"learner_id": lid, "may_study": True}, headers=xuanwu))["total"] == 0
