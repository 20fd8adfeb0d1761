"""Concurrent commands on one aggregate: one winner, a conflict for the other, no lost event."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import func, select, text

from application.audit.projection import audit_log
from application.learners.projection import learners
from domains.learners.learner import StudentNumberSequence
from domains.shared.errors import DomainError
from infrastructure.audit_chain import verify_log
from interfaces.http.errors import STATUS_BY_KIND
from tests.support import applicant


class RaceAtSave:
    """Holds every thread's first save until all of them have loaded what they need, so the
    saves really race (no thread may finish before the other has read the same versions)."""

    def __init__(self, store: Any, parties: int) -> None:
        self.store = store
        self.original = store.save
        self.barrier = threading.Barrier(parties)
        self.local = threading.local()

    def __enter__(self) -> RaceAtSave:
        def save(*aggregates: Any) -> int:
            if not getattr(self.local, "raced", False):
                self.local.raced = True
                self.barrier.wait(timeout=30)
            return self.original(*aggregates)

        self.store.save = save
        return self

    def __exit__(self, *exc: Any) -> None:
        self.store.save = self.original


def run_together(*calls: Any) -> list[tuple[str, Any]]:
    results: list[tuple[str, Any]] = [("pending", None)] * len(calls)

    def run(i: int, call: Any) -> None:
        try:
            results[i] = ("ok", call())
        except BaseException as exc:  # inspected by the test
            results[i] = ("error", exc)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    return results


def stored_versions(container: Any, aggregate_id: Any) -> list[int]:
    table = container.log.recorder.events_table_name
    oid = aggregate_id if container.engine.dialect.name == "postgresql" else aggregate_id.hex
    with container.engine.connect() as conn:
        return sorted(
            conn.execute(text(f"SELECT originator_version FROM {table} WHERE originator_id = :o"), {"o": oid}).scalars()
        )


def test_two_reviewers_approving_the_same_form_give_one_learner_and_one_conflict(world):
    c = world.container
    form_id = c.admissions.enter_form(world.actor("xuanwu"), admission_batch_id=world.admission_batch,
                                      programme_id=world.programmes["accounting"], applicant=applicant(1))
    jiaowu = world.actor("jiaowu")
    with RaceAtSave(c.store, 2):
        results = run_together(lambda: c.admissions.approve_form(jiaowu, form_id, "甲"),
                               lambda: c.admissions.approve_form(jiaowu, form_id, "乙"))

    wins = [value for outcome, value in results if outcome == "ok"]
    losses = [value for outcome, value in results if outcome == "error"]
    assert wins == ["263210100001"], results
    assert len(losses) == 1 and isinstance(losses[0], DomainError), results
    assert losses[0].code in ("application_form.not_awaiting_review", "concurrency.conflict")
    assert STATUS_BY_KIND[losses[0].kind] == 409

    # Exactly one Learner, one approval, one number issued; nothing lost, nothing doubled.
    form = c.store.get(form_id)
    assert form.status == "approved" and form.version == 2
    assert stored_versions(c, form_id) == [1, 2]
    assert c.store.get(form.learner_id).student_number == "263210100001"
    sequence = c.store.get(StudentNumberSequence.create_id(2026, "101"))
    assert sequence.last == 1
    with c.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(learners)).scalar_one() == 1
        history = conn.execute(select(audit_log.c.event_type).where(audit_log.c.originator_id == form_id)
                               .order_by(audit_log.c.version)).scalars().all()
    assert history == ["Entered", "Approved"]
    assert verify_log(c.engine)[1] == []


def test_two_approvals_of_different_forms_at_one_teaching_point_both_win_with_distinct_numbers(world):
    """They race on the teaching point's number sequence; the loser retries and takes the next number."""
    c = world.container
    xuanwu, jiaowu = world.actor("xuanwu"), world.actor("jiaowu")
    forms = [c.admissions.enter_form(xuanwu, admission_batch_id=world.admission_batch,
                                     programme_id=world.programmes["accounting"], applicant=applicant(s)) for s in (1, 2)]
    with RaceAtSave(c.store, 2):
        results = run_together(*(lambda f=f: c.admissions.approve_form(jiaowu, f) for f in forms))
    assert [outcome for outcome, _ in results] == ["ok", "ok"], results
    assert sorted(value for _, value in results) == ["263210100001", "263210100002"]
    assert c.store.get(StudentNumberSequence.create_id(2026, "101")).last == 2
    with c.engine.connect() as conn:
        numbers = conn.execute(select(learners.c.student_number).order_by(learners.c.student_number)).scalars().all()
    assert numbers == ["263210100001", "263210100002"]


def test_two_edits_of_one_teaching_point_at_once_give_one_winner_and_a_conflict(world):
    c = world.container
    tp = world.tp["101"]
    xuanwu, sysadmin = world.actor("xuanwu"), world.actor("sysadmin")
    with RaceAtSave(c.store, 2):
        results = run_together(
            lambda: c.organisation.edit_contact_details(xuanwu, tp, "地址甲", ["甲"], ["13800000001"]),
            lambda: c.organisation.edit_contact_details(sysadmin, tp, "地址乙", ["乙"], ["13800000002"]),
        )
    outcomes = sorted(outcome for outcome, _ in results)
    assert outcomes == ["error", "ok"], results
    error = next(value for outcome, value in results if outcome == "error")
    assert isinstance(error, DomainError) and error.code == "concurrency.conflict"
    assert STATUS_BY_KIND[error.kind] == 409
    point = c.store.get(tp)
    assert point.version == 2 and point.address in ("地址甲", "地址乙")
    assert stored_versions(c, tp) == [1, 2]
