"""Login, sessions, throttling, logout, and the actor's own account (/me)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from infrastructure.sessions import sessions
from tests.conftest import PASSWORD
from tests.http.api_helpers import API, login_as, ok, problem
from tests.support import make_id_number


def test_login_returns_a_token_that_opens_the_api(client, world):
    body = ok(client.post(f"{API}/auth/login", json={"username": "xuanwu", "password": PASSWORD}))
    assert body["token"] and body["expires_at"]
    assert body["account"]["username"] == "xuanwu"
    assert body["account"]["roles"] == ["teaching_point_admin"]
    assert "password_hash" not in body["account"]
    me = ok(client.get(f"{API}/me", headers={"Authorization": f"Bearer {body['token']}"}))
    assert me["username"] == "xuanwu" and me["teaching_point_id"] == str(world.tp["101"])


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(client, world):
    wrong = problem(client.post(f"{API}/auth/login", json={"username": "xuanwu", "password": "wrong123"}), 401)
    unknown = problem(client.post(f"{API}/auth/login", json={"username": "nobody", "password": PASSWORD}), 401)
    assert wrong["code"] == unknown["code"] == "auth.invalid_credentials"
    assert wrong["detail"] == unknown["detail"]


def test_a_disabled_user_cannot_log_in(client, world, login):
    ok(client.post(f"{API}/accounts/{world.accounts['gulou']}/disable", json={}, headers=login("sysadmin")))
    problem(client.post(f"{API}/auth/login", json={"username": "gulou", "password": PASSWORD}), 401, "auth.invalid_credentials")
    ok(client.post(f"{API}/accounts/{world.accounts['gulou']}/enable", json={}, headers=login("sysadmin")))
    login_as(client, "gulou")


def test_five_failures_lock_the_login_even_with_the_right_password(client, world):
    for _ in range(5):
        problem(client.post(f"{API}/auth/login", json={"username": "xuanwu", "password": "wrong123"}), 401)
    body = problem(client.post(f"{API}/auth/login", json={"username": "xuanwu", "password": PASSWORD}), 429, "auth.throttled")
    assert "15" in body["detail"]


def test_four_failures_then_success_clears_the_count(client, world):
    for _ in range(4):
        problem(client.post(f"{API}/auth/login", json={"username": "gulou", "password": "wrong123"}), 401)
    login_as(client, "gulou")
    # The username's count starts again: one more failure is not a lock-out.
    problem(client.post(f"{API}/auth/login", json={"username": "gulou", "password": "wrong123"}), 401)


def test_missing_invalid_and_expired_tokens_are_401(client, world, container):
    problem(client.get(f"{API}/me"), 401, "auth.required")
    problem(client.get(f"{API}/me", headers={"Authorization": "Bearer not-a-token"}), 401, "auth.required")
    problem(client.get(f"{API}/me", headers={"Authorization": "Basic eHVhbnd1OnNlY3JldDEyMw=="}), 401)
    headers = login_as(client, "xuanwu")
    ok(client.get(f"{API}/me", headers=headers))
    with container.engine.begin() as conn:
        conn.execute(update(sessions).values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    problem(client.get(f"{API}/me", headers=headers), 401, "auth.required")


def test_a_session_older_than_twelve_hours_expires_however_active(client, world, container):
    headers = login_as(client, "xuanwu")
    with container.engine.begin() as conn:
        conn.execute(update(sessions).values(created_at=datetime.now(UTC) - timedelta(hours=12, minutes=1)))
    problem(client.get(f"{API}/me", headers=headers), 401)


def test_logout_ends_only_that_session(client, world):
    first, second = login_as(client, "xuanwu"), login_as(client, "xuanwu")
    assert ok(client.post(f"{API}/auth/logout", headers=first), 204) is None
    problem(client.get(f"{API}/me", headers=first), 401)
    ok(client.get(f"{API}/me", headers=second))
    problem(client.post(f"{API}/auth/logout", headers=first), 401)


# -- /me -----------------------------------------------------------------------------------


def test_edit_personal_info_changes_only_the_editable_fields(client, world, login):
    id_number = make_id_number("19850612", seq=8)
    me = ok(
        client.patch(
            f"{API}/me",
            json={
                "name": "李娟", "gender": "female", "id_number": id_number, "mobile": "13812345678",
                "email": "lijuan@example.edu.cn",
                # Not editable here: silently not applied.
                "username": "root", "roles": ["system_admin"], "teaching_point_id": str(world.tp["102"]),
            },
            headers=login("xuanwu"),
        )
    )
    assert (me["name"], me["gender"], me["email"]) == ("李娟", "female", "lijuan@example.edu.cn")
    assert me["id_number"] == id_number and me["mobile"] == "13812345678"  # one's own record is unmasked
    assert me["username"] == "xuanwu" and me["roles"] == ["teaching_point_admin"]
    assert me["teaching_point_id"] == str(world.tp["101"])
    # The list others see masks them.
    listed = ok(client.get(f"{API}/accounts", params={"q": "xuanwu"}, headers=login("sysadmin")))["items"][0]
    assert listed["name"] == "李娟" and listed["id_number"] != id_number and "*" in listed["mobile"]


def test_edit_personal_info_validates(client, world, login):
    problem(client.patch(f"{API}/me", json={"name": "李娟", "mobile": "12345"}, headers=login("xuanwu")), 422, "mobile.malformed")
    problem(client.patch(f"{API}/me", json={"name": ""}, headers=login("xuanwu")), 422, "field.required")
    problem(client.patch(f"{API}/me", json={"gender": "male"}, headers=login("xuanwu")), 422)  # name is required


def test_change_password(client, world, login):
    headers = login("xuanwu")
    url = f"{API}/me/password"
    body = problem(
        client.post(url, json={"current_password": "nope123", "new_password": "newpass1", "confirm_password": "newpass1"},
                    headers=headers),
        422, "password.current_wrong",
    )
    assert body["field"] == "current_password"
    problem(
        client.post(url, json={"current_password": PASSWORD, "new_password": "newpass1", "confirm_password": "newpass2"},
                    headers=headers),
        422, "password.mismatch",
    )
    problem(
        client.post(url, json={"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"},
                    headers=headers),
        422, "password.policy",
    )
    assert ok(
        client.post(url, json={"current_password": PASSWORD, "new_password": "newpass1", "confirm_password": "newpass1"},
                    headers=headers),
        204,
    ) is None
    problem(client.post(f"{API}/auth/login", json={"username": "xuanwu", "password": PASSWORD}), 401)
    login_as(client, "xuanwu", "newpass1")
