"""Learner photos through the use cases: one photo for a chosen learner, a ZIP of many named by
ID number (each with its verdict, a bad archive refused whole), the latest kept in use and
deletable, an export job named by ID number or student number for the user who started it, scope,
and rebuilds."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select

from application.common.filters import RosterFilter
from application.common.jobs import ItemResult
from application.learners.photo_projection import get_photo_export, get_photo_import, photo_history
from application.learners.photos import EXPORT_KIND, IMPORT_KIND
from application.learners.projection import learners
from domains.shared.errors import DomainError
from tests.application.test_status_changes import admit, code_of
from tests.application.workload import dump_read_models
from tests.photo_support import jpeg, png, zip_of


def id_number(world, learner_id) -> str:
    with world.container.engine.connect() as conn:
        return conn.execute(select(learners.c.id_number).where(learners.c.id == learner_id)).scalar_one()


def history(world, learner_id, user="xuanwu"):
    with world.container.engine.connect() as conn:
        return photo_history(conn, world.actor(user), learner_id)


def imported(world, job_id, user="xuanwu"):
    with world.container.engine.connect() as conn:
        return get_photo_import(conn, world.actor(user), job_id, IMPORT_KIND)


def test_every_upload_is_kept_the_latest_used_and_deleting_it_leaves_none(world):
    photos = world.container.learner_photos
    learner_id, _ = admit(world, 1)
    first, second = jpeg(25), jpeg(35, quality=80)
    photos.upload(world.actor("xuanwu"), learner_id, "me.jpg", first)
    photos.upload(world.actor("xuanwu"), learner_id, f"{id_number(world, learner_id)}.JPG", second)
    shown = history(world, learner_id)
    assert shown["status_label"] == "已上传"
    assert [p["number"] for p in shown["photos"]] == [2, 1]
    assert [p["status_label"] for p in shown["photos"]] == ["使用中", "历史照片"]
    assert shown["current"]["quality"] == 80 and shown["current"]["size"] == 35 * 1024
    assert photos.current_photo(world.actor("jiaowu"), learner_id) == second

    photos.delete_latest(world.actor("xuanwu"), learner_id)
    shown = history(world, learner_id)
    assert shown["current"] is None and shown["status_label"] == "未上传"
    assert [p["status_label"] for p in shown["photos"]] == ["已删除", "历史照片"]
    assert code_of(lambda: photos.current_photo(world.actor("xuanwu"), learner_id)) == "photo.none"
    assert code_of(lambda: photos.delete_latest(world.actor("xuanwu"), learner_id)) == "photo.none"


def test_a_photo_missing_the_spec_is_refused_with_every_problem(world):
    photos = world.container.learner_photos
    learner_id, _ = admit(world, 1)
    with pytest.raises(DomainError) as info:
        photos.upload(world.actor("xuanwu"), learner_id, "me.jpg", png())
    assert info.value.code == "photo.spec"
    assert "文件内容是 PNG 图片而不是 JPEG（虽然扩展名为 .jpg）" in info.value.message
    other, _ = admit(world, 2)
    wrong_name = f"{id_number(world, other)}.JPG"
    with pytest.raises(DomainError) as info:
        photos.upload(world.actor("xuanwu"), learner_id, wrong_name, jpeg(30))
    assert info.value.details["problems"] == ["文件名中的证件号码与该学生的证件号码不一致"]
    assert history(world, learner_id)["photos"] == []


def test_scope_and_roles(world):
    photos = world.container.learner_photos
    learner_id, _ = admit(world, 1)
    assert code_of(lambda: photos.upload(world.actor("gulou"), learner_id, "a.jpg", jpeg(30))) == "not_found"
    assert code_of(lambda: photos.upload(world.actor("jiaowu"), learner_id, "a.jpg", jpeg(30))) == "auth.role_not_allowed"
    assert code_of(lambda: history(world, learner_id, "gulou")) == "not_found"


def test_a_zip_gives_one_verdict_per_photo_and_imports_the_good_ones(world):
    photos = world.container.learner_photos
    a, _ = admit(world, 1)
    b, _ = admit(world, 2)
    elsewhere, _ = admit(world, 3, admin="gulou", programme="accounting")
    archive = zip_of({
        f"照片/{id_number(world, a)}.JPG": jpeg(30),
        f"照片/{id_number(world, b)}.jpg": jpeg(45),
        f"{id_number(world, elsewhere)}.JPG": jpeg(30),
        "readme.txt": b"hello",
        "__MACOSX/._x.jpg": b"junk",
    })  # fmt: skip
    job_id = photos.start_import(world.actor("xuanwu"), "照片.zip", archive)
    photos.run(job_id)
    photos.run(job_id)  # a second delivery of the job changes nothing
    result = imported(world, job_id)
    assert (result["status_label"], result["total"], result["succeeded"], result["failed"]) == ("已完成", 4, 1, 3)
    assert [f["message"] for f in result["files"]] == [
        f"照片/{id_number(world, a)}.JPG：已导入",
        f"照片/{id_number(world, b)}.jpg：文件大小为 45.0 KB，须在 20 KB 至 40 KB 之间",
        f"{id_number(world, elsewhere)}.JPG：本教学点没有该证件号码的学生",
        "readme.txt：文件扩展名须为 .JPG；文件已损坏或不是图片，须为 JPEG 格式的照片",
    ]
    assert result["files"][0]["learner_id"] == a and result["files"][0]["ok"] is True
    assert len(history(world, a)["photos"]) == 1
    assert history(world, b)["photos"] == []


def test_a_second_photo_of_the_same_learner_in_one_zip_is_refused(world):
    photos = world.container.learner_photos
    a, _ = admit(world, 1)
    archive = zip_of({f"{id_number(world, a)}.JPG": jpeg(30), f"again/{id_number(world, a)}.jpg": jpeg(31)})
    job_id = photos.start_import(world.actor("xuanwu"), "照片.zip", archive)
    photos.run(job_id)
    result = imported(world, job_id)
    assert result["files"][1]["message"].endswith("与压缩包中第 1 个文件是同一学生的照片，本张未导入")
    assert code_of(lambda: imported(world, job_id, "gulou")) == "not_found"


@pytest.mark.parametrize(
    ("archive", "message"),
    [
        (b"PK\x03\x04 this is no zip at all", "压缩包已损坏，无法读取"),
        (png(), "文件不是 ZIP 压缩包"),
        ("traversal", "不安全的文件路径“../x.jpg”"),
        ("absolute", "不安全的文件路径“/etc/x.jpg”"),
        ("bomb", "解压后过大"),
    ],
)
def test_a_bad_archive_is_refused_whole(world, archive, message):
    photos = world.container.learner_photos
    learner_id, _ = admit(world, 1)
    good = {f"{id_number(world, learner_id)}.JPG": jpeg(30)}
    if archive == "traversal":
        archive = zip_of({**good, "../x.jpg": jpeg(30)})
    elif archive == "absolute":
        archive = zip_of({**good, "/etc/x.jpg": jpeg(30)})
    elif archive == "bomb":
        archive = zip_of({**good, "big.jpg": b"\0" * (3 * 1024 * 1024)})
    with pytest.raises(DomainError) as info:
        photos.start_import(world.actor("xuanwu"), "照片.zip", archive)
    assert info.value.code == "photo.zip_invalid" and message in info.value.message
    assert info.value.message.endswith("整个压缩包未导入")
    assert history(world, learner_id)["photos"] == []


def exported(world, job_id, user="xuanwu"):
    with world.container.engine.connect() as conn:
        return get_photo_export(conn, world.actor(user), job_id, EXPORT_KIND)


def names_in(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.namelist()


def test_an_export_job_packs_each_photo_named_as_chosen_and_lists_learners_without_one(world):
    photos = world.container.learner_photos
    a, number_a = admit(world, 1)
    b, number_b = admit(world, 2)
    photos.upload(world.actor("xuanwu"), a, "a.jpg", jpeg(30))
    job_id = photos.start_export(world.actor("xuanwu"), RosterFilter(), "student_number")
    job = exported(world, job_id)
    assert (job["status_label"], job["total"], job["downloadable"]) == ("排队中", 2, False)
    assert code_of(lambda: photos.exported_zip(world.actor("xuanwu"), job_id)) == "photo.export_not_ready"
    photos.run_export(job_id)
    photos.run_export(job_id)  # a second delivery of the job changes nothing
    job = exported(world, job_id)
    assert (job["status_label"], job["succeeded"], job["failed"], job["downloadable"]) == ("已完成", 1, 1, True)
    assert [(x["ok"], x["learner_id"]) for x in job["learners"]] == [(True, a), (False, b)]
    assert job["learners"][1]["message"].endswith("没有使用中的电子照片，未导出")
    assert number_b in job["learners"][1]["message"]
    title, content = photos.exported_zip(world.actor("xuanwu"), job_id)
    assert title == "电子照片（按学号命名）.zip"
    assert names_in(content) == [f"{number_a}.JPG"]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.read(f"{number_a}.JPG") == jpeg(30)

    school = photos.start_export(world.actor("jiaowu"), RosterFilter(student_number=number_a), "id_number")
    photos.run_export(school)
    assert names_in(photos.exported_zip(world.actor("jiaowu"), school)[1]) == [f"{id_number(world, a)}.JPG"]


def test_an_export_belongs_to_the_user_who_started_it(world):
    photos = world.container.learner_photos
    a, _ = admit(world, 1)
    photos.upload(world.actor("xuanwu"), a, "a.jpg", jpeg(30))
    job_id = photos.start_export(world.actor("xuanwu"), RosterFilter(), "id_number")
    photos.run_export(job_id)
    for other in ("gulou", "jiaowu", "shenji"):
        assert code_of(lambda who=other: exported(world, job_id, who)) == "not_found"
        assert code_of(lambda who=other: photos.exported_zip(world.actor(who), job_id)) == "not_found"
    assert code_of(lambda: photos.start_export(world.actor("gulou"), RosterFilter(), "id_number")) == "photo.export_empty"
    assert code_of(lambda: photos.start_export(world.actor("xuanwu"), RosterFilter(), "name")) == "photo.naming"


def test_an_export_cut_short_packs_every_photo_when_run_again(world):
    photos = world.container.learner_photos
    learners_ = [admit(world, n) for n in (1, 2, 3)]
    for learner_id, _ in learners_:
        photos.upload(world.actor("xuanwu"), learner_id, "a.jpg", jpeg(30))
    job_id = photos.start_export(world.actor("xuanwu"), RosterFilter(), "student_number")
    state = photos.exports.state
    claim = state.claim(job_id, 300)
    photos.exports.each_item(claim.job, claim.token, [1, 2], lambda numbers: [
        ItemResult(n, True, None, "已导出", learners_[n - 1][0]) for n in numbers
    ])  # an earlier run packed two photos into a ZIP it never kept
    state.release(job_id, claim.token)
    photos.run_export(job_id)
    job = exported(world, job_id)
    assert (job["status_label"], job["succeeded"]) == ("已完成", 3)
    assert sorted(names_in(photos.exported_zip(world.actor("xuanwu"), job_id)[1])) == sorted(
        f"{number}.JPG" for _, number in learners_
    )


def test_photos_rebuild_equal(world):
    c = world.container
    learner_id, _ = admit(world, 1)
    c.learner_photos.upload(world.actor("xuanwu"), learner_id, "a.jpg", jpeg(25))
    c.learner_photos.upload(world.actor("xuanwu"), learner_id, "b.jpg", jpeg(30))
    c.learner_photos.delete_latest(world.actor("xuanwu"), learner_id)
    c.learner_photos.upload(world.actor("xuanwu"), learner_id, "c.jpg", jpeg(35))
    live = dump_read_models(c)
    c.runner.rebuild(["learner_photos"])
    assert dump_read_models(c) == live
