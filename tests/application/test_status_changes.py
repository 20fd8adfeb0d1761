"""Status changes through the use cases: who may ask and review, the scope of each teaching point,
what final approval changes in the learners' read model, proof files, and rebuilds."""

from __future__ import annotations

import io
import uuid
from datetime import UTC
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from application.audit.queries import history
from application.common.actor import SYSTEM, Actor
from application.common.filters import RosterFilter
from application.common.queries import Page
from application.learners.projection import learners
from application.learners.status_change_projection import get_status_change, list_status_changes, status_history
from application.learners.status_changes import Upload
from domains.learners.learner import Learner
from domains.shared.errors import DomainError
from domains.shared.values import Role
from tests.application.workload import dump_read_models
from tests.support import applicant

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 10, 10)).save(out, "PNG")
    return out.getvalue()


def admit(world: Any, seq: int, admin: str = "xuanwu", programme: str = "accounting") -> tuple[uuid.UUID, str]:
    adm = world.container.admissions
    form = adm.enter_form(world.actor(admin), admission_batch_id=world.admission_batch,
                          programme_id=world.programmes[programme], applicant=applicant(seq))
    number = adm.approve_form(world.actor("jiaowu"), form)
    with world.container.engine.connect() as conn:
        return conn.execute(select(learners.c.id).where(learners.c.student_number == number)).scalar_one(), number


def as_learner(learner_id: uuid.UUID, number: str) -> Actor:
    return Actor(user_id=uuid.uuid4(), username=number, name="学生", roles=frozenset({Role.LEARNER}), learner_id=learner_id)


def code_of(fn: Any) -> str:
    with pytest.raises(DomainError) as info:
        fn()
    return info.value.code


def row(world: Any, learner_id: uuid.UUID) -> Any:
    with world.container.engine.connect() as conn:
        return conn.execute(select(learners).where(learners.c.id == learner_id)).mappings().one()


def listed(world: Any, actor: Actor, **kw: Any) -> list[dict[str, Any]]:
    with world.container.engine.connect() as conn:
        return list_status_changes(conn, actor, Page(1, 50), RosterFilter(**kw)).items


def shown(world: Any, actor: Actor, sc: uuid.UUID) -> dict[str, Any]:
    with world.container.engine.connect() as conn:
        return get_status_change(conn, actor, sc)


def test_a_learners_transfer_is_reviewed_by_their_teaching_point_then_by_the_school(world):
    sc_service = world.container.status_changes
    lid, number = admit(world, 1)
    me = as_learner(lid, number)
    xuanwu, gulou, jiaowu = world.actor("xuanwu"), world.actor("gulou"), world.actor("jiaowu")
    sc = sc_service.request(me, "transfer", "工作调到鼓楼区", target_teaching_point_id=world.tp["102"],
                            attachments=[Upload("工作证明.pdf", PDF)])
    assert shown(world, me, sc)["status_label"] == "待初审"
    # Both teaching points see the transfer; only the one the learner leaves reviews it first.
    assert [r["id"] for r in listed(world, gulou)] == [sc]
    assert code_of(lambda: sc_service.approve_preliminarily(gulou, sc)) == "not_found"
    assert code_of(lambda: sc_service.approve(jiaowu, sc)) == "status_change.not_pending_final_review"
    sc_service.approve_preliminarily(xuanwu, sc, "情况属实")
    assert code_of(lambda: sc_service.approve(xuanwu, sc)) == "auth.role_not_allowed"
    sc_service.approve(jiaowu, sc, "同意转入")
    view = shown(world, gulou, sc)
    assert (view["status_label"], view["preliminary_comment"], view["final_comment"]) == ("复审通过", "情况属实", "同意转入")
    assert view["teaching_point_name"] == "玄武学习中心" and view["target_teaching_point_name"] == "鼓楼学习中心"
    assert view["attachments"] == [{"index": 0, "file_name": "工作证明.pdf", "content_type": "application/pdf", "size": len(PDF)}]
    assert row(world, lid)["teaching_point_id"] == world.tp["102"]
    assert world.container.store.get(lid).teaching_point_id == world.tp["102"]
    # Every step is on the audit trail with who, in which role, for which point, and the request.
    with world.container.engine.connect() as conn:
        steps = history(conn, sc)
        learner_steps = history(conn, lid)
    assert [(s["event_label"], s["actor_name"], s["role"]) for s in steps] == [
        ("申请学籍异动", number, "learner"),
        ("初审通过", "xuanwu", "teaching_point_admin"),
        ("复审通过", "jiaowu", "academic_affairs"),
    ]
    assert steps[1]["teaching_point_id"] == str(world.tp["101"]) and all(s["correlation_id"] for s in steps)
    assert [s["event_label"] for s in learner_steps][-2:] == ["发起学籍异动", "转教学点"]


def test_a_request_the_teaching_point_enters_goes_straight_to_the_school(world):
    sc_service = world.container.status_changes
    lid, number = admit(world, 1)
    xuanwu, jiaowu = world.actor("xuanwu"), world.actor("jiaowu")
    assert code_of(lambda: sc_service.request(xuanwu, "withdrawal", "出国", student_number=number[:-1])) == "not_found"
    sc = sc_service.request(xuanwu, "withdrawal", "出国定居", student_number=number)
    assert shown(world, xuanwu, sc)["status_label"] == "初审通过"
    assert code_of(lambda: sc_service.approve_preliminarily(xuanwu, sc)) == "status_change.not_pending_preliminary_review"
    # One open request at a time.
    assert (
        code_of(lambda: sc_service.request(xuanwu, "withdrawal", "再次", student_number=number))
        == "status_change.already_pending"
    )
    assert code_of(lambda: sc_service.reject(jiaowu, sc, " ")) == "status_change.reason_required"
    sc_service.approve(jiaowu, sc)
    assert row(world, lid)["status"] == "withdrawn"
    assert world.container.store.get(lid).may_study is False
    assert (
        code_of(lambda: sc_service.request(xuanwu, "withdrawal", "再次", student_number=number))
        == "status_change.learner_not_enrolled"
    )


def test_a_teaching_point_acts_only_for_its_own_learners(world):
    sc_service = world.container.status_changes
    lid, number = admit(world, 1)
    gulou, xuanwu = world.actor("gulou"), world.actor("xuanwu")
    assert code_of(lambda: sc_service.request(gulou, "withdrawal", "出国", student_number=number)) == "not_found"
    assert (
        code_of(lambda: sc_service.request(world.actor("jiaowu"), "withdrawal", "出国", learner_id=lid))
        == "auth.role_not_allowed"
    )
    sc = sc_service.request(xuanwu, "withdrawal", "出国", learner_id=lid)
    assert listed(world, gulou) == []  # a withdrawal is the learner's own point's only
    assert code_of(lambda: shown(world, gulou, sc)) == "not_found"
    assert code_of(lambda: sc_service.cancel(gulou, sc)) == "not_found"
    other = as_learner(uuid.uuid4(), "x")
    assert code_of(lambda: sc_service.cancel(other, sc)) == "not_found"
    sc_service.cancel(as_learner(lid, number), sc, "不退了")
    assert shown(world, xuanwu, sc)["status_label"] == "已撤销"
    assert world.container.store.get(lid).pending_status_change_id is None


def test_a_change_of_major_inside_the_window_to_the_same_level(world):
    c = world.container
    sc_service = c.status_changes
    jiaowu, xuanwu = world.actor("jiaowu"), world.actor("xuanwu")
    auditing = c.admissions.register_programme(
        SYSTEM, code="P-ZSB-SJ", level="专升本", learner_type="开放教育", learner_source="开放教育",
        major="审计学", length_of_schooling="2.5年", teaching_point_ids=[world.tp["101"]],
    )
    lid, number = admit(world, 1)

    def ask(target):
        return sc_service.request(xuanwu, "change_of_major", "想学审计", student_number=number, target_programme_id=target)

    assert code_of(lambda: ask(auditing)) == "status_change.no_change_of_major_window"
    assert code_of(lambda: sc_service.set_change_of_major_window(xuanwu, "2026-09-01", "2026-09-15")) == "auth.role_not_allowed"
    sc_service.set_change_of_major_window(jiaowu, "2026-08-01", "2026-08-31")
    assert code_of(lambda: ask(auditing)) == "status_change.outside_change_of_major_window"
    sc_service.set_change_of_major_window(jiaowu, "2026-09-01", "2026-09-15")
    assert code_of(lambda: ask(world.programmes["administration"])) == "status_change.level_differs"
    sc = ask(auditing)
    view = shown(world, xuanwu, sc)
    assert (view["kind_label"], view["major"], view["target_major"]) == ("转专业", "会计学", "审计学")
    sc_service.approve(jiaowu, sc)
    assert row(world, lid)["programme_id"] == auditing
    assert listed(world, xuanwu, major="会计学")[0]["id"] == sc  # listed under the programme it left


def test_proof_files_are_checked_by_content_and_a_refused_file_saves_nothing(world):
    sc_service = world.container.status_changes
    lid, _ = admit(world, 1)
    xuanwu = world.actor("xuanwu")
    ask = lambda *files: sc_service.request(xuanwu, "withdrawal", "出国", learner_id=lid, attachments=list(files))  # noqa: E731
    assert code_of(lambda: ask(Upload("照片.png", b"this is text, not a picture"))) == "upload.type"
    assert (
        code_of(lambda: ask(Upload("a.pdf", PDF), Upload("大.pdf", PDF[:-6] + b" " * (5 * 1024 * 1024) + b"%%EOF\n")))
        == "upload.too_large"
    )
    assert code_of(lambda: ask(*[Upload("a.pdf", PDF)] * 11)) == "status_change.too_many_attachments"
    assert listed(world, xuanwu) == [] and world.container.store.get(lid).pending_status_change_id is None
    sc = ask(Upload("证明.png", png()), Upload("说明.pdf", PDF))
    assert [a["content_type"] for a in shown(world, xuanwu, sc)["attachments"]] == ["image/png", "application/pdf"]


def test_status_changes_and_the_learners_they_changed_rebuild_equal(world):
    c = world.container
    sc_service = c.status_changes
    jiaowu, xuanwu = world.actor("jiaowu"), world.actor("xuanwu")
    moved, _ = admit(world, 1)
    left, _ = admit(world, 2)
    kept, kept_number = admit(world, 3)
    sc_service.approve(
        jiaowu, sc_service.request(xuanwu, "transfer", "搬家", learner_id=moved, target_teaching_point_id=world.tp["102"])
    )
    sc_service.approve(jiaowu, sc_service.request(xuanwu, "withdrawal", "出国", learner_id=left))
    rejected = sc_service.request(as_learner(kept, kept_number), "withdrawal", "考虑中", attachments=[Upload("a.pdf", PDF)])
    sc_service.reject_preliminarily(xuanwu, rejected, "请面谈后再申请")
    sc_service.set_change_of_major_window(jiaowu, "2026-09-01", "2026-09-15")
    sc_service.set_change_of_major_window(jiaowu, "2026-09-01", "2026-09-20")
    live = dump_read_models(c)
    assert len(live["rm_status_changes"]) == 3 and len(live["rm_change_of_major_windows"]) == 1
    c.runner.rebuild(["status_changes", "learners"])
    assert dump_read_models(c) == live
    assert isinstance(c.store.get(kept), Learner) and c.store.get(kept).pending_status_change_id is None


def test_two_requests_racing_for_one_learner_leave_one_open(world):
    """Both see no open request; the Learner's version lets only the first save through."""
    from datetime import datetime

    from domains.learners.status_change import StatusChange

    c = world.container
    lid, _ = admit(world, 1)
    first, second = c.store.get(lid), c.store.get(lid)
    at = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)
    a = StatusChange.request_withdrawal(first, [], Role.TEACHING_POINT_ADMIN, "出国", [], at)
    b = StatusChange.request_withdrawal(second, [], Role.LEARNER, "出国", [], at)
    c.store.save(a, first)
    assert code_of(lambda: c.store.save(b, second)) == "concurrency.conflict"
    assert [r["id"] for r in listed(world, world.actor("jiaowu"))] == [a.id]
    assert c.store.get(lid).pending_status_change_id == a.id


def test_the_learners_status_history_lists_every_change_with_who_decided_it(world):
    """Given a learner's transfer rejected at the preliminary review, a withdrawal they cancelled
    and a transfer the school approved, when the record's status history is read, then it lists
    all three newest first with from → to, the status, and who decided each and when."""
    sc_service = world.container.status_changes
    lid, number = admit(world, 1)
    me = as_learner(lid, number)
    first = sc_service.request(me, "transfer", "想去鼓楼", target_teaching_point_id=world.tp["102"])
    sc_service.reject_preliminarily(world.actor("xuanwu"), first, "材料不全")
    second = sc_service.request(me, "withdrawal", "出国")
    sc_service.cancel(me, second)
    third = sc_service.request(world.actor("xuanwu"), "transfer", "工作调动", learner_id=lid,
                               target_teaching_point_id=world.tp["102"])
    sc_service.approve(world.actor("jiaowu"), third, "同意")
    with world.container.engine.connect() as conn:
        history = status_history(conn, world.actor("gulou"), lid)
    by_id = {h["id"]: h for h in history}
    assert set(by_id) == {first, second, third}
    assert (by_id[first]["status_label"], by_id[first]["closed_by"], by_id[first]["reject_reason"]) == (
        "初审驳回",
        "xuanwu",
        "材料不全",
    )
    assert by_id[first]["preliminary_reviewed_by"] == "xuanwu"
    assert (by_id[second]["kind_label"], by_id[second]["from_label"], by_id[second]["to_label"]) == ("退学", "在籍", "已退学")
    assert (by_id[second]["status_label"], by_id[second]["closed_by"]) == ("已撤销", number)  # the learner withdrew it
    assert (by_id[third]["from_label"], by_id[third]["to_label"], by_id[third]["closed_by"]) == (
        "玄武学习中心",
        "鼓楼学习中心",
        "jiaowu",
    )
    assert (by_id[third]["requested_by"], by_id[third]["preliminary_reviewed_by"]) == ("xuanwu", None)
    assert all(h["closed_at"] for h in history)
