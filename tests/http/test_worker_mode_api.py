"""The API in worker mode (the production layout): read models lag behind the writes, a write's
response still shows the write, and a client that sends back `X-EduLedger-Wait-For` reads it;
a use case decides from the event store even while the read models lag."""

from __future__ import annotations

import dataclasses
import threading
import uuid

import pytest
from sqlalchemy import select

from application.exams.projection import exam_registrations
from domains.exams.registration import RegistrationStatus
from domains.finance.bill import BillStatus
from tests.http.api_helpers import API, ok, problem
from tests.http.resit_support import studied
from tests.worker_support import POSITION, STALE, WAIT_FOR, Follower, WaitingClient, caught_up, worker_settings


# Worker mode for this module: the suite's own settings and world, overridden.
@pytest.fixture
def settings(settings):
    return worker_settings(settings)


@pytest.fixture
def world(world, container):
    return caught_up(world, container)


@pytest.fixture
def follower(container, world):
    with Follower(container) as running:
        yield running


def teaching_point(client, headers, tp_id, wait_for=None):
    extra = {WAIT_FOR: wait_for} if wait_for else {}
    return client.get(f"{API}/teaching-points/{tp_id}", headers={**headers, **extra})


def test_a_write_answers_with_its_own_state_and_a_later_read_waits_for_its_position(client, world, login, follower):
    admin = login("sysadmin")
    written = client.patch(
        f"{API}/teaching-points/{world.tp['101']}/contact-details",
        json={"address": "南京市玄武区北京东路1号", "recruiters": [], "phones": [], "reason": "搬迁"}, headers=admin,
    )
    assert ok(written)["address"] == "南京市玄武区北京东路1号"  # read after the worker caught up
    assert STALE not in written.headers
    position = written.headers[POSITION]
    read = teaching_point(client, admin, world.tp["101"], wait_for=position)
    assert ok(read)["address"] == "南京市玄武区北京东路1号" and STALE not in read.headers


def test_the_read_waits_until_the_worker_reaches_the_position(client, world, login, container, monkeypatch):
    admin = login("sysadmin")
    container.organisation.set_enabled(world.actor("sysadmin"), world.tp["101"], False)  # no worker runs yet
    position = str(container.log.recorder.max_notification_id())
    assert ok(teaching_point(client, admin, world.tp["101"]))["enabled"] is True  # the read model lags

    # The worker catches up only once the read is waiting for it.
    waiting = threading.Event()
    real = container.runner.wait_for

    def wait_for(*args, **kwargs):
        waiting.set()
        return real(*args, **kwargs)

    monkeypatch.setattr(container.runner, "wait_for", wait_for)
    worker = threading.Thread(target=lambda: waiting.wait(60) and container.runner.catch_up())
    worker.start()
    read = teaching_point(client, admin, world.tp["101"], wait_for=position)
    worker.join(timeout=60)
    assert ok(read)["enabled"] is False and STALE not in read.headers


def test_a_read_that_cannot_wait_long_enough_says_it_may_be_stale(client, world, login, container):
    admin = login("sysadmin")
    container.settings = dataclasses.replace(container.settings, read_wait_seconds=0.2)
    written = client.post(f"{API}/teaching-points/{world.tp['101']}/disable", json={"reason": "停办"}, headers=admin)
    assert written.status_code == 200 and written.headers[STALE] == "1"  # no worker follows the log
    read = teaching_point(client, admin, world.tp["101"], wait_for=written.headers[POSITION])
    assert read.headers[STALE] == "1" and ok(read)["enabled"] is True  # the data as the read model has it


def test_a_malformed_or_unknown_position_is_refused(client, world, login):
    admin = login("sysadmin")
    for bad in ("abc", "-1", "1.5", "9" * 19):
        problem(teaching_point(client, admin, world.tp["101"], wait_for=bad), 422, "wait_for.invalid")
    problem(teaching_point(client, admin, world.tp["101"], wait_for="999999999"), 422, "wait_for.unknown_position")


def test_a_completed_drop_cancels_an_unpaid_resit_the_read_models_have_not_seen(client, world, login, container):
    waiting = WaitingClient(client)
    with Follower(container):  # the school's set-up, through the API as a worker-mode client
        s = studied(waiting, waiting.login, world)
    xw, jw, cw = world.actor("xuanwu"), world.actor("jiaowu"), world.actor("caiwu")

    # No worker from here on: the read models never see the resit nor the drop.
    resit = container.exams.register_resit(xw, uuid.UUID(s.course), uuid.UUID(s.resit_batch), student_number=s.student_number)
    (refund_id,) = container.enrolment.drop_courses(xw, [uuid.UUID(s.enrollment())], "转专业").refund_ids
    container.finance.approve_drop(jw, refund_id)
    container.finance.approve_refund(cw, refund_id)
    container.finance.mark_refunded(cw, refund_id, "TK2")

    assert container.store.get(resit.registration_id).registration_status is RegistrationStatus.CANCELLED
    assert container.store.get(resit.bill_id).bill_status is BillStatus.VOIDED
    with container.engine.connect() as conn:
        seen = conn.execute(select(exam_registrations.c.id).where(exam_registrations.c.id == resit.registration_id)).all()
    assert seen == []  # decided without the read model


def test_a_resit_withdrawn_before_the_read_models_saw_it_voids_its_bill(client, world, login, container):
    waiting = WaitingClient(client)
    with Follower(container):
        s = studied(waiting, waiting.login, world)
    xw = world.actor("xuanwu")
    resit = container.exams.register_resit(xw, uuid.UUID(s.course), uuid.UUID(s.resit_batch), student_number=s.student_number)
    withdrawn = container.exams.withdraw_resit(xw, resit.registration_id)
    assert withdrawn.voided_bill_ids == [resit.bill_id]
    assert container.store.get(resit.bill_id).bill_status is BillStatus.VOIDED



def test_a_log_kept_before_the_indexes_gets_them_once(client, world, login, container, monkeypatch):
    from application.indexes import backfill
    from application.learners.numbers import learner_id_by_number
    from domains.shared.aggregate import RecordIndex, UniqueKey
    from domains.shared.errors import NotFound

    # As an older release saved them: no learner's index gains an id, no student number is claimed
    # (the curriculum's indexes stay, or nothing could be selected to begin with).
    real_add = RecordIndex.add
    monkeypatch.setattr(RecordIndex, "add", lambda self, *ids: real_add(self, *ids) if self.kind == "course_batches" else None)
    monkeypatch.setattr(
        "application.admissions.service.student_number_claim",
        lambda number, learner_id: UniqueKey(kind="older_release", key=number, owner_id=learner_id),
    )
    waiting = WaitingClient(client)
    with Follower(container):
        s = studied(waiting, waiting.login, world)
        resit = container.exams.register_resit(world.actor("xuanwu"), uuid.UUID(s.course), uuid.UUID(s.resit_batch),
                                               learner_id=uuid.UUID(s.learner_id))
    monkeypatch.undo()
    container.runner.catch_up()
    resits = RecordIndex.create_id("resits", f"{s.learner_id}:{s.course}")
    assert container.store.get(resits).ids == []
    with pytest.raises(NotFound):
        learner_id_by_number(container.store, s.student_number)

    assert backfill(container.store, container.engine.connect) > 0
    assert set(container.store.get(resits).ids) == {resit.registration_id, resit.bill_id}
    assert learner_id_by_number(container.store, s.student_number) == uuid.UUID(s.learner_id)
    enrolled = container.store.get(RecordIndex.create_id("enrollments", s.learner_id)).ids
    assert set(enrolled) == {uuid.UUID(e["id"]) for e in s.selection["enrollments"]}
    assert backfill(container.store, container.engine.connect) == 0  # nothing twice


def test_a_withdrawal_asked_before_the_read_models_saw_the_selection_lists_its_courses(client, world, login, container):
    from tests.http.selection_support import learner, ready_catalogue

    waiting = WaitingClient(client)
    with Follower(container):
        catalogue = ready_catalogue(waiting, waiting.login, world)
        learner_id = learner(waiting, waiting.login, world)
        number = container.store.get(uuid.UUID(learner_id)).student_number
    # No worker from here on: the read models never see the selection.
    xw = world.actor("xuanwu")
    chosen = container.enrolment.select_courses(xw, uuid.UUID(learner_id), [uuid.UUID(c) for c in catalogue.courses.values()])
    enrollments = set(chosen.enrollment_ids)
    assert len(enrollments) == 2
    change_id = container.status_changes.request(xw, "withdrawal", "出国", student_number=number)
    assert set(container.store.get(change_id).droppable_enrollment_ids) == enrollments
