"""The demo's training platform: the trainee can log in and already has certificate-eligible hours."""

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
