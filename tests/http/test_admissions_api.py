"""Admissions through the HTTP API: entry, school review, a Learner with a student number."""

from __future__ import annotations

from tests.support import applicant


def enter(client, headers, world, seq=1, **kw):
    body = {
        "admission_batch_id": str(world.admission_batch),
        "programme_id": str(kw.pop("programme", world.programmes["accounting"])),
        "applicant": applicant(seq, **kw),
    }
    return client.post("/api/v1/application-forms", json=body, headers=headers)


def test_teaching_point_enters_form_and_school_approves_it_into_a_learner(client, world, login):
    r = enter(client, login("xuanwu"), world)
    assert r.status_code == 201, r.text
    form = r.json()
    assert form["status"] == "preliminarily_approved"
    assert form["applicant"]["birth_date"] == "1990-03-15"

    r = client.post(f"/api/v1/application-forms/{form['id']}/approval", json={"comment": "ok"}, headers=login("jiaowu"))
    assert r.status_code == 200, r.text
    approved = r.json()
    assert approved["status"] == "approved"
    assert approved["student_number"] == "263210100001"

    learners = client.get("/api/v1/learners", headers=login("xuanwu")).json()
    assert learners["total"] == 1
    assert learners["items"][0]["student_number"] == "263210100001"
    assert "*" in learners["items"][0]["id_number"]  # masked in lists


def test_other_teaching_point_cannot_see_the_form(client, world, login):
    form = enter(client, login("xuanwu"), world).json()
    r = client.get(f"/api/v1/application-forms/{form['id']}", headers=login("gulou"))
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    assert client.get("/api/v1/application-forms", headers=login("gulou")).json()["total"] == 0


def test_bad_id_number_is_refused_with_its_own_code(client, world, login):
    r = enter(client, login("xuanwu"), world, id_number="320102199003150012")
    assert r.status_code == 422
    assert r.json()["code"] == "id_number.bad_check_digit"


def test_teaching_point_cannot_approve(client, world, login):
    form = enter(client, login("xuanwu"), world).json()
    r = client.post(f"/api/v1/application-forms/{form['id']}/approval", json={}, headers=login("xuanwu"))
    assert r.status_code == 403


def test_auditor_reads_history_with_metadata(client, world, login):
    form = enter(client, login("xuanwu"), world).json()
    client.post(f"/api/v1/application-forms/{form['id']}/approval", json={}, headers=login("jiaowu"))
    r = client.get(f"/api/v1/audit/aggregates/{form['id']}/events", headers=login("shenji"))
    assert r.status_code == 200
    events = r.json()["events"]
    assert [e["event_type"] for e in events] == ["Entered", "Approved"]
    assert events[0]["actor_name"] == "xuanwu" and events[0]["role"] == "teaching_point_admin"
    assert events[1]["actor_name"] == "jiaowu" and events[1]["role"] == "academic_affairs"
    assert events[0]["correlation_id"] and events[0]["correlation_id"] != events[1]["correlation_id"]
    state = client.get(f"/api/v1/audit/aggregates/{form['id']}/state?version=1", headers=login("shenji")).json()
    assert state["state"]["status"] == "preliminarily_approved"


def test_a_write_tells_the_client_the_log_position_to_wait_for(client, world, login):
    r = enter(client, login("xuanwu"), world)
    position = int(r.headers["x-eduledger-position"])
    assert position == world.container.runner.position()
    assert "x-eduledger-position" not in client.get("/api/v1/learners", headers=login("xuanwu")).headers
