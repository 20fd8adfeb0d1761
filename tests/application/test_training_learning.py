"""Teacher training through the use cases on a real store: a centre course's completion credits
the ledger in the same save as the study (and only once), and the learning read models rebuild
from the log to the live tables."""

from __future__ import annotations

import uuid
from datetime import timedelta

from application.common.actor import SYSTEM, Actor
from domains.shared.values import Role
from domains.training.ledger import CertificateLedger
from domains.training.progress import CourseStudy
from interfaces.demo import load_training_demo
from tests.application.workload import dump_read_models
from tests.conftest import PASSWORD


def _trainee(container, school: uuid.UUID, username: str) -> Actor:
    account = container.training.trainees.register(
        school_id=school, address="10.8.0.9", unit_name="河海大学", username=username, name="陈老师",
        password=PASSWORD, confirm_password=PASSWORD)
    return Actor(user_id=account, username=username, name="陈老师", roles=frozenset({Role.TRAINEE}),
                 training_school_id=school)


def test_completing_a_centre_course_credits_the_ledger_with_the_study_once(container):
    t = container.training
    school = t.schools.register_school(SYSTEM, "河海大学", "10.8.0.0/16")
    course = t.learning.publish_course(SYSTEM, kind="centre", title="教学能力提升", tenths=15, summary_prompt="总结",
                                       chapters=[{"title": "一", "duration_seconds": 60}])
    me = _trainee(container, school, "chen")
    t.learning.sign_up(me, [course])
    chapter = container.store.get(course).chapters[0]["id"]
    t.learning.submit_summary(me, course, "总结")
    assert container.store.find(CertificateLedger.create_id(me.user_id)) is None  # not yet: a chapter is open
    assert t.learning.report_watched(me, course, chapter, [[0, 60]]) is True
    study = container.store.get(CourseStudy.create_id(me.user_id, course))
    ledger = container.store.get(CertificateLedger.create_id(me.user_id))
    assert [(i.source_id, i.tenths) for i in ledger.pool] == [(course, 15)]
    assert study.completed and ledger.pool[0].title == "教学能力提升"
    t.learning.report_watched(me, course, chapter, [[0, 60]])  # watching again credits nothing more
    assert container.store.get(CertificateLedger.create_id(me.user_id)).version == ledger.version


def test_learning_read_models_rebuild_to_the_live_tables(container, clock):
    load_training_demo(container)
    t = container.training
    lecture = t.lectures.schedule(SYSTEM, origin="centre", school_id=None, title="讲座", speaker="张教授",
                                  starts_at=clock.now() + timedelta(hours=1), duration_minutes=90)
    live = dump_read_models(container)
    assert live["rm_training_hours"] and live["rm_training_chapter_progress"] and live["rm_training_members"]
    assert any(r for r in live["rm_training_lectures"] if str(lecture) in str(r))
    container.runner.rebuild(["training_learning"])
    assert dump_read_models(container) == live


def test_two_reports_completing_the_last_chapter_at_once_credit_the_ledger_once(container):
    from domains.shared.errors import DomainError
    from tests.application.test_concurrent_commands_on_one_aggregate import RaceAtSave, run_together

    t = container.training
    school = t.schools.register_school(SYSTEM, "河海大学", "10.8.0.0/16")
    course = t.learning.publish_course(SYSTEM, kind="centre", title="教学能力提升", tenths=15, summary_prompt="总结",
                                       chapters=[{"title": "一", "duration_seconds": 60}])
    me = _trainee(container, school, "chen")
    t.learning.sign_up(me, [course])
    t.learning.submit_summary(me, course, "总结")
    chapter = container.store.get(course).chapters[0]["id"]
    with RaceAtSave(container.store, 2):
        results = run_together(lambda: t.learning.report_watched(me, course, chapter, [[0, 60]]),
                               lambda: t.learning.report_watched(me, course, chapter, [[0, 60]]))
    outcomes = sorted(outcome for outcome, _ in results)
    assert outcomes == ["error", "ok"], results
    assert all(isinstance(v, DomainError) for o, v in results if o == "error")
    ledger = container.store.get(CertificateLedger.create_id(me.user_id))
    assert [(i.source_id, i.tenths) for i in ledger.pool] == [(course, 15)]
    assert container.store.get(CourseStudy.create_id(me.user_id, course)).completed
