"""The application form (报名表): entry or quick registration by a teaching point, school review.

Statuses (requirements/admissions.md §4.1):
  quick_registered (快速报名, awaiting completion by the teaching point)
  preliminarily_approved (初审通过, awaiting school review 复审)
  approved (复审通过: a Learner exists with a student number)
  rejected (复审驳回)
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from eventsourcing.domain import event

from domains.admissions.batches import AdmissionBatch, TrainingProgramme, parse_date
from domains.shared.aggregate import DomainAggregate
from domains.shared.errors import DomainError, FieldChecks, InvalidInput, present
from domains.shared.values import (
    ChineseIdNumber,
    optional_text,
    parse_email,
    parse_mobile,
    require_text,
)


class FormStatus(StrEnum):
    QUICK_REGISTERED = "quick_registered"
    PRELIMINARILY_APPROVED = "preliminarily_approved"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return FORM_STATUS_LABELS[self]


FORM_STATUS_LABELS = {
    FormStatus.QUICK_REGISTERED: "快速报名待补录",
    FormStatus.PRELIMINARILY_APPROVED: "初审通过",
    FormStatus.APPROVED: "复审通过",
    FormStatus.REJECTED: "复审驳回",
}

PRIOR_EDUCATION_LEVELS = ("高中", "中专", "职高", "技校", "大专", "本科", "研究生")


@dataclass(frozen=True)
class Applicant:
    """The applicant's details on a full form. Birth date and gender come from the ID number."""

    name: str
    id_number: str
    gender: str
    birth_date: str
    ethnicity: str
    mobile: str
    email: str | None
    address: str
    occupation: str | None
    prior_level: str
    prior_school: str
    prior_major: str | None
    prior_graduation_date: str
    prior_certificate_number: str
    original_name: str | None
    original_id_number: str | None

    @classmethod
    def parse(cls, raw: dict[str, Any], today: date) -> Applicant:
        """The applicant from the entered fields; every invalid field is refused at once."""
        check = FieldChecks()
        id_number = check(ChineseIdNumber.parse, raw.get("id_number", ""))
        prior_level = (raw.get("prior_level") or "").strip()
        if prior_level not in PRIOR_EDUCATION_LEVELS:
            check.add(InvalidInput(
                "applicant.prior_level_invalid",
                f"最高学历层次须为{'、'.join(PRIOR_EDUCATION_LEVELS)}之一",
                field="prior_level",
            ))
        graduated = check(parse_date, raw.get("prior_graduation_date"), "prior_graduation_date", "毕业日期")
        if graduated is not None and graduated > today:
            check.add(InvalidInput(
                "applicant.not_yet_graduated",
                "最高学历须为已获得的国家承认学历，毕业日期不能晚于今天",
                field="prior_graduation_date",
            ))
        elif graduated is not None and id_number is not None and graduated <= id_number.birth_date:
            check.add(InvalidInput(
                "applicant.graduation_before_birth", "毕业日期不能早于出生日期", field="prior_graduation_date"
            ))
        original_id = (raw.get("original_id_number") or "").strip()
        original = check(ChineseIdNumber.parse, original_id, "original_id_number") if original_id else None
        name = check(require_text, raw.get("name"), "name", "姓名", 30)
        original_name = check(optional_text, raw.get("original_name"), "original_name", "原学历姓名", 30)
        ethnicity = check(require_text, raw.get("ethnicity"), "ethnicity", "民族", 20)
        mobile = check(parse_mobile, raw.get("mobile", ""))
        email = check(parse_email, raw.get("email"))
        address = check(require_text, raw.get("address"), "address", "通讯地址", 200)
        occupation = check(optional_text, raw.get("occupation"), "occupation", "工作单位", 100)
        prior_school = check(require_text, raw.get("prior_school"), "prior_school", "毕业学校", 60)
        prior_major = check(optional_text, raw.get("prior_major"), "prior_major", "原专业", 60)
        certificate = check(
            require_text, raw.get("prior_certificate_number"), "prior_certificate_number", "毕业证书编号", 40
        )
        check.refuse()
        id_number, graduated = present(id_number), present(graduated)
        return cls(
            name=present(name),
            id_number=id_number.value,
            gender=id_number.gender,
            birth_date=id_number.birth_date.isoformat(),
            ethnicity=present(ethnicity),
            mobile=present(mobile),
            email=email,
            address=present(address),
            occupation=occupation,
            prior_level=prior_level,
            prior_school=present(prior_school),
            prior_major=prior_major,
            prior_graduation_date=graduated.isoformat(),
            prior_certificate_number=present(certificate),
            # Original name/ID are recorded only when they differ from the current ones
            # (requirements/admissions.md §2.4).
            original_name=None if original_name == name else original_name,
            original_id_number=None if original is None or original.value == id_number.value else original.value,
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_programme_fits_level(programme: TrainingProgramme, applicant: Applicant) -> None:
    """专升本 needs a junior-college or higher qualification; 高起专/高起本 a secondary one."""
    if programme.level == "专升本" and applicant.prior_level not in ("大专", "本科", "研究生"):
        raise DomainError(
            "applicant.prior_level_insufficient",
            "专升本层次须具有国家承认的大专及以上学历",
        )


class ApplicationForm(DomainAggregate):
    class QuickRegistered(DomainAggregate.Created):
        name: str
        mobile: str
        intended_major: str
        teaching_point_id: uuid.UUID | None

    class Entered(DomainAggregate.Created):
        name: str
        mobile: str
        teaching_point_id: uuid.UUID
        applicant: dict[str, Any]
        programme_id: uuid.UUID
        admission_batch_id: uuid.UUID
        study_batch_id: uuid.UUID

    def __init__(
        self,
        name: str,
        mobile: str,
        teaching_point_id: uuid.UUID | None,
        intended_major: str | None = None,
        applicant: dict[str, Any] | None = None,
        programme_id: uuid.UUID | None = None,
        admission_batch_id: uuid.UUID | None = None,
        study_batch_id: uuid.UUID | None = None,
    ) -> None:
        self.name = name
        self.mobile = mobile
        self.intended_major = intended_major
        self.teaching_point_id = teaching_point_id
        self.applicant = applicant
        self.programme_id = programme_id
        self.admission_batch_id = admission_batch_id
        self.study_batch_id = study_batch_id
        self.status = (
            FormStatus.PRELIMINARILY_APPROVED.value if applicant else FormStatus.QUICK_REGISTERED.value
        )
        self.learner_id: uuid.UUID | None = None
        self.student_number: str | None = None
        self.review_comment: str | None = None

    @classmethod
    def quick_register(
        cls, name: str, mobile: str, intended_major: str, teaching_point_id: uuid.UUID | None
    ) -> ApplicationForm:
        """Quick registration (快速报名) from the public portal: name, phone, intended major."""
        return cls._create(
            cls.QuickRegistered,
            name=require_text(name, "name", "姓名", 30),
            mobile=parse_mobile(mobile),
            intended_major=require_text(intended_major, "intended_major", "意向专业", 40),
            teaching_point_id=teaching_point_id,
        )

    @classmethod
    def enter(
        cls,
        applicant: Applicant,
        teaching_point_id: uuid.UUID,
        admission_batch: AdmissionBatch,
        programme: TrainingProgramme,
        today: date,
    ) -> ApplicationForm:
        """A teaching point enters a full form: it is preliminarily approved at once."""
        admission_batch.check_open(today)
        programme.check_offered_at(teaching_point_id)
        check_programme_fits_level(programme, applicant)
        return cls._create(
            cls.Entered,
            name=applicant.name,
            mobile=applicant.mobile,
            teaching_point_id=teaching_point_id,
            applicant=applicant.as_dict(),
            programme_id=programme.id,
            admission_batch_id=admission_batch.id,
            study_batch_id=admission_batch.study_batch_id,
        )

    @property
    def form_status(self) -> FormStatus:
        return FormStatus(self.status)

    def check_teaching_point(self, teaching_point_id: uuid.UUID) -> None:
        if self.teaching_point_id is not None and self.teaching_point_id != teaching_point_id:
            raise DomainError("application_form.other_teaching_point", "该报名表属于其他教学点")

    def complete(
        self,
        applicant: Applicant,
        teaching_point_id: uuid.UUID,
        admission_batch: AdmissionBatch,
        programme: TrainingProgramme,
        today: date,
    ) -> None:
        """The teaching point completes a quick registration; the programme is chosen again
        because the intended major was never linked to a programme (requirements/admissions.md §3)."""
        if self.form_status is not FormStatus.QUICK_REGISTERED:
            raise DomainError(
                "application_form.not_quick_registration",
                f"只有快速报名表可以补录，当前状态为“{self.form_status.label}”",
            )
        self.check_teaching_point(teaching_point_id)
        admission_batch.check_open(today)
        programme.check_offered_at(teaching_point_id)
        check_programme_fits_level(programme, applicant)
        self._completed(
            teaching_point_id=teaching_point_id,
            applicant=applicant.as_dict(),
            programme_id=programme.id,
            admission_batch_id=admission_batch.id,
            study_batch_id=admission_batch.study_batch_id,
        )

    @event("Completed")
    def _completed(
        self,
        teaching_point_id: uuid.UUID,
        applicant: dict[str, Any],
        programme_id: uuid.UUID,
        admission_batch_id: uuid.UUID,
        study_batch_id: uuid.UUID,
    ) -> None:
        self.teaching_point_id = teaching_point_id
        self.applicant = applicant
        self.name = applicant["name"]
        self.mobile = applicant["mobile"]
        self.programme_id = programme_id
        self.admission_batch_id = admission_batch_id
        self.study_batch_id = study_batch_id
        self.status = FormStatus.PRELIMINARILY_APPROVED.value

    def check_awaiting_review(self) -> None:
        if self.form_status is not FormStatus.PRELIMINARILY_APPROVED:
            raise DomainError(
                "application_form.not_awaiting_review",
                f"只有“初审通过”的报名表可以复审，当前状态为“{self.form_status.label}”",
            )

    def approve(self, learner_id: uuid.UUID, student_number: str, comment: str | None) -> None:
        self.check_awaiting_review()
        self._approved(learner_id=learner_id, student_number=student_number, comment=comment)

    @event("Approved")
    def _approved(self, learner_id: uuid.UUID, student_number: str, comment: str | None) -> None:
        self.learner_id = learner_id
        self.student_number = student_number
        self.review_comment = comment
        self.status = FormStatus.APPROVED.value

    def reject(self, reason: str) -> None:
        self.check_awaiting_review()
        # The API's input is still called "comment"; the error points at it.
        self._rejected(reason=require_text(reason, "comment", "驳回原因", 200))

    class Rejected(DomainAggregate.Event):
        """Version 2 calls the rejection's text `reason`, as every other rejection in the log
        does; version 1 stored it as `comment` (ADR 0015)."""

        class_version = 2
        reason: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["reason"] = state.pop("comment")

    @event(Rejected)
    def _rejected(self, reason: str) -> None:
        self.review_comment = reason
        self.status = FormStatus.REJECTED.value
