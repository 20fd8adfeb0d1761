"""The learner roster: the roster filters (requirements/common.md §2.1), masking, scope, and the
learner's own account."""

from __future__ import annotations

import pytest

from application.common.actor import SYSTEM
from tests.http.api_helpers import API, approve, entered, login_as, ok, problem
from tests.support import applicant


@pytest.fixture
def roster(client, world, login):
    """Learners across two study batches, three programmes and both teaching points.

    seq  teaching point  study batch  programme
    1    101             2026秋       专升本 开放教育/开放教育 会计学 2.5年
    2    101             2026秋       高起专 开放教育/开放教育 行政管理 2.5年
    3    102             2026秋       专升本 会计学
    4    102             2026秋补     高起本 成人教育/普通高考 汉语言文学 5年
    5    101             2026秋补     高起本 汉语言文学
    """
    adm = world.container.admissions
    extra_study = adm.register_study_batch(SYSTEM, "2026F2", "2026秋补")
    extra_batch = adm.register_admission_batch(SYSTEM, "A202609C", "2026年秋季补录", extra_study, "2026-09-01", "2026-09-15")
    chinese = adm.register_programme(
        SYSTEM, code="P-GQB-HY", level="高起本", learner_type="成人教育", learner_source="普通高考", major="汉语言文学",
        length_of_schooling="5年", teaching_point_ids=[world.tp["101"], world.tp["102"]],
    )
    plan = [
        (1, "xuanwu", world.programmes["accounting"], world.admission_batch, "大专"),
        (2, "xuanwu", world.programmes["administration"], world.admission_batch, "高中"),
        (3, "gulou", world.programmes["accounting"], world.admission_batch, "本科"),
        (4, "gulou", chinese, extra_batch, "高中"),
        (5, "xuanwu", chinese, extra_batch, "高中"),
    ]
    forms = {}
    for seq, admin, programme, batch, prior in plan:
        forms[seq] = entered(client, login(admin), world, seq, programme=programme, admission_batch=batch,
                             prior_level=prior, name=f"学员{seq}号")["id"]
    learners = {}
    for seq in sorted(forms):
        learners[seq] = ok(approve(client, login("jiaowu"), forms[seq]))
    ids = {seq: ok(client.get(f"{API}/learners", params={"student_number": f["student_number"]},
                              headers=login("jiaowu")))["items"][0]
           for seq, f in learners.items()}
    return {"study_batch": {"main": world.study_batch, "extra": extra_study}, "learners": ids}


def names(client, headers, **params):
    body = ok(client.get(f"{API}/learners", params={"page_size": 100, **params}, headers=headers))
    assert body["total"] == len(body["items"])
    return sorted(item["name"] for item in body["items"])


def seqs(*numbers):
    return sorted(f"学员{n}号" for n in numbers)


def test_every_filter_of_the_seed_screens(client, world, login, roster):
    h = login("jiaowu")
    assert names(client, h) == seqs(1, 2, 3, 4, 5)
    assert names(client, h, study_batch_id=str(roster["study_batch"]["extra"])) == seqs(4, 5)
    assert names(client, h, study_batch_id=str(roster["study_batch"]["main"])) == seqs(1, 2, 3)
    assert names(client, h, level="专升本") == seqs(1, 3)
    assert names(client, h, level="高起专") == seqs(2)
    assert names(client, h, learner_type="成人教育") == seqs(4, 5)
    assert names(client, h, learner_source="普通高考") == seqs(4, 5)
    assert names(client, h, learner_source="开放教育") == seqs(1, 2, 3)
    assert names(client, h, major="行政管理") == seqs(2)
    assert names(client, h, length_of_schooling="5年") == seqs(4, 5)
    assert names(client, h, teaching_point_id=str(world.tp["102"])) == seqs(3, 4)
    assert names(client, h, student_number=roster["learners"][3]["student_number"]) == seqs(3)
    assert names(client, h, student_number="2632102") == seqs(3, 4)  # a prefix
    assert names(client, h, name="学员5") == seqs(5)
    assert names(client, h, status="enrolled") == seqs(1, 2, 3, 4, 5)
    assert names(client, h, status="withdrawn") == []
    # Filters combine.
    assert names(client, h, level="高起本", teaching_point_id=str(world.tp["101"])) == seqs(5)
    assert names(client, h, major="会计学", study_batch_id=str(roster["study_batch"]["extra"])) == []


def test_a_teaching_point_sees_only_its_learners_whatever_it_filters(client, world, login, roster):
    assert names(client, login("gulou")) == seqs(3, 4)
    assert names(client, login("gulou"), teaching_point_id=str(world.tp["101"])) == []
    assert names(client, login("xuanwu"), level="高起本") == seqs(5)


def test_lists_mask_id_numbers_and_mobiles(client, world, login, roster):
    body = ok(client.get(f"{API}/learners", params={"page_size": 100}, headers=login("jiaowu")))
    for item in body["items"]:
        seq = int(item["name"][2:-1])
        raw = applicant(seq)["id_number"]
        assert item["id_number"] == raw[:6] + "********" + raw[-4:]
        assert item["mobile"] == f"139****{seq:04d}"
        assert raw not in str(item)


def test_paging(client, world, login, roster):
    page1 = ok(client.get(f"{API}/learners", params={"page_size": 2}, headers=login("jiaowu")))
    page3 = ok(client.get(f"{API}/learners", params={"page_size": 2, "page": 3}, headers=login("jiaowu")))
    assert (page1["total"], len(page1["items"]), len(page3["items"])) == (5, 2, 1)
    numbers = [i["student_number"] for i in page1["items"]] + [i["student_number"] for i in page3["items"]]
    assert numbers == sorted(numbers)


def test_detail_is_unmasked_for_staff_of_that_teaching_point_only(client, world, login, roster):
    learner = roster["learners"][3]  # at 102
    raw = applicant(3)["id_number"]
    for staff in ("gulou", "jiaowu", "shenji"):
        detail = ok(client.get(f"{API}/learners/{learner['id']}", headers=login(staff)))
        assert detail["id_number"] == raw and detail["mobile"] == "13900000003"
        assert detail["level"] == "专升本" and detail["teaching_point_name"] == "鼓楼学习中心"
        assert detail["birth_date"] == "1990-03-15" and detail["gender"] == "male"  # seq 003: odd
    problem(client.get(f"{API}/learners/{learner['id']}", headers=login("xuanwu")), 404)


def test_a_learner_activates_an_account_and_sees_only_their_own_record(client, world, login, roster):
    mine, other = roster["learners"][1], roster["learners"][2]
    raw = applicant(1)["id_number"]
    url = f"{API}/auth/learner-activation"
    # The student number and the ID number must belong together.
    problem(client.post(url, json={"student_number": other["student_number"], "id_number": raw,
                                   "password": "learn123", "confirm_password": "learn123"}), 422, "learner_account.no_match")
    problem(client.post(url, json={"student_number": mine["student_number"], "id_number": "not-an-id",
                                   "password": "learn123", "confirm_password": "learn123"}), 422, "learner_account.no_match")
    problem(client.post(url, json={"student_number": mine["student_number"], "id_number": raw,
                                   "password": "learn123", "confirm_password": "learn124"}), 422, "password.mismatch")
    activated = ok(client.post(url, json={"student_number": mine["student_number"], "id_number": raw.lower(),
                                          "password": "learn123", "confirm_password": "learn123"}), 201)
    assert activated["username"] == mine["student_number"]
    problem(client.post(url, json={"student_number": mine["student_number"], "id_number": raw,
                                   "password": "learn456", "confirm_password": "learn456"}),
            409, "learner_account.already_active")

    me_headers = login_as(client, mine["student_number"], "learn123")
    me = ok(client.get(f"{API}/me", headers=me_headers))
    assert me["roles"] == ["learner"] and me["learner_id"] == str(mine["id"])
    own = ok(client.get(f"{API}/learners/{mine['id']}", headers=me_headers))
    assert own["student_number"] == mine["student_number"] and own["id_number"] == raw
    problem(client.get(f"{API}/learners/{other['id']}", headers=me_headers), 404)
    problem(client.get(f"{API}/learners", headers=me_headers), 403)
    problem(client.get(f"{API}/application-forms", headers=me_headers), 403)
    problem(client.get(f"{API}/accounts", headers=me_headers), 403)
    problem(client.get(f"{API}/audit/aggregates/{mine['id']}/events", headers=me_headers), 403)
    problem(client.get(f"{API}/programmes", headers=me_headers), 403)
    # The teaching point list is empty for a learner rather than the whole school's.
    assert ok(client.get(f"{API}/teaching-points", headers=me_headers))["total"] == 0
