"""Admissions through the API (requirements/admissions.md): quick registration to learner, the rules that
refuse a form, school review one by one and in batches."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.http.api_helpers import API, admitted, approve, enter_form, entered, ok, problem
from tests.support import applicant, make_id_number

SHANGHAI = ZoneInfo("Asia/Shanghai")


def quick(client, **overrides):
    body = {"name": "张三", "mobile": "13912345678", "intended_major": "会计", **overrides}
    return client.post(f"{API}/public/quick-registrations", json=body)


def test_quick_registration_is_completed_by_the_teaching_point_and_approved(client, world, login):
    # Public: no login.
    reg = ok(quick(client, teaching_point_id=str(world.tp["101"])), 201)
    assert reg["status"] == "quick_registered"
    form = ok(client.get(f"{API}/application-forms/{reg['id']}", headers=login("xuanwu")))
    assert form["status"] == "quick_registered" and form["intended_major"] == "会计" and form["programme_id"] is None
    # The teaching point completes it and must choose the programme (the intended major is not linked).
    completion = {
        "admission_batch_id": str(world.admission_batch),
        "programme_id": str(world.programmes["administration"]),
        "applicant": applicant(7, prior_level="高中", name="张三", mobile="13912345678"),
    }
    url = f"{API}/application-forms/{reg['id']}/completion"
    problem(client.post(url, json=completion, headers=login("gulou")), 404)  # not gulou's registration
    done = ok(client.post(url, json=completion, headers=login("xuanwu")))
    assert done["status"] == "preliminarily_approved"
    assert done["programme_id"] == str(world.programmes["administration"])
    assert (done["level"], done["major"]) == ("高起专", "行政管理")
    assert done["applicant"]["birth_date"] == "1990-03-15"
    problem(client.post(url, json=completion, headers=login("xuanwu")), 409, "application_form.not_quick_registration")
    approved = ok(approve(client, login("jiaowu"), reg["id"]))
    assert approved["status"] == "approved" and approved["student_number"] == "263210100001"


def test_a_quick_registration_without_a_teaching_point_is_seen_by_the_school(client, world, login):
    reg = ok(quick(client), 201)
    assert ok(client.get(f"{API}/application-forms/{reg['id']}", headers=login("jiaowu")))["teaching_point_id"] is None
    assert ok(client.get(f"{API}/application-forms", headers=login("xuanwu")))["total"] == 0


def test_quick_registration_input_is_checked(client, world):
    problem(quick(client, mobile="12345"), 422, "mobile.malformed")
    problem(quick(client, name=" "), 422, "field.required")
    problem(quick(client, teaching_point_id="00000000-0000-0000-0000-000000000000"), 404)
    problem(client.post(f"{API}/public/quick-registrations", json={"name": "张三"}), 422)


def test_forms_are_refused_outside_the_admission_period(client, world, login, clock):
    # A closed batch: the spring round of the same study batch.
    closed = ok(
        client.post(
            f"{API}/admission-batches",
            json={"code": "A202603", "name": "2026年春季招生", "study_batch_id": str(world.study_batch),
                  "opens_on": "2026-03-01", "closes_on": "2026-03-31"},
            headers=login("jiaowu"),
        ),
        201,
    )
    problem(enter_form(client, login("xuanwu"), world, admission_batch=closed["id"]), 409, "admission.period_closed")
    # The open batch on its last day, and the day after (the clock is read in Asia/Shanghai).
    clock.at = datetime(2026, 9, 30, 23, 59, tzinfo=SHANGHAI)
    ok(enter_form(client, login("xuanwu"), world, seq=1), 201)
    clock.at = datetime(2026, 10, 1, 0, 0, tzinfo=SHANGHAI)
    body = problem(enter_form(client, login("xuanwu"), world, seq=2), 409, "admission.period_closed")
    assert "2026-09-30" in body["detail"]
    # Moving the period re-opens it.
    ok(client.patch(f"{API}/admission-batches/{world.admission_batch}/period",
                    json={"opens_on": "2026-08-01", "closes_on": "2026-10-15", "reason": "延长招生"}, headers=login("jiaowu")))
    ok(enter_form(client, login("xuanwu"), world, seq=2), 201)


def test_a_programme_not_offered_at_the_teaching_point_is_refused(client, world, login):
    problem(enter_form(client, login("gulou"), world, programme=world.programmes["administration"], prior_level="高中"),
            409, "programme.not_offered")
    assert ok(client.get(f"{API}/application-forms", headers=login("gulou")))["total"] == 0


def test_zhuan_sheng_ben_refuses_a_secondary_school_applicant(client, world, login):
    problem(enter_form(client, login("xuanwu"), world, prior_level="高中"), 409, "applicant.prior_level_insufficient")


def test_graduation_in_the_future_is_refused(client, world, login):
    problem(enter_form(client, login("xuanwu"), world, prior_graduation_date="2026-09-02"), 422, "applicant.not_yet_graduated")


def test_the_same_id_number_twice_in_one_batch_is_refused(client, world, login):
    entered(client, login("xuanwu"), world, seq=1)
    problem(enter_form(client, login("xuanwu"), world, seq=1, name="另一个名字"), 409, "application_id_number.taken")
    # Also from another teaching point.
    problem(enter_form(client, login("gulou"), world, seq=1), 409, "application_id_number.taken")
    # Also typed with a lower-case x or spaces.
    number = next(make_id_number(seq=s) for s in range(100, 200) if make_id_number(seq=s).endswith("X"))
    entered(client, login("xuanwu"), world, seq=2, id_number=number)
    problem(enter_form(client, login("xuanwu"), world, seq=3, id_number=f" {number.lower()} "),
            409, "application_id_number.taken")


def test_an_id_number_that_already_has_a_learner_is_refused(client, world, login):
    admitted(client, login, world, seq=1)
    spring = ok(client.post(f"{API}/admission-batches", json={
        "code": "A202609B", "name": "2026年秋季补招", "study_batch_id": str(world.study_batch),
        "opens_on": "2026-09-01", "closes_on": "2026-09-30"}, headers=login("jiaowu")), 201)
    problem(enter_form(client, login("gulou"), world, seq=1, admission_batch=spring["id"]), 409, "applicant.already_learner")


def test_rejection_needs_a_comment_and_ends_the_review(client, world, login):
    form = entered(client, login("xuanwu"), world)
    url = f"{API}/application-forms/{form['id']}/rejection"
    problem(client.post(url, json={}, headers=login("jiaowu")), 422, "field.required")
    problem(client.post(url, json={"comment": "   "}, headers=login("jiaowu")), 422, "field.required")
    problem(client.post(url, json={"comment": "材料不全"}, headers=login("xuanwu")), 403)
    rejected = ok(client.post(url, json={"comment": "学历信息无法在学信网验证"}, headers=login("jiaowu")))
    assert rejected["status"] == "rejected" and rejected["review_comment"] == "学历信息无法在学信网验证"
    problem(approve(client, login("jiaowu"), form["id"]), 409, "application_form.not_awaiting_review")
    problem(client.post(url, json={"comment": "again"}, headers=login("jiaowu")), 409, "application_form.not_awaiting_review")
    assert ok(client.get(f"{API}/learners", headers=login("jiaowu")))["total"] == 0


def test_approving_twice_is_refused_and_admits_once(client, world, login):
    form = admitted(client, login, world)
    problem(approve(client, login("jiaowu"), form["id"]), 409, "application_form.not_awaiting_review")
    assert ok(client.get(f"{API}/learners", headers=login("jiaowu")))["total"] == 1


def test_batch_approval_reports_each_form_and_numbers_are_unique_and_sequential(client, world, login):
    first = admitted(client, login, world, seq=1)  # 101's sequence already issued 00001
    forms_101 = [entered(client, login("xuanwu"), world, seq=s)["id"] for s in (2, 3, 4)]
    forms_102 = [entered(client, login("gulou"), world, seq=s)["id"] for s in (5, 6)]
    rejected = entered(client, login("xuanwu"), world, seq=7)["id"]
    ok(client.post(f"{API}/application-forms/{rejected}/rejection", json={"comment": "不符合条件"}, headers=login("jiaowu")))
    unknown = "00000000-0000-0000-0000-00000000abcd"
    ids = [forms_101[0], forms_102[0], rejected, forms_101[1], first["id"], unknown, forms_102[1], forms_101[2]]
    problem(client.post(f"{API}/application-forms/approvals", json={"form_ids": ids}, headers=login("xuanwu")), 403)
    report = ok(client.post(f"{API}/application-forms/approvals",
                            json={"form_ids": ids, "comment": "批量复审"}, headers=login("jiaowu")))
    assert (report["approved"], report["refused"]) == (5, 3)
    by_form = {r["form_id"]: r for r in report["results"]}
    assert set(by_form) == set(ids)
    assert by_form[rejected]["code"] == "application_form.not_awaiting_review" and not by_form[rejected]["ok"]
    assert by_form[first["id"]]["code"] == "application_form.not_awaiting_review"
    assert by_form[unknown]["code"] == "not_found"
    assert [by_form[f]["student_number"] for f in forms_101] == ["263210100002", "263210100003", "263210100004"]
    assert [by_form[f]["student_number"] for f in forms_102] == ["263210200001", "263210200002"]
    # The read side agrees: every learner has its own number.
    learners = ok(client.get(f"{API}/learners", params={"page_size": 50}, headers=login("jiaowu")))
    numbers = [item["student_number"] for item in learners["items"]]
    assert len(numbers) == len(set(numbers)) == 6
    assert sorted(numbers) == ["263210100001", "263210100002", "263210100003", "263210100004", "263210200001", "263210200002"]
    for f in forms_101 + forms_102:
        form = ok(client.get(f"{API}/application-forms/{f}", headers=login("jiaowu")))
        assert form["status"] == "approved" and form["student_number"] == by_form[f]["student_number"]
        assert form["review_comment"] == "批量复审"
    # The next single approval continues the sequence; nothing is reused.
    later = admitted(client, login, world, seq=8)
    assert later["student_number"] == "263210100005"


def test_one_id_number_in_two_batches_is_admitted_once_in_a_batch_approval(client, world, login):
    extra = ok(client.post(f"{API}/admission-batches", json={
        "code": "A202609B", "name": "2026年秋季补招", "study_batch_id": str(world.study_batch),
        "opens_on": "2026-09-01", "closes_on": "2026-09-30"}, headers=login("jiaowu")), 201)
    a = entered(client, login("xuanwu"), world, seq=1)["id"]
    b = entered(client, login("gulou"), world, seq=1, admission_batch=extra["id"])["id"]
    report = ok(client.post(f"{API}/application-forms/approvals", json={"form_ids": [a, b]}, headers=login("jiaowu")))
    assert (report["approved"], report["refused"]) == (1, 1)
    assert [r["code"] for r in report["results"] if not r["ok"]] == ["applicant.already_learner"]
    assert ok(client.get(f"{API}/learners", headers=login("jiaowu")))["total"] == 1


def test_form_lists_mask_and_details_show_to_their_teaching_point(client, world, login):
    form = entered(client, login("xuanwu"), world)
    number = applicant(1)["id_number"]
    items = ok(client.get(f"{API}/application-forms", headers=login("xuanwu")))["items"]
    assert items[0]["id_number"] == number[:6] + "********" + number[-4:]
    assert "applicant" not in items[0] and items[0]["mobile"] == "139****0001"
    detail = ok(client.get(f"{API}/application-forms/{form['id']}", headers=login("xuanwu")))
    assert detail["id_number"] == number and detail["applicant"]["mobile"] == "13900000001"
    problem(client.get(f"{API}/application-forms/{form['id']}", headers=login("gulou")), 404)
