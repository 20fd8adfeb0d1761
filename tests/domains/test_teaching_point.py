"""Teaching points (requirements/organisation.md §1): code, name, address, recruiters and phones, enabled."""

from __future__ import annotations

import pytest

from domains.organisation.teaching_point import TeachingPoint
from domains.shared.errors import InvalidInput
from tests.domains.gwt import created, error_code, given, refused, then, when

REGISTERED = (
    "Registered",
    {
        "code": "101",
        "name": "玄武学习中心",
        "address": "南京市玄武区",
        "recruiters": ["李娟"],
        "phones": ["025-84321234"],
    },
)


def test_register_splits_recruiters_and_phones_typed_with_ascii_or_chinese_commas():
    point, events = created(
        lambda: TeachingPoint.register(
            " 101 ",
            "玄武学习中心",
            "南京市玄武区北京东路41号",
            "李娟，陈刚,王芳、 赵强 ",
            "025-84321234，13912345678,0512-6688888",
        )
    )
    then(
        events,
        (
            "Registered",
            {
                "code": "101",
                "name": "玄武学习中心",
                "address": "南京市玄武区北京东路41号",
                "recruiters": ["李娟", "陈刚", "王芳", "赵强"],
                "phones": ["025-84321234", "13912345678", "0512-6688888"],
            },
        ),
    )
    assert point.enabled


def test_register_accepts_lists_and_ignores_empty_entries():
    _, events = created(lambda: TeachingPoint.register("102", "鼓楼学习中心", None, ["周敏", " ", ""], "025-83456789,,"))
    then(events, ("Registered", {"recruiters": ["周敏"], "phones": ["025-83456789"], "address": None}))


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("1", "教学点", None, "", ""), "code.malformed"),
        (("10-1", "教学点", None, "", ""), "code.malformed"),
        (("101", "  ", None, "", ""), "field.required"),
        (("101", "教学点", None, "李娟", "12345"), "phone.malformed"),
        (("101", "教学点", None, "李娟", "025-8432123x"), "phone.malformed"),
        (("101", "教学点", None, ",".join(f"人{i}" for i in range(21)), ""), "recruiters.too_many"),
    ],
)
def test_register_refuses_malformed_input(args, code):
    assert error_code(lambda: TeachingPoint.register(*args)) == code


def test_edit_contact_details_replaces_address_recruiters_and_phones():
    point = given(TeachingPoint, REGISTERED)
    events = when(point, lambda p: p.edit_contact_details("南京市玄武区珠江路1号", "陈刚，王芳", "13912345678"))
    then(
        events,
        (
            "ContactDetailsEdited",
            {"address": "南京市玄武区珠江路1号", "recruiters": ["陈刚", "王芳"], "phones": ["13912345678"]},
        ),
    )
    assert point.recruiters == ["陈刚", "王芳"]
    assert point.code == "101" and point.name == "玄武学习中心"  # not the teaching point's to edit


def test_edit_contact_details_with_a_bad_phone_changes_nothing():
    point = given(TeachingPoint, REGISTERED)
    with pytest.raises(InvalidInput) as info:
        point.edit_contact_details("新地址", "陈刚", "not-a-phone")
    assert info.value.code == "phone.malformed"
    assert point.collect_events() == [] and point.address == "南京市玄武区"


def test_disable_then_enable():
    point = given(TeachingPoint, REGISTERED)
    then(when(point, lambda p: p.disable()), ("Disabled", {}))
    assert not point.enabled
    then(when(point, lambda p: p.enable()), ("Enabled", {}))
    assert point.enabled


def test_disabling_twice_is_refused():
    point = given(TeachingPoint, REGISTERED, ("Disabled", {}))
    refused(point, lambda p: p.disable(), "teaching_point.already_disabled", kind="conflict")


def test_enabling_an_enabled_point_is_refused():
    point = given(TeachingPoint, REGISTERED, ("Disabled", {}), ("Enabled", {}))
    refused(point, lambda p: p.enable(), "teaching_point.already_enabled", kind="conflict")


def test_a_disabled_point_cannot_admit():
    point = given(TeachingPoint, REGISTERED, ("Disabled", {}))
    refused(point, lambda p: p.check_can_admit(), "teaching_point.disabled")
    given(TeachingPoint, REGISTERED).check_can_admit()  # an enabled one can


def test_list_entries_typed_with_commas_are_split_too():
    # Otherwise "李娟，陈刚" would be one recruiter in the event and two wherever the list is joined.
    _, events = created(
        lambda: TeachingPoint.register("103", "江宁学习中心", None, ["李娟，陈刚", "王芳"], ["025-84321234,13912345678"])
    )
    then(events, ("Registered", {"recruiters": ["李娟", "陈刚", "王芳"], "phones": ["025-84321234", "13912345678"]}))
