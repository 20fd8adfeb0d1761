"""学籍信息 through the HTTP API: contact details changed at once, the learner's confirmation and
one chance, change requests reviewed by academic affairs with their history, scope, proof files,
problems and the audit trail."""

from __future__ import annotations

import base64
from typing import Any

from tests.http.api_helpers import API, ok, problem
from tests.http.selection_support import learner, learner_login
from tests.photo_support import jpeg, png
from tests.support import make_id_number

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url(lid: str, tail: str = "record") -> str:
    return f"{API}/learners/{lid}/{tail}"


def ask(client: Any, headers: dict[str, str], lid: str, changes: dict[str, Any], **body: Any) -> Any:
    return client.post(url(lid, "record-changes"), json={"changes": changes, **body}, headers=headers)


def review(client: Any, headers: dict[str, str], lid: str, rid: str, action: str, **body: Any) -> Any:
    return client.post(url(lid, f"record-changes/{rid}/{action}"), json=body, headers=headers)


def values(section: list[dict[str, Any]]) -> dict[str, Any]:
    return {f["field"]: f["value"] for f in section}


def test_the_teaching_point_changes_contact_details_at_once(client, login, world):
    lid = learner(client, login, world)
    tp = login("xuanwu")
    shown = ok(client.put(url(lid, "contact-details"),
                          json={"email": "new@example.com", "mobile": "13800001111", "reason": "换号"}, headers=tp))
    assert shown["contact"] == {"email": "new@example.com", "mobile": "13800001111"} and shown["record_status_label"] == "未确认"
    assert ok(client.get(f"{API}/learners/{lid}", headers=login("jiaowu")))["mobile"] == "13800001111"
    # The roster list masks the new mobile and the ID number.
    [row] = ok(client.get(f"{API}/learners", headers=tp))["items"]
    assert row["mobile"] == "138****1111" and "*" in row["id_number"] and row["record_status"] == "unconfirmed"
    problem(client.put(url(lid, "contact-details"), json={"mobile": "1380000111"}, headers=tp), 422, "mobile.malformed")
    problem(client.put(url(lid, "contact-details"), json={"email": "x", "mobile": "13800001111"}, headers=tp), 422)
    problem(client.put(url(lid, "contact-details"), json={"mobile": "13800002222"}, headers=login("gulou")), 404)
    problem(client.put(url(lid, "contact-details"), json={"mobile": "13800002222"}, headers=login("jiaowu")), 403)
    problem(client.put(url(lid, "contact-details"), json={"mobile": "13800002222"}, headers=login("shenji")), 403)
    events = ok(client.get(f"{API}/audit/aggregates/{lid}/events", headers=login("shenji")))["events"]
    assert (events[-1]["event_label"], events[-1]["actor_name"], events[-1]["reason"]) == ("变更联系方式", "xuanwu", "换号")


def test_a_teaching_point_request_with_proof_files_is_approved_and_the_record_changes(client, login, world):
    lid = learner(client, login, world)
    new_id = make_id_number(birth="19921105", seq=9)
    pdf = {"file_name": "身份证.pdf", "content": base64.b64encode(PDF).decode()}
    req = ok(ask(client, login("xuanwu"), lid, {"name": "王晓明", "id_number": new_id}, reason="改名", attachments=[pdf]), 201)
    assert (req["status_label"], req["requested_by_role_label"]) == ("待审核", "教学点管理员")
    assert {c["field"]: c["after"] for c in req["changes"]}["id_number"] == new_id
    assert ok(client.get(url(lid), headers=login("shenji")))["record_status_label"] == "待审核"
    problem(review(client, login("xuanwu"), lid, req["id"], "approval"), 403)
    problem(review(client, login("shenji"), lid, req["id"], "approval"), 403)
    done = ok(review(client, login("jiaowu"), lid, req["id"], "approval", comment="核对无误"))
    assert (done["status_label"], done["comment"]) == ("审核通过", "核对无误")
    shown = ok(client.get(url(lid), headers=login("xuanwu")))
    assert shown["record_status_label"] == "审核通过"
    assert values(shown["basic"])["name"] == "王晓明" and values(shown["basic"])["birth_date"] == "1992-11-05"
    [listed] = shown["requests"]
    assert "*" in {c["field"]: c["after"] for c in listed["changes"]}["id_number"]  # masked in the history
    roster = ok(client.get(f"{API}/learners/{lid}", headers=login("jiaowu")))
    assert (roster["name"], roster["id_number"]) == ("王晓明", new_id)
    r = client.get(url(lid, f"record-changes/{req['id']}/attachments/0"), headers=login("jiaowu"))
    assert r.status_code == 200 and r.content == PDF and r.headers["content-type"].startswith("application/pdf")
    problem(client.get(url(lid, f"record-changes/{req['id']}/attachments/1"), headers=login("jiaowu")), 404)
    problem(review(client, login("jiaowu"), lid, req["id"], "rejection", reason="晚了"), 409, "learner_record.not_pending")
    trail = ok(client.get(f"{API}/audit/aggregates/{req['id']}/events", headers=login("shenji")))["events"]
    assert [(e["event_label"], e["role"]) for e in trail] == [
        ("申请变更学籍信息", "teaching_point_admin"), ("审核通过", "academic_affairs")]


def test_the_learner_uses_their_one_chance_then_confirms(client, login, world):
    lid = learner(client, login, world)
    me = learner_login(client, world, lid)
    shown = ok(client.get(url(lid), headers=me))
    assert (shown["record_status_label"], shown["may_confirm"], shown["may_request_by_learner"]) == ("未确认", True, True)
    req = ok(ask(client, me, lid, {"ethnicity": "回族"}, reason="民族登记错误"), 201)
    assert req["requested_by_role_label"] == "学生"
    problem(review(client, login("jiaowu"), lid, req["id"], "rejection", reason=" "), 422, "learner_record.reason_required")
    rejected = ok(review(client, login("jiaowu"), lid, req["id"], "rejection", reason="与户口本一致，无需修改"))
    assert (rejected["status_label"], rejected["reject_reason"]) == ("审核驳回", "与户口本一致，无需修改")
    shown = ok(client.get(url(lid), headers=me))
    assert shown["record_status_label"] == "审核驳回" and values(shown["basic"])["ethnicity"] == "汉族"
    assert shown["may_request_by_learner"] is False
    problem(ask(client, me, lid, {"ethnicity": "壮族"}), 409, "learner_record.self_request_used")
    assert ok(client.post(url(lid, "record-confirmation"), headers=me))["record_status_label"] == "已确认"
    problem(client.post(url(lid, "record-confirmation"), headers=me), 409, "learner_record.already_confirmed")
    problem(client.post(url(lid, "record-confirmation"), headers=login("xuanwu")), 403)
    # The teaching point may still ask for its learner; the history keeps both requests.
    ok(ask(client, login("xuanwu"), lid, {"ethnicity": "壮族"}), 201)
    history = ok(client.get(url(lid, "record-changes"), headers=me))
    assert history["total"] == 2 and [i["status_label"] for i in history["items"]] == ["待审核", "审核驳回"]


def test_scope_and_malformed_requests_are_answered_as_problems(client, login, world):
    lid = learner(client, login, world)
    other = learner(client, login, world, 2)
    me = learner_login(client, world, lid)
    tp = login("xuanwu")
    problem(client.get(url(other), headers=me), 404)
    problem(ask(client, me, other, {"ethnicity": "回族"}), 404)
    problem(client.get(url(lid), headers=login("gulou")), 404)
    problem(ask(client, login("gulou"), lid, {"ethnicity": "回族"}), 404)
    problem(ask(client, login("jiaowu"), lid, {"ethnicity": "回族"}), 403)
    problem(ask(client, login("shenji"), lid, {"ethnicity": "回族"}), 403)
    problem(ask(client, tp, lid, {}), 422, "learner_record.nothing_changed")
    problem(ask(client, tp, lid, {"mobile": "13800001111"}), 422, "learner_record.contact_not_by_request")
    problem(ask(client, tp, lid, {"student_number": "1"}), 422, "learner_record.field_unknown")
    problem(ask(client, tp, lid, {"id_number": "123456"}), 422)
    problem(client.post(url(lid, "record-changes"), json={"changes": "name"}, headers=tp), 422, "request.invalid")
    disguised = {"file_name": "证明.png", "content": base64.b64encode(b"GIF89a not a png").decode()}
    body = problem(ask(client, tp, lid, {"ethnicity": "回族"}, attachments=[disguised]), 422, "upload.type")
    assert "PNG" in body["detail"]
    huge = {"file_name": "大.pdf", "content": base64.b64encode(b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024)).decode()}
    problem(ask(client, tp, lid, {"ethnicity": "回族"}, attachments=[huge]), 422)
    assert ok(client.get(url(lid, "record-changes"), headers=tp))["total"] == 0  # nothing half-saved
    req = ok(ask(client, tp, lid, {"prior_major": "会计"}), 201)
    problem(ask(client, tp, lid, {"prior_major": "审计"}), 409, "learner_record.pending_review")
    problem(client.get(url(other, f"record-changes/{req['id']}"), headers=login("jiaowu")), 404)
    problem(review(client, login("jiaowu"), other, req["id"], "approval"), 404)
    problem(client.post(url(lid, "record-confirmation"), headers=me), 409, "learner_record.pending_review")
    assert ok(client.get(url(lid, f"record-changes/{req['id']}"), headers=login("shenji")))["status_label"] == "待审核"


def test_academic_affairs_finds_pending_requests_in_the_review_queue(client, login, world):
    first = learner(client, login, world)
    second = learner(client, login, world, 2)
    elsewhere = learner(client, login, world, 3, tp_admin="gulou")
    for lid, admin in ((first, "xuanwu"), (second, "xuanwu"), (elsewhere, "gulou")):
        ok(ask(client, login(admin), lid, {"prior_major": "会计"}), 201)
    queue = f"{API}/record-changes"
    pending = ok(client.get(queue, params={"status": "pending_review"}, headers=login("jiaowu")))
    assert pending["total"] == 3 and {i["learner_id"] for i in pending["items"]} == {first, second, elsewhere}
    [item] = ok(client.get(queue, params={"name": pending["items"][0]["learner_name"]}, headers=login("jiaowu")))["items"]
    assert item["student_number"] and item["teaching_point_name"] and item["status_label"] == "待审核"
    ok(review(client, login("jiaowu"), first, next(i["id"] for i in pending["items"] if i["learner_id"] == first), "approval"))
    assert ok(client.get(queue, params={"status": "pending_review"}, headers=login("shenji")))["total"] == 2
    assert ok(client.get(queue, headers=login("xuanwu")))["total"] == 2  # its own learners only
    assert ok(client.get(queue, headers=login("gulou")))["total"] == 1
    me = learner_login(client, world, second, 2)
    assert [i["learner_id"] for i in ok(client.get(queue, headers=me))["items"]] == [second]


def attached(name: str, content: bytes) -> dict[str, str]:
    return {"file_name": name, "content": base64.b64encode(content).decode()}


def test_a_learner_signed_in_with_their_student_number_serves_themselves(client, login, world):
    """学生自助: the learner logs in with the student number, finds their record, asks for their
    one change with proof files, follows its status, confirms the record once it is approved,
    and asks for a status change with a proof file, following it on their record."""
    lid = learner(client, login, world)
    other = learner(client, login, world, 2)
    me = learner_login(client, world, lid)
    account = ok(client.get(f"{API}/me", headers=me))
    assert account["learner_id"] == lid and account["roles"] == ["learner"]
    assert ok(client.get(f"{API}/learners/{lid}", headers=me))["student_number"] == account["username"]
    shown = ok(client.get(url(lid), headers=me))
    assert (shown["record_status_label"], shown["may_confirm"], shown["may_request_by_learner"]) == ("未确认", True, True)

    files = [attached("户口本.png", png()), attached("说明.pdf", PDF)]
    req = ok(ask(client, me, lid, {"ethnicity": "回族"}, reason="民族登记错误", attachments=files), 201)
    assert (req["status_label"], req["requested_by_role_label"]) == ("待审核", "学生")
    assert [(a["file_name"], a["content_type"]) for a in req["attachments"]] == [
        ("户口本.png", "image/png"), ("说明.pdf", "application/pdf"),
    ]
    r = client.get(url(lid, f"record-changes/{req['id']}/attachments/1"), headers=me)
    assert r.status_code == 200 and r.content == PDF
    shown = ok(client.get(url(lid), headers=me))
    assert (shown["record_status_label"], shown["may_confirm"], shown["pending_request_id"]) == ("待审核", False, req["id"])
    problem(ask(client, me, lid, {"ethnicity": "壮族"}), 409, "learner_record.pending_review")
    problem(client.post(url(lid, "record-confirmation"), headers=me), 409, "learner_record.pending_review")
    # Another learner's record, requests and proof files are not theirs to see.
    problem(client.get(url(other), headers=me), 404)
    other_me = learner_login(client, world, other, 2)
    problem(client.get(url(lid, f"record-changes/{req['id']}/attachments/0"), headers=other_me), 404)
    problem(client.get(url(lid, f"record-changes/{req['id']}"), headers=other_me), 404)

    ok(review(client, login("jiaowu"), lid, req["id"], "approval", comment="已核对户口本"))
    shown = ok(client.get(url(lid), headers=me))
    assert shown["record_status_label"] == "审核通过" and values(shown["basic"])["ethnicity"] == "回族"
    assert [(i["status_label"], i["comment"]) for i in shown["requests"]] == [("审核通过", "已核对户口本")]
    assert shown["may_request_by_learner"] is False and shown["may_confirm"] is True
    assert ok(client.post(url(lid, "record-confirmation"), headers=me))["record_status_label"] == "已确认"

    sc = ok(client.post(f"{API}/status-changes", json={
        "kind": "withdrawal", "reason": "出国定居", "attachments": [attached("签证.jpg", jpeg(None))],
    }, headers=me), 201)
    assert (sc["kind_label"], sc["status_label"], sc["learner_id"]) == ("退学", "待初审", lid)
    assert [i["id"] for i in ok(client.get(f"{API}/status-changes", headers=me))["items"]] == [sc["id"]]
    assert ok(client.get(f"{API}/status-changes", headers=other_me))["total"] == 0
    [history] = ok(client.get(url(lid), headers=me))["status_history"]
    assert (history["kind_label"], history["status_label"], history["requested_by_role_label"]) == ("退学", "待初审", "学生")


def test_a_learners_malformed_proof_files_are_refused_and_their_one_chance_kept(client, login, world):
    """A file disguised by its name, an oversized one, or a wrong type among good ones: the
    request is refused with what is wrong, nothing is saved, and the one chance is kept."""
    lid = learner(client, login, world)
    me = learner_login(client, world, lid)
    disguised = attached("证明.pdf", b"MZ\x90\x00 an executable renamed .pdf")
    body = problem(ask(client, me, lid, {"ethnicity": "回族"}, attachments=[disguised]), 422, "upload.type")
    assert "证明材料“证明.pdf”须为 PDF、JPG、PNG 文件（按文件内容识别" in body["detail"]
    gif = attached("照片.jpg", b"GIF89a\x01\x00\x01\x00")
    body = problem(ask(client, me, lid, {"ethnicity": "回族"}, attachments=[attached("a.pdf", PDF), gif]), 422, "upload.type")
    assert "照片.jpg" in body["detail"]
    huge = attached("大.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024) + b"\n%%EOF\n")
    body = problem(ask(client, me, lid, {"ethnicity": "回族"}, attachments=[huge]), 422, "upload.too_large")
    assert "不能超过 5 MB" in body["detail"]
    broken_png = attached("坏.png", png()[:60])
    problem(ask(client, me, lid, {"ethnicity": "回族"}, attachments=[broken_png]), 422, "upload.type")
    problem(ask(client, me, lid, {"ethnicity": "回族"}, attachments=[attached("a.pdf", PDF)] * 11),
            422, "status_change.too_many_attachments")
    shown = ok(client.get(url(lid), headers=me))
    assert (shown["requests"], shown["may_request_by_learner"], shown["record_status_label"]) == ([], True, "未确认")
    sc = {"kind": "withdrawal", "reason": "出国", "attachments": [disguised]}
    problem(client.post(f"{API}/status-changes", json=sc, headers=me), 422, "upload.type")
    assert ok(client.get(f"{API}/status-changes", headers=me))["total"] == 0
