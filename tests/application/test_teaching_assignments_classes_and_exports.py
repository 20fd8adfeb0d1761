"""Mentors, classes and exam sites through the use cases: batch assignment chunk by chunk, one
learner claimed by two classes at once, exports with the list filters, and the teaching read
models rebuild from the log equal to the live ones."""

from __future__ import annotations

import uuid

import pytest

from application.common.filters import RosterFilter
from application.common.queries import Page
from application.teaching.queries import (
    class_members,
    export_exam_site_assignments,
    export_mentor_assignments,
    list_mentor_assignments,
    list_mentors,
)
from application.teaching.service import learner_facts
from domains.shared.errors import DomainError
from domains.teaching.classes import Candidate, ClassPlacement
from tests.application.workload import dump_read_models
from tests.http.resit_support import cohort
from tests.http.selection_support import learner
from tests.http.teaching_support import mentor, staff

ALL = RosterFilter()


def test_batch_assignment_goes_chunk_by_chunk_and_reports_each_learner(client, world, login):
    ids = [uuid.UUID(learner(client, login, world, seq)) for seq in range(1, 6)]
    m = uuid.UUID(mentor(world, "xwds2"))
    xuanwu = world.actor("xuanwu")
    outcomes = world.container.teaching.assign_mentor_to_learners(xuanwu, [*ids, ids[0]], m, chunk=2)
    assert [o.learner_id for o in outcomes] == ids and all(o.ok for o in outcomes)  # a repeated learner counted once
    with world.container.engine.connect() as conn:
        assert list_mentor_assignments(conn, xuanwu, Page(), ALL, assignment="unassigned").total == 0
        assert [(x["username"], x["learner_count"]) for x in list_mentors(conn, xuanwu)] == [("xwds2", 5)]


def test_the_teaching_read_models_rebuild_equal_to_the_live_ones(client, world, login):
    c = world.container
    paid = cohort(client, login, world, (1, "xuanwu"), (2, "xuanwu"))
    xuanwu = world.actor("xuanwu")
    learner_ids = [uuid.UUID(p.learner_id) for p in paid]
    first, second = uuid.UUID(mentor(world, "xwds2")), uuid.UUID(mentor(world, "xwds3"))
    c.teaching.assign_mentor_to_learners(xuanwu, learner_ids, first)
    c.teaching.assign_mentor(xuanwu, learner_ids[0], second, "学生申请更换")
    c.teaching.assign_exam_site(xuanwu, learner_ids[0], "KD01", "玄武考点")
    c.teaching.assign_exam_site(xuanwu, learner_ids[0], "KD02", "珠江路考点")
    c.teaching.assign_exam_site(xuanwu, learner_ids[1], "KD01", "玄武考点")
    course = uuid.UUID(paid[0].course)
    tutor = uuid.UUID(staff(world, "bzr1", ["head_teacher"]))
    a = c.teaching.form_class(xuanwu, course_id=course, name="会计1班", grouping_deadline="2026-10-31", tutor_id=tutor)
    b = c.teaching.form_class(xuanwu, course_id=course, name="会计2班", grouping_deadline="2026-10-31 18:00")
    c.teaching.add_to_class(xuanwu, a, learner_ids)
    c.teaching.move_learner(xuanwu, a, learner_ids[0], b, "调班")
    c.teaching.remove_from_class(xuanwu, a, learner_ids[1])
    c.teaching.add_to_class(xuanwu, b, [learner_ids[1]])
    c.teaching.edit_class(xuanwu, a, name="会计一班", tutor_id=None)

    live = dump_read_models(c)
    mine = ["rm_mentor_assignments", "rm_exam_site_assignments", "rm_course_classes", "rm_course_class_members"]
    assert [len(live[t]) for t in mine] == [2, 2, 2, 2]
    c.runner.rebuild(["teaching"])
    assert dump_read_models(c) == live
    c.runner.rebuild()
    assert dump_read_models(c) == live


def test_two_classes_claiming_one_learner_at_once_cannot_both_succeed(client, world, login):
    """The second writer read the learner as unplaced before the first saved: its save fails as
    a concurrent change, and the learner stays in the first class only."""
    c = world.container
    (paid,) = cohort(client, login, world, (1, "xuanwu"))
    xuanwu, lid, course = world.actor("xuanwu"), uuid.UUID(paid.learner_id), uuid.UUID(paid.course)
    a = c.teaching.form_class(xuanwu, course_id=course, name="会计1班", grouping_deadline="2026-10-31")
    b = c.teaching.form_class(xuanwu, course_id=course, name="会计2班", grouping_deadline="2026-10-31")
    late = c.store.get(b)
    stale = c.store.find(ClassPlacement.create_id(lid, course))  # none yet
    c.teaching.add_to_class(xuanwu, a, [lid])
    learner_record = c.store.get(lid)
    placements = late.add([Candidate(learner_facts(learner_record), True)], {lid: stale}, c.clock.now())
    with pytest.raises(DomainError) as info:
        c.store.save(late, *placements)
    assert info.value.code == "concurrency.conflict"
    with c.engine.connect() as conn:
        assert [r["learner_id"] for r in class_members(conn, xuanwu, a, Page(), ALL).items] == [lid]
        assert class_members(conn, xuanwu, b, Page(), ALL).total == 0


def test_the_exports_take_the_list_filters(client, world, login):
    c = world.container
    ids = [uuid.UUID(learner(client, login, world, seq)) for seq in (1, 2)]
    xuanwu, gulou = world.actor("xuanwu"), world.actor("gulou")
    c.teaching.assign_mentor(xuanwu, ids[0], uuid.UUID(mentor(world, "xwds2")))
    c.teaching.assign_exam_site(xuanwu, ids[1], "KD01", "玄武考点")
    with c.engine.connect() as conn:
        assert [r["learner_id"] for r in export_mentor_assignments(conn, xuanwu, ALL, assignment="unassigned")] == [ids[1]]
        assert [r["mentor_username"] for r in export_mentor_assignments(conn, xuanwu, ALL)] == ["xwds2", None]
        assert [r["site_name"] for r in export_exam_site_assignments(conn, xuanwu, ALL)] == [None, "玄武考点"]
        assert export_exam_site_assignments(conn, gulou, ALL) == []
