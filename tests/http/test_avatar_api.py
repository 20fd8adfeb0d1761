"""Avatar (requirements/identity.md §2.3): default until uploaded; the upload is checked by its content."""

from __future__ import annotations

import io

from PIL import Image


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_default_avatar_then_uploaded_picture(client, login):
    headers = login("xuanwu")
    r = client.get("/api/v1/me/avatar", headers=headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")

    picture = png_bytes()
    r = client.put("/api/v1/me/avatar", files={"file": ("me.png", picture, "image/png")}, headers=headers)
    assert r.status_code == 200, r.text
    r = client.get("/api/v1/me/avatar", headers=headers)
    assert r.headers["content-type"] == "image/png" and r.content == picture


def test_a_disguised_file_is_refused_by_its_content(client, login, world):
    headers = login("xuanwu")
    r = client.put(
        "/api/v1/me/avatar", files={"file": ("photo.png", b"MZ\x90\x00 not an image", "image/png")}, headers=headers
    )
    assert r.status_code == 422
    assert r.json()["code"] == "upload.type"
    truncated = png_bytes()[:60]
    r = client.put("/api/v1/me/avatar", files={"file": ("cut.png", truncated, "image/png")}, headers=headers)
    assert r.status_code == 422
    # nothing was recorded for the refused uploads
    from application.audit.queries import history

    with world.container.engine.connect() as conn:
        assert [h["event_type"] for h in history(conn, world.accounts["xuanwu"])] == ["Registered"]
