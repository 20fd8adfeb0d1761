"""电子照片 through the HTTP API: upload, history, the photo in use, delete of the latest, ZIP import
with a verdict per file, an export job named by ID number or student number, and malformed uploads (a
PNG renamed .jpg, an oversized photo, a corrupt ZIP, `../` names) refused with clear messages."""

from __future__ import annotations

import io
import time
import uuid
import zipfile
from typing import Any

from application.common.jobs import JobBusy
from tests.http.api_helpers import API, ok, problem
from tests.http.selection_support import learner
from tests.photo_support import jpeg, png, zip_of
from tests.support import make_id_number

IMPORTS = f"{API}/learner-photos/imports"
EXPORTS = f"{API}/learner-photos/exports"


def send(client: Any, headers: dict[str, str], learner_id: str, name: str, content: bytes) -> Any:
    return client.post(f"{API}/learners/{learner_id}/photos", files={"file": (name, content, "image/jpeg")}, headers=headers)


def send_zip(client: Any, headers: dict[str, str], content: bytes) -> Any:
    return client.post(IMPORTS, files={"file": ("照片.zip", content, "application/zip")}, headers=headers)


def finished(client: Any, headers: dict[str, str], world: Any, job_id: str) -> dict[str, Any]:
    """The import once its job has run: running it here is harmless when the background worker
    got there first (a finished job is never run twice); while the worker holds it, wait."""
    for _ in range(2000):
        try:
            world.container.learner_photos.run(uuid.UUID(job_id))
            break
        except JobBusy:
            time.sleep(0.05)
    return ok(client.get(f"{IMPORTS}/{job_id}", headers=headers))


def exported(client: Any, headers: dict[str, str], world: Any, **body: Any) -> dict[str, Any]:
    """Start an export and answer it once its job has run (as `finished` does for imports)."""
    job = ok(client.post(EXPORTS, json=body, headers=headers), 202)
    for _ in range(2000):
        try:
            world.container.learner_photos.run_export(uuid.UUID(job["id"]))
            break
        except JobBusy:
            time.sleep(0.05)
    return ok(client.get(f"{EXPORTS}/{job['id']}", headers=headers))


def zip_names(r: Any) -> list[str]:
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip", r.text
    with zipfile.ZipFile(io.BytesIO(r.content)) as archive:
        return archive.namelist()


def test_upload_history_current_photo_and_delete_of_the_latest(client, login, world):
    lid = learner(client, login, world)
    tp = login("xuanwu")
    problem(client.get(f"{API}/learners/{lid}/photo", headers=tp), 404, "photo.none")
    first, second = jpeg(25), jpeg(32, quality=70)
    assert ok(send(client, tp, lid, "a.jpg", first), 201)["status_label"] == "已上传"
    shown = ok(send(client, tp, lid, f"{make_id_number(seq=1)}.JPG", second), 201)
    assert [(p["number"], p["status_label"]) for p in shown["photos"]] == [(2, "使用中"), (1, "历史照片")]
    assert shown["current"]["quality"] == 70 and "ref" not in shown["current"]
    r = client.get(f"{API}/learners/{lid}/photo", headers=login("jiaowu"))
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg" and r.content == second

    shown = ok(client.delete(f"{API}/learners/{lid}/photos/latest", headers=tp))
    assert shown["current"] is None and shown["status_label"] == "未上传"
    assert [p["status_label"] for p in ok(client.get(f"{API}/learners/{lid}/photos", headers=tp))["photos"]] == [
        "已删除", "历史照片",
    ]
    problem(client.get(f"{API}/learners/{lid}/photo", headers=tp), 404, "photo.none")
    problem(client.delete(f"{API}/learners/{lid}/photos/latest", headers=tp), 409, "photo.none")
    # other teaching points and read-only staff
    problem(client.get(f"{API}/learners/{lid}/photos", headers=login("gulou")), 404)
    problem(send(client, login("gulou"), lid, "a.jpg", first), 404)
    problem(send(client, login("shenji"), lid, "a.jpg", first), 403)
    shown = ok(client.get(f"{API}/learners/{lid}/photos", headers=login("shenji")))
    assert len(shown["photos"]) == 2
    # every upload and the deletion are on the audit trail, with who did them
    events = ok(client.get(f"{API}/audit/aggregates/{shown['audit_id']}/events", headers=login("shenji")))["events"]
    assert [e["event_label"] for e in events] == ["建立电子照片档案", "上传电子照片", "上传电子照片", "删除最新电子照片"]


def test_malformed_photos_are_refused_with_what_is_wrong(client, login, world):
    lid = learner(client, login, world)
    tp = login("xuanwu")
    body = problem(send(client, tp, lid, "me.jpg", png()), 422, "photo.spec")
    assert body["problems"][0] == "文件内容是 PNG 图片而不是 JPEG（虽然扩展名为 .jpg），须为 JPEG 格式"
    body = problem(send(client, tp, lid, "me.jpg", jpeg(48)), 422, "photo.spec")
    assert body["problems"] == ["文件大小为 48.0 KB，须在 20 KB 至 40 KB 之间"]
    body = problem(send(client, tp, lid, "me.jpg", jpeg(30, width=600, height=800)), 422, "photo.spec")
    assert "尺寸为宽 600 × 高 800 像素，须为宽 480 × 高 640 像素" in body["problems"]
    body = problem(send(client, tp, lid, "me.jpg", jpeg(30)[:4000]), 422, "photo.spec")
    assert body["problems"] == ["文件已损坏或不是图片，须为 JPEG 格式的照片"]
    body = problem(send(client, tp, lid, "big.jpg", jpeg(300)), 422, "photo.spec")
    assert body["problems"] == ["文件大小为 300.0 KB，须在 20 KB 至 40 KB 之间"]
    body = problem(send(client, tp, lid, "huge.jpg", b"\xff\xd8\xff" + b"0" * (3 * 1024 * 1024)), 422, "photo.spec")
    assert body["problems"] == ["文件大小超过 2 MB，须在 20 KB 至 40 KB 之间"]
    problem(client.post(f"{API}/learners/{lid}/photos", files={"other": ("a.jpg", jpeg(30))}, headers=tp),
            422, "upload.file_required")
    assert ok(client.get(f"{API}/learners/{lid}/photos", headers=tp))["photos"] == []


def test_zip_import_verdicts_and_bad_archives_refused_whole(client, login, world):
    a = learner(client, login, world, seq=1)
    b = learner(client, login, world, seq=2)
    tp = login("xuanwu")
    job = ok(send_zip(client, tp, zip_of({
        f"{make_id_number(seq=1)}.JPG": jpeg(30),
        f"{make_id_number(seq=2)}.JPG": png(),
        f"{make_id_number(seq=9)}.JPG": jpeg(30),
    })), 202)  # fmt: skip
    assert job["total"] == 3 and job["filename"] == "照片.zip"
    result = finished(client, tp, world, job["id"])
    assert (result["status_label"], result["succeeded"], result["failed"]) == ("已完成", 1, 2)
    messages = [f["message"].split("：", 1)[1] for f in result["files"]]
    assert messages[0] == "已导入" and "而不是 JPEG" in messages[1] and messages[2] == "本教学点没有该证件号码的学生"
    problem(client.get(f"{IMPORTS}/{job['id']}", headers=login("gulou")), 404)
    assert ok(client.get(f"{API}/learners/{a}/photos", headers=tp))["status_label"] == "已上传"

    good = {f"{make_id_number(seq=2)}.JPG": jpeg(30)}
    for archive, words in [
        (b"PK\x03\x04broken", "压缩包已损坏"),
        (zip_of({**good, "../x.jpg": jpeg(30)}), "不安全的文件路径“../x.jpg”"),
        (zip_of({**good, "big.jpg": b"\0" * (3 * 1024 * 1024)}), "解压后过大"),
        (jpeg(30), "文件不是 ZIP 压缩包"),
    ]:
        body = problem(send_zip(client, tp, archive), 422, "photo.zip_invalid")
        assert words in body["detail"] and body["detail"].endswith("整个压缩包未导入")
    assert ok(client.get(f"{API}/learners/{b}/photos", headers=tp))["photos"] == []  # nothing half-imported
    problem(send_zip(client, login("jiaowu"), zip_of(good)), 403)


def encrypted_zip(name: str, content: bytes) -> bytes:
    """A ZIP whose entry says it is encrypted (general purpose flag bit 0, in the local and the
    central header): what an archiver writes for a password-protected file."""
    data = bytearray(zip_of({name: content}))
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + flags_at
        data[at] |= 0x1
    return bytes(data)


def test_more_malformed_archives_are_refused_whole_with_what_is_wrong(client, login, world):
    a = learner(client, login, world, seq=1)
    tp = login("xuanwu")
    good = {f"{make_id_number(seq=1)}.JPG": jpeg(30)}
    whole = zip_of({**good, f"{make_id_number(seq=2)}.JPG": jpeg(30)})
    for archive, words in [
        (zip_of({**good, "..\\..\\x.jpg": jpeg(30)}), "不安全的文件路径"),
        (zip_of({**good, "C:/照片/x.jpg": jpeg(30)}), "不安全的文件路径"),
        (encrypted_zip(f"{make_id_number(seq=1)}.JPG", jpeg(30)), "压缩包已加密，请去掉密码后再上传"),
        (whole[: len(whole) // 2], "压缩包已损坏，无法读取"),  # cut off in the middle
        (zip_of({"__MACOSX/._a.jpg": b"x", "照片/": b""}), "压缩包中没有照片"),
    ]:
        body = problem(send_zip(client, tp, archive), 422, "photo.zip_invalid")
        assert words in body["detail"] and body["detail"].endswith("整个压缩包未导入"), body["detail"]
    # Larger than a request may be: refused before it is read, with a message for people.
    body = problem(send_zip(client, tp, b"PK\x03\x04" + b"0" * (21 * 1024 * 1024)), 413, "request.too_large")
    assert "上传的内容过大" in body["detail"]
    assert ok(client.get(f"{API}/learners/{a}/photos", headers=tp))["photos"] == []  # nothing half-imported


def test_export_job_by_id_number_or_student_number(client, login, world):
    a = learner(client, login, world, seq=1)
    b = learner(client, login, world, seq=2)
    tp = login("xuanwu")
    ok(send(client, tp, a, "a.jpg", jpeg(30)), 201)
    number = ok(client.get(f"{API}/learners/{a}", headers=tp))["student_number"]
    other = ok(client.get(f"{API}/learners/{b}", headers=tp))["student_number"]
    job = exported(client, tp, world, naming="student_number")
    assert (job["status_label"], job["total"], job["succeeded"], job["failed"]) == ("已完成", 2, 1, 1)
    assert [(x["learner_id"], x["ok"]) for x in job["learners"]] == [(a, True), (b, False)]
    assert job["learners"][1]["message"].startswith(f"{other} ")  # by student number, never by ID number
    assert job["learners"][1]["message"].endswith("没有使用中的电子照片，未导出") and job["downloadable"] is True
    r = client.get(f"{EXPORTS}/{job['id']}/file", headers=tp)
    assert zip_names(r) == [f"{number}.JPG"]
    with zipfile.ZipFile(io.BytesIO(r.content)) as archive:
        assert archive.read(f"{number}.JPG") == jpeg(30)
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    # Only the user who started the export sees it or downloads it.
    for user in ("gulou", "jiaowu", "shenji"):
        problem(client.get(f"{EXPORTS}/{job['id']}", headers=login(user)), 404)
        problem(client.get(f"{EXPORTS}/{job['id']}/file", headers=login(user)), 404)
    school = exported(client, login("jiaowu"), world, naming="id_number", student_number=number)
    assert zip_names(client.get(f"{EXPORTS}/{school['id']}/file", headers=login("jiaowu"))) == [f"{make_id_number(seq=1)}.JPG"]
    assert school["total"] == 1
    assert exported(client, tp, world, naming="id_number", photo_status="uploaded")["total"] == 1
    problem(client.post(EXPORTS, json={"naming": "id_number", "photo_status": "x"}, headers=tp), 422, "photo.status")

    listed = ok(client.get(f"{API}/learner-photos", headers=tp))
    assert (listed["items"][0]["student_number"], listed["items"][0]["photo_status_label"]) == (number, "已上传")
    assert [i["photo_status_label"] for i in listed["items"]] == ["已上传", "未上传"]
    assert "*" in listed["items"][0]["id_number"]
    missing = ok(client.get(f"{API}/learner-photos", params={"photo_status": "missing"}, headers=tp))
    assert missing["total"] == 1 and missing["items"][0]["student_number"] != number
    assert ok(client.get(f"{API}/learner-photos", headers=login("gulou")))["total"] == 0
    problem(client.get(f"{API}/learner-photos", params={"photo_status": "x"}, headers=tp), 422, "photo.status")
    problem(client.post(EXPORTS, json={"naming": "name"}, headers=tp), 422, "photo.naming")
    problem(client.post(EXPORTS, json={"naming": "id_number"}, headers=login("gulou")), 422, "photo.export_empty")
    problem(client.post(EXPORTS, json={"naming": 5}, headers=tp), 422)
    problem(client.get(f"{EXPORTS}/{uuid.uuid4()}", headers=tp), 404)


def test_an_export_not_finished_cannot_be_downloaded_yet(client, login, world):
    a = learner(client, login, world, seq=1)
    tp = login("xuanwu")
    ok(send(client, tp, a, "a.jpg", jpeg(30)), 201)
    world.container.jobs.stop_worker()  # the background worker takes no job while this looks
    job = ok(client.post(EXPORTS, json={"naming": "id_number"}, headers=tp), 202)
    assert (job["status_label"], job["downloadable"], job["learners"]) == ("排队中", False, [])
    problem(client.get(f"{EXPORTS}/{job['id']}/file", headers=tp), 409, "photo.export_not_ready")


def test_photo_work_never_logs_id_numbers(client, login, world, log_output, caplog):
    lid = learner(client, login, world, seq=1)
    tp = login("xuanwu")
    name = f"{make_id_number(seq=1)}.JPG"
    ok(send(client, tp, lid, name, jpeg(30)), 201)
    problem(send(client, tp, lid, name, png()), 422)
    job = ok(send_zip(client, tp, zip_of({name: jpeg(31), f"{make_id_number(seq=7)}.JPG": jpeg(30)})), 202)
    finished(client, tp, world, job["id"])
    problem(send_zip(client, tp, zip_of({f"../{name}": jpeg(30)})), 422)
    job = exported(client, tp, world, naming="id_number")
    assert client.get(f"{EXPORTS}/{job['id']}/file", headers=tp).status_code == 200
    written = log_output.getvalue() + caplog.text
    assert "photo" in written or "job" in written  # the capture saw the requests
    for secret in (make_id_number(seq=1), make_id_number(seq=7)):
        assert secret not in written
