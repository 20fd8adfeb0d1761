"""Invalid input to the training platform's learning endpoints never yields a 500 (property-based):
registration, login methods, schools, courses, sign-up, progress reports, summaries, lectures,
hosting applications, activities and declarations."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import PASSWORD
from tests.http.test_invalid_input_fuzz import FUZZ, check, scalars, shaped
from tests.http.training_support import T

intervals = st.lists(st.lists(st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers(-10**6, 10**20)),
                              max_size=3), max_size=4)


def _token(client: Any, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {r['token']}"}


def test_access_and_learning_endpoints(client, login, training, peer):
    me, centre, school = _token(client, "teacher1"), login("wangpei"), login("nsd_admin")
    course = training.courses["centre"]
    chapter = course["chapters"][0]["id"]
    client.post(f"{T}/sign-ups", json={"course_ids": [course["id"]]}, headers=me)

    @FUZZ
    @given(
        registration=shaped("school_id", "unit_name", "username", "name", "password", "confirm_password", "mobile"),
        address=st.sampled_from(["10.20.1.1", "::1", "testclient", "", "10.20.0.0", "999.1.1.1"]),
        sms=shaped("mobile", "code"),
        wechat=shaped("code"),
        school_body=shaped("name", "campus_ranges"),
        course_body=shaped("kind", "title", "tenths", "chapters", "summary_prompt",
                           nested={"chapters": st.lists(shaped("title", "duration_seconds"), max_size=3)}),
        progress=st.one_of(st.fixed_dictionaries({"intervals": intervals}), shaped("intervals")),
        summary=shaped("text"),
        sign_up=shaped("course_ids"),
        query=st.dictionaries(st.sampled_from(["kind", "search", "sort", "min_tenths", "max_tenths", "page"]),
                              st.text(max_size=12), max_size=4),
    )
    def run(registration, address, sms, wechat, school_body, course_body, progress, summary, sign_up, query):
        peer["address"] = address
        check(client.post(f"{T}/registrations", json=registration))
        check(client.post(f"{T}/auth/sms-login", json=sms))
        check(client.post(f"{T}/auth/wechat-login", json=wechat))
        check(client.post(f"{T}/me/bindings/mobile", json=sms, headers=me))
        check(client.post(f"{T}/schools", json=school_body, headers=centre))
        check(client.put(f"{T}/schools/{training.school}", json=school_body, headers=centre))
        check(client.post(f"{T}/courses", json=course_body, headers=centre))
        check(client.post(f"{T}/courses", json=course_body, headers=school))
        check(client.post(f"{T}/my-courses/{course['id']}/chapters/{chapter}/progress", json=progress, headers=me))
        check(client.post(f"{T}/my-courses/{course['id']}/summary", json=summary, headers=me))
        check(client.post(f"{T}/sign-ups", json=sign_up, headers=me))
        check(client.get(f"{T}/courses", params=query, headers=me))

    run()


def test_lecture_hosting_and_activity_endpoints(client, login, training):
    me, centre, school = _token(client, "teacher1"), login("wangpei"), login("nsd_admin")

    @FUZZ
    @given(
        lecture=shaped("origin", "title", "speaker", "starts_at", "duration_minutes", "training_school_id", nested={
            "starts_at": st.sampled_from(["9999-12-31T23:59", "2026-09-02T19:00", "2027-01-01", "0001-01-01T00:00"]),
            "origin": st.sampled_from(["centre", "school"]), "duration_minutes": st.integers(-5, 10**6)}),
        hosting=shaped("title", "outline", "preferred_date"),
        review=shaped("approve", "reason"),
        activity=shaped("title", "held_on", "tenths"),
        declaration=shaped("title", "organiser", "held_on", "tenths"),
        attendance=shaped("trainee_id"),
        value=scalars,
    )
    def run(lecture, hosting, review, activity, declaration, attendance, value):
        r = client.post(f"{T}/lectures", json=lecture, headers=centre)
        check(r)
        h = client.post(f"{T}/hosting-applications", json=hosting, headers=me)
        check(h)
        if h.status_code == 201:
            check(client.post(f"{T}/hosting-applications/{h.json()['id']}/review", json=review, headers=school))
            check(client.post(f"{T}/hosting-applications/{h.json()['id']}/schedule", json=lecture, headers=centre))
        check(client.post(f"{T}/offline-activities", json=activity, headers=school))
        check(client.post(f"{T}/declarations", json=declaration, headers=me))
        if r.status_code == 201:
            check(client.post(f"{T}/lectures/{r.json()['id']}/attendance", json=attendance, headers=centre))
        check(client.get(f"{T}/hosting-applications", params={"status": str(value)[:20]}, headers=school))

    run()
