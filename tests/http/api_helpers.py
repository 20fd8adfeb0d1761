"""Small helpers for the HTTP suites: problem+json checks and the common admissions steps."""

from __future__ import annotations

from typing import Any

from tests.conftest import PASSWORD
from tests.support import applicant

API = "/api/v1"
PROBLEM = "application/problem+json"


def problem(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status (and code)."""
    assert response.status_code == status, f"{response.status_code} != {status}: {response.text}"
    assert response.headers["content-type"].startswith(PROBLEM), response.headers["content-type"]
    body = response.json()
    assert body["status"] == status and body["code"] and body["detail"]
    if code is not None:
        assert body["code"] == code, body
    return body


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.status_code} != {status}: {response.text}"
    return response.json() if response.content else None


def login_as(client: Any, username: str, password: str = PASSWORD) -> dict[str, str]:
    """A fresh session (the `login` fixture caches one per username)."""
    r = client.post(f"{API}/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def enter_form(client: Any, headers: dict[str, str], world: Any, seq: int = 1, *, programme: Any = None,
               admission_batch: Any = None, **applicant_overrides: Any) -> Any:
    body = {
        "admission_batch_id": str(admission_batch or world.admission_batch),
        "programme_id": str(programme or world.programmes["accounting"]),
        "applicant": applicant(seq, **applicant_overrides),
    }
    return client.post(f"{API}/application-forms", json=body, headers=headers)


def entered(client: Any, headers: dict[str, str], world: Any, seq: int = 1, **kw: Any) -> dict[str, Any]:
    return ok(enter_form(client, headers, world, seq, **kw), 201)


def approve(client: Any, headers: dict[str, str], form_id: Any, comment: str | None = None) -> Any:
    return client.post(f"{API}/application-forms/{form_id}/approval", json={"comment": comment}, headers=headers)


def admitted(client: Any, login: Any, world: Any, seq: int = 1, tp_admin: str = "xuanwu", **kw: Any) -> dict[str, Any]:
    """Enter a form at the admin's teaching point and approve it: the approved form."""
    form = entered(client, login(tp_admin), world, seq, **kw)
    return ok(approve(client, login("jiaowu"), form["id"]))
