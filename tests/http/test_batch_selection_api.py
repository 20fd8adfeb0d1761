"""Batch course selection for a cohort (requirements/enrolment.md §2.3) through the HTTP API: a background job
with progress and one result per learner; courses a learner already selected are skipped; one
learner never blocks another; re-running changes nothing; scope and bad requests refused."""

from __future__ import annotations

import time
import uuid
from typing import Any

from sqlalchemy import select

from application.audit.projection import audit_log
from tests.http.api_helpers import API, ok, problem
from tests.http.selection_support import learner, new_course, ready_catalogue, selected

URL = f"{API}/batch-selections"


def wait_until_finished(client: Any, headers: dict[str, str], job_id: str, polls: int = 2000) -> dict[str, Any]:
    """Bounded polling; the test asserts on the outcome, never on how long it took."""
    job: dict[str, Any] = {}
    for _ in range(polls):
        job = ok(client.get(f"{URL}/{job_id}", headers=headers))
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"the batch selection did not finish: {job.get('status')} {job.get('processed')}/{job.get('total')}")


def test_every_chosen_learner_gets_the_courses_and_courses_already_selected_are_skipped(client, world, login):
    cat = ready_catalogue(client, login, world)
    a, b = cat.courses["01234"], cat.courses["01235"]
    cohort = [learner(client, login, world, seq) for seq in (1, 2, 3)]
    xuanwu = login("xuanwu")
    selected(client, xuanwu, cohort[0], a)  # learner 1 chose 管理会计 before

    r = client.post(URL, json={"learner_ids": cohort, "course_ids": [a, b]},
                    headers={**xuanwu, "X-Correlation-ID": "batch-selection-0001"})
    assert r.status_code == 202, r.text
    assert r.json()["total"] == 3

    job = wait_until_finished(client, xuanwu, r.json()["id"])
    assert (job["status"], job["status_label"]) == ("done", "已完成")
    assert (job["total"], job["processed"], job["succeeded"], job["failed"]) == (3, 3, 3, 0)
    results = {row["learner_id"]: row for row in job["learners"]}
    assert results[cohort[0]]["message"] == "已选1门课程，生成1张待缴费缴费单；已选过、不再重复选课：管理会计"
    assert results[cohort[1]]["message"] == "已选2门课程，生成3张待缴费缴费单"
    assert results[cohort[1]]["student_number"] and results[cohort[1]]["name"]

    # Each learner now has both courses, each once, with bills awaiting payment and the exam registration.
    for lid in cohort:
        enrollments = ok(client.get(f"{API}/enrollments", params={"learner_id": lid}, headers=xuanwu))
        assert sorted(e["course_id"] for e in enrollments["items"]) == sorted([a, b])
        bills = ok(client.get(f"{API}/bills", params={"learner_id": lid}, headers=xuanwu))
        assert bills["total"] == 3 and {x["status"] for x in bills["items"]} == {"awaiting_payment"}
        regs = ok(client.get(f"{API}/exam-registrations", params={"learner_id": lid}, headers=xuanwu))
        assert [(x["course_id"], x["status"]) for x in regs["items"]] == [(a, "pending")]

    # The events the job wrote carry the request's correlation id and the acting user.
    enrollment = ok(client.get(f"{API}/enrollments", params={"learner_id": cohort[2]}, headers=xuanwu))["items"][0]
    with world.container.engine.connect() as conn:
        row = conn.execute(
            select(audit_log.c.correlation_id, audit_log.c.role)
            .where(audit_log.c.originator_id == uuid.UUID(enrollment["id"]))
        ).first()
    assert tuple(row) == ("batch-selection-0001", "teaching_point_admin")

    # Listed among the teaching point's batch selections.
    listed = ok(client.get(URL, headers=xuanwu))
    assert [j["id"] for j in listed["items"]] == [job["id"]]


def test_re_running_a_finished_job_or_the_same_selection_selects_nothing_twice(client, world, login):
    cat = ready_catalogue(client, login, world)
    cohort = [learner(client, login, world, seq) for seq in (1, 2)]
    xuanwu = login("xuanwu")
    body = {"learner_ids": cohort, "course_ids": list(cat.courses.values())}
    first = wait_until_finished(client, xuanwu, ok(client.post(URL, json=body, headers=xuanwu), 202)["id"])
    assert first["succeeded"] == 2
    events_before = world.container.log.recorder.max_notification_id()

    # A re-delivered message finds the job finished and does nothing.
    world.container.batch_selections.run(uuid.UUID(first["id"]))
    assert world.container.log.recorder.max_notification_id() == events_before

    # The same selection asked for again: every course is skipped, nothing is written.
    again = wait_until_finished(client, xuanwu, ok(client.post(URL, json=body, headers=xuanwu), 202)["id"])
    assert (again["succeeded"], again["failed"]) == (2, 0)
    assert {row["message"] for row in again["learners"]} == {
        "已选过、不再重复选课：管理会计、会计信息系统"
    }
    assert world.container.log.recorder.max_notification_id() == events_before
    assert ok(client.get(f"{API}/bills", params={"learner_id": cohort[0]}, headers=xuanwu))["total"] == 3


def test_a_course_that_cannot_be_selected_refuses_each_learner_with_the_unmet_condition(client, world, login):
    cat = ready_catalogue(client, login, world)
    unpublished = new_course(client, login, "03001", "财务管理", publish=False)
    cohort = [learner(client, login, world, seq) for seq in (1, 2)]
    xuanwu = login("xuanwu")
    job = wait_until_finished(client, xuanwu, ok(client.post(
        URL, json={"learner_ids": cohort, "course_ids": [cat.courses["01234"], unpublished]}, headers=xuanwu
    ), 202)["id"])
    assert (job["status"], job["succeeded"], job["failed"]) == ("done", 0, 2)
    for row in job["learners"]:
        assert row["code"] == "selection.course_not_in_programme"
        assert "课程“财务管理”" in row["message"] and "状态不是“已发布”" in row["message"]
    # A learner's courses are all or none: 管理会计 was not selected either.
    assert ok(client.get(f"{API}/enrollments", params={"learner_id": cohort[0]}, headers=xuanwu))["total"] == 0


def test_one_learner_never_blocks_another(world, client, login):
    """At the use case: a learner who is not the teaching point's is refused on their own."""
    cat = ready_catalogue(client, login, world)
    own = learner(client, login, world, 1)
    other = learner(client, login, world, 2, tp_admin="gulou")
    outcomes = world.container.enrolment.select_for_learners(
        world.actor("xuanwu"), [uuid.UUID(other), uuid.UUID(own)], [uuid.UUID(cat.courses["01234"])]
    )
    assert [(str(o.learner_id), o.ok, o.code) for o in outcomes] == [(other, False, "not_found"), (own, True, None)]
    assert ok(client.get(f"{API}/enrollments", params={"learner_id": own}, headers=login("xuanwu")))["total"] == 1


def test_bad_requests_and_scope_are_refused_before_anything_is_queued(client, world, login):
    cat = ready_catalogue(client, login, world)
    courses = list(cat.courses.values())
    own = learner(client, login, world, 1)
    theirs = learner(client, login, world, 2, tp_admin="gulou")
    other_programme = learner(client, login, world, 3, programme=world.programmes["administration"])
    xuanwu = login("xuanwu")

    problem(client.post(URL, json={"learner_ids": [own, theirs], "course_ids": courses}, headers=xuanwu), 404, "not_found")
    problem(client.post(URL, json={"learner_ids": [own, other_programme], "course_ids": courses}, headers=xuanwu),
            422, "batch_selection.mixed_programmes")
    problem(client.post(URL, json={"learner_ids": [], "course_ids": courses}, headers=xuanwu),
            422, "batch_selection.learner_ids_required")
    problem(client.post(URL, json={"learner_ids": [own], "course_ids": []}, headers=xuanwu),
            422, "batch_selection.course_ids_required")
    problem(client.post(URL, json={"learner_ids": [own], "course_ids": [str(uuid.uuid4())]}, headers=xuanwu),
            404, "not_found")
    problem(client.post(URL, json={"learner_ids": [own], "course_ids": courses}, headers=login("jiaowu")), 403)
    assert ok(client.get(URL, headers=xuanwu))["total"] == 0

    job = wait_until_finished(client, xuanwu, ok(client.post(
        URL, json={"learner_ids": [own], "course_ids": courses}, headers=xuanwu), 202)["id"])
    problem(client.get(f"{URL}/{job['id']}", headers=login("gulou")), 404, "not_found")
    assert ok(client.get(f"{URL}/{job['id']}", headers=login("jiaowu")))["succeeded"] == 1


def test_a_job_service_that_is_down_refuses_with_503_and_keeps_nothing(client, world, login, monkeypatch):
    cat = ready_catalogue(client, login, world)
    own = learner(client, login, world, 1)
    xuanwu = login("xuanwu")

    def down(*_: Any, **__: Any) -> None:
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(world.container.jobs, "enqueue", down)
    body = problem(client.post(URL, json={"learner_ids": [own], "course_ids": list(cat.courses.values())}, headers=xuanwu),
                   503, "jobs.unavailable")
    assert "后台任务服务暂不可用" in body["detail"]
    assert ok(client.get(URL, headers=xuanwu))["total"] == 0
