"""Courses (requirements/curriculum.md §1.2, §1.3, §1.4): status, versions, assessment requirement,
levels, credits."""

from __future__ import annotations

import pytest

from domains.curriculum.course import Course, CourseStatus, parse_credits
from domains.curriculum.levels import EducationLevel, education_level_of, parse_levels
from tests.domains.gwt import created, error_code, given, refused, then, when

REGISTERED = ("Registered", {"code": "01234", "name": "管理会计", "credit_tenths": 40, "levels": ["undergraduate"]})


def course(*more):
    return given(Course, REGISTERED, *more)


def published_course():
    return course(("Published", {}))


# -- registration, credits and levels ------------------------------------------------------------


def test_a_registered_course_is_a_draft_without_version_or_assessment():
    c, events = created(lambda: Course.register(" 01234 ", "管理会计", "4", ["本科"]))
    then(events, ("Registered", {"code": "01234", "name": "管理会计", "credit_tenths": 40, "levels": ["undergraduate"]}))
    assert c.course_status is CourseStatus.DRAFT and not c.is_published
    assert c.version_in_use is None and not c.has_approved_assessment and not c.includes_final_exam


@pytest.mark.parametrize(("raw", "tenths"), [("4", 40), (3, 30), ("2.5", 25), (" 0.5 ", 5), ("20", 200)])
def test_credits_are_kept_in_tenths(raw, tenths):
    assert parse_credits(raw) == tenths


@pytest.mark.parametrize("raw", ["0", "0.0", "20.1", "2.55", "-1", "abc", "", "1,5", "４"])
def test_credits_outside_0_1_to_20_or_finer_than_a_tenth_are_refused(raw):
    assert error_code(lambda: parse_credits(raw)) == "course.credits_invalid"


def test_credits_read_back_without_a_trailing_zero():
    assert course().credits == "4"
    assert given(Course, ("Registered", {**REGISTERED[1], "credit_tenths": 25})).credits == "2.5"


@pytest.mark.parametrize(
    ("raw", "levels"),
    [
        (["本科"], ["undergraduate"]),
        (["专科"], ["junior_college"]),
        (["专科", "本科"], ["undergraduate", "junior_college"]),  # fixed order
        (["junior_college", "本科", "undergraduate"], ["undergraduate", "junior_college"]),
    ],
)
def test_a_course_belongs_to_undergraduate_and_or_junior_college(raw, levels):
    assert parse_levels(raw) == levels


def test_a_course_needs_a_level_and_only_known_levels():
    assert error_code(lambda: Course.register("C", "课程", "3", [])) == "course.levels_required"
    assert error_code(lambda: Course.register("C", "课程", "3", ["高起专"])) == "education_level.invalid"


@pytest.mark.parametrize(
    ("programme_level", "level"),
    [
        ("专升本", EducationLevel.UNDERGRADUATE),
        ("高起本", EducationLevel.UNDERGRADUATE),
        ("高起专", EducationLevel.JUNIOR_COLLEGE),
    ],
)
def test_programme_levels_map_to_education_levels(programme_level, level):
    assert education_level_of(programme_level) is level


def test_an_unknown_programme_level_has_no_education_level():
    assert error_code(lambda: education_level_of("专升硕")) == "programme.level_invalid"


def test_changing_levels_records_only_a_real_change():
    c = course()
    assert when(c, lambda x: x.change_levels(["本科"])) == []
    then(when(c, lambda x: x.change_levels(["专科", "本科"])), ("LevelsChanged", {"levels": ["undergraduate", "junior_college"]}))


# -- status: only "published" is selectable ------------------------------------------------------


def test_publishing_makes_the_course_published():
    c = course()
    then(when(c, lambda x: x.publish()), ("Published", {}))
    assert c.is_published and c.course_status.label == "已发布"


def test_a_published_course_is_not_published_again():
    refused(published_course(), lambda x: x.publish(), "course.already_published")


def test_a_closed_course_is_no_longer_published_and_can_be_published_again():
    c = published_course()
    then(when(c, lambda x: x.close()), ("Closed", {}))
    assert not c.is_published and c.course_status is CourseStatus.CLOSED
    then(when(c, lambda x: x.publish()), ("Published", {}))


def test_only_a_published_course_is_closed():
    refused(course(), lambda x: x.close(), "course.not_published")


# -- versions: one in use -------------------------------------------------------------------------


def test_versions_are_added_and_one_is_put_in_use():
    c = course(("VersionAdded", {"version": "2024版"}))
    then(when(c, lambda x: x.add_version("2026版")), ("VersionAdded", {"version": "2026版"}))
    then(when(c, lambda x: x.use_version("2024版")), ("VersionPutInUse", {"version": "2024版"}))
    then(when(c, lambda x: x.use_version("2026版")), ("VersionPutInUse", {"version": "2026版"}))
    assert c.version_in_use == "2026版" and c.versions == ["2024版", "2026版"]


def test_version_rules():
    c = course(("VersionAdded", {"version": "2024版"}), ("VersionPutInUse", {"version": "2024版"}))
    refused(c, lambda x: x.add_version("2024版"), "course.version_exists")
    refused(c, lambda x: x.use_version("2030版"), "course.unknown_version")
    refused(c, lambda x: x.use_version("2024版"), "course.version_already_in_use")
    refused(c, lambda x: x.add_version("  "), "field.required")


# -- assessment requirement: approved, with or without a final exam -------------------------------


def test_an_assessment_requirement_counts_only_once_approved():
    c = course()
    then(
        when(c, lambda x: x.submit_assessment(True, "形成性考核30%，终考70%")),
        ("AssessmentRequirementSubmitted", {"includes_final_exam": True, "description": "形成性考核30%，终考70%"}),
    )
    assert not c.has_approved_assessment and not c.includes_final_exam
    then(when(c, lambda x: x.approve_assessment()), ("AssessmentRequirementApproved", {}))
    assert c.has_approved_assessment and c.includes_final_exam


def test_an_assessment_without_final_exam():
    c = course(
        ("AssessmentRequirementSubmitted", {"includes_final_exam": False, "description": "100%形考"}),
        ("AssessmentRequirementApproved", {}),
    )
    assert c.has_approved_assessment and not c.includes_final_exam


def test_a_rejected_requirement_needs_a_reason_and_is_not_approved():
    c = course(("AssessmentRequirementSubmitted", {"includes_final_exam": True, "description": "终考"}))
    refused(c, lambda x: x.reject_assessment(""), "field.required", kind="invalid")
    then(
        when(c, lambda x: x.reject_assessment("比例不符合要求")), ("AssessmentRequirementRejected", {"reason": "比例不符合要求"})
    )
    assert not c.has_approved_assessment


def test_the_approved_requirement_stays_in_force_while_a_new_one_is_reviewed():
    c = course(
        ("AssessmentRequirementSubmitted", {"includes_final_exam": True, "description": "终考"}),
        ("AssessmentRequirementApproved", {}),
        ("AssessmentRequirementSubmitted", {"includes_final_exam": False, "description": "全部形考"}),
    )
    assert c.has_approved_assessment and c.includes_final_exam
    when(c, lambda x: x.reject_assessment("不同意"))
    assert c.has_approved_assessment and c.includes_final_exam
    when(c, lambda x: x.submit_assessment(False, "全部形考"))
    when(c, lambda x: x.approve_assessment())
    assert c.has_approved_assessment and not c.includes_final_exam


def test_assessment_review_rules():
    refused(course(), lambda x: x.approve_assessment(), "course.no_assessment_pending")
    refused(course(), lambda x: x.reject_assessment("原因"), "course.no_assessment_pending")
    pending = course(("AssessmentRequirementSubmitted", {"includes_final_exam": True, "description": "终考"}))
    refused(pending, lambda x: x.submit_assessment(False, "另一份"), "course.assessment_pending")
