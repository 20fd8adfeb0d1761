"""电子照片 spec (requirements/learners.md §3): 640 px high × 480 px wide, JPEG, 24-bit colour, quality not
below 60, 20-40 KB, named `<证件号码>.JPG`; every upload kept, the latest used, the latest may be
deleted (then no photo is in use)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from domains.learners.photo import LearnerPhotos, PhotoFacts, check_photo, id_number_in
from infrastructure.photos import inspect_photo
from tests.domains.gwt import given, refused, then, when
from tests.photo_support import jpeg, png
from tests.support import make_id_number

NAME = f"{make_id_number()}.JPG"
AT = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)


def verdict(content: bytes, name: str = NAME, **kwargs):
    return check_photo(name, inspect_photo(content), **kwargs)


def test_a_photo_meeting_every_rule_passes():
    for size in (20, 30, 40):
        result = verdict(jpeg(size))
        assert result.ok, result.message
    assert verdict(jpeg(30), name=NAME.lower()).ok
    assert verdict(jpeg(30, quality=60)).ok


def test_size_outside_20_to_40_kb_is_named_in_kb():
    assert verdict(jpeg(41)).problems == ("文件大小为 41.0 KB，须在 20 KB 至 40 KB 之间",)
    small = jpeg(None, quality=60)
    assert len(small) < 20 * 1024
    assert verdict(small).problems == (f"文件大小为 {len(small) / 1024:.1f} KB，须在 20 KB 至 40 KB 之间",)


def test_wrong_dimensions_are_stated():
    result = verdict(jpeg(30, width=640, height=480))
    assert result.problems == ("尺寸为宽 640 × 高 480 像素，须为宽 480 × 高 640 像素",)


def test_greyscale_is_not_24_bit_colour():
    result = verdict(jpeg(30, mode="L"))
    assert result.problems == ("颜色为8 位灰度，须为 24 位真彩色（RGB）",)


def test_quality_below_60_is_estimated_from_the_quantization_tables():
    assert inspect_photo(jpeg(30, quality=59)).quality == 59
    assert inspect_photo(jpeg(30, quality=85)).quality == 85
    assert verdict(jpeg(30, quality=45)).problems == ("压缩品质约为 45，须不低于 60",)


def test_a_png_named_jpg_is_not_a_jpeg():
    content = png()
    result = verdict(content)
    assert "文件内容是 PNG 图片而不是 JPEG（虽然扩展名为 .jpg），须为 JPEG 格式" in result.problems


def test_corrupt_or_empty_files():
    assert verdict(jpeg(30)[:5000]).problems == ("文件已损坏或不是图片，须为 JPEG 格式的照片",)
    assert verdict(b"MZ not a picture").problems == ("文件已损坏或不是图片，须为 JPEG 格式的照片",)
    assert verdict(b"").problems == ("文件为空",)


def test_the_name_must_be_the_id_number_with_a_jpg_extension():
    assert verdict(jpeg(30), name="photo.jpg").problems == ("文件名须为“证件号码.JPG”（18 位身份证号码）",)
    assert verdict(jpeg(30), name=f"{make_id_number()}.png").problems == ("文件扩展名须为 .JPG",)
    # a photo uploaded for a chosen learner needs only the extension
    assert verdict(jpeg(30), name="me.jpg", name_required=False).ok
    assert id_number_in("photos/32010219900315001x.JPG") == "32010219900315001X"
    assert id_number_in("..jpg") is None


def test_every_problem_is_listed_together():
    facts = PhotoFacts(size=50 * 1024, format="JPEG", width=300, height=400, mode="CMYK", quality=40)
    result = check_photo("a.jpg", facts)
    assert len(result.problems) == 5
    assert result.message.startswith("文件名须为")


def photos(*uploads: str) -> LearnerPhotos:
    """A learner's photos with these files uploaded, oldest first."""
    learner_id = uuid.uuid4()
    events = [("Started", {"learner_id": learner_id})]
    for number, ref in enumerate(uploads, start=1):
        fields = {"learner_id": learner_id, "number": number, "ref": ref, "file_name": NAME, "size": 30720,
                  "width": 480, "height": 640, "quality": 75, "uploaded_at": AT.isoformat()}  # fmt: skip
        events.append(("Uploaded", fields))
    return given(LearnerPhotos, *events, id=LearnerPhotos.create_id(learner_id))


def test_every_upload_is_kept_and_the_latest_used():
    album = photos("a" * 64)
    facts = inspect_photo(jpeg(30))
    events = when(album, lambda a: a.upload(check_photo(NAME, facts), facts, "b" * 64, AT))
    then(events, ("Uploaded", {"number": 2, "ref": "b" * 64, "size": 30 * 1024, "quality": 75}))
    assert album.current_ref == "b" * 64 and len(album.photos) == 2


def test_a_photo_missing_the_spec_is_refused_with_its_problems():
    facts = inspect_photo(jpeg(45))
    error = refused(photos(), lambda a: a.upload(check_photo(NAME, facts), facts, "c" * 64, AT), "photo.spec")
    assert "文件大小为 45.0 KB" in error.message


def test_deleting_the_latest_leaves_no_photo_in_use():
    album = photos("a" * 64, "b" * 64)
    then(when(album, lambda a: a.delete_latest(AT)), ("LatestDeleted", {"number": 2}))
    assert album.current_ref is None  # the older photo is not brought back by itself
    refused(album, lambda a: a.delete_latest(AT), "photo.none")
    refused(photos(), lambda a: a.delete_latest(AT), "photo.none")
