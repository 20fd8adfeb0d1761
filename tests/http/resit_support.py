"""Shared steps of the resit suites (补考报考): a learner who studied 管理会计 (selected and paid,
its final exam registered in the catalogue's exam batch) and a later exam batch to resit it in,
built through the HTTP API as the teaching point, academic affairs and finance would."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from tests.http.api_helpers import API, ok
from tests.http.selection_support import Catalogue, learner, ready_catalogue, selected

MANAGEMENT_ACCOUNTING = "01234"  # 管理会计: 本科, with a final exam; exam fee 40.00
INFORMATION_SYSTEMS = "01235"  # 会计信息系统: no final exam


@dataclass
class Studied:
    catalogue: Catalogue
    learner_id: str
    student_number: str
    selection: dict[str, Any]  # the selection's enrollments and bills
    resit_batch: str  # an exam batch inside its registration period, holding both courses

    @property
    def course(self) -> str:
        return self.catalogue.courses[MANAGEMENT_ACCOUNTING]

    def enrollment(self, code: str = MANAGEMENT_ACCOUNTING) -> str:
        return next(e["id"] for e in self.selection["enrollments"] if e["course_code"] == code)


def pay_by_remittance(client: Any, login: Any, bill_ids: list[str], tp_admin: str = "xuanwu") -> dict[str, Any]:
    """The teaching point remits for the bills and finance confirms the money arrived."""
    slip = ok(client.post(f"{API}/remittance-slips", json={"bill_ids": bill_ids}, headers=login(tp_admin)), 201)
    return ok(client.post(f"{API}/remittance-slips/{slip['id']}/confirmation", json={}, headers=login("caiwu")))


def exam_batch(client: Any, login: Any, course_ids: list[str], code: str = "K2027S", name: str = "2027年7月考试",
               starts: str = "2026-09-01", ends: str = "2026-10-31") -> str:
    body = {"code": code, "name": name, "registration_starts_on": starts, "registration_ends_on": ends, "course_ids": course_ids}
    return ok(client.post(f"{API}/exam-batches", json=body, headers=login("jiaowu")), 201)["id"]


def cohort(client: Any, login: Any, world: Any, *who: tuple[int, str], catalogue: Catalogue | None = None) -> list[Studied]:
    """Learners (seq, teaching-point admin) who each selected both catalogue courses and paid
    them; then a second exam batch opens. It opens after every selection, so each selection's
    final exam stays in the catalogue's own exam batch."""
    cat = catalogue or ready_catalogue(client, login, world)
    learners = []
    for seq, tp_admin in who:
        lid = learner(client, login, world, seq, tp_admin=tp_admin)
        sel = selected(client, login(tp_admin), lid, *cat.courses.values())
        pay_by_remittance(client, login, [b["id"] for b in sel["bills"]], tp_admin)
        learners.append((lid, world.container.store.get(uuid.UUID(lid)).student_number, sel))
    batch = exam_batch(client, login, list(cat.courses.values()))
    return [Studied(cat, lid, number, sel, batch) for lid, number, sel in learners]


def studied(client: Any, login: Any, world: Any, seq: int = 1, tp_admin: str = "xuanwu",
            catalogue: Catalogue | None = None) -> Studied:
    """One learner of `tp_admin`'s teaching point who studied the catalogue's courses."""
    return cohort(client, login, world, (seq, tp_admin), catalogue=catalogue)[0]


def register_resit(client: Any, headers: dict[str, str], course_id: str, exam_batch_id: str, **who: Any) -> Any:
    """POST /exam-registrations/resits with `student_number=` or `learner_id=` (or neither)."""
    return client.post(
        f"{API}/exam-registrations/resits", json={"course_id": course_id, "exam_batch_id": exam_batch_id, **who},
        headers=headers,
    )


def withdraw(client: Any, headers: dict[str, str], registration_id: str) -> Any:
    return client.post(f"{API}/exam-registrations/{registration_id}/withdrawal", json={}, headers=headers)
