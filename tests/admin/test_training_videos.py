"""Browser: the centre's administrator uploads a chapter video on the course page (a file that is
not a video is refused beside the field), the chapter's length becomes the video's, and a trainee
plays it on the course page to completion; the video answers range requests with 206."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
from playwright.sync_api import expect

from application.common.actor import SYSTEM, Actor
from domains.shared.values import Role
from tests.admin.training_support import SCHOOL_NAME, portal_sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

WEBM = (resources.files("interfaces.demo_media") / "chapter.webm").read_bytes()

# Resolves with the player's duration once it has read the video's metadata.
METADATA = """v => new Promise(resolve => {
    if (v.readyState >= 1) { resolve(v.duration); return; }
    v.addEventListener('loadedmetadata', () => resolve(v.duration), {once: true});
})"""


def test_an_uploaded_chapter_video_is_played_by_the_trainee_to_completion(
    page, live_server, training_setup, container, sign_in, tmp_path
):
    t = container.training
    t.schools.appoint_admin(SYSTEM, role_name="training_centre_admin", school_id=None, username="wangpei",
                            name="网培中心", password=PASSWORD, confirm_password=PASSWORD)
    course = training_setup["centre"]
    sign_in("wangpei")
    page.goto(f"/admin/training/courses/{course}")
    first = page.get_by_test_id("chapter-row").first
    expect(first.get_by_test_id("chapter-seconds")).to_have_text("600")
    expect(first.get_by_test_id("chapter-video")).to_have_text("未上传")

    # a picture named .webm is refused by its content, the message beside the file field
    fake = tmp_path / "第1讲.webm"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    form = page.get_by_test_id("video-form").first
    form.locator("input[type=file]").set_input_files(str(fake))
    with page.expect_navigation():
        form.get_by_test_id("upload-video").click()
    error = page.get_by_test_id("video-form").first.get_by_test_id("video-error")
    expect(error).to_contain_text("WebM 或 MP4")
    expect(page.get_by_test_id("video-form").first.locator("input[type=file]")).to_have_attribute("aria-invalid", "true")

    video_file = tmp_path / "第1讲.webm"
    video_file.write_bytes(WEBM)
    form = page.get_by_test_id("video-form").first
    form.locator("input[type=file]").set_input_files(str(video_file))
    with page.expect_navigation():
        form.get_by_test_id("upload-video").click()
    expect(page.get_by_role("status")).to_contain_text("视频已上传")
    first = page.get_by_test_id("chapter-row").first
    expect(first.get_by_test_id("chapter-seconds")).to_have_text("5")
    expect(first.get_by_test_id("chapter-video")).to_contain_text("WebM")
    expect(page.get_by_test_id("video-form").first.get_by_test_id("upload-video")).to_have_text("替换视频")
    expect(page.get_by_test_id("audit-tab")).to_contain_text("上传章节视频")

    # the trainee, signed up, plays the chapter on the course page
    account = t.trainees.register(school_id=training_setup["school_id"], address="127.0.0.1", unit_name=SCHOOL_NAME,
                                  username="teacher_zhou", name="周老师", password=PASSWORD, confirm_password=PASSWORD)
    t.learning.sign_up(Actor(user_id=account, username="teacher_zhou", name="周老师", roles=frozenset({Role.TRAINEE}),
                             training_school_id=training_setup["school_id"]), [course])
    page.context.clear_cookies()
    portal_sign_in(page, "teacher_zhou")
    page.goto(f"/training/my-courses/{course}")
    player = page.get_by_test_id("player")
    expect(player).to_have_count(1)
    assert page.get_by_test_id("player").evaluate(METADATA) == pytest.approx(5, abs=0.1)
    expect(player).to_have_js_property("paused", True)
    state = page.get_by_test_id("chapter-state").first
    expect(state).to_have_text("未完成")
    player.evaluate("v => { v.muted = true; v.currentTime = 0; v.play(); }")
    expect(player).to_have_js_property("ended", True)
    expect(state).to_have_text("已完成")
    page.reload()
    expect(page.get_by_test_id("chapter-state").first).to_have_text("已完成")

    # the player may seek: the video answers a range with 206 and where the bytes sit in the file
    src = page.get_by_test_id("player").get_attribute("src")
    part = page.request.get(src, headers={"Range": "bytes=0-1023"})
    assert part.status == 206 and part.headers["content-range"] == f"bytes 0-1023/{len(WEBM)}"
    assert part.body() == WEBM[:1024]


def test_the_demo_course_plays_its_shipped_video(page, live_server, container, world: Any):
    from interfaces.demo import DEMO_PASSWORD, load_training_demo

    load_training_demo(container)
    page.goto("/training/login")
    page.fill("input[name=username]", "teacher_li")
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("[data-testid=login]")
    with page.expect_navigation():
        page.get_by_test_id("study-row").filter(has_text="高校教师数字素养提升").get_by_test_id("study").click()
    players = page.get_by_test_id("player")
    expect(players).to_have_count(2)
    assert players.first.evaluate(METADATA) == pytest.approx(5, abs=0.1)
