"""Each role's to-do counts: the forms, requests and slips waiting for that role, counted under
the same scope as the queue they link to, and the next pending item after a decision."""

from __future__ import annotations

from typing import Any

from application.common.actor import Actor
from application.worklist import next_pending, worklist
from tests.support import applicant

VISITOR = Actor(user_id=None, username="anonymous", name="访客")


def counts(world: Any, username: str) -> dict[str, int]:
    with world.container.engine.connect() as conn:
        return {item.key: item.count for item in worklist(conn, world.actor(username))}


def enter(world: Any, admin: str, seq: int) -> Any:
    return world.container.admissions.enter_form(
        world.actor(admin), admission_batch_id=world.admission_batch, programme_id=world.programmes["accounting"],
        applicant=applicant(seq),
    )


def test_each_role_counts_only_its_own_queues_in_its_own_scope(world: Any) -> None:
    enter(world, "xuanwu", 1)
    enter(world, "xuanwu", 2)
    enter(world, "gulou", 3)
    world.container.admissions.quick_register(VISITOR, "王芳", "13800000001", "会计学", world.tp["101"])

    assert counts(world, "jiaowu")["forms-final"] == 3
    assert counts(world, "xuanwu")["forms-to-complete"] == 1
    assert counts(world, "gulou")["forms-to-complete"] == 0
    assert "forms-final" not in counts(world, "xuanwu")
    assert set(counts(world, "caiwu")) == {"slips-to-confirm", "refunds-finance", "refunds-to-pay"}
    assert counts(world, "shenji") == {}  # auditors start nothing


def test_after_a_decision_the_next_pending_item_is_offered_until_the_queue_is_empty(world: Any) -> None:
    first, second = enter(world, "xuanwu", 1), enter(world, "xuanwu", 2)
    jiaowu = world.actor("jiaowu")
    world.container.admissions.approve_form(jiaowu, first)
    with world.container.engine.connect() as conn:
        assert next_pending(conn, jiaowu, "forms-final", first) == second
    world.container.admissions.approve_form(jiaowu, second)
    with world.container.engine.connect() as conn:
        assert next_pending(conn, jiaowu, "forms-final", second) is None
    assert counts(world, "jiaowu")["forms-final"] == 0
