"""Teacher training, learning side (requirements/training.md): campus-range
registration, bindings after an account login, watched intervals decided by the server,
certificate eligibility, lecture sign-up, school-only hours."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from domains.shared.errors import InvalidInput
from domains.training.activities import ActivityDeclaration
from domains.training.lectures import HostingApplication, Lecture, LectureOrigin
from domains.training.members import TrainingMember
from domains.training.progress import CourseStudy, covers, merge_intervals
from domains.training.schools import TrainingSchool, matching_range, parse_campus_ranges
from tests.domains.gwt import error_code, given, refused, then, when

SCHOOL_NAME = "南京师范大学"
SCHOOL = ("Registered", {"name": SCHOOL_NAME, "campus_ranges": ["202.119.96.0/20", "2001:da8:1000::/48"]})
TRAINEE, ACCOUNT, COURSE = uuid.UUID(int=0x7E), uuid.UUID(int=0xAC), uuid.UUID(int=0xC0)
SCHOOL_ID = uuid.UUID(int=0x5C)
CH1, CH2 = "c1", "c2"


def school() -> TrainingSchool:
    return given(TrainingSchool, SCHOOL)


# -- registration inside the campus ranges ---------------------------------------------------------


def test_given_a_school_when_a_trainee_registers_from_the_first_or_last_address_of_a_range_then_it_is_allowed():
    s = school()
    assert s.check_first_registration("202.119.96.0", SCHOOL_NAME) == "202.119.96.0/20"
    assert s.check_first_registration("202.119.111.255", SCHOOL_NAME) == "202.119.96.0/20"
    assert s.check_first_registration("2001:da8:1000:ffff::1", SCHOOL_NAME) == "2001:da8:1000::/48"


def test_given_a_school_when_a_trainee_registers_just_outside_a_range_then_it_is_refused_in_chinese():
    s = school()
    for address in ("202.119.95.255", "202.119.112.0", "10.0.0.1", "not-an-address", ""):
        with pytest.raises(Exception) as info:
            s.check_first_registration(address, SCHOOL_NAME)
        assert info.value.code == "training_registration.outside_campus"  # type: ignore[attr-defined]
        assert "校园网授权IP范围" in info.value.message  # type: ignore[attr-defined]


def test_given_a_school_when_the_unit_name_differs_from_its_full_name_then_registration_is_refused():
    s = school()
    assert error_code(lambda: s.check_first_registration("202.119.96.7", "南京师大")) == (
        "training_registration.unit_name_mismatch"
    )
    # blanks around or inside (full-width ones too) do not make a different name
    assert s.check_first_registration("202.119.96.7", " 南京师范　大学 ") == "202.119.96.0/20"


def test_campus_ranges_are_validated_cidr_blocks():
    assert parse_campus_ranges("10.0.0.0/8\n 10.0.0.0/8, 127.0.0.0/8") == ["10.0.0.0/8", "127.0.0.0/8"]
    for bad in ("10.0.0.1/8", "300.1.1.0/24", "campus", ""):
        assert error_code(lambda bad=bad: parse_campus_ranges(bad)).startswith("training_school.campus_range")
    assert matching_range(["10.0.0.0/8"], "::ffff:10.1.2.3") == "10.0.0.0/8"  # an IPv4-mapped peer


# -- bindings need an earlier account login ---------------------------------------------------------


def member(*events: tuple[str, dict]) -> TrainingMember:
    registered = ("Registered", {"account_id": ACCOUNT, "role": "trainee", "training_school_id": SCHOOL_ID,
                                 "unit_name": SCHOOL_NAME, "campus_range": "202.119.96.0/20"})
    return given(TrainingMember, registered, *events)


def test_given_a_registered_trainee_without_an_account_login_when_binding_wechat_or_a_mobile_then_refused():
    m = member()
    refused(m, lambda a: a.bind_wechat("openid-1"), "training_binding.account_login_first")
    refused(m, lambda a: a.bind_mobile("13912345678"), "training_binding.account_login_first")


def test_given_an_account_login_when_binding_then_the_binding_is_recorded_once():
    m = member(("FirstAccountLogin", {}))
    then(when(m, lambda a: a.bind_wechat("openid-1")), ("WeChatBound", {"openid": "openid-1"}))
    refused(m, lambda a: a.bind_wechat("openid-2"), "training_binding.wechat_already_bound")
    then(when(m, lambda a: a.record_account_login()))  # later logins are no events


# -- watched intervals ------------------------------------------------------------------------------

CHAPTERS = [
    {"id": CH1, "number": 1, "title": "导论", "duration_seconds": 600},
    {"id": CH2, "number": 2, "title": "方法", "duration_seconds": 300},
]


def study(kind: str = "centre", *events: tuple[str, dict]) -> CourseStudy:
    signed = ("SignedUp", {"trainee_id": TRAINEE, "training_school_id": SCHOOL_ID, "course_id": COURSE, "kind": kind,
                           "title": "课程思政建设", "tenths": 25, "chapters": CHAPTERS, "via_training_list": False})
    return given(CourseStudy, signed, *events)


def test_merging_joins_overlapping_and_touching_intervals_and_keeps_gaps():
    assert merge_intervals([(0, 100), (50, 200), (200.2, 300), (400, 500)]) == [(0, 300), (400, 500)]
    assert covers([(0.8, 599.2)], 600)  # within a second at each end
    assert not covers([(0, 598.9)], 600)  # 1.1 s short of the end
    assert not covers([(1.2, 600)], 600)  # 1.2 s skipped at the start
    assert not covers([(0, 300), (301, 600)], 600)  # a one-second jump in the middle


def test_given_a_chapter_when_the_player_seeks_ahead_to_the_end_then_the_chapter_is_not_completed():
    s = study()
    events = when(s, lambda a: a.report_watched(CH1, [[0, 30], [590, 600]]))
    then(events, ("WatchedIntervalsMerged", {"chapter_id": CH1, "intervals": [[0, 30], [590, 600]]}))
    assert CH1 not in s.completed_chapters


def test_given_watched_parts_when_the_gap_is_watched_too_then_the_chapter_completes():
    s = study("centre", ("WatchedIntervalsMerged", {"chapter_id": CH1, "intervals": [[0, 30], [590, 600]]}))
    events = when(s, lambda a: a.report_watched(CH1, [[29.9, 590.1]]))
    then(events, ("WatchedIntervalsMerged", {"intervals": [[0.0, 600.0]]}), ("ChapterCompleted", {"chapter_id": CH1}))


def test_reports_that_add_nothing_record_nothing_and_bad_intervals_are_refused():
    s = study("centre", ("WatchedIntervalsMerged", {"chapter_id": CH1, "intervals": [[0, 100]]}))
    then(when(s, lambda a: a.report_watched(CH1, [[10, 90]])))
    refused(s, lambda a: a.report_watched(CH1, [[50, 40]]), "training_progress.interval_out_of_range")
    refused(s, lambda a: a.report_watched(CH1, [[0, 700]]), "training_progress.interval_out_of_range")
    refused(s, lambda a: a.report_watched(CH1, [["a", 3]]), "training_progress.interval_malformed")
    refused(s, lambda a: a.report_watched("nope", [[0, 3]]), "training_progress.chapter_unknown")


# -- eligibility needs every chapter and the summary ---------------------------------------------------


def test_given_all_chapters_watched_when_the_summary_is_submitted_then_a_centre_course_becomes_eligible():
    s = study("centre", ("ChapterCompleted", {"chapter_id": CH1}), ("ChapterCompleted", {"chapter_id": CH2}))
    assert not s.certificate_eligible
    events = when(s, lambda a: a.submit_summary("本课程让我理解了课程思政的方法。"))
    then(events, ("SummarySubmitted", {}), ("Completed", {"certificate_eligible": True}))
    assert s.certificate_eligible


def test_given_the_summary_but_one_chapter_missing_then_the_hours_stay_process_hours():
    s = study("centre", ("ChapterCompleted", {"chapter_id": CH1}), ("SummarySubmitted", {"text": "总结"}))
    events = when(s, lambda a: a.report_watched(CH2, [[0, 150]]))
    then(events, ("WatchedIntervalsMerged", {}))
    assert not s.completed and not s.certificate_eligible
    refused(s, lambda a: a.submit_summary("再交一次"), "training_summary.already_submitted")


def test_given_a_school_based_course_complete_then_it_is_never_certificate_eligible():
    s = study("school", ("ChapterCompleted", {"chapter_id": CH1}), ("ChapterCompleted", {"chapter_id": CH2}))
    then(when(s, lambda a: a.submit_summary("校本课程总结")), ("SummarySubmitted", {}),
         ("Completed", {"certificate_eligible": False}))
    assert s.completed and not s.certificate_eligible


# -- lectures -------------------------------------------------------------------------------------------

STARTS = datetime(2026, 10, 12, 11, 0, tzinfo=UTC)


def lecture(origin: str = "centre", *events: tuple[str, dict]) -> Lecture:
    scheduled = ("Scheduled", {"origin": origin, "training_school_id": None if origin == "centre" else SCHOOL_ID,
                               "title": "高校教师数字素养", "speaker": "张教授", "starts_at": STARTS,
                               "duration_minutes": 90, "tenths": 15,
                               "hosting_application_id": None})
    return given(Lecture, scheduled, *events)


def test_given_no_sign_up_when_full_attendance_is_recorded_then_the_hours_are_not_recognised():
    lec = lecture()
    refused(lec, lambda a: a.record_full_attendance(TRAINEE, STARTS + timedelta(hours=2)), "lecture.not_signed_up")


def test_given_a_sign_up_in_advance_when_attended_in_full_then_15_tenths_are_recorded():
    lec = lecture("centre", ("SignedUp", {"trainee_id": TRAINEE}))
    then(when(lec, lambda a: a.record_full_attendance(TRAINEE, STARTS + timedelta(hours=2))),
         ("AttendedInFull", {"trainee_id": TRAINEE, "tenths": 15}))
    assert lec.certificate_eligible


def test_sign_up_closes_when_the_lecture_starts_and_attendance_waits_for_its_end():
    lec = lecture()
    refused(lec, lambda a: a.sign_up(TRAINEE, STARTS), "lecture.sign_up_closed")
    signed = lecture("centre", ("SignedUp", {"trainee_id": TRAINEE}))
    refused(signed, lambda a: a.record_full_attendance(TRAINEE, STARTS + timedelta(minutes=89)), "lecture.not_over")


def test_a_lecture_is_scheduled_in_the_future_within_two_years():
    now = STARTS - timedelta(days=1)
    for at, code in ((now, "lecture.start_in_past"), (now + timedelta(days=731), "lecture.start_too_far")):
        with pytest.raises(InvalidInput) as info:
            Lecture.schedule(LectureOrigin.CENTRE, None, "讲座", "张教授", at, 90, now)
        assert info.value.code == code
    lec = Lecture.schedule(LectureOrigin.CENTRE, None, "讲座", "张教授", now + timedelta(days=730), 90, now)
    assert lec.tenths == 15


def test_a_school_lecture_is_not_certificate_eligible():
    assert not lecture("school").certificate_eligible


def test_hosting_application_is_reviewed_by_the_school_then_scheduled_by_the_centre():
    submitted = ("Submitted", {"applicant_id": TRAINEE, "training_school_id": SCHOOL_ID, "title": "混合式教学",
                               "outline": "案例分享", "preferred_date": date(2026, 10, 20)})
    app = given(HostingApplication, submitted)
    refused(app, lambda a: a.mark_scheduled(uuid.uuid4()), "hosting.status_conflict")
    refused(app, lambda a: a.reject("  "), "field.required")
    then(when(app, lambda a: a.reject("主题与本学期安排重复")), ("RejectedBySchool", {"reason": "主题与本学期安排重复"}))
    approved = given(HostingApplication, submitted, ("ApprovedBySchool", {}))
    lecture_id = uuid.uuid4()
    then(when(approved, lambda a: a.mark_scheduled(lecture_id)), ("ScheduledByCentre", {"lecture_id": lecture_id}))


# -- declarations ------------------------------------------------------------------------------------


def test_given_a_recognised_declaration_then_it_is_still_never_certificate_eligible():
    declared = ("Declared", {"trainee_id": TRAINEE, "training_school_id": SCHOOL_ID, "title": "省级教学研讨会",
                             "organiser": "江苏省教育厅", "held_on": date(2026, 8, 1), "tenths": 60})
    d = given(ActivityDeclaration, declared)
    then(when(d, lambda a: a.recognise()), ("Recognised", {}))
    assert not d.certificate_eligible
    refused(d, lambda a: a.reject("重复申报"), "declaration.already_reviewed")


def test_a_declaration_of_a_future_activity_is_refused():
    with pytest.raises(InvalidInput) as info:
        ActivityDeclaration.declare(TRAINEE, SCHOOL_ID, "研讨会", "某单位", date(2026, 12, 1), 20, date(2026, 9, 1))
    assert info.value.code == "declaration.future_date"


def test_a_chapters_video_address_is_https_or_a_path_on_this_site():
    from domains.training.resources import parse_chapters

    ok = parse_chapters([{"title": "一", "duration_seconds": 60, "video_url": "https://v.example.cn/1.mp4"},
                         {"title": "二", "duration_seconds": 60, "video_url": "/media/2.mp4"},
                         {"title": "三", "duration_seconds": 60}])
    assert [c["video_url"] for c in ok] == ["https://v.example.cn/1.mp4", "/media/2.mp4", None]
    for bad in ("javascript:alert(1)", "http://v.example.cn/1.mp4", '/a" onerror="x', "//evil.example/x.mp4", "/a b.mp4"):
        assert error_code(lambda bad=bad: parse_chapters([{"title": "一", "duration_seconds": 60, "video_url": bad}])) == (
            "training_course.video_url_invalid")
