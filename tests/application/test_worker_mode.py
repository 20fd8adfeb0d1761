"""Worker mode: projections run apart from the writes, pulling from their tracked position;
two runners catching up at once apply each event exactly once."""

from __future__ import annotations

import dataclasses
import threading

import pytest
from sqlalchemy import func, select, text

from application.admissions.projection import application_forms
from application.audit.projection import audit_log
from application.common.actor import SYSTEM
from application.organisation.projection import teaching_points
from application.projections import all_projections
from domains.admissions.application_form import ApplicationForm
from infrastructure.container import build
from infrastructure.projections import ProjectionRunner


@pytest.fixture
def worker_container(settings, clock):
    c = build(dataclasses.replace(settings, projections="worker"), clock=clock, fast_hashing=True)
    yield c
    c.close()


def count(container, table) -> int:
    with container.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def stored_events(container) -> int:
    with container.engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {container.log.recorder.events_table_name}")).scalar_one()


def test_a_save_is_not_read_until_the_runner_catches_up(worker_container):
    c = worker_container
    point = c.organisation.register_teaching_point(SYSTEM, "101", "玄武学习中心", "南京市玄武区", "李娟", "025-84321234")
    assert c.store.get(point).name == "玄武学习中心"  # in the log ...
    assert count(c, teaching_points) == 0  # ... not yet in the read model
    assert set(c.runner.positions().values()) == {0}

    assert c.runner.catch_up() == 2  # the teaching point and its code claim
    assert count(c, teaching_points) == 1
    assert set(c.runner.positions().values()) == {c.log.recorder.max_notification_id()}
    assert c.runner.catch_up() == 0  # nothing new: nothing read, nothing applied twice
    assert count(c, teaching_points) == 1 and count(c, audit_log) == 2

    c.organisation.set_enabled(SYSTEM, point, False)
    with c.engine.connect() as conn:
        assert conn.execute(select(teaching_points.c.enabled)).scalar_one() is True  # stale until caught up
    c.runner.catch_up()
    with c.engine.connect() as conn:
        assert conn.execute(select(teaching_points.c.enabled)).scalar_one() is False


def test_a_use_case_that_checks_uniqueness_sees_the_log_not_the_stale_read_model(worker_container):
    from domains.shared.errors import DomainError

    c = worker_container
    c.organisation.register_teaching_point(SYSTEM, "101", "玄武学习中心", None, "", "")
    with pytest.raises(DomainError) as info:
        c.organisation.register_teaching_point(SYSTEM, "101", "另一个", None, "", "")
    assert info.value.code == "teaching_point.code_taken"


def test_two_runners_catching_up_at_once_apply_each_event_once(worker_container):
    c = worker_container
    point = c.organisation.register_teaching_point(SYSTEM, "101", "玄武学习中心", None, "", "")
    forms = [ApplicationForm.quick_register(f"学员{i}", f"139{i:08d}", "会计", point) for i in range(120)]
    for start in range(0, len(forms), 30):
        c.store.save(*forms[start : start + 30])
    total = stored_events(c)
    assert total == 2 + 120

    # Small batches so the two runners interleave many times.
    runners = [
        ProjectionRunner(c.engine, c.log, all_projections(), batch_size=7),
        ProjectionRunner(c.engine, c.log, all_projections(), batch_size=5),
    ]
    barrier = threading.Barrier(len(runners))
    errors: list[BaseException] = []

    def run(runner: ProjectionRunner) -> None:
        try:
            barrier.wait(timeout=30)
            runner.catch_up()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(r,)) for r in runners]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert errors == [], errors

    assert count(c, application_forms) == 120
    assert count(c, teaching_points) == 1
    assert count(c, audit_log) == total  # one history row per event, none twice, none missed
    with c.engine.connect() as conn:
        distinct = conn.execute(select(func.count(func.distinct(application_forms.c.id)))).scalar_one()
    assert distinct == 120
    last = c.log.recorder.max_notification_id()
    assert set(c.runner.positions().values()) == {last}
    assert c.runner.catch_up() == 0
