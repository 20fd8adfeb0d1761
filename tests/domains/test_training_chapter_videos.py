"""Chapter videos of a training course: an uploaded video becomes the chapter's, its length the
chapter's (read from the file, never typed in); replacing it is recorded as such, the same video
again changes nothing; a trainee's study judges a chapter by its length now."""

from __future__ import annotations

import uuid

from domains.training.progress import CourseStudy
from domains.training.resources import TrainingCourse, VideoChange
from tests.domains.gwt import given, refused, then, when

CH1, CH2 = "c1", "c2"
PUBLISHED = ("Published", {
    "kind": "centre", "training_school_id": None, "title": "课程思政建设", "tenths": 25, "summary_prompt": "总结",
    "chapters": [
        {"id": CH1, "number": 1, "title": "导论", "duration_seconds": 600, "video_url": "https://v.example/1.mp4"},
        {"id": CH2, "number": 2, "title": "方法", "duration_seconds": 300, "video_url": None},
    ],
})
VIDEO = {"ref": "a" * 64, "content_type": "video/webm", "size": 27_564, "duration_ms": 5_004}
ATTACHED = ("ChapterVideoAttached", {"chapter_id": CH1, "video": VIDEO, "duration_seconds": 5})


def upload(course: TrainingCourse, chapter: str = CH1, **video: object) -> object:
    v = {**VIDEO, **video}
    return course.attach_video(chapter, str(v["ref"]), str(v["content_type"]), int(v["size"]), int(v["duration_ms"]))


def test_given_a_chapter_without_an_upload_when_a_video_is_uploaded_then_it_plays_and_sets_the_chapters_length():
    course = given(TrainingCourse, PUBLISHED)
    events = when(course, lambda c: upload(c))
    then(events, ATTACHED)
    chapter = course.chapter(CH1)
    assert (chapter["duration_seconds"], chapter["video_url"], chapter["video"]["ref"]) == (5, None, "a" * 64)
    assert course.chapter_seconds(CH2) == 300  # the other chapter keeps its own


def test_given_an_uploaded_video_when_another_is_uploaded_then_it_is_recorded_as_a_replacement():
    course = given(TrainingCourse, PUBLISHED, ATTACHED)
    assert upload(course, ref="b" * 64, duration_ms=61_600) is VideoChange.REPLACED
    then(list(course.collect_events()), ("ChapterVideoReplaced", {
        "chapter_id": CH1, "duration_seconds": 62, "previous_ref": "a" * 64,
        "video": {**VIDEO, "ref": "b" * 64, "duration_ms": 61_600},
    }))
    assert course.chapter_seconds(CH1) == 62


def test_given_an_uploaded_video_when_the_same_file_is_uploaded_again_then_nothing_is_recorded():
    course = given(TrainingCourse, PUBLISHED, ATTACHED)
    assert when(course, lambda c: upload(c)) == []


def test_a_video_too_long_for_a_chapter_or_an_unknown_chapter_is_refused_without_an_event():
    course = given(TrainingCourse, PUBLISHED)
    error = refused(course, lambda c: upload(c, duration_ms=6 * 3600 * 1000 + 600), "training_video.duration_invalid")
    assert error.details["field"] == "file" and "6小时" in error.message
    refused(course, lambda c: upload(c, duration_ms=0), "training_video.duration_invalid")
    refused(course, lambda c: upload(c, chapter="c9"), "training_course.chapter_unknown")


def test_a_replayed_course_keeps_the_published_events_chapters_unchanged():
    course = given(TrainingCourse, PUBLISHED)
    published_chapters = [dict(c) for c in PUBLISHED[1]["chapters"]]  # type: ignore[index]
    when(course, lambda c: upload(c))
    assert PUBLISHED[1]["chapters"] == published_chapters  # type: ignore[index]


def signed_up() -> CourseStudy:
    return given(CourseStudy, ("SignedUp", {
        "trainee_id": uuid.UUID(int=1), "training_school_id": uuid.UUID(int=2), "course_id": uuid.UUID(int=3),
        "kind": "centre", "title": "课程思政建设", "tenths": 25, "chapters": PUBLISHED[1]["chapters"],  # type: ignore[index]
        "via_training_list": False,
    }))


def test_given_a_study_signed_up_before_the_upload_when_the_new_length_is_watched_through_then_the_chapter_completes():
    study = signed_up()
    study.report_watched(CH1, [[0, 4.9]], duration=5)
    assert CH1 in study.completed_chapters
    # at the length taken at sign-up, the same seconds leave the chapter open
    earlier = signed_up()
    earlier.report_watched(CH1, [[0, 4.9]])
    assert CH1 not in earlier.completed_chapters
