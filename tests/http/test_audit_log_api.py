"""The audit API's search and log: records found by what people know of them (an ID number only
in a body, shown masked), and every event across records filtered and paged. Auditors only."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.http.api_helpers import API, admitted, ok, problem
from tests.support import make_id_number

SEARCH = f"{API}/audit/record-searches"
LOG = f"{API}/audit/log"


def test_only_the_auditor_searches_and_reads_the_log(client, world, login):
    for user in ("sysadmin", "jiaowu", "caiwu", "xuanwu"):
        problem(client.post(SEARCH, json={"by": "name", "q": "王"}, headers=login(user)), 403, "auth.role_not_allowed")
        problem(client.get(LOG, headers=login(user)), 403, "auth.role_not_allowed")
    problem(client.get(LOG), 401)


def test_a_learner_is_found_by_student_number_and_by_id_number_in_the_body(client, world, login):
    learner = admitted(client, login, world, seq=1)
    number = learner["student_number"]
    found = ok(client.post(SEARCH, json={"by": "student_number", "q": number}, headers=login("shenji")))
    (match,) = found["matches"]
    assert match["kind"] == "learner" and number in match["title"] and found["truncated"] is False
    kinds = [r["aggregate_type"] for r in match["records"]]
    assert kinds[:2] == ["ApplicationForm", "Learner"]
    learner_row = match["records"][1]
    assert learner_row["id"] == learner["learner_id"] and learner_row["created_label"] == "录取入学（生成学号）"

    by_id = ok(client.post(SEARCH, json={"by": "id_number", "q": make_id_number(seq=1)}, headers=login("shenji")))
    details = {d["label"]: d["value"] for d in by_id["matches"][0]["details"]}
    assert "*" in details["身份证号"] and details["身份证号"] != make_id_number(seq=1)

    problem(client.post(SEARCH, json={"by": "name", "q": " "}, headers=login("shenji")), 422, "audit.search_empty")
    problem(client.post(SEARCH, json={"by": "iris", "q": "x"}, headers=login("shenji")), 422)


def test_the_log_lists_events_newest_first_filtered_by_user_and_kind(client, world, login):
    learner = admitted(client, login, world, seq=1)
    everything = ok(client.get(LOG, params={"page_size": 200}, headers=login("shenji")))
    times = [e["recorded_at"] for e in everything["items"]]
    assert everything["total"] == len(times) and times == sorted(times, reverse=True)

    admitted_by = ok(client.get(LOG, params={"user": "jiaowu", "kind": "Learner.Admitted"}, headers=login("shenji")))
    (entry,) = admitted_by["items"]
    assert entry["originator_id"] == learner["learner_id"] and entry["event_label"] == "录取入学（生成学号）"
    assert entry["actor_name"] == "jiaowu" and entry["role_label"] == "教务"
    fields = {f["name"]: f for f in entry["fields"]}
    assert fields["student_number"]["label"] == "学号" and fields["student_number"]["text"] == learner["student_number"]

    day = datetime.fromisoformat(entry["recorded_at"]).astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()
    for dates, total in (((day, day), 1), (("2000-01-01", "2000-01-02"), 0)):
        params = {"kind": "Learner.Admitted", "date_from": dates[0], "date_to": dates[1]}
        assert ok(client.get(LOG, params=params, headers=login("shenji")))["total"] == total
    problem(client.get(LOG, params={"kind": "Learner.Nothing"}, headers=login("shenji")), 422, "audit.kind_invalid")
    problem(client.get(LOG, params={"date_from": "2026-13-01"}, headers=login("shenji")), 422)
