"""Browser: a trainee registers from the campus network, signs up for a centre course, the player
reports watched intervals through the API (a seek first), submits the summary and finds the hours
eligible in 我的学时明细; a school administrator reviews a teacher's hosting application."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from application.common.actor import SYSTEM
from tests.admin.training_support import SCHOOL_NAME, portal_register, portal_sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_trainee_registers_signs_up_watches_submits_the_summary_and_sees_eligible_hours(
    page, live_server, training_setup, container
):
    portal_register(page, training_setup["school_id"], "南京师大")
    expect(page.get_by_test_id("error")).to_contain_text("单位名称须与学校平台名称")
    page.fill("input[name=unit_name]", SCHOOL_NAME)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=confirm_password]", PASSWORD)
    with page.expect_navigation():
        page.click("[data-testid=register]")
    expect(page.get_by_test_id("flash")).to_contain_text("注册成功")

    portal_sign_in(page, "teacher_li")
    page.goto("/training/courses")
    rows = page.get_by_test_id("course-row")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="课程思政建设").get_by_test_id("source")).to_have_text("网培")
    expect(rows.filter(has_text="讲义导读").get_by_test_id("source")).to_have_text("思政")
    rows.filter(has_text="课程思政建设").get_by_test_id("choose").check()
    with page.expect_navigation():
        page.click("[data-testid=want]")
    expect(page.get_by_test_id("confirm-course")).to_have_count(1)
    with page.expect_navigation():
        page.click("[data-testid=confirm]")
    study = page.get_by_test_id("study-row")
    expect(study).to_have_count(1)
    expect(study.get_by_test_id("hours-state")).to_have_text("过程学时（尚不可打印）")

    # the player reports what it played through the API; the server decides
    api = httpx.Client(base_url=live_server)
    token = api.post("/api/v1/auth/login", json={"username": "teacher_li", "password": PASSWORD}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    course = api.get(f"/api/v1/training/courses/{training_setup['centre']}", headers=headers).json()
    ch1, ch2 = (c["id"] for c in course["chapters"])
    url = f"/api/v1/training/my-courses/{training_setup['centre']}/chapters"
    seek = api.post(f"{url}/{ch1}/progress", json={"intervals": [[0, 30], [580, 600]]}, headers=headers).json()
    assert seek["chapter_completed"] is False
    with page.expect_navigation():
        page.click("[data-testid=study]")
    expect(page.get_by_test_id("chapter-state")).to_have_text(["未完成", "未完成"])
    assert api.post(f"{url}/{ch1}/progress", json={"intervals": [[30, 580]]}, headers=headers).json()["chapter_completed"]
    assert api.post(f"{url}/{ch2}/progress", json={"intervals": [[0, 300]]}, headers=headers).json()["chapter_completed"]
    page.reload()
    expect(page.get_by_test_id("chapter-state")).to_have_text(["已完成", "已完成"])

    page.fill("textarea[name=text]", "结合《高等数学》设计了三个思政融入点。")
    with page.expect_navigation():
        page.click("[data-testid=submit-summary]")
    expect(page.get_by_test_id("summary-state")).to_contain_text("已提交")
    expect(page.get_by_test_id("hours-state")).to_contain_text("可申请网培中心证书")

    page.goto("/training/hours")
    row = page.get_by_test_id("hours-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("网培中心资源")
    expect(row.get_by_test_id("eligible")).to_have_text("是")
    expect(page.get_by_test_id("eligible-hours")).to_have_text("2.5")


def test_school_admin_reviews_a_hosting_application(page, live_server, training_setup, container, sign_in):
    t = container.training
    trainee_id = t.trainees.register(
        school_id=training_setup["school_id"], address="127.0.0.1", unit_name=SCHOOL_NAME, username="teacher_wang",
        name="王老师", password=PASSWORD, confirm_password=PASSWORD,
    )
    portal_sign_in(page, "teacher_wang")
    page.goto("/training/hosting")
    page.fill("input[name=title]", "混合式教学案例分享")
    page.fill("textarea[name=outline]", "三门课程的混合式改革经验")
    page.fill("input[name=preferred_date]", "2026-10-20")
    with page.expect_navigation():
        page.click("[data-testid=apply]")
    expect(page.get_by_test_id("hosting-row").get_by_test_id("status")).to_have_text("待学校审核")
    assert trainee_id

    page.context.clear_cookies()
    sign_in("nsd_admin")
    page.goto("/admin/training/hosting-applications")
    rows = page.get_by_test_id("hosting-row")
    expect(rows).to_have_count(1)
    with page.expect_navigation():
        rows.get_by_role("link", name="审核").click()
    with page.expect_navigation():
        page.click("[data-testid=reject]")
    expect(page.get_by_test_id("error")).to_contain_text("不通过原因为必填项")
    with page.expect_navigation():
        page.click("[data-testid=approve]")
    expect(page.get_by_test_id("status")).to_have_text("待网培中心安排")
    expect(page.get_by_test_id("audit-tab")).to_contain_text("学校审核通过")
    expect(page.get_by_test_id("audit-tab")).to_contain_text("申请开设直播讲座")


def test_wechat_login_works_only_after_the_trainee_binds_it_following_an_account_login(
    page, live_server, training_setup, container
):
    container.training.trainees.register(
        school_id=training_setup["school_id"], address="127.0.0.1", unit_name=SCHOOL_NAME, username="teacher_zhao",
        name="赵老师", password=PASSWORD, confirm_password=PASSWORD,
    )
    page.goto("/training/login")
    page.fill("input[name=wechat_user]", "zhao-wx")
    with page.expect_navigation():
        page.click("[data-testid=wechat-login]")
    expect(page.get_by_test_id("error")).to_contain_text("请先使用账号和密码登录")

    portal_sign_in(page, "teacher_zhao")
    page.goto("/training/bindings")
    expect(page.get_by_test_id("wechat-state")).to_have_text("未绑定")
    page.fill("input[name=wechat_user]", "zhao-wx")
    with page.expect_navigation():
        page.click("[data-testid=bind-wechat]")
    expect(page.get_by_test_id("wechat-state")).to_have_text("已绑定")

    page.context.clear_cookies()
    page.goto("/training/login")
    page.fill("input[name=wechat_user]", "zhao-wx")
    with page.expect_navigation():
        page.click("[data-testid=wechat-login]")
    expect(page.get_by_test_id("current-user")).to_contain_text("teacher_zhao")


def test_every_training_page_opens_for_its_roles(page, live_server, training_setup, container, sign_in):
    t = container.training
    t.schools.appoint_admin(SYSTEM, role_name="training_centre_admin", school_id=None, username="wangpei",
                            name="网培中心", password=PASSWORD, confirm_password=PASSWORD)
    t.trainees.register(school_id=training_setup["school_id"], address="127.0.0.1", unit_name=SCHOOL_NAME,
                        username="teacher_sun", name="孙老师", password=PASSWORD, confirm_password=PASSWORD)
    school = training_setup["school_id"]
    admin_pages = ["/admin/training/schools", f"/admin/training/schools/{school}", "/admin/training/courses",
                   f"/admin/training/courses/{training_setup['centre']}", "/admin/training/courses/new",
                   "/admin/training/lectures", "/admin/training/hosting-applications", "/admin/training/trainees",
                   "/admin/training/activities", "/admin/training/declarations"]
    for username, extra in (("wangpei", ["/admin/training/sms-outbox"]), ("nsd_admin", [])):
        page.context.clear_cookies()
        sign_in(username)
        expect(page.locator("nav.menu")).to_contain_text("教师培训")
        for url in admin_pages + extra:
            response = page.goto(url)
            assert response.status == 200, (username, url, response.status)
    page.context.clear_cookies()
    portal_sign_in(page, "teacher_sun")
    for url in ["/training/courses", "/training/training-list", "/training/my-courses", "/training/lectures",
                "/training/hosting", "/training/declarations", "/training/hours", "/training/bindings"]:
        response = page.goto(url)
        assert response.status == 200, (url, response.status)
    assert page.goto("/admin/training/schools").url.endswith("/admin/login")  # trainees have no admin pages


def _silence_wav(seconds: int) -> bytes:
    import io
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * 8000 * seconds)
    return buffer.getvalue()


def _serve_with_ranges(route: Any, body: bytes, content_type: str) -> None:
    """A media server that answers range requests, so the player can seek."""
    wanted = route.request.headers.get("range", "")
    start, end = 0, len(body) - 1
    if wanted.startswith("bytes="):
        first, _, last = wanted[6:].partition("-")
        start = int(first or 0)
        end = min(int(last), end) if last else end
    headers = {"Accept-Ranges": "bytes", "Content-Range": f"bytes {start}-{end}/{len(body)}"}
    route.fulfill(status=206 if wanted else 200, body=body[start:end + 1], content_type=content_type, headers=headers)


def test_the_course_pages_player_reports_what_it_played_and_seeking_ahead_does_not_complete_the_chapter(
    page, live_server, training_setup, container
):
    t = container.training
    course = t.learning.publish_course(SYSTEM, kind="centre", title="三秒微课", tenths=1, summary_prompt="总结",
                                       chapters=[{"title": "微课", "duration_seconds": 3,
                                                  "video_url": "/media/micro-lesson.wav"}])
    account = t.trainees.register(school_id=training_setup["school_id"], address="127.0.0.1", unit_name=SCHOOL_NAME,
                                  username="teacher_qian", name="钱老师", password=PASSWORD, confirm_password=PASSWORD)
    from application.common.actor import Actor
    from domains.shared.values import Role

    t.learning.sign_up(Actor(user_id=account, username="teacher_qian", name="钱老师", roles=frozenset({Role.TRAINEE}),
                             training_school_id=training_setup["school_id"]), [course])
    wav = _silence_wav(3)
    page.route("**/media/micro-lesson.wav", lambda route: _serve_with_ranges(route, wav, "audio/wav"))
    portal_sign_in(page, "teacher_qian")
    page.goto(f"/training/my-courses/{course}")
    state = page.get_by_test_id("chapter-state")
    expect(state).to_have_text("未完成")

    # jump to the last second and play to the end: only that second was played
    page.evaluate("""() => { const v = document.querySelector('video'); v.muted = true;
        v.addEventListener('loadedmetadata', () => { v.currentTime = 2; v.play(); }, {once: true});
        if (v.readyState >= 1) { v.currentTime = 2; v.play(); } }""")
    expect(page.get_by_test_id("watched")).to_have_text("1秒")
    expect(state).to_have_text("未完成")

    # the whole chapter from the start
    page.evaluate("() => { const v = document.querySelector('video'); v.currentTime = 0; v.play(); }")
    expect(state).to_have_text("已完成")
    page.reload()
    expect(page.get_by_test_id("chapter-state")).to_have_text("已完成")
