"""The teacher-training platform's people and courses for the HTTP suites, and the client address
a request seems to come from (the test transport has no real peer)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from application.common.actor import SYSTEM
from tests.conftest import PASSWORD
from tests.http.api_helpers import API, ok

T = f"{API}/training"
SCHOOL_NAME = "南京师范大学"
OTHER_NAME = "河海大学"
CAMPUS = "10.20.0.0/16"
INSIDE, OUTSIDE = "10.20.3.4", "10.21.0.1"


@pytest.fixture
def peer(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """peer["address"] = "10.20.3.4": the address every following request comes from."""
    from litestar.testing.transport import TestClientTransport

    current = {"address": "testclient"}
    original = TestClientTransport.parse_request

    def parse_request(self: Any, request: Any) -> Any:
        scope = original(self, request)
        scope["client"] = (current["address"], 50000)
        return scope

    monkeypatch.setattr(TestClientTransport, "parse_request", parse_request)
    yield current


@dataclass
class TrainingWorld:
    school: str
    other_school: str
    courses: dict[str, dict[str, Any]] = field(default_factory=dict)


def chapters(*seconds: int) -> list[dict[str, Any]]:
    return [{"title": f"第{i}讲", "duration_seconds": s} for i, s in enumerate(seconds, start=1)]


def register(client: Any, peer: dict[str, str], school: str, username: str, *, address: str = INSIDE,
             unit_name: str = SCHOOL_NAME, name: str = "李老师") -> Any:
    peer["address"] = address
    return client.post(f"{T}/registrations", json={
        "school_id": school, "unit_name": unit_name, "username": username, "name": name,
        "password": PASSWORD, "confirm_password": PASSWORD,
    })


@pytest.fixture
def training(client: Any, login: Any, world: Any, peer: dict[str, str]) -> TrainingWorld:
    """Centre admin `wangpei`; schools 南京师范大学 (10.20.0.0/16, admin `nsd_admin`, trainees `teacher1`,
    `teacher2`) and 河海大学 (admin `hhu_admin`); a centre, an ideology and a school-based course."""
    c = world.container
    c.training.schools.appoint_admin(SYSTEM, role_name="training_centre_admin", school_id=None, username="wangpei",
                                     name="网培中心", password=PASSWORD, confirm_password=PASSWORD)
    centre = login("wangpei")
    school = ok(client.post(f"{T}/schools", json={"name": SCHOOL_NAME, "campus_ranges": [CAMPUS]}, headers=centre), 201)
    other = ok(client.post(f"{T}/schools", json={"name": OTHER_NAME, "campus_ranges": ["10.30.0.0/16"]},
                           headers=centre), 201)
    for sid, username in ((school["id"], "nsd_admin"), (other["id"], "hhu_admin")):
        ok(client.post(f"{T}/schools/{sid}/admins", json={"username": username, "name": "校级管理员",
                                                          "password": PASSWORD, "confirm_password": PASSWORD},
                       headers=centre), 201)
    for username in ("teacher1", "teacher2"):
        ok(register(client, peer, school["id"], username), 201)
    peer["address"] = "testclient"
    tw = TrainingWorld(school=school["id"], other_school=other["id"])
    tw.courses["centre"] = ok(client.post(f"{T}/courses", headers=centre, json={
        "kind": "centre", "title": "课程思政建设", "tenths": 25, "chapters": chapters(600, 300),
        "summary_prompt": "结合本校课程写一份课程思政设计"}), 201)
    tw.courses["ideology"] = ok(client.post(f"{T}/courses", headers=centre, json={
        "kind": "ideology", "title": "习近平总书记教育重要论述讲义导读", "tenths": 20, "chapters": chapters(900),
        "summary_prompt": "学习心得"}), 201)
    tw.courses["school"] = ok(client.post(f"{T}/courses", headers=login("nsd_admin"), json={
        "kind": "school", "title": "本校教学信息化", "tenths": 10, "chapters": chapters(120),
        "summary_prompt": "本校实践总结"}), 201)
    return tw
