"""The learner record (学籍信息, requirements/learners.md §2): confirmation states, the
learner's one chance to ask for a change, contact details changed directly, and basic / prior
education changes reviewed by the school."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from domains.admissions.application_form import Applicant
from domains.learners.learner import Learner
from domains.learners.record_change import RecordChangeRequest, RecordStatus, RequestStatus, contact_details
from domains.shared.values import Role
from tests.domains.gwt import created, error_code, given, refused, then, when
from tests.support import applicant, make_id_number

AT = datetime(2026, 9, 20, 2, 0, tzinfo=UTC)
TODAY = date(2026, 9, 20)
LEARNER_ID = uuid.UUID(int=0xE1)
TP = uuid.UUID(int=0x101)
TPA, ME, JW = Role.TEACHING_POINT_ADMIN, Role.LEARNER, Role.ACADEMIC_AFFAIRS
PERSONAL = Applicant.parse(applicant(email="old@example.com"), TODAY).as_dict()
ADMITTED = (
    "Admitted",
    {
        "student_number": "2632101000001",
        "application_form_id": uuid.UUID(int=0xF1),
        "teaching_point_id": TP,
        "programme_id": uuid.UUID(int=0xA1),
        "study_batch_id": uuid.UUID(int=0x5B),
        "admission_batch_id": uuid.UUID(int=0xAB),
        "personal": PERSONAL,
    },
)


def learner(*events: tuple[str, dict]) -> Learner:
    return given(Learner, ADMITTED, *events, id=LEARNER_ID)


def ask(lrn: Learner, role: Role = TPA, **changes: object) -> RecordChangeRequest:
    req, _ = created(lambda: RecordChangeRequest.request(lrn, role, changes, "与身份证不符", [], AT, TODAY))
    return req


def opened(req_id: uuid.UUID, by_learner: bool = False) -> tuple[str, dict]:
    return ("RecordChangeOpened", {"record_change_id": req_id, "by_learner": by_learner})


def test_a_new_learner_record_is_unconfirmed_and_the_learner_confirms_it_once():
    lrn = learner()
    assert RecordStatus(lrn.record_status).label == "未确认"
    then(when(lrn, lambda a: a.confirm_record()), ("RecordConfirmed", {}))
    assert RecordStatus(lrn.record_status).label == "已确认"
    refused(learner(("RecordConfirmed", {})), lambda a: a.confirm_record(), "learner_record.already_confirmed")


def test_contact_details_change_at_once_without_review():
    lrn = learner()
    email, mobile = contact_details(" new@example.com ", "13800001111")
    then(when(lrn, lambda a: a.change_contact_details(email, mobile)),
         ("ContactDetailsChanged", {"email": "new@example.com", "mobile": "13800001111"}))
    assert lrn.personal["mobile"] == "13800001111" and lrn.record_status == "unconfirmed"
    refused(lrn, lambda a: a.change_contact_details("new@example.com", "13800001111"), "learner_record.contact_unchanged")


def test_contact_details_need_an_eleven_digit_mobile_and_a_usual_email():
    assert error_code(lambda: contact_details("a@b.cn", "1380000111")) == "mobile.malformed"
    assert error_code(lambda: contact_details("a@b.cn", "")) == "field.required"
    assert error_code(lambda: contact_details("not-an-email", "13800001111")).startswith("email")


def test_a_teaching_point_request_waits_for_review_and_approval_changes_the_record():
    lrn = learner()
    req = ask(lrn, name="王晓明", ethnicity="回族")
    assert req.changes == {"name": "王晓明", "ethnicity": "回族"}
    assert req.previous == {"name": PERSONAL["name"], "ethnicity": "汉族"}
    then(lrn.collect_events(), opened(req.id))
    assert RecordStatus(lrn.record_status).label == "待审核" and lrn.personal["name"] == PERSONAL["name"]
    then(when(req, lambda r: r.approve(JW, "属实", AT, lrn)), ("Approved", {"comment": "属实"}))
    then(lrn.collect_events(), ("RecordChangeApproved", {"record_change_id": req.id}))
    assert (lrn.personal["name"], lrn.personal["ethnicity"]) == ("王晓明", "回族")
    assert RecordStatus(lrn.record_status).label == "审核通过" and req.request_status is RequestStatus.APPROVED


def test_a_new_id_number_brings_its_gender_and_birth_date():
    new_id = make_id_number(birth="19921105", seq=2)
    req = ask(learner(), id_number=new_id)
    assert req.changes["id_number"] == new_id and req.changes["birth_date"] == "1992-11-05"
    assert req.changes["gender"] != PERSONAL["gender"]  # the 17th digit of the new number is even


def test_a_rejection_needs_a_reason_and_leaves_the_record_as_it_was():
    lrn = learner()
    req = ask(lrn, prior_school="南京大学")
    lrn.collect_events()
    refused(req, lambda r: r.reject(JW, " ", AT, lrn), "learner_record.reason_required")
    then(when(req, lambda r: r.reject(JW, "无证明材料", AT, lrn)), ("Rejected", {"reason": "无证明材料"}))
    then(lrn.collect_events(), ("RecordChangeRejected", {"record_change_id": req.id}))
    assert lrn.personal["prior_school"] == "南京城市职业学院"
    assert RecordStatus(lrn.record_status).label == "审核驳回"
    refused(req, lambda r: r.approve(JW, None, AT, lrn), "learner_record.not_pending")


def test_only_academic_affairs_reviews():
    lrn = learner()
    req = ask(lrn, prior_major="会计")
    lrn.collect_events()
    refused(req, lambda r: r.approve(TPA, None, AT, lrn), "learner_record.role_not_allowed", "forbidden")
    refused(req, lambda r: r.reject(ME, "不同意", AT, lrn), "learner_record.role_not_allowed", "forbidden")


def test_one_request_awaits_review_at_a_time_and_confirming_waits_for_it():
    pending = learner(opened(uuid.UUID(int=7)))
    assert (
        error_code(lambda: RecordChangeRequest.request(pending, TPA, {"name": "张三"}, None, [], AT, TODAY))
        == "learner_record.pending_review"
    )
    refused(pending, lambda a: a.confirm_record(), "learner_record.pending_review")


def test_the_learner_has_one_chance_to_ask_whatever_its_outcome():
    lrn = learner()
    req = ask(lrn, ME, address="南京市鼓楼区中山路1号")
    then(lrn.collect_events(), opened(req.id, by_learner=True))
    req.reject(JW, "地址无误", AT, lrn)
    lrn.collect_events()
    # The chance is used up: another request of the learner's own is refused...
    assert (
        error_code(lambda: RecordChangeRequest.request(lrn, ME, {"address": "北京"}, None, [], AT, TODAY))
        == "learner_record.self_request_used"
    )
    # ...the learner may still confirm the record, and the teaching point may still ask for them.
    then(when(lrn, lambda a: a.confirm_record()), ("RecordConfirmed", {}))
    assert ask(lrn, TPA, address="南京市鼓楼区中山路1号").requested_by_role == "teaching_point_admin"


def test_a_learner_who_confirmed_the_record_no_longer_asks_by_themselves():
    lrn = learner(("RecordConfirmed", {}))
    assert (
        error_code(lambda: RecordChangeRequest.request(lrn, ME, {"name": "张三"}, None, [], AT, TODAY))
        == "learner_record.already_confirmed"
    )
    assert ask(lrn, TPA, name="张三").changes == {"name": "张三"}


def test_what_may_be_asked_for_is_checked_like_the_application_form():
    lrn = learner()
    for changes, code in [
        ({}, "learner_record.nothing_changed"),
        ({"mobile": "13800001111"}, "learner_record.contact_not_by_request"),
        ({"gender": "female"}, "learner_record.field_unknown"),
        ({"student_number": "1"}, "learner_record.field_unknown"),
        ({"id_number": "123"}, "id_number.malformed"),
        ({"prior_level": "博士后"}, "applicant.prior_level_invalid"),
        ({"prior_graduation_date": "2030-01-01"}, "applicant.not_yet_graduated"),
        ({"name": PERSONAL["name"]}, "learner_record.nothing_changed"),
    ]:
        got = error_code(lambda c=changes: RecordChangeRequest.request(lrn, TPA, c, None, [], AT, TODAY))
        assert got == code, (changes, got)
    assert (
        error_code(lambda: RecordChangeRequest.request(lrn, JW, {"name": "张三"}, None, [], AT, TODAY))
        == "learner_record.role_not_allowed"
    )
    assert lrn.collect_events() == []


def test_proof_files_ride_with_the_request():
    lrn = learner()
    files = [{"ref": "f1", "content_type": "application/pdf", "file_name": "证明.pdf", "size": 10}]
    req = RecordChangeRequest.request(lrn, TPA, {"prior_major": "会计"}, None, files, AT, TODAY)
    assert req.attachments == files
    too_many = files * 11
    assert (
        error_code(lambda: RecordChangeRequest.request(learner(), TPA, {"prior_major": "会计"}, None, too_many, AT, TODAY))
        == "status_change.too_many_attachments"
    )
