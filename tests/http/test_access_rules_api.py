"""Who may read and start what: the auditor reads everything (the training platform included)
and starts nothing; trainees read only the training platform; a school's administrator asking
for another school's people is told it does not exist."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import func, select

from infrastructure.jobs import bulk_jobs
from tests.http.api_helpers import API, login_as, ok, problem
from tests.http.selection_support import learner
from tests.http.test_certificate_pdf_download import issue
from tests.http.test_training_certificates_api import CERTS
from tests.http.training_support import T
from tests.photo_support import jpeg


def _lecture_with_a_sign_up(client, login) -> str:
    lecture = ok(client.post(f"{T}/lectures", headers=login("wangpei"), json={
        "origin": "centre", "title": "高校教师数字素养提升", "speaker": "张教授", "starts_at": "2026-09-10T19:00",
        "duration_minutes": 90}), 201)
    ok(client.post(f"{T}/lectures/{lecture['id']}/sign-up", headers=login_as(client, "teacher1")), 204)
    return lecture["id"]


def test_the_auditor_reads_the_training_platforms_schools_members_courses_hours_and_lecture_sign_ups(
    client, login, training
):
    auditor = login("shenji")
    lecture_id = _lecture_with_a_sign_up(client, login)
    teacher_id = ok(client.get(f"{API}/me", headers=login_as(client, "teacher1")))["id"]

    schools = ok(client.get(f"{T}/schools", headers=auditor))
    assert {s["id"] for s in schools} == {training.school, training.other_school}
    assert "campus_ranges" in ok(client.get(f"{T}/schools/{training.other_school}", headers=auditor))
    members = ok(client.get(f"{T}/schools/{training.school}/members", headers=auditor))
    assert {"teacher1", "teacher2", "nsd_admin"} <= {m["username"] for m in members}
    titles = {c["title"] for c in ok(client.get(f"{T}/courses", headers=auditor))["items"]}
    assert {"课程思政建设", "本校教学信息化"} <= titles  # the school-based course of a school, too
    assert ok(client.get(f"{T}/courses/{training.courses['school']['id']}", headers=auditor))["chapters"]
    assert ok(client.get(f"{T}/trainees/{teacher_id}/hours", headers=auditor))["trainee_id"] == teacher_id
    assert [s["username"] for s in ok(client.get(f"{T}/lectures/{lecture_id}/sign-ups", headers=auditor))] == ["teacher1"]


def test_the_auditor_reads_a_certificate_pdf_without_it_counting_as_a_download(client, world, tw, who):
    serial = issue(client, tw, who)

    response = client.get(f"{CERTS}/{serial}/pdf", headers=who("shenji"))

    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert ok(client.get(f"{CERTS}/{serial}", headers=who("njnu_admin")))["downloads"] == 0


def test_the_auditor_cannot_start_a_photo_export_and_nothing_is_recorded(client, login, world):
    a = learner(client, login, world, seq=1)
    ok(client.post(f"{API}/learners/{a}/photos", files={"file": ("a.jpg", jpeg(30), "image/jpeg")},
                   headers=login("xuanwu")), 201)
    container = world.container
    events = container.log.recorder.max_notification_id()
    with container.engine.connect() as conn:
        jobs = conn.execute(select(func.count()).select_from(bulk_jobs)).scalar_one()

    problem(client.post(f"{API}/learner-photos/exports", json={"naming": "id_number"}, headers=login("shenji")),
            403, "auth.role_not_allowed")

    assert container.log.recorder.max_notification_id() == events
    with container.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(bulk_jobs)).scalar_one() == jobs
    assert ok(client.get(f"{API}/learner-photos", headers=login("shenji")))["total"] == 1  # reading stays open


def test_a_trainee_reads_neither_selection_nor_exam_batches_nor_the_import_template(client, login, training):
    trainee = login_as(client, "teacher1")
    for path in ("/selection-batches", "/exam-batches", "/application-forms/imports/template"):
        problem(client.get(f"{API}{path}", headers=trainee), 403, "auth.role_not_allowed")
    ok(client.get(f"{API}/selection-batches", headers=login("xuanwu")))  # staff still read them
    assert client.get(f"{API}/application-forms/imports/template", headers=login("xuanwu")).status_code == 200


def test_a_school_administrator_asking_for_another_schools_members_gets_404(client, login, training):
    admin = login("nsd_admin")
    problem(client.get(f"{T}/schools/{training.other_school}/members", headers=admin), 404, "not_found")
    assert {m["username"] for m in ok(client.get(f"{T}/schools/{training.school}/members", headers=admin))} >= {
        "teacher1", "teacher2"}


def _filled(path: str) -> str:
    """A route's path with its parameters filled: unknown ids, which a reader is told do not
    exist (404) only after the role check has let them through."""
    path = re.sub(r"\{[^}:]+:uuid\}", str(uuid.uuid4()), path)
    path = re.sub(r"\{[^}:]+:int\}", "1", path)
    return re.sub(r"\{[^}:]+:str\}", "x", path)


def test_the_auditor_is_refused_no_read_anywhere_in_the_api(client, login, world):
    auditor = login("shenji")
    reads = sorted({r.path for r in client.app.routes if r.path.startswith(API) and "GET" in getattr(r, "methods", ())})
    assert len(reads) > 60  # every GET route of the API, not a sample

    refused = [path for path in reads if client.get(_filled(path), headers=auditor).status_code in (401, 403)]

    assert refused == []
