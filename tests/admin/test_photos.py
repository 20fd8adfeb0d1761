"""导入/导出电子照片 in the admin UI (requirements/learners.md §3): a teaching point uploads one learner's photo
and sees it in use, a PNG renamed .jpg is refused with the Chinese verdict, a ZIP import shows
each file's verdict once its job has finished, deleting the latest photo leaves the learner
未上传, and the export by student number runs in the background, then downloads a ZIP of
`<学号>.JPG`; learners without a photo are listed on the export's page."""

from __future__ import annotations

import io
import time
import uuid
import zipfile
from typing import Any

import pytest
from playwright.sync_api import expect

from application.common.jobs import JobBusy
from tests.http.api_helpers import API, ok
from tests.http.selection_support import learner
from tests.http.test_photos_api import finished
from tests.photo_support import jpeg, png, zip_of
from tests.support import make_id_number

browser = pytest.mark.browser


def run_export(world: Any, job_id: str) -> None:
    """Run the export job here: harmless when the background worker got there first."""
    for _ in range(2000):
        try:
            world.container.learner_photos.run_export(uuid.UUID(job_id))
            return
        except JobBusy:
            time.sleep(0.05)


def student_number(client: Any, login: Any, learner_id: str) -> str:
    return str(ok(client.get(f"{API}/learners/{learner_id}", headers=login("xuanwu")))["student_number"])


def choose(page: Any, form: str, name: str, content: bytes, mime: str) -> None:
    page.set_input_files(f"[data-testid={form}] input[name=file]", files=[{"name": name, "mimeType": mime, "buffer": content}])
    page.click(f"[data-testid={form}] button[type=submit]")


def open_photos(page: Any, number: str) -> None:
    page.click("nav.menu >> text=导入/导出电子照片")
    page.fill("input[name=student_number]", number)
    page.click("[data-testid=filters] button[type=submit]")
    page.click(f"tr[data-student-number='{number}'] >> text=电子照片")


@browser
def test_upload_refusal_and_delete_of_the_latest_photo(sign_in, client, login, world):
    lid = learner(client, login, world)
    number = student_number(client, login, lid)
    page = sign_in("xuanwu")
    open_photos(page, number)
    assert page.url.endswith(f"/admin/learners/{lid}/photos")
    assert page.inner_text("[data-testid=current-photo] [data-testid=photo-status]") == "未上传"

    choose(page, "upload-form", "me.jpg", png(), "image/jpeg")
    error = page.inner_text("[data-testid=error]")
    assert "不符合规格" in error and "文件内容是 PNG 图片而不是 JPEG（虽然扩展名为 .jpg），须为 JPEG 格式" in error
    assert page.inner_text("[data-testid=history] tbody") == "还没有上传过电子照片"

    choose(page, "upload-form", "me.jpg", jpeg(30), "image/jpeg")
    assert "电子照片已上传" in page.inner_text(".flash.ok")
    assert page.inner_text("[data-testid=current-photo] [data-testid=photo-status]") == "已上传"
    assert page.inner_text("tr[data-number='1'] [data-testid=photo-row-status]") == "使用中"
    # The <img> loads after the page: wait until the browser has decoded it.
    expect(page.get_by_test_id("photo")).to_have_js_property("complete", True)  # decoded (no eval under the CSP)
    assert page.evaluate("document.querySelector('[data-testid=photo]').naturalWidth") == 480

    page.once("dialog", lambda d: d.accept())
    page.click("[data-testid=delete-form] button")
    assert "最新照片已删除" in page.inner_text(".flash.ok")
    assert page.inner_text("[data-testid=current-photo] [data-testid=photo-status]") == "未上传"
    assert page.inner_text("tr[data-number='1'] [data-testid=photo-row-status]") == "已删除"
    page.click("text=返回导入/导出电子照片")
    page.fill("input[name=student_number]", number)
    page.click("[data-testid=filters] button[type=submit]")
    assert page.inner_text(f"tr[data-student-number='{number}'] [data-testid=photo-status]") == "未上传"


@browser
def test_zip_import_shows_each_verdict_then_export_by_student_number(sign_in, client, login, world):
    a = learner(client, login, world, seq=1)
    learner(client, login, world, seq=2)
    number = student_number(client, login, a)
    page = sign_in("xuanwu")
    page.click("nav.menu >> text=导入/导出电子照片")
    archive = zip_of({f"{make_id_number(seq=1)}.JPG": jpeg(30), f"{make_id_number(seq=2)}.JPG": png()})
    choose(page, "import-form", "照片.zip", archive, "application/zip")
    assert "/admin/learner-photos/imports/" in page.url
    job_id = page.url.rsplit("/", 1)[1]
    finished(client, login("xuanwu"), world, job_id)
    page.wait_for_selector("[data-testid=import-job][data-status=done]")
    assert page.inner_text("[data-testid=job-status]") == "已完成"
    assert "成功 1 张，失败 1 张" in page.inner_text("[data-testid=job-counts]")
    expect(page.locator("[data-testid=file-result]")).to_have_count(2)
    verdicts = page.locator("[data-testid=file-result]").all_inner_texts()
    assert "已导入" in verdicts[0] and "而不是 JPEG" in verdicts[1] and "未导入" in verdicts[1]

    page.click("text=返回导入/导出电子照片")
    assert page.inner_text(f"tr[data-student-number='{number}'] [data-testid=photo-status]") == "已上传"
    page.select_option("select[name=photo_status]", "uploaded")
    page.click("[data-testid=filters] button[type=submit]")
    expect(page.locator("[data-testid=list] tbody tr")).to_have_count(1)
    page.check("input[name=naming][value=student_number]")
    with page.expect_navigation():
        page.click("[data-testid=export]")
    assert "/admin/learner-photos/exports/" in page.url and "naming" not in page.url
    export_id = page.url.rsplit("/", 1)[1]
    run_export(world, export_id)
    page.wait_for_selector("[data-testid=export-job][data-status=done]")
    assert page.inner_text("[data-testid=job-status]") == "已完成"
    assert "成功 1 名学生，失败 0 名学生" in page.inner_text("[data-testid=job-counts]")
    with page.expect_download() as info:
        page.click("[data-testid=download]")
    download = info.value
    assert download.suggested_filename.endswith(".zip") and "id_number=" not in download.url
    with zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read())) as z:
        assert z.namelist() == [f"{number}.JPG"]
        assert z.read(f"{number}.JPG") == jpeg(30)


@browser
def test_an_export_lists_the_learners_without_a_photo(sign_in, client, login, world):
    a = learner(client, login, world, seq=1)
    b = learner(client, login, world, seq=2)
    ok(client.post(f"{API}/learners/{a}/photos", files={"file": ("a.jpg", jpeg(30), "image/jpeg")}, headers=login("xuanwu")), 201)
    page = sign_in("xuanwu")
    page.click("nav.menu >> text=导入/导出电子照片")
    with page.expect_navigation():
        page.click("[data-testid=export]")  # by ID number, the first choice
    run_export(world, page.url.rsplit("/", 1)[1])
    page.wait_for_selector("[data-testid=export-job][data-status=done]")
    expect(page.locator("[data-testid=missing-learner]")).to_have_count(1)
    missing = page.inner_text("[data-testid=missing-learner]")
    assert student_number(client, login, b) in missing and "没有使用中的电子照片，未导出" in missing
    assert make_id_number(seq=2) not in page.content()
    expect(page.locator("[data-testid=download]")).to_have_count(1)
    # Auditors post no forms in the admin UI: no export form for them.
    page = sign_in("shenji")
    page.goto("/admin/learner-photos")
    expect(page.locator("[data-testid=list] tbody tr")).to_have_count(2)
    expect(page.locator("main form[method=post]")).to_have_count(0)


@browser
def test_a_zip_with_a_path_traversal_name_is_refused_whole_with_the_chinese_message(sign_in, client, login, world):
    lid = learner(client, login, world, seq=1)
    number = student_number(client, login, lid)
    page = sign_in("xuanwu")
    page.click("nav.menu >> text=导入/导出电子照片")
    archive = zip_of({f"{make_id_number(seq=1)}.JPG": jpeg(30), "../../etc/x.jpg": jpeg(30)})
    with page.expect_navigation():
        choose(page, "import-form", "照片.zip", archive, "application/zip")
    error = page.get_by_test_id("error")
    expect(error).to_contain_text("压缩包中含有不安全的文件路径“../../etc/x.jpg”")
    expect(error).to_contain_text("整个压缩包未导入")
    assert "/imports/" not in page.url
    expect(page.locator(f"tr[data-student-number='{number}'] [data-testid=photo-status]")).to_have_text("未上传")


@browser
def test_an_upload_over_the_request_limit_gets_the_chinese_error_page(sign_in, client, login, world):
    learner(client, login, world, seq=1)
    page = sign_in("xuanwu")
    page.click("nav.menu >> text=导入/导出电子照片")
    oversize = b"PK\x03\x04" + b"\0" * (21 * 1024 * 1024)
    with page.expect_navigation():
        choose(page, "import-form", "照片.zip", oversize, "application/zip")
    expect(page.get_by_test_id("error")).to_have_text("上传的内容过大，超过了单次请求允许的大小，请减小文件或分批上传")
    expect(page.locator("nav.menu")).to_contain_text("导入/导出电子照片")  # the admin page, signed in, not JSON
