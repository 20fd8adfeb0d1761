"""Shared steps of the course-selection suites (course selection, bills and drops): a selectable catalogue and admitted
learners, built through the HTTP API as academic affairs and finance would."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.http.api_helpers import API, admitted, ok

# The `world` clock stands at 2026-09-01 10:00 Shanghai: inside these periods.
SELECTION = {"selection_starts_on": "2026-09-01", "selection_ends_on": "2026-09-30"}
REGISTRATION = {"registration_starts_on": "2026-09-01", "registration_ends_on": "2026-10-15"}
# 本科 159.00 yuan per credit and 40.00 per exam; 专科 120.00 and 30.00.
UNDERGRADUATE_FEES = {"credit_fee_per_credit_fen": 15900, "exam_fee_per_course_fen": 4000}
JUNIOR_FEES = {"credit_fee_per_credit_fen": 12000, "exam_fee_per_course_fen": 3000}


@dataclass
class Catalogue:
    courses: dict[str, str] = field(default_factory=dict)  # code -> id
    selection_batch: str | None = None
    exam_batch: str | None = None


def new_course(
    client: Any, login: Any, code: str, name: str, credits: str = "4", levels: tuple[str, ...] = ("本科",),
    *, publish: bool = True, version: bool = True, final_exam: bool | None = True,
) -> str:
    """A course made ready step by step; each flag leaves one precondition unmet when False."""
    jw = login("jiaowu")
    course = ok(client.post(f"{API}/courses",
                            json={"code": code, "name": name, "credits": credits, "levels": list(levels)}, headers=jw), 201)
    cid = course["id"]
    if publish:
        ok(client.post(f"{API}/courses/{cid}/publication", headers=jw))
    if version:
        ok(client.post(f"{API}/courses/{cid}/versions", json={"version": "2026版"}, headers=jw))
        ok(client.put(f"{API}/courses/{cid}/version-in-use", json={"version": "2026版"}, headers=jw))
    if final_exam is not None:
        ok(client.post(f"{API}/courses/{cid}/assessment",
                       json={"includes_final_exam": final_exam, "description": "形考30%，终考70%"}, headers=jw))
        ok(client.post(f"{API}/courses/{cid}/assessment/approval", json={}, headers=jw))
    return cid


def set_fees(client: Any, login: Any, undergraduate: bool = True, junior: bool = True) -> None:
    cw = login("caiwu")
    if undergraduate:
        ok(client.put(f"{API}/fee-standards/undergraduate", json=UNDERGRADUATE_FEES, headers=cw))
    if junior:
        ok(client.put(f"{API}/fee-standards/junior_college", json=JUNIOR_FEES, headers=cw))


def list_in_programme(client: Any, login: Any, programme_id: Any, course_id: str, semester: int = 1) -> None:
    ok(client.post(f"{API}/programmes/{programme_id}/courses",
                   json={"course_id": course_id, "suggested_semester": semester}, headers=login("jiaowu")), 201)


def batches(client: Any, login: Any, course_ids: list[str], code: str = "X2026F") -> tuple[str, str]:
    jw = login("jiaowu")
    sb = ok(client.post(f"{API}/selection-batches",
                        json={"code": code, "name": "2026秋季选课", **SELECTION, "course_ids": course_ids}, headers=jw), 201)
    eb = ok(client.post(f"{API}/exam-batches",
                        json={"code": "K" + code[1:], "name": "2027年1月考试", **REGISTRATION, "course_ids": course_ids},
                        headers=jw), 201)
    return sb["id"], eb["id"]


def ready_catalogue(client: Any, login: Any, world: Any) -> Catalogue:
    """Two 本科 courses of the accounting programme, one with a final exam (管理会计, 4 credits)
    and one without (会计信息系统, 2.5 credits); both selectable now; fees set for both levels."""
    cat = Catalogue()
    cat.courses["01234"] = new_course(client, login, "01234", "管理会计", "4")
    cat.courses["01235"] = new_course(client, login, "01235", "会计信息系统", "2.5", final_exam=False)
    for cid in cat.courses.values():
        list_in_programme(client, login, world.programmes["accounting"], cid)
    cat.selection_batch, cat.exam_batch = batches(client, login, list(cat.courses.values()))
    set_fees(client, login)
    return cat


def learner(client: Any, login: Any, world: Any, seq: int = 1, tp_admin: str = "xuanwu", **kw: Any) -> str:
    """An admitted learner of the accounting programme (or `programme=`) at the admin's teaching point."""
    return admitted(client, login, world, seq, tp_admin=tp_admin, **kw)["learner_id"]


def learner_login(client: Any, world: Any, learner_id: str, seq: int = 1) -> dict[str, str]:
    """The learner opens the portal account (student number + ID number) and logs in."""
    from tests.conftest import PASSWORD
    from tests.support import make_id_number

    number = world.container.store.get(uuid.UUID(learner_id)).student_number
    ok(client.post(f"{API}/auth/learner-activation", json={
        "student_number": number, "id_number": make_id_number(seq=seq), "password": PASSWORD, "confirm_password": PASSWORD,
    }), 201)
    r = client.post(f"{API}/auth/login", json={"username": number, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def select(client: Any, headers: dict[str, str], learner_id: str | None, *course_ids: str) -> Any:
    body: dict[str, Any] = {"course_ids": list(course_ids)}
    if learner_id is not None:
        body["learner_id"] = learner_id
    return client.post(f"{API}/enrollments", json=body, headers=headers)


def selected(client: Any, headers: dict[str, str], learner_id: str | None, *course_ids: str) -> dict[str, Any]:
    return ok(select(client, headers, learner_id, *course_ids), 201)
