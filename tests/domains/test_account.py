"""Accounts (requirements/identity.md §1.1, §2, §3): password policy, personal info, roles, status."""

from __future__ import annotations

import inspect
import uuid

import pytest

from domains.identity.account import Account, AccountKind, check_password_policy
from domains.shared.errors import InvalidInput
from domains.shared.values import Role
from tests.domains.gwt import created, error_code, given, refused, then, when
from tests.support import make_id_number

TP = uuid.UUID("00000000-0000-0000-0000-000000000101")


def registered(**overrides):
    data = {
        "kind": "unified_identity",
        "username": "xuanwu",
        "name": "李老师",
        "gender": None,
        "id_number": None,
        "mobile": None,
        "email": None,
        "teaching_point_id": TP,
        "position": "招生专员",
        "roles": ["teaching_point_admin"],
        "password_hash": "hash-1",
        "learner_id": None,
    }
    data.update(overrides)
    return ("Registered", data)


# -- password policy (requirements/identity.md §2.2) --------------------------------------


@pytest.mark.parametrize("password", ["abc123", "A1b2C3d4E5f6G7h8I9", "123456", "abcdef", "Secret2026"])
def test_passwords_of_6_to_18_letters_or_digits_typed_twice_are_accepted(password):
    check_password_policy(password, password)


@pytest.mark.parametrize(
    "password",
    ["abc12", "A1b2C3d4E5f6G7h8I9x", "abc 123", "abc_123", "密码abc123", "abc-123", "", "abc123\n"],
)
def test_passwords_outside_the_policy_are_refused(password):
    with pytest.raises(InvalidInput) as info:
        check_password_policy(password, password)
    assert info.value.code == "password.policy"
    assert info.value.details["field"] == "new_password"


def test_a_confirmation_that_differs_is_refused():
    with pytest.raises(InvalidInput) as info:
        check_password_policy("abc123", "abc124")
    assert info.value.code == "password.mismatch"
    assert info.value.details["field"] == "confirm_password"


# -- registration and roles ---------------------------------------------------------------


def test_teaching_point_staff_registers_with_teaching_point_roles():
    account, events = created(
        lambda: Account.register_staff(
            username="mentor1",
            name="吴导师",
            roles=[Role.ACADEMIC_MENTOR, Role.HEAD_TEACHER],
            password_hash="h",
            teaching_point_id=TP,
            mobile="13912345678",
            email="wu@example.edu.cn",
        )
    )
    then(
        events,
        (
            "Registered",
            {
                "username": "mentor1",
                "roles": ["academic_mentor", "head_teacher"],
                "teaching_point_id": TP,
                "kind": "unified_identity",
                "mobile": "13912345678",
                "password_hash": "h",
            },
        ),
    )
    assert account.is_active


def test_school_staff_registers_without_a_teaching_point():
    _, events = created(
        lambda: Account.register_staff(
            username="root", name="管理员", roles=[Role.SYSTEM_ADMIN], password_hash="h",
            teaching_point_id=None, kind=AccountKind.LOCAL,
        )
    )
    then(events, ("Registered", {"kind": "local", "teaching_point_id": None, "roles": ["system_admin"]}))


@pytest.mark.parametrize(
    ("roles", "teaching_point_id", "code"),
    [
        ([Role.TEACHING_POINT_ADMIN], None, "roles.needs_teaching_point"),
        ([Role.HEAD_TEACHER, Role.ACADEMIC_AFFAIRS], None, "roles.needs_teaching_point"),
        ([Role.FINANCE], TP, "roles.school_only"),
        ([Role.TEACHING_POINT_ADMIN, Role.AUDITOR], TP, "roles.school_only"),
        ([Role.LEARNER], None, "roles.learner_not_staff"),
        ([Role.LEARNER], TP, "roles.school_only"),
    ],
)
def test_roles_must_fit_the_teaching_point(roles, teaching_point_id, code):
    assert error_code(
        lambda: Account.register_staff(
            username="someone", name="某人", roles=roles, password_hash="h", teaching_point_id=teaching_point_id
        )
    ) == code


def test_editing_roles_also_must_fit_the_teaching_point():
    account = given(Account, registered())
    refused(account, lambda a: a.edit_staff_details("财务", [Role.FINANCE]), "roles.school_only", kind="invalid")
    then(
        when(account, lambda a: a.edit_staff_details(" 班主任 ", [Role.HEAD_TEACHER])),
        ("StaffDetailsEdited", {"position": "班主任", "roles": ["head_teacher"]}),
    )


@pytest.mark.parametrize("username", ["ab", "有中文", "a b c", "x" * 33])
def test_malformed_usernames_are_refused(username):
    assert error_code(
        lambda: Account.register_staff(
            username=username, name="某人", roles=[Role.HEAD_TEACHER], password_hash="h", teaching_point_id=TP
        )
    ) == "username.malformed"


# -- personal info (requirements/identity.md §2.1) ----------------------------------------


def test_only_name_gender_id_number_mobile_and_email_are_editable():
    params = list(inspect.signature(Account.edit_personal_info).parameters)
    assert params == ["self", "name", "gender", "id_number", "mobile", "email"]
    id_number = make_id_number("19850612", seq=7)
    account = given(Account, registered())
    events = when(
        account, lambda a: a.edit_personal_info("李娟", "female", id_number.lower(), "13812345678", "lj@example.cn")
    )
    then(
        events,
        (
            "PersonalInfoEdited",
            {
                "name": "李娟",
                "gender": "female",
                "id_number": id_number.upper(),
                "mobile": "13812345678",
                "email": "lj@example.cn",
            },
        ),
    )
    # Username, teaching point, position and roles are untouched.
    assert (account.username, account.teaching_point_id, account.position, account.roles) == (
        "xuanwu", TP, "招生专员", ["teaching_point_admin"]
    )


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"name": ""}, "field.required"),
        ({"gender": "unknown"}, "gender.invalid"),
        ({"id_number": "320102199003150012"}, "id_number.bad_check_digit"),
        ({"mobile": "23912345678"}, "mobile.malformed"),
        ({"email": "not-an-email"}, "email.malformed"),
    ],
)
def test_personal_info_is_validated(fields, code):
    values = {"name": "李娟", "gender": None, "id_number": None, "mobile": None, "email": None, **fields}
    account = given(Account, registered())
    refused(account, lambda a: a.edit_personal_info(**values), code, kind="invalid")


# -- status ------------------------------------------------------------------------------


def test_disable_and_enable_are_status_events_and_repeats_are_refused():
    account = given(Account, registered())
    refused(account, lambda a: a.enable(), "account.already_enabled")
    then(when(account, lambda a: a.disable()), ("StatusSet", {"status": "disabled"}))
    assert not account.is_active
    refused(account, lambda a: a.disable(), "account.already_disabled")
    then(when(account, lambda a: a.enable()), ("StatusSet", {"status": "enabled"}))


def test_a_deleted_account_can_no_longer_be_edited():
    account = given(Account, registered())
    then(when(account, lambda a: a.delete()), ("StatusSet", {"status": "deleted"}))
    deleted = given(Account, registered(), ("StatusSet", {"status": "deleted"}))
    refused(deleted, lambda a: a.edit_personal_info("新名字", None, None, None, None), "account.deleted")
    refused(deleted, lambda a: a.change_password("h2"), "account.deleted")
    refused(deleted, lambda a: a.edit_staff_details(None, [Role.HEAD_TEACHER]), "account.deleted")
    refused(deleted, lambda a: a.enable(), "account.deleted")
    refused(deleted, lambda a: a.disable(), "account.deleted")
    refused(deleted, lambda a: a.delete(), "account.deleted")


def test_password_change_records_only_the_new_hash():
    account = given(Account, registered())
    then(when(account, lambda a: a.change_password("hash-2")), ("PasswordChanged", {"password_hash": "hash-2"}))
    assert account.password_hash == "hash-2"


def test_learner_account_is_local_with_the_learner_role_and_student_number_as_username():
    learner_id = uuid.uuid4()
    _, events = created(
        lambda: Account.register_learner(
            student_number="263210100001", name="王小明", learner_id=learner_id, teaching_point_id=TP,
            password_hash="h", mobile="13900000001",
        )
    )
    then(
        events,
        (
            "Registered",
            {
                "kind": "local",
                "username": "263210100001",
                "roles": ["learner"],
                "learner_id": learner_id,
                "teaching_point_id": TP,
            },
        ),
    )
