"""Teacher training through the HTTP API (requirements/training.md): registration inside the campus ranges,
login methods after binding, resources with source labels, sign-up, watched intervals decided by
the server, summaries, lectures, hosting applications, school-recognised hours and 我的学时明细."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

from domains.training.ledger import CertificateLedger
from tests.conftest import PASSWORD
from tests.http.api_helpers import ok, problem
from tests.http.training_support import INSIDE, OUTSIDE, SCHOOL_NAME, T, register


def trainee_login(client: Any, username: str) -> dict[str, str]:
    r = ok(client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD}))
    return {"Authorization": f"Bearer {r['token']}"}


# -- registration and login ---------------------------------------------------------------------


def test_registration_is_allowed_inside_the_campus_ranges_only_and_needs_the_schools_full_name(
    client, training, peer
):
    body = problem(register(client, peer, training.school, "t_out", address=OUTSIDE), 403,
                   "training_registration.outside_campus")
    assert "校园网授权IP范围" in body["detail"]
    problem(register(client, peer, training.school, "t_unit", unit_name="南师大"), 422,
            "training_registration.unit_name_mismatch")
    ok(register(client, peer, training.school, "t_edge", address="10.20.255.255"), 201)
    # later logins from anywhere
    peer["address"] = "203.0.113.9"
    me = ok(client.get("/api/v1/me", headers=trainee_login(client, "t_edge")))
    assert me["roles"] == ["trainee"] and me["username"] == "t_edge"


def test_a_trusted_proxys_forwarded_address_counts_and_nobody_elses(client, training, peer, container):
    container.settings = replace(container.settings, trusted_proxies=("192.0.2.1",))
    peer["address"] = "192.0.2.1"
    r = client.post(f"{T}/registrations", headers={"X-Forwarded-For": f"198.51.100.7, {INSIDE}"}, json={
        "school_id": training.school, "unit_name": SCHOOL_NAME, "username": "via_proxy", "name": "王老师",
        "password": PASSWORD, "confirm_password": PASSWORD})
    ok(r, 201)
    peer["address"] = OUTSIDE  # not a trusted proxy: its X-Forwarded-For is ignored
    r = client.post(f"{T}/registrations", headers={"X-Forwarded-For": INSIDE}, json={
        "school_id": training.school, "unit_name": SCHOOL_NAME, "username": "spoofed", "name": "赵老师",
        "password": PASSWORD, "confirm_password": PASSWORD})
    problem(r, 403, "training_registration.outside_campus")


def test_wechat_and_sms_login_only_after_binding_which_follows_an_account_login(client, training, container):
    wechat = container.training.wechat
    code = ok(client.post(f"{T}/simulators/wechat/authorize", json={"wechat_user": "li-wechat"}))["code"]
    problem(client.post(f"{T}/auth/wechat-login", json={"code": code}), 403, "training_login.not_bound")
    me = trainee_login(client, "teacher1")  # the account login binding needs
    ok(client.post(f"{T}/me/bindings/wechat", json={"code": wechat.authorize("li-wechat")}, headers=me), 204)
    token = ok(client.post(f"{T}/auth/wechat-login", json={"code": wechat.authorize("li-wechat")}))
    assert token["account"]["username"] == "teacher1"
    problem(client.post(f"{T}/auth/wechat-login", json={"code": "used-or-made-up"}), 422,
            "training_binding.wechat_code_invalid")

    mobile = "13912345678"
    ok(client.post(f"{T}/auth/sms-codes", json={"mobile": mobile}), 202)
    problem(client.post(f"{T}/auth/sms-codes", json={"mobile": mobile}), 429, "sms.throttled")
    problem(client.post(f"{T}/auth/sms-login", json={"mobile": mobile, "code": container.training.sms_sender.last_code(mobile)}),
            403, "training_login.not_bound")
    container.engine.dispose()
    _allow_next_code(container)
    ok(client.post(f"{T}/auth/sms-codes", json={"mobile": mobile}), 202)
    sent = container.training.sms_sender.last_code(mobile)
    problem(client.post(f"{T}/me/bindings/mobile", json={"mobile": mobile, "code": "000000" if sent != "000000" else "111111"},
                        headers=me), 422, "sms.code_invalid")
    ok(client.post(f"{T}/me/bindings/mobile", json={"mobile": mobile, "code": sent}, headers=me), 204)
    _allow_next_code(container)
    ok(client.post(f"{T}/auth/sms-codes", json={"mobile": mobile}), 202)
    token = ok(client.post(f"{T}/auth/sms-login", json={"mobile": mobile,
                                                       "code": container.training.sms_sender.last_code(mobile)}))
    assert token["account"]["username"] == "teacher1"


def _allow_next_code(container: Any) -> None:
    """Moves the codes sent so far one minute back, as if the minute between two codes had passed."""
    from sqlalchemy import update

    from infrastructure.training_login import sms_codes

    with container.engine.begin() as conn:
        for row in conn.execute(sms_codes.select()).mappings().all():
            conn.execute(update(sms_codes).where(sms_codes.c.id == row["id"]).values(
                sent_at=row["sent_at"] - timedelta(seconds=61)))


# -- resources and learning ---------------------------------------------------------------------


def test_a_trainee_signs_up_watches_through_submits_the_summary_and_the_centre_hours_become_eligible(
    client, training, container
):
    me = trainee_login(client, "teacher1")
    courses = ok(client.get(f"{T}/courses", headers=me))["items"]
    labels = {c["title"]: (c["kind_label"], c["source_tag"]) for c in courses}
    assert labels == {"课程思政建设": ("网培中心资源", "网培"), "习近平总书记教育重要论述讲义导读": ("马工程思政课", "思政"),
                      "本校教学信息化": ("校本资源", "校本")}
    centre = training.courses["centre"]
    ok(client.post(f"{T}/sign-ups", json={"course_ids": [centre["id"], training.courses["school"]["id"]]}, headers=me), 201)
    problem(client.post(f"{T}/sign-ups", json={"course_ids": [centre["id"]]}, headers=me), 409, "training_signup.already")
    ch1, ch2 = (c["id"] for c in centre["chapters"])
    url = f"{T}/my-courses/{centre['id']}/chapters"

    # seeking ahead: the start and the end watched, the middle skipped
    r = ok(client.post(f"{url}/{ch1}/progress", json={"intervals": [[0, 60], [560, 600]]}, headers=me))
    assert r["chapter_completed"] is False and r["chapter"]["watched_seconds"] == 100
    r = ok(client.post(f"{url}/{ch1}/progress", json={"intervals": [[60, 560]]}, headers=me))
    assert r["chapter_completed"] is True
    ok(client.post(f"{url}/{ch2}/progress", json={"intervals": [[0, 299.5]]}, headers=me))
    hours = ok(client.get(f"{T}/my-hours", headers=me))
    row = next(i for i in hours["items"] if i["source_id"] == centre["id"])
    assert (row["status"], row["certificate_eligible"], row["hours"]) == ("learning", False, "2.5")

    study = ok(client.post(f"{T}/my-courses/{centre['id']}/summary", json={"text": "课程思政设计：……"}, headers=me))
    assert study["certificate_eligible"] is True and study["summary_submitted"] is True
    hours = ok(client.get(f"{T}/my-hours", headers=me))
    by_title = {i["title"]: i for i in hours["items"]}
    assert by_title["课程思政建设"]["certificate_eligible"] is True
    assert by_title["课程思政建设"]["kind_label"] == "网培中心资源"
    assert by_title["本校教学信息化"]["certificate_eligible"] is False
    assert hours["eligible_hours"] == "2.5"
    # the ledger was credited in the same save
    trainee_id = uuid.UUID(ok(client.get("/api/v1/me", headers=me))["id"])
    ledger = container.store.get(CertificateLedger.create_id(trainee_id))
    assert [(i.title, i.tenths) for i in ledger.pool] == [("课程思政建设", 25)]


def test_bad_progress_reports_are_refused_without_a_500(client, training):
    me = trainee_login(client, "teacher1")
    centre = training.courses["centre"]
    ch1 = centre["chapters"][0]["id"]
    url = f"{T}/my-courses/{centre['id']}/chapters/{ch1}/progress"
    problem(client.post(url, json={"intervals": [[0, 10]]}, headers=me), 404)  # not signed up
    ok(client.post(f"{T}/sign-ups", json={"course_ids": [centre["id"]]}, headers=me), 201)
    problem(client.post(url, json={"intervals": [[10, 5]]}, headers=me), 422, "training_progress.interval_out_of_range")
    problem(client.post(url, json={"intervals": [[0, 10, 20]]}, headers=me), 422)
    problem(client.post(url, json={"intervals": "x"}, headers=me), 422, "request.invalid")
    problem(client.post(f"{T}/my-courses/{centre['id']}/chapters/nope/progress", json={"intervals": [[0, 1]]},
                        headers=me), 422, "training_progress.chapter_unknown")


def test_the_schools_training_list_signs_up_for_all_its_courses_in_one_click(client, login, training):
    admin = login("nsd_admin")
    ids = [training.courses["centre"]["id"], training.courses["ideology"]["id"], training.courses["school"]["id"]]
    ok(client.put(f"{T}/schools/{training.school}/training-list", json={"course_ids": ids}, headers=admin))
    problem(client.put(f"{T}/schools/{training.other_school}/training-list", json={"course_ids": ids}, headers=admin),
            404)
    me = trainee_login(client, "teacher2")
    assert [c["title"] for c in ok(client.get(f"{T}/training-list", headers=me))] == [
        "课程思政建设", "习近平总书记教育重要论述讲义导读", "本校教学信息化"]
    assert len(ok(client.post(f"{T}/sign-ups/training-list", headers=me), 201)["signed_up"]) == 3
    assert {c["source_tag"] for c in ok(client.get(f"{T}/my-courses", headers=me))} == {"网培", "思政", "校本"}
    # another school's trainees never see this school's own resources
    other = login("hhu_admin")
    assert "本校教学信息化" not in [c["title"] for c in ok(client.get(f"{T}/courses", headers=other))["items"]]


def test_roles_and_scopes(client, login, training):
    me = trainee_login(client, "teacher1")
    problem(client.post(f"{T}/courses", headers=me, json={"kind": "centre", "title": "x", "tenths": 10,
                                                           "chapters": [], "summary_prompt": "x"}), 403)
    problem(client.post(f"{T}/courses", headers=login("nsd_admin"), json={
        "kind": "centre", "title": "x", "tenths": 10, "chapters": [{"title": "a", "duration_seconds": 5}],
        "summary_prompt": "x"}), 403, "training_course.kind_for_centre")
    problem(client.post(f"{T}/schools", headers=login("jiaowu"), json={"name": "x", "campus_ranges": ["10.0.0.0/8"]}),
            403)
    problem(client.post(f"{T}/schools", headers=login("wangpei"), json={"name": "某大学", "campus_ranges": ["10.0.0.1/8"]}),
            422, "training_school.campus_range_invalid")
    problem(client.get(f"{T}/schools/{training.other_school}", headers=login("nsd_admin")), 404)
    # the teaching-point staff list keeps training people out
    users = ok(client.get("/api/v1/accounts", headers=login("sysadmin")))
    assert not {"wangpei", "nsd_admin", "teacher1"} & {u["username"] for u in users["items"]}


# -- lectures and hosting -----------------------------------------------------------------------


def test_a_centre_lecture_attended_in_full_after_signing_up_credits_15_tenths_and_without_sign_up_nothing(
    client, login, training, clock, container
):
    centre = login("wangpei")
    lecture = ok(client.post(f"{T}/lectures", headers=centre, json={
        "origin": "centre", "title": "高校教师数字素养提升", "speaker": "张教授", "starts_at": "2026-09-10T19:00",
        "duration_minutes": 90}), 201)
    one, two = trainee_login(client, "teacher1"), trainee_login(client, "teacher2")
    ok(client.post(f"{T}/lectures/{lecture['id']}/sign-up", headers=one), 204)
    listed = ok(client.get(f"{T}/lectures", headers=one))[0]
    assert (listed["signed_up"], listed["hours"], listed["origin_label"]) == (True, "1.5", "网培中心直播讲座")
    ids = {name: ok(client.get("/api/v1/me", headers=h))["id"] for name, h in (("one", one), ("two", two))}
    problem(client.post(f"{T}/lectures/{lecture['id']}/attendance", json={"trainee_id": ids["one"]}, headers=centre),
            409, "lecture.not_over")
    clock.at = clock.at + timedelta(days=10)
    problem(client.post(f"{T}/lectures/{lecture['id']}/sign-up", headers=two), 409, "lecture.sign_up_closed")
    problem(client.post(f"{T}/lectures/{lecture['id']}/attendance", json={"trainee_id": ids["two"]}, headers=centre),
            409, "lecture.not_signed_up")
    ok(client.post(f"{T}/lectures/{lecture['id']}/attendance", json={"trainee_id": ids["one"]}, headers=centre), 204)
    hours = ok(client.get(f"{T}/my-hours", headers=one))
    assert [(i["kind_label"], i["hours"], i["certificate_eligible"]) for i in hours["items"]] == [
        ("网培中心直播讲座", "1.5", True)]
    assert ok(client.get(f"{T}/my-hours", headers=two))["items"] == []
    ledger = container.store.get(CertificateLedger.create_id(uuid.UUID(ids["one"])))
    assert [(i.kind, i.tenths) for i in ledger.pool] == [("centre_lecture", 15)]


def test_hosting_application_school_review_and_centre_scheduling(client, login, training):
    me = trainee_login(client, "teacher1")
    app = ok(client.post(f"{T}/hosting-applications", headers=me, json={
        "title": "混合式教学案例分享", "outline": "三门课程的混合式改革经验", "preferred_date": "2026-10-20"}), 201)
    assert app["status_label"] == "待学校审核"
    school = login("nsd_admin")
    problem(client.post(f"{T}/hosting-applications/{app['id']}/review", json={"approve": True},
                        headers=login("hhu_admin")), 404)
    problem(client.post(f"{T}/hosting-applications/{app['id']}/review", json={"approve": False, "reason": ""},
                        headers=school), 422, "field.required")
    problem(client.post(f"{T}/hosting-applications/{app['id']}/schedule", headers=login("wangpei"),
                        json={"speaker": "李老师", "starts_at": "2026-10-20T19:00", "duration_minutes": 60}),
            409, "hosting.status_conflict")
    reviewed = ok(client.post(f"{T}/hosting-applications/{app['id']}/review", json={"approve": True}, headers=school))
    assert reviewed["status_label"] == "待网培中心安排"
    ok(client.post(f"{T}/hosting-applications/{app['id']}/schedule", headers=login("wangpei"),
                   json={"speaker": "李老师", "starts_at": "2026-10-20T19:00", "duration_minutes": 60}))
    lectures = ok(client.get(f"{T}/lectures", headers=me))
    assert [(x["title"], x["origin_label"], x["certificate_eligible"]) for x in lectures] == [
        ("混合式教学案例分享", "学校直播讲座", False)]
    assert ok(client.get(f"{T}/lectures", headers=login("hhu_admin"))) == []


# -- school-recognised hours --------------------------------------------------------------------


def test_offline_activities_and_declarations_are_recorded_but_never_certificate_eligible(client, login, training):
    school = login("nsd_admin")
    me = trainee_login(client, "teacher1")
    my_id = ok(client.get("/api/v1/me", headers=me))["id"]
    activity = ok(client.post(f"{T}/offline-activities", headers=school,
                              json={"title": "青年教师教学沙龙", "held_on": "2026-08-28", "tenths": 30}), 201)
    ok(client.post(f"{T}/offline-activities/{activity['id']}/participants", json={"trainee_id": my_id}, headers=school),
       204)
    problem(client.post(f"{T}/offline-activities/{activity['id']}/participants", json={"trainee_id": my_id},
                        headers=login("hhu_admin")), 404)
    declaration = ok(client.post(f"{T}/declarations", headers=me, json={
        "title": "全省高校教学能力比赛培训", "organiser": "江苏省教育厅", "held_on": "2026-07-15", "tenths": 80}), 201)
    ok(client.post(f"{T}/declarations/{declaration['id']}/review", json={"recognise": True}, headers=school), 204)
    hours = ok(client.get(f"{T}/my-hours", headers=me))
    assert {(i["kind_label"], i["status_label"], i["certificate_eligible"]) for i in hours["items"]} == {
        ("学校线下活动", "学校已认定", False), ("校外活动学分申报", "学校已认定", False)}
    assert (hours["total_hours"], hours["eligible_hours"]) == ("11.0", "0.0")
    # the school admin reads the trainee's detail; another school's cannot
    assert ok(client.get(f"{T}/trainees/{my_id}/hours", headers=school))["total_hours"] == "11.0"
    problem(client.get(f"{T}/trainees/{my_id}/hours", headers=login("hhu_admin")), 404)
