"""Training chapter videos over the API: the publisher of a course uploads a chapter's video
(checked by its bytes, its length read from the file, each change an audited event), and whoever
may see the course plays it with range requests."""

from __future__ import annotations

from importlib import resources
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.http.api_helpers import ok, problem
from tests.http.test_invalid_input_fuzz import FUZZ, check
from tests.http.test_training_learning_api import trainee_login
from tests.http.training_support import T

WEBM = (resources.files("interfaces.demo_media") / "chapter.webm").read_bytes()


def video_url(course: dict[str, Any], number: int = 0) -> str:
    return f"{T}/courses/{course['id']}/chapters/{course['chapters'][number]['id']}/video"


def upload(client: Any, url: str, headers: dict[str, str], content: bytes = WEBM, name: str = "第1讲.webm") -> Any:
    return client.put(url, files={"file": (name, content, "application/octet-stream")}, headers=headers)


def test_the_centre_uploads_a_video_whose_length_becomes_the_chapters_and_a_trainee_plays_it_in_ranges(
    client, login, training
):
    course = training.courses["centre"]
    answer = ok(upload(client, video_url(course), login("wangpei")))
    assert answer["change"] == "attached" and answer["duration_seconds"] == 5
    assert answer["video"]["content_type"] == "video/webm" and answer["video"]["size"] == len(WEBM)
    again = ok(upload(client, video_url(course), login("wangpei")))
    assert again["change"] == "unchanged"

    teacher = trainee_login(client, "teacher1")
    ok(client.post(f"{T}/sign-ups", json={"course_ids": [course["id"]]}, headers=teacher), 201)
    chapters = ok(client.get(f"{T}/courses/{course['id']}", headers=teacher))["chapters"]
    assert [c["duration_seconds"] for c in chapters] == [5, 300]
    assert chapters[0]["video_url"].startswith(f"/training/courses/{course['id']}/chapters/{chapters[0]['id']}/video")

    whole = client.get(video_url(course), headers=teacher)
    assert whole.status_code == 200 and whole.content == WEBM and whole.headers["content-type"] == "video/webm"
    assert whole.headers["accept-ranges"] == "bytes"
    part = client.get(video_url(course), headers={**teacher, "Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == WEBM[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(WEBM)}" and part.headers["content-length"] == "100"
    tail = client.get(video_url(course), headers={**teacher, "Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == WEBM[-10:]
    past = problem(client.get(video_url(course), headers={**teacher, "Range": f"bytes={len(WEBM)}-"}), 416,
                   "video.range_not_satisfiable")
    assert "超出" in past["detail"]

    # the new length decides: five seconds watched through complete the chapter
    progress = ok(client.post(f"{T}/my-courses/{course['id']}/chapters/{chapters[0]['id']}/progress",
                              json={"intervals": [[0, 5.0]]}, headers=teacher))
    assert progress["chapter_completed"] is True


def test_replacing_a_video_is_recorded_with_who_did_it_and_both_files(client, login, training, world):
    course = training.courses["centre"]
    ok(upload(client, video_url(course), login("wangpei")))
    longer = WEBM + b"\x00"  # another file (same header, so the same stated length)
    replaced = ok(upload(client, video_url(course), {**login("wangpei"), "X-Correlation-ID": "video-2"}, longer))
    assert replaced["change"] == "replaced"
    events = ok(client.get(f"/api/v1/audit/aggregates/{course['id']}/events", headers=login("shenji")))["events"]
    attached, swapped = events[-2:]
    assert (attached["event_type"], swapped["event_type"]) == ("ChapterVideoAttached", "ChapterVideoReplaced")
    assert swapped["event_label"] == "替换章节视频" and swapped["role"] == "training_centre_admin"
    assert swapped["actor_name"] == "wangpei" and swapped["correlation_id"] == "video-2"
    assert swapped["data"]["previous_ref"] == attached["data"]["video"]["ref"] != swapped["data"]["video"]["ref"]


def test_files_that_are_not_webm_or_mp4_by_their_content_are_refused_naming_the_file_field(client, login, training):
    url = video_url(training.courses["centre"])
    centre = login("wangpei")
    body = problem(upload(client, url, centre, b"\x89PNG\r\n\x1a\n" + bytes(64), "lecture.webm"), 422,
                   "training_video.type")
    assert body["field"] == "file" and "WebM 或 MP4" in body["detail"]
    problem(upload(client, url, centre, WEBM[:80]), 422, "training_video.duration_unreadable")
    problem(client.put(url, files={"other": ("a.webm", WEBM)}, headers=centre), 422, "upload.file_required")
    problem(upload(client, f"{T}/courses/{training.courses['centre']['id']}/chapters/nope/video", centre), 422,
            "training_course.chapter_unknown")


def test_a_video_over_the_configured_limit_is_refused(client, login, training, container, monkeypatch):
    monkeypatch.setattr(container.training.video_store, "max_bytes", len(WEBM) - 1)
    problem(upload(client, video_url(training.courses["centre"]), login("wangpei")), 422, "training_video.too_large")


def test_a_video_larger_than_other_uploads_may_be_is_kept_and_read_back_in_ranges(client, login, training):
    """The site's request limit (20 MB) is for forms and pictures; a video may be larger, and a
    range read across its stored pieces returns exactly those bytes."""
    content = WEBM + bytes(range(256)) * (21 * 4096)
    answer = ok(upload(client, video_url(training.courses["centre"]), login("wangpei"), content))
    assert answer["video"]["size"] == len(content) > 20 * 1024 * 1024
    start, end = 3 * 1024 * 1024 - 5, 3 * 1024 * 1024 + 4
    part = client.get(video_url(training.courses["centre"]), headers={**login("wangpei"), "Range": f"bytes={start}-{end}"})
    assert part.status_code == 206 and part.content == content[start : end + 1]


def test_only_the_publisher_of_a_course_uploads_its_videos(client, login, training):
    centre_course, school_course = training.courses["centre"], training.courses["school"]
    problem(upload(client, video_url(centre_course), login("nsd_admin")), 403, "training_video.centre_course")
    problem(upload(client, video_url(school_course), login("wangpei")), 403, "training_video.school_course")
    problem(upload(client, video_url(school_course), login("hhu_admin")), 404)  # another school's course
    problem(upload(client, video_url(centre_course), trainee_login(client, "teacher1")), 403)
    assert ok(upload(client, video_url(school_course), login("nsd_admin")))["change"] == "attached"
    # a school's own course and its video are not there for another school
    problem(client.get(video_url(school_course), headers=login("hhu_admin")), 404)
    problem(client.get(video_url(centre_course), headers=login("wangpei")), 404, "not_found")  # none uploaded yet


def test_any_upload_or_range_header_is_answered_without_a_500(client, login, training):
    course = training.courses["centre"]
    centre = login("wangpei")
    ok(upload(client, video_url(course), centre))
    heads = st.sampled_from([b"", b"\x1a\x45\xdf\xa3", WEBM[:40], b"\x00\x00\x00\x18ftypisom", b"\x00\x00\x00\x01ftyp"])
    printable = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30)
    ranges = st.one_of(printable, st.builds("bytes={}-{}".format, st.integers(-5, 10**20), st.integers(-5, 10**20)))

    @FUZZ
    @given(head=heads, tail=st.binary(max_size=200), range_header=ranges)
    def run(head: bytes, tail: bytes, range_header: str) -> None:
        check(upload(client, video_url(course, 1), centre, head + tail))
        response = client.get(video_url(course), headers={**centre, "Range": range_header})
        if response.status_code not in (200, 206):
            check(response)

    run()
