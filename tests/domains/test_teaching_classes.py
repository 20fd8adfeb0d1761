"""班级管理 · 手动组班 (requirements/teaching.md §2): given a class, when adding, removing or moving
learners, then a learner is in at most one class per course, only learners of the teaching
point who paid the course join, there is no size limit, and after the grouping deadline every
change of members is refused."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domains.curriculum.period import SHANGHAI
from domains.shared.errors import DomainError
from domains.teaching.classes import Candidate, ClassPlacement, CourseClass, parse_deadline
from domains.teaching.common import LearnerFacts, StaffFacts
from tests.domains.gwt import created, given, refused, then, when

NOW = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)
DEADLINE = datetime(2026, 10, 31, 23, 59, 59, tzinfo=SHANGHAI)
TP, OTHER_TP, COURSE = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
WANG = LearnerFacts(uuid.uuid4(), "王芳", "2632101000001", TP, "enrolled")
LI = LearnerFacts(uuid.uuid4(), "李雷", "2632101000002", TP, "enrolled")
TUTOR = StaffFacts(uuid.uuid4(), "班主任1", frozenset({"head_teacher"}), TP, "enabled")


def formed(*members: LearnerFacts, name: str = "会计1班") -> CourseClass:
    events = [("Formed", {"teaching_point_id": TP, "course_id": COURSE, "name": name, "grouping_deadline": DEADLINE,
                          "tutor_id": None, "formed_at": NOW})]
    if members:
        events.append(("LearnersAdded", {"learner_ids": [m.learner_id for m in members]}))
    return given(CourseClass, *events)


def placed(learner: LearnerFacts, class_id: uuid.UUID) -> ClassPlacement:
    return given(ClassPlacement, ("Placed", {"learner_id": learner.learner_id, "course_id": COURSE, "class_id": class_id}),
                 id=ClassPlacement.create_id(learner.learner_id, COURSE))


def paid(*learners: LearnerFacts) -> list[Candidate]:
    return [Candidate(learner, True) for learner in learners]


def test_a_class_is_formed_with_course_name_deadline_and_an_optional_tutor():
    _, events = created(lambda: CourseClass.form(TP, COURSE, " 会计1班 ", DEADLINE, TUTOR, NOW))
    then(
        events, ("Formed", {"name": "会计1班", "course_id": COURSE, "grouping_deadline": DEADLINE, "tutor_id": TUTOR.account_id})
    )
    _, events = created(lambda: CourseClass.form(TP, COURSE, "会计2班", DEADLINE, None, NOW))
    then(events, ("Formed", {"tutor_id": None}))


@pytest.mark.parametrize(
    ("name", "deadline", "tutor", "code"),
    [
        ("", DEADLINE, None, "field.required"),
        ("会计1班", NOW - timedelta(minutes=1), None, "course_class.deadline_past"),
        ("会计1班", DEADLINE, replace(TUTOR, status="disabled"), "course_class.tutor_not_eligible"),
        ("会计1班", DEADLINE, replace(TUTOR, teaching_point_id=OTHER_TP), "course_class.tutor_not_eligible"),
        ("会计1班", DEADLINE, replace(TUTOR, roles=frozenset({"finance"})), "course_class.tutor_not_eligible"),
    ],
)
def test_forming_refuses_a_missing_name_a_past_deadline_and_an_unfit_tutor(name, deadline, tutor, code):
    with pytest.raises(DomainError) as info:
        CourseClass.form(TP, COURSE, name, deadline, tutor, NOW)
    assert info.value.code == code


def test_the_deadline_is_entered_in_beijing_time():
    assert parse_deadline("2026-10-31") == DEADLINE
    assert parse_deadline("2026-10-31 18:30") == datetime(2026, 10, 31, 18, 30, tzinfo=SHANGHAI)
    assert parse_deadline("2026-10-31T18:30:00") == datetime(2026, 10, 31, 18, 30, tzinfo=SHANGHAI)
    for bad in ("", "31/10/2026", "2026-02-30", "2026-10-31 25:00"):
        with pytest.raises(DomainError) as info:
            parse_deadline(bad)
        assert info.value.code == "course_class.deadline_malformed"


def test_adding_learners_places_each_of_them_for_the_course_and_has_no_size_limit():
    course_class = formed()
    many = [LearnerFacts(uuid.uuid4(), f"学生{i}", f"26321010{i:05d}", TP, "enrolled") for i in range(300)]
    placements = course_class.add(paid(*many), {}, NOW)
    then(course_class.collect_events(), ("LearnersAdded", {"learner_ids": [m.learner_id for m in many]}))
    assert len(course_class.members) == 300
    assert {p.id for p in placements} == {ClassPlacement.create_id(m.learner_id, COURSE) for m in many}
    assert all(p.class_id == course_class.id for p in placements)


def test_a_learner_is_in_at_most_one_class_per_course():
    other = formed(WANG, name="会计2班")
    course_class = formed()
    error = refused(course_class, lambda c: c.add(paid(WANG, LI), {WANG.learner_id: placed(WANG, other.id)}, NOW),
                    "course_class.learner_in_another_class")
    assert "王芳" in error.message and "调班" in error.message
    assert [x["student_number"] for x in error.details["learners"]] == ["2632101000001"]


def test_every_refused_learner_is_named_and_nobody_joins():
    course_class = formed(LI)
    outsider = replace(WANG, learner_id=uuid.uuid4(), name="赵六", teaching_point_id=OTHER_TP)
    unpaid = replace(WANG, learner_id=uuid.uuid4(), name="钱七")
    error = refused(course_class, lambda c: c.add([*paid(LI, outsider), Candidate(unpaid, False), *paid(WANG)], {}, NOW),
                    "course_class.already_member")
    assert [x["code"] for x in error.details["learners"]] == [
        "course_class.already_member", "course_class.other_teaching_point", "course_class.course_not_selected",
    ]
    assert "李雷" in error.message and "不属于本班级所在的教学点" in error.message and "没有缴费成功" in error.message
    assert course_class.members == {LI.learner_id}


def test_removing_a_learner_frees_them_to_be_grouped_again():
    course_class = formed(WANG)
    placement = placed(WANG, course_class.id)
    then(when(course_class, lambda c: c.remove(WANG, placement, NOW)), ("LearnerRemoved", {"learner_id": WANG.learner_id}))
    then(placement.collect_events(), ("Released", {}))
    refused(course_class, lambda c: c.remove(WANG, placement, NOW), "course_class.not_member")
    again = formed(name="会计3班")
    (same,) = again.add(paid(WANG), {WANG.learner_id: placement}, NOW)
    assert same is placement and placement.class_id == again.id
    then(placement.collect_events(), ("PlacedAgain", {"class_id": again.id}))


def test_moving_a_learner_records_both_classes_and_the_placement():
    source, target = formed(WANG), formed(name="会计2班")
    placement = placed(WANG, source.id)
    then(when(source, lambda c: c.move(WANG, target, placement, NOW)),
         ("LearnerMovedOut", {"learner_id": WANG.learner_id, "to_class_id": target.id}))
    then(target.collect_events(), ("LearnerMovedIn", {"learner_id": WANG.learner_id, "from_class_id": source.id}))
    then(placement.collect_events(), ("Moved", {"class_id": target.id}))
    assert WANG.learner_id in target.members and WANG.learner_id not in source.members


def test_moving_only_between_classes_of_the_same_course_and_teaching_point():
    source = formed(WANG)
    placement = placed(WANG, source.id)
    refused(source, lambda c: c.move(WANG, source, placement, NOW), "course_class.same_class")
    other_course = given(CourseClass, ("Formed", {"teaching_point_id": TP, "course_id": uuid.uuid4(), "name": "x",
                                                  "grouping_deadline": DEADLINE, "tutor_id": None, "formed_at": NOW}))
    refused(source, lambda c: c.move(WANG, other_course, placement, NOW), "course_class.other_course")
    refused(source, lambda c: c.move(LI, formed(name="会计2班"), placement, NOW), "course_class.not_member")


def test_after_the_grouping_deadline_members_do_not_change_but_the_class_may_be_renamed():
    late = DEADLINE + timedelta(seconds=1)
    course_class = formed(WANG)
    placement = placed(WANG, course_class.id)
    error = refused(course_class, lambda c: c.add(paid(LI), {}, late), "course_class.grouping_closed")
    assert "已过分班截止时间（2026-10-31 23:59）" in error.message
    refused(course_class, lambda c: c.remove(WANG, placement, late), "course_class.grouping_closed")
    refused(course_class, lambda c: c.move(WANG, formed(name="会计2班"), placement, late), "course_class.grouping_closed")
    # an open class cannot take a learner out of a closed one either
    assert placement.collect_events() == []
    then(when(course_class, lambda c: c.edit("会计一班", TUTOR)), ("Edited", {"name": "会计一班", "tutor_id": TUTOR.account_id}))
    refused(course_class, lambda c: c.edit("会计一班", TUTOR), "course_class.unchanged")
    course_class.add(paid(LI), {}, DEADLINE)  # the deadline's own instant still counts
