"""Staff accounts through the API (requirements/identity.md §3): who may add whom, with which roles."""

from __future__ import annotations

from tests.conftest import PASSWORD
from tests.http.api_helpers import API, enter_form, login_as, ok, problem
from tests.support import make_id_number


def new_user(username="mentor1", roles=("academic_mentor",), **extra):
    return {
        "username": username,
        "name": "吴导师",
        "roles": list(roles),
        "password": "mentor123",
        "confirm_password": "mentor123",
        **extra,
    }


def test_teaching_point_admin_adds_users_to_its_own_teaching_point_only(client, world, login):
    # Even when the body names another teaching point, the user joins the admin's own.
    created = ok(
        client.post(
            f"{API}/accounts",
            json=new_user(roles=["academic_mentor", "head_teacher"], teaching_point_id=str(world.tp["102"]),
                          mobile="13912345678", position="学务导师"),
            headers=login("xuanwu"),
        ),
        201,
    )
    assert created["teaching_point_id"] == str(world.tp["101"])
    assert created["roles"] == ["academic_mentor", "head_teacher"] and created["status"] == "enabled"
    assert created["kind"] == "unified_identity"
    assert "password_hash" not in created and created["mobile"] == "139****5678"
    # The new user logs in and acts for that teaching point.
    me = ok(client.get(f"{API}/me", headers=login_as(client, "mentor1", "mentor123")))
    assert me["teaching_point_id"] == str(world.tp["101"])
    # Lists: each teaching point sees its own staff.
    assert "mentor1" in [a["username"] for a in ok(client.get(f"{API}/accounts", headers=login("xuanwu")))["items"]]
    assert "mentor1" not in [a["username"] for a in ok(client.get(f"{API}/accounts", headers=login("gulou")))["items"]]


def test_teaching_point_admin_cannot_grant_school_roles(client, world, login):
    for roles in (["finance"], ["head_teacher", "auditor"], ["system_admin"], ["academic_affairs"]):
        problem(client.post(f"{API}/accounts", json=new_user(roles=roles), headers=login("xuanwu")),
                403, "account.role_beyond_scope")
    problem(client.post(f"{API}/accounts", json=new_user(roles=["dean"]), headers=login("xuanwu")), 422, "roles.invalid")
    problem(client.post(f"{API}/accounts", json=new_user(roles=[]), headers=login("xuanwu")), 422, "roles.required")


def test_system_admin_adds_school_roles_and_teaching_point_roles(client, world, login):
    school = ok(client.post(f"{API}/accounts", json=new_user("jiaowu2", ["academic_affairs", "finance"]),
                            headers=login("sysadmin")), 201)
    assert school["teaching_point_id"] is None and school["roles"] == ["academic_affairs", "finance"]
    tp_staff = ok(
        client.post(f"{API}/accounts", json=new_user("gulou2", ["teaching_point_admin"], teaching_point_id=str(world.tp["102"])),
                    headers=login("sysadmin")),
        201,
    )
    assert tp_staff["teaching_point_id"] == str(world.tp["102"])
    problem(client.post(f"{API}/accounts", json=new_user("xx1", ["head_teacher"]), headers=login("sysadmin")),
            422, "roles.needs_teaching_point")
    problem(
        client.post(f"{API}/accounts", json=new_user("xx2", ["finance"], teaching_point_id=str(world.tp["101"])),
                    headers=login("sysadmin")),
        422, "roles.school_only",
    )
    # Local accounts are for system administrators only (requirements/identity.md §1.1).
    problem(client.post(f"{API}/accounts", json=new_user("xx3", ["finance"], kind="local"), headers=login("sysadmin")),
            422, "account.local_for_admins")
    ok(client.post(f"{API}/accounts", json=new_user("root2", ["system_admin"], kind="local"), headers=login("sysadmin")), 201)


def test_username_taken_is_409(client, world, login):
    problem(client.post(f"{API}/accounts", json=new_user("gulou", ["head_teacher"]), headers=login("xuanwu")),
            409, "account.username_taken")
    ok(client.post(f"{API}/accounts", json=new_user(), headers=login("xuanwu")), 201)
    problem(client.post(f"{API}/accounts", json=new_user(), headers=login("gulou")), 409, "account.username_taken")


def test_account_input_is_validated(client, world, login):
    headers = login("xuanwu")
    problem(client.post(f"{API}/accounts", json={**new_user(), "confirm_password": "other123"}, headers=headers),
            422, "password.mismatch")
    problem(client.post(f"{API}/accounts", json={**new_user(), "password": "abc", "confirm_password": "abc"}, headers=headers),
            422, "password.policy")
    problem(client.post(f"{API}/accounts", json=new_user("a b"), headers=headers), 422, "username.malformed")
    problem(client.post(f"{API}/accounts", json=new_user(id_number="320102199003150012"), headers=headers),
            422, "id_number.bad_check_digit")
    ok(client.post(f"{API}/accounts", json=new_user(id_number=make_id_number(seq=5)), headers=headers), 201)


def test_disabling_a_user_closes_their_sessions(client, world, login):
    ok(client.post(f"{API}/accounts", json=new_user(), headers=login("xuanwu")), 201)
    session = login_as(client, "mentor1", "mentor123")
    user_id = ok(client.get(f"{API}/me", headers=session))["id"]
    disabled = ok(client.post(f"{API}/accounts/{user_id}/disable", json={"reason": "离职"}, headers=login("xuanwu")))
    assert disabled["status"] == "disabled"
    problem(client.get(f"{API}/me", headers=session), 401)
    problem(client.post(f"{API}/auth/login", json={"username": "mentor1", "password": "mentor123"}), 401)
    problem(client.post(f"{API}/accounts/{user_id}/disable", json={}, headers=login("xuanwu")), 409, "account.already_disabled")
    ok(client.post(f"{API}/accounts/{user_id}/enable", json={}, headers=login("xuanwu")))
    login_as(client, "mentor1", "mentor123")


def test_deleting_a_user_closes_sessions_and_further_changes_are_refused(client, world, login):
    user = ok(client.post(f"{API}/accounts", json=new_user(), headers=login("xuanwu")), 201)
    session = login_as(client, "mentor1", "mentor123")
    assert ok(client.post(f"{API}/accounts/{user['id']}/delete", json={"reason": "录入错误"},
                          headers=login("xuanwu")))["status"] == "deleted"
    problem(client.get(f"{API}/me", headers=session), 401)
    problem(client.patch(f"{API}/accounts/{user['id']}", json={"roles": ["head_teacher"]}, headers=login("xuanwu")),
            409, "account.deleted")
    assert "mentor1" not in [a["username"] for a in ok(client.get(f"{API}/accounts", headers=login("xuanwu")))["items"]]


def test_nobody_disables_or_deletes_themselves(client, world, login):
    me = world.accounts["xuanwu"]
    problem(client.post(f"{API}/accounts/{me}/disable", json={}, headers=login("xuanwu")), 409, "account.self_status")
    problem(client.post(f"{API}/accounts/{me}/delete", json={}, headers=login("xuanwu")), 409, "account.self_delete")


def test_teaching_point_admin_cannot_touch_another_points_users(client, world, login):
    other = world.accounts["gulou"]
    problem(client.get(f"{API}/accounts/{other}", headers=login("xuanwu")), 404)
    problem(client.patch(f"{API}/accounts/{other}", json={"roles": ["head_teacher"]}, headers=login("xuanwu")), 404)
    problem(client.post(f"{API}/accounts/{other}/disable", json={}, headers=login("xuanwu")), 404)
    problem(client.post(f"{API}/accounts/{other}/password-reset", json={"password": "abc123", "confirm_password": "abc123"},
                        headers=login("xuanwu")), 404)
    # Nor school staff (they have no teaching point).
    problem(client.post(f"{API}/accounts/{world.accounts['jiaowu']}/disable", json={}, headers=login("xuanwu")), 404)
    login_as(client, "gulou")  # still enabled, password unchanged


def test_edit_roles_and_reset_password(client, world, login):
    user = ok(client.post(f"{API}/accounts", json=new_user(), headers=login("xuanwu")), 201)
    edited = ok(client.patch(f"{API}/accounts/{user['id']}",
                             json={"roles": ["head_teacher"], "position": "班主任"}, headers=login("xuanwu")))
    assert edited["roles"] == ["head_teacher"] and edited["position"] == "班主任"
    problem(client.patch(f"{API}/accounts/{user['id']}", json={"roles": ["finance"]}, headers=login("xuanwu")),
            403, "account.role_beyond_scope")
    ok(client.post(f"{API}/accounts/{user['id']}/password-reset", json={"password": "reset123", "confirm_password": "reset123"},
                   headers=login("xuanwu")), 204)
    login_as(client, "mentor1", "reset123")


def test_auditor_reads_everything_and_changes_nothing(client, world, login):
    auditor = login("shenji")
    accounts = ok(client.get(f"{API}/accounts", headers=auditor))
    assert {"xuanwu", "gulou", "jiaowu"} <= {a["username"] for a in accounts["items"]}
    ok(client.get(f"{API}/accounts/{world.accounts['gulou']}", headers=auditor))
    ok(client.get(f"{API}/teaching-points/{world.tp['102']}", headers=auditor))
    ok(client.get(f"{API}/application-forms", headers=auditor))
    ok(client.get(f"{API}/learners", headers=auditor))
    target = world.accounts["gulou"]
    refusals = [
        client.post(f"{API}/accounts", json=new_user("spy", ["auditor"]), headers=auditor),
        client.patch(f"{API}/accounts/{target}", json={"roles": ["head_teacher"]}, headers=auditor),
        client.post(f"{API}/accounts/{target}/disable", json={}, headers=auditor),
        client.post(f"{API}/accounts/{target}/delete", json={}, headers=auditor),
        client.post(f"{API}/accounts/{target}/password-reset",
                    json={"password": "abc123", "confirm_password": "abc123"}, headers=auditor),
        client.post(f"{API}/teaching-points", json={"code": "301", "name": "新点"}, headers=auditor),
        client.patch(f"{API}/teaching-points/{world.tp['101']}/contact-details", json={"address": "改"}, headers=auditor),
        client.post(f"{API}/teaching-points/{world.tp['101']}/disable", json={}, headers=auditor),
        client.post(f"{API}/study-batches", json={"code": "X", "name": "X"}, headers=auditor),
        enter_form(client, auditor, world, teaching_point_id=str(world.tp["101"])),
    ]
    for r in refusals:
        problem(r, 403)
    # Nothing changed.
    assert ok(client.get(f"{API}/accounts/{target}", headers=auditor))["status"] == "enabled"
    assert ok(client.get(f"{API}/application-forms", headers=auditor))["total"] == 0
    login_as(client, "gulou", PASSWORD)
