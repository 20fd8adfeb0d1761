"""Invalid input never yields a 500: random JSON bodies and query parameters against the main
endpoints (property-based, Hypothesis). Every refusal is problem+json with a code."""

from __future__ import annotations

import os
import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.http.api_helpers import API, PROBLEM, entered, problem
from tests.support import applicant, make_id_number

FUZZ = settings(
    max_examples=int(os.environ.get("EDULEDGER_FUZZ_EXAMPLES", "60")),  # raise it for a deeper search
    deadline=None,
    database=None,  # nothing written to the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Any JSON value.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)

# Strings that reach past type checks into the domain rules: near-valid values, edge cases, junk.
tricky_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from([
        "", " ", "\x00", "a\x00b", "\n", "null", "0", "-1", "9" * 40, "1e309", "NaN", "' OR 1=1 --", "<script>",
        "2026-02-30", "2026-09-01", "9999-12-31", "0001-01-01", "2026-09-01T00:00:00+08:00", "13912345678",
        make_id_number(seq=7), make_id_number(seq=7)[:-1] + "0", "11010519491231002x", "高中", "大专", "专升本",
        "teaching_point_admin", "system_admin", "learner", "secret123", "abc123", "李" * 300,
        str(uuid.UUID(int=0)), "../../etc/passwd", "%00", "\ud7ff", "\U0001f600" * 5,
    ]),
)
scalars = st.one_of(tricky_text, st.integers(min_value=-(2**70), max_value=2**70), st.none(), st.booleans(),
                    st.floats(allow_nan=False, allow_infinity=False), st.lists(tricky_text, max_size=3))


def shaped(*fields: str, nested: dict[str, Any] | None = None) -> st.SearchStrategy[Any]:
    """Bodies with the endpoint's own field names (so they pass the first checks), random values,
    some fields missing; or any JSON at all."""
    members = dict.fromkeys(fields, scalars)
    for name, strategy in (nested or {}).items():
        members[name] = st.one_of(strategy, scalars)
    return st.one_of(st.fixed_dictionaries({}, optional=members), json_values)


APPLICANT = shaped(*applicant(1).keys(), "email", "occupation", "prior_major", "original_name", "original_id_number")


def check(response: Any) -> None:
    assert response.status_code < 500, (response.status_code, response.text)
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith(PROBLEM), response.headers["content-type"]
        body = response.json()
        assert body["status"] == response.status_code and body["code"], body


def post_json(client: Any, url: str, body: Any, headers: dict[str, str]) -> Any:
    return client.post(url, json=body, headers=headers)


def test_public_and_login_endpoints(client, world):
    @FUZZ
    @given(
        login=shaped("username", "password"),
        quick=shaped("name", "mobile", "intended_major", "teaching_point_id"),
        activation=shaped("student_number", "id_number", "password", "confirm_password"),
    )
    def run(login, quick, activation):
        check(post_json(client, f"{API}/auth/login", login, {}))
        check(post_json(client, f"{API}/public/quick-registrations", quick, {}))
        check(post_json(client, f"{API}/auth/learner-activation", activation, {}))

    run()


def test_organisation_and_identity_endpoints(client, world, login):
    sysadmin, xuanwu = login("sysadmin"), login("xuanwu")

    @FUZZ
    @given(
        point=shaped("code", "name", "address", "recruiters", "phones"),
        contact=shaped("address", "recruiters", "phones", "reason"),
        account=shaped("username", "name", "roles", "password", "confirm_password", "teaching_point_id", "kind",
                       "position", "gender", "id_number", "mobile", "email"),
        me=shaped("name", "gender", "id_number", "mobile", "email"),
        password=shaped("current_password", "new_password", "confirm_password"),
        staff=shaped("roles", "position", "reason"),
        as_admin=st.booleans(),
    )
    def run(point, contact, account, me, password, staff, as_admin):
        headers = sysadmin if as_admin else xuanwu
        check(post_json(client, f"{API}/teaching-points", point, headers))
        check(client.patch(f"{API}/teaching-points/{world.tp['101']}/contact-details", json=contact, headers=headers))
        check(post_json(client, f"{API}/accounts", account, headers))
        check(client.patch(f"{API}/accounts/{world.accounts['caiwu']}", json=staff, headers=headers))
        check(client.patch(f"{API}/me", json=me, headers=headers))
        check(post_json(client, f"{API}/me/password", password, login("caiwu")))

    run()


def test_admissions_endpoints(client, world, login):
    xuanwu, jiaowu = login("xuanwu"), login("jiaowu")
    waiting = client.post(f"{API}/public/quick-registrations",
                          json={"name": "张三", "mobile": "13912345678", "intended_major": "会计",
                                "teaching_point_id": str(world.tp["101"])}).json()["id"]
    form = entered(client, xuanwu, world, seq=90)["id"]
    ids = st.sampled_from([str(world.admission_batch), str(world.programmes["accounting"]), str(world.tp["101"]),
                           str(uuid.UUID(int=0)), "not-a-uuid"])

    @FUZZ
    @given(
        form_body=shaped("admission_batch_id", "programme_id", "teaching_point_id", nested={
            "applicant": APPLICANT, "admission_batch_id": ids, "programme_id": ids}),
        completion=shaped("admission_batch_id", "programme_id", nested={
            "applicant": APPLICANT, "admission_batch_id": ids, "programme_id": ids}),
        review=shaped("comment"),
        approvals=shaped("form_ids", "comment", nested={"form_ids": st.lists(ids | st.just(form), max_size=4)}),
        batch=shaped("code", "name", "study_batch_id", "opens_on", "closes_on", nested={"study_batch_id": ids}),
        programme=shaped("code", "level", "learner_type", "learner_source", "major", "length_of_schooling",
                         "teaching_point_ids"),
    )
    def run(form_body, completion, review, approvals, batch, programme):
        check(post_json(client, f"{API}/application-forms", form_body, xuanwu))
        check(post_json(client, f"{API}/application-forms/{waiting}/completion", completion, xuanwu))
        check(post_json(client, f"{API}/application-forms/{form}/rejection", review, jiaowu))
        check(post_json(client, f"{API}/application-forms/approvals", approvals, jiaowu))
        check(post_json(client, f"{API}/admission-batches", batch, jiaowu))
        check(post_json(client, f"{API}/programmes", programme, jiaowu))

    run()


def test_list_filters_and_audit_queries(client, world, login):
    jiaowu, xuanwu, shenji = login("jiaowu"), login("xuanwu"), login("shenji")
    params = st.dictionaries(
        st.sampled_from(["page", "page_size", "study_batch_id", "level", "learner_type", "learner_source", "major",
                         "length_of_schooling", "teaching_point_id", "student_number", "name", "status", "q", "role",
                         "enabled", "version", "at", "unknown"]),
        st.one_of(tricky_text, st.integers(min_value=-(2**70), max_value=2**70).map(str)),
        max_size=6,
    )

    @FUZZ
    @given(query=params, as_tp=st.booleans())
    def run(query, as_tp):
        headers = xuanwu if as_tp else jiaowu
        for path in ("learners", "application-forms", "accounts", "teaching-points", "programmes"):
            check(client.get(f"{API}/{path}", params=query, headers=headers))
        check(client.get(f"{API}/audit/aggregates/{world.tp['101']}/state", params=query, headers=shenji))

    run()


def test_inputs_that_once_broke_the_server(client, world, login):
    """Found by the properties above: each was a 500 (the NUL ones on PostgreSQL only)."""
    jiaowu = login("jiaowu")
    r = client.get(f"{API}/learners", params={"page": str(2**62)}, headers=jiaowu)
    assert r.status_code == 200 and r.json()["items"] == [], r.text
    for page in ("99999999999999999999", "-99999999999999999999"):  # beyond 64 bits: the contract's bound
        problem(client.get(f"{API}/learners", params={"page": page}, headers=jiaowu), 422, "request.out_of_range")
    refusals = [
        client.get(f"{API}/learners", params={"name": "a\x00b"}, headers=jiaowu),
        client.post(f"{API}/auth/login", json={"username": "a\x00", "password": "x"}),
        client.post(f"{API}/public/quick-registrations",
                    json={"name": "张\x00三", "mobile": "13912345678", "intended_major": "会计"}),
        # A NUL in a reason would be stored in an event's metadata and stop every projection there.
        client.post(f"{API}/teaching-points/{world.tp['101']}/disable", json={"reason": "\x00"}, headers=login("sysadmin")),
    ]
    for r in refusals:
        check(r)
        assert (r.status_code, r.json()["code"]) == (422, "request.nul_character")
    container = world.container
    assert container.runner.position() == container.log.recorder.max_notification_id()
    assert container.store.get(world.tp["101"]).enabled
