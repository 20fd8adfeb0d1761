"""为学生分配考点 (requirements/teaching.md §3): given a learner, when assigning a default exam site, then
the site's code and name are kept, it may be changed, and a transfer makes it invalid until the
new teaching point assigns one."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from domains.shared.errors import DomainError
from domains.teaching.common import LearnerFacts
from domains.teaching.exam_sites import ExamSiteAssignment, assign_exam_site
from tests.domains.gwt import created, given, refused, then, when

AT = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)
TP, OTHER_TP = uuid.uuid4(), uuid.uuid4()
LEARNER = LearnerFacts(uuid.uuid4(), "王芳", "2632101000001", TP, "enrolled")


def assigned() -> ExamSiteAssignment:
    return given(ExamSiteAssignment, ("Assigned", {
        "learner_id": LEARNER.learner_id, "teaching_point_id": TP, "site_code": "KD01", "site_name": "玄武考点",
        "assigned_at": AT,
    }))


def test_a_default_exam_site_is_recorded_by_code_and_name():
    site, events = created(lambda: ExamSiteAssignment.assign(LEARNER, " KD01 ", " 玄武考点 ", AT))
    then(events, ("Assigned", {"site_code": "KD01", "site_name": "玄武考点", "teaching_point_id": TP}))
    assert site.id == ExamSiteAssignment.create_id(LEARNER.learner_id)


@pytest.mark.parametrize(
    ("code", "name", "field"), [("", "玄武考点", "site_code"), ("KD01", "  ", "site_name"), ("K" * 21, "玄武考点", "site_code")]
)
def test_code_and_name_are_required(code, name, field):
    with pytest.raises(DomainError) as info:
        ExamSiteAssignment.assign(LEARNER, code, name, AT)
    assert info.value.kind == "invalid" and info.value.details["field"] == field


def test_a_withdrawn_learner_gets_no_site():
    with pytest.raises(DomainError) as info:
        ExamSiteAssignment.assign(replace(LEARNER, status="withdrawn"), "KD01", "玄武考点", AT)
    assert info.value.code == "learner.not_enrolled"


def test_the_site_may_be_changed_and_the_change_is_recorded():
    site = assigned()
    then(when(site, lambda s: s.reassign(LEARNER, "KD02", "珠江路考点", AT)),
         ("Reassigned", {"site_code": "KD02", "site_name": "珠江路考点", "previous_site_code": "KD01"}))
    refused(site, lambda s: s.reassign(LEARNER, "KD02", "珠江路考点", AT), "exam_site_assignment.unchanged")


def test_after_a_transfer_the_new_teaching_point_assigns_a_site_again():
    site = assigned()
    moved = replace(LEARNER, teaching_point_id=OTHER_TP)
    assert not site.is_valid_for(OTHER_TP)
    # even the same code is a new assignment, by the new teaching point
    then(when(site, lambda s: s.reassign(moved, "KD01", "玄武考点", AT)), ("Reassigned", {"teaching_point_id": OTHER_TP}))
    assert site.is_valid_for(OTHER_TP)
    assert assign_exam_site(site, moved, "KD09", "鼓楼考点", AT) is site
