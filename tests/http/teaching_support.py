"""Shared steps of the mentor, class and exam-site suites: academic mentors of a teaching point,
and the calls of /mentor-assignments, /exam-site-assignments and /course-classes."""

from __future__ import annotations

import uuid
from typing import Any

from application.common.actor import SYSTEM
from tests.conftest import PASSWORD
from tests.http.api_helpers import API


def staff(world: Any, username: str, roles: list[str], tp: str = "101", mobile: str | None = None) -> str:
    """A staff account of teaching point `tp` (its id as text)."""
    account = world.container.identity.register_staff(
        SYSTEM, username=username, name=username.upper(), roles=roles, password=PASSWORD, confirm_password=PASSWORD,
        teaching_point_id=world.tp[tp], mobile=mobile,
    )
    world.accounts[username] = account
    return str(account)


def mentor(world: Any, username: str, tp: str = "101") -> str:
    return staff(world, username, ["academic_mentor"], tp, mobile="13625124669")


def disable(world: Any, account_id: str) -> None:
    world.container.identity.set_enabled(SYSTEM, uuid.UUID(account_id), False, "停用")


def assign_mentor(client: Any, headers: dict[str, str], learner_id: str, mentor_id: str) -> Any:
    return client.put(f"{API}/mentor-assignments/{learner_id}", json={"mentor_id": mentor_id}, headers=headers)


def assign_site(client: Any, headers: dict[str, str], learner_id: str, code: str, name: str) -> Any:
    return client.put(f"{API}/exam-site-assignments/{learner_id}", json={"site_code": code, "site_name": name}, headers=headers)


def form_class(client: Any, headers: dict[str, str], course_id: str, name: str, deadline: str = "2026-10-31", **kw: Any) -> Any:
    body = {"course_id": course_id, "name": name, "grouping_deadline": deadline, **kw}
    return client.post(f"{API}/course-classes", json=body, headers=headers)


def add_members(client: Any, headers: dict[str, str], class_id: str, *learner_ids: str) -> Any:
    return client.post(f"{API}/course-classes/{class_id}/members", json={"learner_ids": list(learner_ids)}, headers=headers)


def listed(client: Any, headers: dict[str, str], path: str, **params: Any) -> list[dict[str, Any]]:
    r = client.get(f"{API}/{path}", params=params, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["items"]
