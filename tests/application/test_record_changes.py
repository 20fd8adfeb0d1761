"""The learner record through the use cases: contact details changed at once, the learner's
confirmation and one chance, change requests reviewed by academic affairs with the record and
the learners' read model following, scope, proof files, audit and rebuilds."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from application.audit.queries import history
from application.common.actor import Actor
from application.common.queries import Page
from application.learners.projection import learners
from application.learners.proof_files import Upload
from application.learners.record_change_projection import (
    get_record_change,
    learner_record,
    list_record_changes,
    record_change_attachment,
)
from domains.learners.record_change import RecordChangeRequest
from domains.shared.errors import DomainError
from domains.shared.values import Role
from tests.application.test_status_changes import PDF, admit, as_learner, png
from tests.application.workload import dump_read_models
from tests.support import make_id_number


def code_of(fn: Any) -> str:
    with pytest.raises(DomainError) as info:
        fn()
    return info.value.code


def record(world: Any, actor: Actor, learner_id: uuid.UUID) -> dict[str, Any]:
    with world.container.engine.connect() as conn:
        return learner_record(conn, actor, learner_id)


def roster_row(world: Any, learner_id: uuid.UUID) -> Any:
    with world.container.engine.connect() as conn:
        return conn.execute(select(learners).where(learners.c.id == learner_id)).mappings().one()


def value(section: list[dict[str, Any]], field: str) -> Any:
    return next(f["value"] for f in section if f["field"] == field)


def test_the_teaching_point_changes_contact_details_at_once_with_its_reason_on_the_audit_trail(world):
    c = world.container
    lid, _ = admit(world, 1)
    xuanwu = world.actor("xuanwu")
    c.learner_records.change_contact_details(xuanwu, lid, "new@example.com", "13800001111", "学生换号")
    shown = record(world, world.actor("jiaowu"), lid)
    assert shown["contact"] == {"email": "new@example.com", "mobile": "13800001111"}
    assert shown["record_status_label"] == "未确认"
    assert roster_row(world, lid)["mobile"] == "13800001111"
    with c.engine.connect() as conn:
        last = history(conn, lid)[-1]
    assert last["event_label"] == "变更联系方式" and last["reason"] == "学生换号" and last["actor_name"] == "xuanwu"
    # Another teaching point, school staff and the learner may not edit them.
    assert (
        code_of(lambda: c.learner_records.change_contact_details(world.actor("gulou"), lid, None, "13800002222")) == "not_found"
    )
    assert (
        code_of(lambda: c.learner_records.change_contact_details(world.actor("jiaowu"), lid, None, "13800002222"))
        == "auth.role_not_allowed"
    )
    assert code_of(lambda: c.learner_records.change_contact_details(xuanwu, lid, None, "12345")) == "mobile.malformed"


def test_a_teaching_point_request_is_approved_and_the_record_and_roster_follow(world):
    c = world.container
    lid, _ = admit(world, 1)
    new_id = make_id_number(birth="19921105", seq=7)
    rid = c.learner_records.request_change(
        world.actor("xuanwu"), lid, {"name": "王晓明", "id_number": new_id, "prior_school": "南京大学"}, "与身份证不符",
        [Upload("身份证.png", png()), Upload("毕业证.pdf", PDF)],
    )
    jiaowu = world.actor("jiaowu")
    shown = record(world, jiaowu, lid)
    assert shown["record_status_label"] == "待审核" and shown["pending_request_id"] == rid
    [req] = shown["requests"]
    assert req["status_label"] == "待审核" and req["requested_by_role_label"] == "教学点管理员"
    changed = {ch["field"]: ch for ch in req["changes"]}
    assert changed["name"]["after"] == "王晓明" and "*" in changed["id_number"]["after"]  # masked in the history list
    assert [a["content_type"] for a in req["attachments"]] == ["image/png", "application/pdf"]
    c.learner_records.approve(jiaowu, lid, rid, "核对无误")
    shown = record(world, jiaowu, lid)
    assert shown["record_status_label"] == "审核通过" and shown["pending_request_id"] is None
    assert value(shown["basic"], "name") == "王晓明" and value(shown["basic"], "birth_date") == "1992-11-05"
    assert value(shown["prior_education"], "prior_school") == "南京大学"
    row = roster_row(world, lid)
    assert (row["name"], row["id_number"], str(row["birth_date"]), row["record_status"]) == (
        "王晓明",
        new_id,
        "1992-11-05",
        "approved",
    )
    with c.engine.connect() as conn:
        one = get_record_change(conn, jiaowu, lid, rid)
        assert one["comment"] == "核对无误" and {ch["field"]: ch["after"] for ch in one["changes"]}["id_number"] == new_id
        assert record_change_attachment(conn, jiaowu, lid, rid, 1)["content_type"] == "application/pdf"
    assert code_of(lambda: c.learner_records.approve(jiaowu, lid, rid)) == "learner_record.not_pending"


def test_the_learner_confirms_once_or_uses_their_one_chance(world):
    c = world.container
    lid, number = admit(world, 1)
    other, other_number = admit(world, 2)
    me = as_learner(lid, number)
    rid = c.learner_records.request_change(me, None, {"address": "南京市鼓楼区中山路1号"}, "地址变了")
    assert record(world, me, lid)["may_request_by_learner"] is False
    c.learner_records.reject(world.actor("jiaowu"), lid, rid, "请提供居住证明")
    shown = record(world, me, lid)
    assert shown["record_status_label"] == "审核驳回" and shown["requests"][0]["reject_reason"] == "请提供居住证明"
    assert value(shown["basic"], "address") == "南京市玄武区北京东路41号"
    assert code_of(lambda: c.learner_records.request_change(me, None, {"address": "北京"})) == "learner_record.self_request_used"
    c.learner_records.confirm(me)
    assert record(world, me, lid)["record_status_label"] == "已确认"
    assert code_of(lambda: c.learner_records.confirm(me)) == "learner_record.already_confirmed"
    # A learner acts for themselves only, and sees only their own record.
    assert code_of(lambda: c.learner_records.confirm(me, other)) == "not_found"
    assert code_of(lambda: record(world, me, other)) == "not_found"
    assert record(world, as_learner(other, other_number), other)["may_confirm"] is True


def test_reviews_belong_to_academic_affairs_and_teaching_points_see_only_their_learners(world):
    c = world.container
    lid, _ = admit(world, 1)
    rid = c.learner_records.request_change(world.actor("xuanwu"), lid, {"ethnicity": "回族"})
    assert code_of(lambda: c.learner_records.approve(world.actor("xuanwu"), lid, rid)) == "auth.role_not_allowed"
    assert code_of(lambda: c.learner_records.reject(world.actor("shenji"), lid, rid, "否")) == "auth.role_not_allowed"
    assert code_of(lambda: c.learner_records.request_change(world.actor("gulou"), lid, {"ethnicity": "壮族"})) == "not_found"
    assert (
        code_of(lambda: c.learner_records.request_change(world.actor("xuanwu"), lid, {"ethnicity": "壮族"}))
        == "learner_record.pending_review"
    )
    assert code_of(lambda: c.learner_records.approve(world.actor("jiaowu"), uuid.uuid4(), rid)) == "not_found"
    assert code_of(lambda: record(world, world.actor("gulou"), lid)) == "not_found"
    with c.engine.connect() as conn:
        assert list_record_changes(conn, world.actor("shenji"), lid, Page(1, 20)).total == 1
    disguised = [Upload("证明.pdf", b"GIF89a not a pdf")]
    other, _ = admit(world, 2)
    assert (
        code_of(lambda: c.learner_records.request_change(world.actor("xuanwu"), other, {"ethnicity": "回族"}, None, disguised))
        == "upload.type"
    )
    assert record(world, world.actor("jiaowu"), other)["requests"] == []  # nothing half-saved


def test_two_requests_racing_for_one_learner_leave_one_pending(world):
    c = world.container
    lid, _ = admit(world, 1)
    first, second = c.store.get(lid), c.store.get(lid)
    at = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)
    today = c.clock.today()
    a = RecordChangeRequest.request(first, Role.TEACHING_POINT_ADMIN, {"ethnicity": "回族"}, None, [], at, today)
    b = RecordChangeRequest.request(second, Role.LEARNER, {"ethnicity": "壮族"}, None, [], at, today)
    c.store.save(a, first)
    assert code_of(lambda: c.store.save(b, second)) == "concurrency.conflict"
    assert c.store.get(lid).pending_record_change_id == a.id


def test_learner_records_and_the_roster_rebuild_equal(world):
    c = world.container
    jiaowu, xuanwu = world.actor("jiaowu"), world.actor("xuanwu")
    a, _ = admit(world, 1)
    b, b_number = admit(world, 2)
    c.learner_records.change_contact_details(xuanwu, a, "a@example.com", "13800001111")
    c.learner_records.approve(
        jiaowu, a, c.learner_records.request_change(xuanwu, a, {"name": "王晓明"}, None, [Upload("a.pdf", PDF)])
    )
    c.learner_records.reject(
        jiaowu, b, c.learner_records.request_change(as_learner(b, b_number), None, {"ethnicity": "回族"}), "无依据"
    )
    c.learner_records.confirm(as_learner(b, b_number))
    live = dump_read_models(c)
    assert len(live["rm_learner_records"]) == 2 and len(live["rm_record_changes"]) == 2
    c.runner.rebuild(["learner_records", "learners"])
    assert dump_read_models(c) == live
