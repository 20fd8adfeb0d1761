"""Invalid input to the mentor, exam-site and course-class endpoints never yields a 500: random
bodies and query parameters (property-based); every refusal is problem+json with a code."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from tests.http.api_helpers import API, ok
from tests.http.selection_support import learner, ready_catalogue
from tests.http.teaching_support import form_class, mentor
from tests.http.test_invalid_input_fuzz import FUZZ, check, scalars, shaped


def test_mentor_exam_site_and_class_endpoints(client, world, login):
    xuanwu = login("xuanwu")
    lid = learner(client, login, world)
    course = next(iter(ready_catalogue(client, login, world).courses.values()))
    class_id = ok(form_class(client, xuanwu, course, "会计1班"), 201)["id"]
    ids = st.sampled_from([lid, class_id, course, mentor(world, "xwds2"),
                           str(world.tp["101"]), str(uuid.UUID(int=0)), "not-a-uuid"])

    @FUZZ
    @given(
        assign=shaped("mentor_id", "reason"),
        batch=shaped("mentor_id", "learner_ids", nested={"learner_ids": st.lists(ids, max_size=4)}),
        site=shaped("site_code", "site_name", "reason"),
        course_class=shaped("course_id", "name", "grouping_deadline", "tutor_id", nested={"course_id": ids, "tutor_id": ids}),
        members=shaped("learner_ids", nested={"learner_ids": st.lists(ids, max_size=4)}),
        move=shaped("target_class_id", "reason"),
        params=st.dictionaries(st.sampled_from(["page", "page_size", "assignment", "mentor_id", "site_code", "student_number",
                                                "name", "status", "teaching_point_id", "course_id", "level"]),
                               scalars.map(str), max_size=4),
        target=ids,
    )
    def run(assign, batch, site, course_class, members, move, params, target):
        check(client.put(f"{API}/mentor-assignments/{target}", json=assign, headers=xuanwu))
        check(client.post(f"{API}/mentor-assignments/batch", json=batch, headers=xuanwu))
        check(client.put(f"{API}/exam-site-assignments/{target}", json=site, headers=xuanwu))
        check(client.post(f"{API}/course-classes", json=course_class, headers=xuanwu))
        check(client.post(f"{API}/course-classes/{target}/members", json=members, headers=xuanwu))
        check(client.post(f"{API}/course-classes/{target}/members/{lid}/move", json=move, headers=xuanwu))
        for path in ("mentor-assignments", "exam-site-assignments", "course-classes", f"course-classes/{target}/candidates"):
            check(client.get(f"{API}/{path}", params=params, headers=xuanwu))

    run()
