"""A programme's course list with suggested semesters (requirements/curriculum.md §2)."""

from __future__ import annotations

import uuid

import pytest

from domains.curriculum.course import Course
from domains.curriculum.programme_curriculum import ProgrammeCurriculum
from tests.domains.gwt import created, error_code, given, refused, then, when

PROGRAMME = uuid.UUID("00000000-0000-0000-0000-0000000a0001")


def course(name="管理会计", levels=("undergraduate",)):
    return given(Course, ("Registered", {"code": "C" + name, "name": name, "credit_tenths": 40, "levels": list(levels)}))


def curriculum(level="undergraduate", *more):
    return given(ProgrammeCurriculum, ("Started", {"programme_id": PROGRAMME, "education_level": level}), *more)


def test_the_list_belongs_to_one_programme_and_is_found_by_its_id():
    cur, events = created(lambda: ProgrammeCurriculum.start(PROGRAMME, "高起本"))
    then(events, ("Started", {"programme_id": PROGRAMME, "education_level": "undergraduate"}))
    assert cur.id == ProgrammeCurriculum.create_id(PROGRAMME) == ProgrammeCurriculum.start(PROGRAMME, "高起本").id


def test_a_course_is_listed_with_its_suggested_semester():
    cur, c = curriculum(), course()
    then(when(cur, lambda x: x.add_course(c, "2")), ("CourseAdded", {"course_id": c.id, "suggested_semester": 2}))
    assert cur.includes(c.id) and cur.courses_in_semester(2) == [c.id] and cur.courses_in_semester(1) == []


def test_the_list_filters_by_suggested_semester():
    a, b, d = course("A"), course("B"), course("D")
    cur = curriculum(
        "undergraduate",
        ("CourseAdded", {"course_id": a.id, "suggested_semester": 1}),
        ("CourseAdded", {"course_id": b.id, "suggested_semester": 2}),
        ("CourseAdded", {"course_id": d.id, "suggested_semester": 1}),
    )
    assert cur.courses_in_semester(1) == [a.id, d.id]
    assert cur.courses_in_semester() == [a.id, b.id, d.id]


@pytest.mark.parametrize("semester", [0, 13, "x", "", -1])
def test_suggested_semester_is_1_to_12(semester):
    refused(curriculum(), lambda x: x.add_course(course(), semester), "curriculum.semester_invalid", kind="invalid")


def test_a_course_is_listed_once():
    c = course()
    cur = curriculum("undergraduate", ("CourseAdded", {"course_id": c.id, "suggested_semester": 1}))
    refused(cur, lambda x: x.add_course(c, 2), "curriculum.course_already_listed")


@pytest.mark.parametrize(
    ("programme_level", "course_levels", "fits"),
    [
        ("undergraduate", ["undergraduate"], True),
        ("junior_college", ["junior_college"], True),
        ("undergraduate", ["undergraduate", "junior_college"], True),
        ("junior_college", ["undergraduate", "junior_college"], True),
        ("undergraduate", ["junior_college"], False),
        ("junior_college", ["undergraduate"], False),
    ],
)
def test_a_course_joins_only_programmes_of_its_levels(programme_level, course_levels, fits):
    cur, c = curriculum(programme_level), course(levels=course_levels)
    if fits:
        when(cur, lambda x: x.add_course(c, 1))
    else:
        err = refused(cur, lambda x: x.add_course(c, 1), "curriculum.course_level_mismatch")
        assert "管理会计" in err.message


def test_moving_and_removing_a_course():
    c = course()
    cur = curriculum("undergraduate", ("CourseAdded", {"course_id": c.id, "suggested_semester": 1}))
    then(when(cur, lambda x: x.move_course(c.id, 3)), ("CourseMoved", {"course_id": c.id, "suggested_semester": 3}))
    assert when(cur, lambda x: x.move_course(c.id, 3)) == []
    then(when(cur, lambda x: x.remove_course(c.id)), ("CourseRemoved", {"course_id": c.id}))
    assert not cur.includes(c.id)
    refused(cur, lambda x: x.remove_course(c.id), "curriculum.course_not_listed")
    refused(cur, lambda x: x.move_course(c.id, 1), "curriculum.course_not_listed")


def test_checking_membership_names_the_course():
    err = refused(curriculum(), lambda x: x.check_includes(uuid.uuid4(), "经济法"), "curriculum.course_not_listed")
    assert "经济法" in err.message


def test_an_unknown_programme_level_cannot_start_a_list():
    assert error_code(lambda: ProgrammeCurriculum.start(PROGRAMME, "本科")) == "programme.level_invalid"
