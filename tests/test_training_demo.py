"""The demo's training platform: the trainee can log in, already has certificate-eligible hours,
and has a course whose chapters play a short uploaded video that can be watched to completion."""

from __future__ import annotations

from interfaces.demo import DEMO_PASSWORD, load_demo


def test_demo_trainee_has_a_completed_centre_course_and_a_lecture_to_sign_up_for(container, client):
    assert "teacher_li" in load_demo(container)
    token = client.post("/api/v1/auth/login", json={"username": "teacher_li", "password": DEMO_PASSWORD}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    hours = client.get("/api/v1/training/my-hours", headers=headers).json()
    assert hours["eligible_hours"] == "2.5"
    assert [x["title"] for x in client.get("/api/v1/training/lectures", headers=headers).json()] == [
        "新时代高校教师职业道德规范解读"]

    # the other course plays the shipped video in every chapter, and watching it through completes it
    study = next(s for s in client.get("/api/v1/training/my-courses", headers=headers).json() if not s["completed"])
    course = client.get(f"/api/v1/training/courses/{study['course_id']}", headers=headers).json()
    assert [(c["video"]["content_type"], c["duration_seconds"]) for c in course["chapters"]] == [("video/webm", 5)] * 2
    video = client.get(course["chapters"][0]["video_url"].replace("/training/", "/api/v1/training/").split("?")[0],
                       headers={**headers, "Range": "bytes=0-99"})
    assert video.status_code == 206 and video.headers["content-range"].endswith(f"/{course['chapters'][0]['video']['size']}")
    for chapter in course["chapters"]:
        answer = client.post(f"/api/v1/training/my-courses/{course['id']}/chapters/{chapter['id']}/progress",
                             json={"intervals": [[0, 5.0]]}, headers=headers).json()
        assert answer["chapter_completed"] is True
    client.post(f"/api/v1/training/my-courses/{course['id']}/summary", json={"text": "用数字工具重新设计了一次课。"},
                headers=headers)
    assert client.get("/api/v1/training/my-hours", headers=headers).json()["eligible_hours"] == "5.5"
