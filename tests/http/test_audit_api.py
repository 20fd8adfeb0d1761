"""Auditors read every history with its metadata and replay state as of a version or a time."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.http.api_helpers import API, approve, entered, ok, problem


def events_of(client, login, aggregate_id):
    return ok(client.get(f"{API}/audit/aggregates/{aggregate_id}/events", headers=login("shenji")))["events"]


def state_of(client, login, aggregate_id, **params):
    return client.get(f"{API}/audit/aggregates/{aggregate_id}/state", params=params, headers=login("shenji"))


def test_only_the_auditor_reads_the_audit_api(client, world, login):
    tp = world.tp["101"]
    for user in ("sysadmin", "jiaowu", "caiwu", "xuanwu"):
        problem(client.get(f"{API}/audit/aggregates/{tp}/events", headers=login(user)), 403, "auth.role_not_allowed")
        problem(client.get(f"{API}/audit/aggregates/{tp}/state", headers=login(user)), 403)
    problem(client.get(f"{API}/audit/aggregates/{tp}/events"), 401)
    assert [e["event_type"] for e in events_of(client, login, tp)] == ["Registered"]


def test_events_carry_actor_role_teaching_point_correlation_id_and_reason(client, world, login):
    url = f"{API}/teaching-points/{world.tp['101']}/contact-details"
    ok(client.patch(url, json={"address": "南京市玄武区珠江路1号", "recruiters": ["陈刚"], "phones": ["13812345678"],
                               "reason": "招生人员调整"}, headers={**login("xuanwu"), "X-Correlation-ID": "req-contact-1"}))
    ok(client.post(f"{API}/teaching-points/{world.tp['101']}/disable", json={"reason": "暂停招生"},
                   headers={**login("sysadmin"), "X-Correlation-ID": "req-disable-1"}))
    registered, edited, disabled = events_of(client, login, world.tp["101"])
    assert registered["event_type"] == "Registered" and registered["role"] == "system_admin"
    assert edited["event_type"] == "ContactDetailsEdited" and edited["version"] == 2
    assert edited["actor_name"] == "xuanwu" and edited["actor_id"] == str(world.accounts["xuanwu"])
    assert edited["role"] == "teaching_point_admin" and edited["teaching_point_id"] == str(world.tp["101"])
    assert edited["correlation_id"] == "req-contact-1" and edited["reason"] == "招生人员调整"
    assert edited["data"]["recruiters"] == ["陈刚"] and edited["event_label"] == "修改联系信息"
    assert disabled["actor_name"] == "sysadmin" and disabled["role"] == "system_admin"
    assert disabled["teaching_point_id"] is None and disabled["correlation_id"] == "req-disable-1"
    assert disabled["reason"] == "暂停招生"


def test_one_request_shares_its_correlation_id_across_every_aggregate_it_changes(client, world, login):
    form = entered(client, login("xuanwu"), world)
    approved = ok(client.post(f"{API}/application-forms/{form['id']}/approval", json={"comment": "同意"},
                              headers={**login("jiaowu"), "X-Correlation-ID": "review-42"}))
    form_events = events_of(client, login, form["id"])
    learner_events = events_of(client, login, approved["learner_id"])
    assert [e["event_type"] for e in learner_events] == ["Admitted"]
    assert form_events[-1]["correlation_id"] == learner_events[0]["correlation_id"] == "review-42"
    assert form_events[-1]["reason"] == learner_events[0]["reason"] == "同意"


def test_secrets_never_appear_in_history_or_state(client, world, login):
    ok(client.post(f"{API}/me/password", json={"current_password": "secret123", "new_password": "newpass1",
                                                "confirm_password": "newpass1"}, headers=login("gulou")), 204)
    account = world.accounts["gulou"]
    events = events_of(client, login, account)
    assert [e["event_type"] for e in events] == ["Registered", "PasswordChanged"]
    assert all(e["data"]["password_hash"] == "***" for e in events)
    state = ok(state_of(client, login, account))
    assert state["state"]["password_hash"] == "***" and "argon2" not in str(state)


def test_state_as_of_a_version(client, world, login):
    form = entered(client, login("xuanwu"), world)
    ok(client.post(f"{API}/application-forms/{form['id']}/rejection", json={"comment": "材料不全"}, headers=login("jiaowu")))
    v1 = ok(state_of(client, login, form["id"], version=1))
    v2 = ok(state_of(client, login, form["id"], version=2))
    latest = ok(state_of(client, login, form["id"]))
    assert (v1["version"], v1["type"], v1["state"]["status"]) == (1, "ApplicationForm", "preliminarily_approved")
    assert v1["state"]["review_comment"] is None
    assert (v2["version"], v2["state"]["status"], v2["state"]["review_comment"]) == (2, "rejected", "材料不全")
    assert latest == v2
    problem(state_of(client, login, form["id"], version=0), 422, "audit.version_invalid")
    problem(state_of(client, login, form["id"], version=2**63), 422, "request.out_of_range")  # beyond 64 bits
    problem(state_of(client, login, form["id"], version=2**31), 422, "audit.version_invalid")
    problem(state_of(client, login, "00000000-0000-0000-0000-000000000000"), 404)


def test_state_as_of_a_time(client, world, login):
    form = entered(client, login("xuanwu"), world)
    ok(approve(client, login("jiaowu"), form["id"]))
    entered_event, approved_event = events_of(client, login, form["id"])
    at_entry = datetime.fromisoformat(entered_event["recorded_at"])
    at_approval = datetime.fromisoformat(approved_event["recorded_at"])
    assert at_entry < at_approval
    then = ok(state_of(client, login, form["id"], at=at_entry.isoformat()))
    assert (then["version"], then["state"]["status"]) == (1, "preliminarily_approved")
    now = ok(state_of(client, login, form["id"], at=at_approval.isoformat()))
    assert (now["version"], now["state"]["status"]) == (2, "approved")
    # The same instant written in Shanghai time.
    local = at_entry.astimezone(ZoneInfo("Asia/Shanghai")).isoformat()
    assert local.endswith("+08:00")
    assert ok(state_of(client, login, form["id"], at=local))["version"] == 1
    problem(state_of(client, login, form["id"], at=(at_entry - timedelta(seconds=1)).isoformat()), 404, "audit.not_yet_existing")


def test_an_invalid_time_is_422(client, world, login):
    tp = world.tp["101"]
    for bad in ("yesterday", "2026-13-01T00:00:00+08:00", ""):
        problem(state_of(client, login, tp, at=bad), 422, "audit.at_invalid")
    problem(state_of(client, login, tp, at="2026-09-01T08:00:00"), 422, "audit.at_needs_zone")
    problem(state_of(client, login, tp, version="two"), 422)
