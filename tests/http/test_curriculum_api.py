"""Curriculum through the HTTP API: courses and their readiness, programme course lists,
selection and exam batches, fee standards (academic affairs maintains; finance sets fees)."""

from __future__ import annotations

from tests.http.api_helpers import API, ok, problem
from tests.http.selection_support import SELECTION, UNDERGRADUATE_FEES, batches, new_course, ready_catalogue


def test_academic_affairs_makes_a_course_ready_for_selection(client, world, login):
    cid = new_course(client, login, "01234", "管理会计", "4", ("本科", "专科"))
    course = ok(client.get(f"{API}/courses/{cid}", headers=login("jiaowu")))
    assert course["status"] == "published" and course["status_label"] == "已发布"
    assert course["version_in_use"] == "2026版" and course["versions"] == ["2026版"]
    assert course["assessment_approved"] and course["includes_final_exam"]
    assert course["assessment_status"] == "approved" and course["assessment_description"] == "形考30%，终考70%"
    assert course["levels"] == ["undergraduate", "junior_college"] and course["level_labels"] == ["本科", "专科"]
    assert (course["credit_tenths"], course["credits"]) == (40, "4")
    # Every step is an event with its actor on the course's history.
    events = ok(client.get(f"{API}/audit/aggregates/{cid}/events", headers=login("shenji")))["events"]
    assert [e["event_type"] for e in events] == [
        "Registered", "Published", "VersionAdded", "VersionPutInUse",
        "AssessmentRequirementSubmitted", "AssessmentRequirementApproved",
    ]
    assert {e["actor_name"] for e in events} == {"jiaowu"}


def test_a_pending_assessment_is_not_the_approved_one_and_a_rejection_needs_a_reason(client, world, login):
    jw = login("jiaowu")
    cid = new_course(client, login, "01234", "管理会计", final_exam=None)
    ok(client.post(f"{API}/courses/{cid}/assessment", json={"includes_final_exam": True, "description": "终考"}, headers=jw))
    course = ok(client.get(f"{API}/courses/{cid}", headers=jw))
    assert course["assessment_status"] == "pending_review" and not course["assessment_approved"]
    assert course["submitted_includes_final_exam"] is True and not course["includes_final_exam"]
    problem(client.post(f"{API}/courses/{cid}/assessment", json={"includes_final_exam": False, "description": "x"}, headers=jw),
            409, "course.assessment_pending")
    problem(client.post(f"{API}/courses/{cid}/assessment/rejection", json={}, headers=jw), 422, "field.required")
    rejected = ok(client.post(f"{API}/courses/{cid}/assessment/rejection", json={"reason": "比例不当"}, headers=jw))
    assert rejected["assessment_status"] == "rejected" and rejected["assessment_reject_reason"] == "比例不当"
    problem(client.post(f"{API}/courses/{cid}/assessment/approval", json={}, headers=jw), 409, "course.no_assessment_pending")


def test_course_rules_are_refused_with_their_codes(client, world, login):
    jw = login("jiaowu")
    cid = new_course(client, login, "01234", "管理会计")
    problem(client.post(f"{API}/courses", json={"code": "01234", "name": "重复", "credits": "2", "levels": ["本科"]}, headers=jw),
            409, "course_code.taken")
    problem(client.post(f"{API}/courses", json={"code": "09999", "name": "x", "credits": "2.55", "levels": ["本科"]}, headers=jw),
            422, "course.credits_invalid")
    problem(client.post(f"{API}/courses", json={"code": "09999", "name": "x", "credits": "2", "levels": ["硕士"]}, headers=jw),
            422, "education_level.invalid")
    problem(client.post(f"{API}/courses/{cid}/publication", headers=jw), 409, "course.already_published")
    problem(client.post(f"{API}/courses/{cid}/versions", json={"version": "2026版"}, headers=jw), 409, "course.version_exists")
    problem(client.put(f"{API}/courses/{cid}/version-in-use", json={"version": "2030版"}, headers=jw),
            409, "course.unknown_version")
    closed = ok(client.post(f"{API}/courses/{cid}/closure", json={"reason": "停开"}, headers=jw))
    assert closed["status"] == "closed"
    problem(client.get(f"{API}/courses/00000000-0000-0000-0000-000000000001", headers=jw), 404, "not_found")


def test_only_academic_affairs_maintains_courses_and_learners_cannot_read_the_catalogue(client, world, login):
    body = {"code": "01234", "name": "管理会计", "credits": "4", "levels": ["本科"]}
    for user in ("xuanwu", "caiwu", "shenji"):
        problem(client.post(f"{API}/courses", json=body, headers=login(user)), 403, "auth.role_not_allowed")
    problem(client.get(f"{API}/courses"), 401, "auth.required")
    new_course(client, login, "01234", "管理会计")
    listing = ok(client.get(f"{API}/courses", params={"status": "published", "name": "会计"}, headers=login("xuanwu")))
    assert listing["total"] == 1 and listing["items"][0]["code"] == "01234"
    assert ok(client.get(f"{API}/courses", params={"status": "draft"}, headers=login("xuanwu")))["total"] == 0


def test_programme_course_list_with_suggested_semesters(client, world, login):
    jw = login("jiaowu")
    programme = world.programmes["accounting"]
    a = new_course(client, login, "01234", "管理会计")
    b = new_course(client, login, "01235", "会计信息系统", "2.5")
    junior = new_course(client, login, "02001", "公文写作", "3", ("专科",))
    listed = ok(client.post(f"{API}/programmes/{programme}/courses",
                            json={"course_id": a, "suggested_semester": 2}, headers=jw), 201)
    assert [c["code"] for c in listed] == ["01234"] and listed[0]["suggested_semester"] == 2
    ok(client.post(f"{API}/programmes/{programme}/courses", json={"course_id": b, "suggested_semester": 1}, headers=jw), 201)
    assert [c["code"] for c in ok(client.get(f"{API}/programmes/{programme}/courses", headers=jw))] == ["01235", "01234"]
    assert [c["code"] for c in ok(client.get(f"{API}/programmes/{programme}/courses",
                                             params={"suggested_semester": 2}, headers=jw))] == ["01234"]

    # A 专升本 programme leads to 本科: a 专科-only course does not join it.
    problem(client.post(f"{API}/programmes/{programme}/courses", json={"course_id": junior, "suggested_semester": 1}, headers=jw),
            409, "curriculum.course_level_mismatch")
    problem(client.post(f"{API}/programmes/{programme}/courses", json={"course_id": a, "suggested_semester": 3}, headers=jw),
            409, "curriculum.course_already_listed")
    problem(client.post(f"{API}/programmes/{programme}/courses", json={"course_id": b, "suggested_semester": 13}, headers=jw),
            422, "curriculum.semester_invalid")

    moved = ok(client.put(f"{API}/programmes/{programme}/courses/{a}", json={"suggested_semester": 1}, headers=jw))
    assert [c["suggested_semester"] for c in moved] == [1, 1]
    remaining = ok(client.delete(f"{API}/programmes/{programme}/courses/{b}", headers=jw))
    assert [c["code"] for c in remaining] == ["01234"]
    problem(client.delete(f"{API}/programmes/{programme}/courses/{b}", headers=jw), 409, "curriculum.course_not_listed")


def test_selection_and_exam_batches_with_their_periods(client, world, login):
    jw = login("jiaowu")
    a = new_course(client, login, "01234", "管理会计")
    sb, eb = batches(client, login, [a])
    batch = ok(client.get(f"{API}/selection-batches/{sb}", headers=jw))
    assert (batch["selection_starts_on"], batch["selection_ends_on"]) == ("2026-09-01", "2026-09-30")
    # The default drop period: from selection start to a month after selection ends.
    assert (batch["drop_starts_on"], batch["drop_ends_on"]) == ("2026-09-01", "2026-10-31")
    assert batch["selection_open"] and batch["drop_open"] and [c["code"] for c in batch["courses"]] == ["01234"]

    changed = ok(client.put(f"{API}/selection-batches/{sb}/periods", json={
        "selection_starts_on": "2026-09-05", "selection_ends_on": "2026-09-20",
        "drop_starts_on": "2026-09-05", "drop_ends_on": "2026-10-10", "reason": "延后"}, headers=jw))
    assert not changed["selection_open"] and changed["drop_ends_on"] == "2026-10-10"
    problem(client.put(f"{API}/selection-batches/{sb}/periods", json={
        "selection_starts_on": "2026-09-05", "selection_ends_on": "2026-09-20",
        "drop_starts_on": "2026-09-01", "drop_ends_on": "2026-10-10"}, headers=jw), 422, "selection_batch.drop_before_selection")
    problem(client.post(f"{API}/selection-batches", json={"code": "X2026F", "name": "重复", **SELECTION}, headers=jw),
            409, "selection_batch_code.taken")
    problem(client.post(f"{API}/selection-batches",
                        json={"code": "X2027S", "name": "x", "selection_starts_on": "2026-09-31",
                              "selection_ends_on": "2026-10-01"}, headers=jw), 422, "date.malformed")
    problem(client.post(f"{API}/selection-batches",
                        json={"code": "X2027S", "name": "x", "selection_starts_on": "2026-10-01",
                              "selection_ends_on": "2026-09-01"}, headers=jw), 422, "period.reversed")

    b = new_course(client, login, "01235", "会计信息系统")
    exam = ok(client.post(f"{API}/exam-batches/{eb}/courses", json={"course_ids": [b, a]}, headers=jw))
    assert [c["code"] for c in exam["courses"]] == ["01234", "01235"]
    assert exam["registration_open"] and exam["registration_ends_on"] == "2026-10-15"
    exam = ok(client.delete(f"{API}/exam-batches/{eb}/courses/{a}", headers=jw))
    assert [c["code"] for c in exam["courses"]] == ["01235"]
    problem(client.delete(f"{API}/exam-batches/{eb}/courses/{a}", headers=jw), 409, "batch.course_not_in_batch")
    assert [x["course_count"] for x in ok(client.get(f"{API}/exam-batches", headers=jw))] == [1]
    course = ok(client.get(f"{API}/courses/{b}", headers=jw))
    assert course["exam_batch_ids"] == [eb] and course["selection_batch_ids"] == []


def test_finance_sets_fee_standards_per_level(client, world, login):
    problem(client.put(f"{API}/fee-standards/undergraduate", json=UNDERGRADUATE_FEES, headers=login("jiaowu")),
            403, "auth.role_not_allowed")
    problem(client.put(f"{API}/fee-standards/硕士", json=UNDERGRADUATE_FEES, headers=login("caiwu")),
            422, "education_level.invalid")
    problem(client.put(f"{API}/fee-standards/undergraduate",
                       json={"credit_fee_per_credit_fen": -1, "exam_fee_per_course_fen": 4000}, headers=login("caiwu")),
            422, "money.invalid")
    standards = ok(client.put(f"{API}/fee-standards/本科", json=UNDERGRADUATE_FEES, headers=login("caiwu")))
    assert standards[0] == {**standards[0], "level": "undergraduate", "set": True, **UNDERGRADUATE_FEES}
    assert standards[1]["level"] == "junior_college" and not standards[1]["set"]
    changed = ok(client.put(f"{API}/fee-standards/undergraduate",
                            json={"credit_fee_per_credit_fen": 16000, "exam_fee_per_course_fen": 4000}, headers=login("caiwu")))
    assert changed[0]["credit_fee_per_credit_fen"] == 16000


def test_the_ready_catalogue_is_listed(client, world, login):
    cat = ready_catalogue(client, login, world)
    batches_ = ok(client.get(f"{API}/selection-batches", headers=login("xuanwu")))
    assert [b["id"] for b in batches_] == [cat.selection_batch] and batches_[0]["course_count"] == 2


def test_invalid_input_to_the_curriculum_never_yields_a_500(client, world, login):
    from urllib.parse import quote

    from hypothesis import given
    from hypothesis import strategies as st

    from tests.http.test_invalid_input_fuzz import FUZZ, check, shaped, tricky_text

    jw, cw = login("jiaowu"), login("caiwu")
    cid = new_course(client, login, "01234", "管理会计")
    sb, eb = batches(client, login, [cid])
    programme = world.programmes["accounting"]
    ids = st.sampled_from([cid, sb, eb, str(programme), "00000000-0000-0000-0000-000000000000", "x"])

    @FUZZ
    @given(
        course=shaped("code", "name", "credits", "levels"),
        version=shaped("version"),
        assessment=shaped("includes_final_exam", "description"),
        listing=shaped("course_id", "suggested_semester", nested={"course_id": ids}),
        selection=shaped("code", "name", "selection_starts_on", "selection_ends_on", "drop_starts_on", "drop_ends_on",
                         "course_ids", "reason", nested={"course_ids": st.lists(ids, max_size=3)}),
        exam=shaped("code", "name", "registration_starts_on", "registration_ends_on", "course_ids", "reason"),
        fees=shaped("credit_fee_per_credit_fen", "exam_fee_per_course_fen", "reason"),
        level=tricky_text,
        query=st.dictionaries(st.sampled_from(["page", "page_size", "code", "name", "status", "level", "suggested_semester"]),
                              tricky_text, max_size=4),
    )
    def run(course, version, assessment, listing, selection, exam, fees, level, query):
        check(client.post(f"{API}/courses", json=course, headers=jw))
        check(client.post(f"{API}/courses/{cid}/versions", json=version, headers=jw))
        check(client.put(f"{API}/courses/{cid}/version-in-use", json=version, headers=jw))
        check(client.post(f"{API}/courses/{cid}/assessment", json=assessment, headers=jw))
        check(client.post(f"{API}/courses/{cid}/assessment/rejection", json=assessment, headers=jw))
        check(client.post(f"{API}/programmes/{programme}/courses", json=listing, headers=jw))
        check(client.post(f"{API}/selection-batches", json=selection, headers=jw))
        check(client.put(f"{API}/selection-batches/{sb}/periods", json=selection, headers=jw))
        check(client.post(f"{API}/exam-batches", json=exam, headers=jw))
        check(client.put(f"{API}/exam-batches/{eb}/registration-period", json=exam, headers=jw))
        check(client.put(f"{API}/fee-standards/{quote(level, safe='') or 'x'}", json=fees, headers=cw))
        check(client.get(f"{API}/courses", params=query, headers=jw))
        check(client.get(f"{API}/programmes/{programme}/courses", params=query, headers=jw))

    run()
    container = world.container
    assert container.runner.position() == container.log.recorder.max_notification_id()
