"""The certificate ledger (学分与证书打印, requirements/training.md §3.4, §4.2, §6).

One ledger per trainee holds the hours that may go on a centre certificate and every
certificate that consumed them. Hours are integer tenths of an hour throughout.

- Eligible pool (在线打印电子证书备选): centre courses completed in full (all video chapters and
  the summary assignment) and centre lectures attended in full, each credited once by the
  learning side (`credit`, idempotent per source).
- Printable allowance (可打印学时) per year, set by the trainee's school in line with its
  training task; each change is an event. Remaining printable (您剩余可打印) = allowance − hours
  on certificates issued that year, never below zero.
- A certificate application selects pool items; it is refused when the selected total exceeds
  the remaining printable by more than 2.0 hours (allowance 50: 50.0 and 52.0 accepted, 52.1
  refused), or when nothing remains for the year. Items leave the pool once on a certificate,
  so an hour is consumed exactly once and the ledger says by which certificate. Certificates
  stack; none is ever revoked.

The certificate itself (its details, error reports, corrections, downloads) is the
`Certificate` aggregate, created by the ledger in the same atomic save.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any

from eventsourcing.domain import event

from domains.shared.aggregate import DomainAggregate, key_id
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.values import Role, check_role, require_aware, require_text

TOLERANCE_TENTHS = 20  # an application may exceed the remaining printable by at most 2.0 hours
MAX_ALLOWANCE_TENTHS = 10_000  # 1,000 hours a year
MAX_ITEM_TENTHS = 2_000  # 200 hours for one course or lecture
MIN_YEAR, MAX_YEAR = 2000, 2100


class HoursKind(StrEnum):
    """Where certificate-eligible hours come from."""

    CENTRE_COURSE = "centre_course"  # 网培中心课程（全部视频章节与总结作业完成）
    CENTRE_LECTURE = "centre_lecture"  # 网培中心直播讲座（预约并完整参加）

    @property
    def label(self) -> str:
        return {"centre_course": "网培中心课程", "centre_lecture": "网培中心直播讲座"}[self.value]

    @classmethod
    def parse(cls, raw: str | None) -> HoursKind:
        try:
            return cls((raw or "").strip())
        except ValueError:
            raise InvalidInput(
                "ledger.kind_invalid", "学时来源须为 centre_course（网培中心课程）或 centre_lecture（网培中心直播讲座）",
                field="kind",
            ) from None


def hours_text(tenths: int) -> str:
    """520 -> "52.0" (tenths printed as they are, never rounded)."""
    sign = "-" if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), 10)
    return f"{sign}{whole}.{tenth}"


def parse_tenths(raw: object, field: str = "hours", label: str = "学时") -> int:
    """Hours as people type them ("52", "52.0", "0.3", 52.5) into tenths; at most one decimal."""
    if isinstance(raw, bool):
        raise InvalidInput("hours.malformed", f"{label}须为数字，最多一位小数", field=field)
    if isinstance(raw, int):
        return raw * 10
    text = (str(raw) if raw is not None else "").strip()
    whole, dot, frac = text.partition(".")
    digits = whole.isascii() and whole.isdigit() and (not dot or (len(frac) == 1 and frac.isascii() and frac.isdigit()))
    if not digits or len(whole) > 6:
        raise InvalidInput("hours.malformed", f"{label}须为数字，最多一位小数（如 50 或 52.5）", field=field)
    return int(whole) * 10 + (int(frac) if dot else 0)


def check_year(year: object, field: str = "year") -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput("ledger.year_invalid", f"年度须为 {MIN_YEAR}–{MAX_YEAR} 之间的年份", field=field)
    return year


_check_role = partial(check_role, code="ledger.role_not_allowed")


@dataclass(frozen=True)
class PoolItem:
    """One course or lecture with its certificate-eligible hours."""

    source_id: uuid.UUID
    kind: str
    title: str
    tenths: int
    earned_on: datetime.date

    @property
    def kind_label(self) -> str:
        return HoursKind(self.kind).label


class CertificateLedger(DomainAggregate):
    @staticmethod
    def create_id(trainee_id: uuid.UUID) -> uuid.UUID:
        """One ledger per trainee (the trainee's account user id)."""
        return key_id("certificate_ledger", str(trainee_id))

    @event("Opened")
    def __init__(self, trainee_id: uuid.UUID, training_school_id: uuid.UUID) -> None:
        self.trainee_id = trainee_id
        self.training_school_id = training_school_id
        self.items: dict[uuid.UUID, PoolItem] = {}  # every credited item, in the order credited
        self.certified_by: dict[uuid.UUID, uuid.UUID] = {}  # source id -> certificate id
        self.allowances: dict[int, int] = {}  # year -> tenths
        self.consumed: dict[int, int] = {}  # year -> tenths on certificates issued that year
        self.certificate_ids: list[uuid.UUID] = []

    @classmethod
    def open(cls, trainee_id: uuid.UUID, training_school_id: uuid.UUID) -> CertificateLedger:
        return cls(trainee_id=trainee_id, training_school_id=training_school_id)

    # -- hours in ------------------------------------------------------------------------------------

    def credit(self, source_id: uuid.UUID, kind: str, title: str, tenths: int, earned_on: datetime.date) -> None:
        """Certificate-eligible hours of one completed centre course or attended centre lecture.
        Crediting the same source again records nothing."""
        if source_id in self.items:
            return
        hours_kind = HoursKind.parse(kind)
        name = require_text(title, "title", "课程或讲座名称", 200)
        if isinstance(tenths, bool) or not isinstance(tenths, int) or not 0 < tenths <= MAX_ITEM_TENTHS:
            raise InvalidInput(
                "ledger.hours_invalid", f"学时须大于 0 且不超过 {hours_text(MAX_ITEM_TENTHS)}", field="tenths"
            )
        if not isinstance(earned_on, datetime.date):
            raise InvalidInput("ledger.date_invalid", "获得学时的日期无效", field="earned_on")
        self._credited(
            source_id=source_id, kind=hours_kind.value, title=name, tenths=tenths, earned_on=earned_on.isoformat()
        )

    @event("HoursCredited")
    def _credited(self, source_id: uuid.UUID, kind: str, title: str, tenths: int, earned_on: str) -> None:
        self.items[source_id] = PoolItem(source_id, kind, title, tenths, datetime.date.fromisoformat(earned_on))

    # -- what the trainee sees -------------------------------------------------------------------------

    @property
    def pool(self) -> list[PoolItem]:
        """The eligible pool: credited items not yet on a certificate."""
        return [item for sid, item in self.items.items() if sid not in self.certified_by]

    @property
    def pool_tenths(self) -> int:
        return sum(item.tenths for item in self.pool)

    def allowance(self, year: int) -> int | None:
        return self.allowances.get(year)

    def consumed_in(self, year: int) -> int:
        return self.consumed.get(year, 0)

    def remaining(self, year: int) -> int:
        """您剩余可打印: the year's allowance minus the hours on certificates issued that year,
        never below zero."""
        return max(0, self.allowances.get(year, 0) - self.consumed.get(year, 0))

    def certificate_of(self, source_id: uuid.UUID) -> uuid.UUID | None:
        """The certificate that consumed this item's hours, if any."""
        return self.certified_by.get(source_id)

    # -- the school's allowance --------------------------------------------------------------------------

    def set_allowance(self, role: Role, year: int, tenths: int) -> None:
        """可打印学时 for one year, set by the trainee's school (a later change is a new event)."""
        _check_role(role, (Role.TRAINING_SCHOOL_ADMIN,), "设置可打印学时")
        check_year(year)
        if isinstance(tenths, bool) or not isinstance(tenths, int) or not 0 <= tenths <= MAX_ALLOWANCE_TENTHS:
            raise InvalidInput(
                "ledger.allowance_invalid", f"可打印学时须在 0 到 {hours_text(MAX_ALLOWANCE_TENTHS)} 之间", field="hours"
            )
        previous = self.allowances.get(year)
        if previous == tenths:
            raise DomainError(
                "ledger.allowance_unchanged", f"{year} 年度可打印学时已是 {hours_text(tenths)}，无需修改"
            )
        self._allowance_set(year=year, tenths=tenths, previous_tenths=previous)

    @event("AllowanceSet")
    def _allowance_set(self, year: int, tenths: int, previous_tenths: int | None) -> None:
        self.allowances[year] = tenths

    # -- applying for a certificate ---------------------------------------------------------------------

    def check_selection(self, source_ids: Sequence[uuid.UUID], year: int) -> int:
        """The selected items' total in tenths, if an application for them may be issued now."""
        if not source_ids:
            raise InvalidInput("certificate.nothing_selected", "请至少选择一项学时", field="source_ids")
        if len(set(source_ids)) != len(source_ids):
            raise InvalidInput("certificate.item_twice", "同一课程或讲座不能重复选择", field="source_ids")
        for source_id in source_ids:
            item = self.items.get(source_id)
            if item is None:
                raise DomainError("certificate.item_not_in_pool", "所选课程或讲座不在可申请证书的学时中")
            if source_id in self.certified_by:
                raise DomainError(
                    "certificate.item_already_certified", f"“{item.title}”的学时已计入证书，不能再次申请"
                )
        if year not in self.allowances:
            raise DomainError(
                "certificate.no_allowance", f"学校尚未设置 {year} 年度可打印学时，请联系校级管理员"
            )
        remaining = self.remaining(year)
        if remaining == 0:
            raise DomainError(
                "certificate.nothing_remaining",
                f"{year} 年度剩余可打印学时为 0.0，不能再申请证书；如需调整请联系校级管理员",
            )
        total = sum(self.items[s].tenths for s in source_ids)
        if total > remaining + TOLERANCE_TENTHS:
            raise DomainError(
                "certificate.exceeds_remaining",
                f"所选学时 {hours_text(total)} 超出剩余可打印学时 {hours_text(remaining)} "
                f"加 {hours_text(TOLERANCE_TENTHS)} 学时的上限",
                selected=hours_text(total),
                remaining=hours_text(remaining),
            )
        return total

    def selection_within_remaining(self, year: int) -> list[uuid.UUID]:
        """For batch generation: pool items oldest first (by the day earned, then as credited),
        each taken while the total stays within the remaining printable plus the 2.0-hour
        tolerance; an item that does not fit is passed over for smaller later ones."""
        remaining = self.remaining(year)
        if year not in self.allowances or remaining == 0:
            return []
        chosen: list[uuid.UUID] = []
        total = 0
        for item in sorted(self.pool, key=lambda i: i.earned_on):  # stable: credit order within a day
            if total + item.tenths <= remaining + TOLERANCE_TENTHS:
                chosen.append(item.source_id)
                total += item.tenths
        return chosen

    def issue_certificate(
        self,
        role: Role,
        source_ids: Sequence[uuid.UUID],
        sequence: CertificateSerialSequence,
        verification_code: str,
        trainee_name: str,
        school_name: str,
        issued_on: datetime.date,
    ) -> Certificate:
        """Issue one certificate for the selected pool items, counted against the allowance of
        the year it is issued in. The trainee applies; the school generates in batch."""
        _check_role(role, (Role.TRAINEE, Role.TRAINING_SCHOOL_ADMIN), "申请证书")
        year = issued_on.year
        selected = list(source_ids)
        total = self.check_selection(selected, year)
        if sequence.year != year:
            raise DomainError("certificate.serial_year_mismatch", "证书编号序列的年度与发证年度不一致")
        number = len(self.certificate_ids) + 1
        certificate = Certificate(
            ledger_id=self.id,
            trainee_id=self.trainee_id,
            training_school_id=self.training_school_id,
            number=number,
            serial=sequence.issue(),
            verification_code=check_verification_code(verification_code),
            trainee_name=require_text(trainee_name, "trainee_name", "姓名", 50),
            school_name=require_text(school_name, "school_name", "学校名称", 100),
            year=year,
            items=[  # plain JSON (the source id as text), as the certificate shows its items
                {"source_id": str(s), "kind": self.items[s].kind, "title": self.items[s].title,
                 "tenths": self.items[s].tenths}
                for s in selected
            ],
            total_tenths=total,
            issued_on=issued_on.isoformat(),
        )
        self._certificate_issued(
            certificate_id=certificate.id, serial=certificate.serial, year=year, source_ids=selected, tenths=total
        )
        return certificate

    @event("CertificateIssued")
    def _certificate_issued(
        self, certificate_id: uuid.UUID, serial: str, year: int, source_ids: list[uuid.UUID], tenths: int
    ) -> None:
        for source_id in source_ids:
            self.certified_by[source_id] = certificate_id
        self.consumed[year] = self.consumed.get(year, 0) + tenths
        self.certificate_ids.append(certificate_id)


# -- serial numbers --------------------------------------------------------------------------------------

SERIAL_PATTERN = "WP{year}-{seq:06d}"


class CertificateSerialSequence(DomainAggregate):
    """Issues certificate serial numbers for one year ("WP2026-000123"); never reuses one."""

    @staticmethod
    def create_id(year: int) -> uuid.UUID:
        return key_id("certificate_serial_sequence", str(year))

    @event("Started")
    def __init__(self, year: int) -> None:
        self.year = year
        self.last = 0

    @classmethod
    def start(cls, year: int) -> CertificateSerialSequence:
        return cls(year=check_year(year))

    def issue(self) -> str:
        self._issued(number=self.last + 1)
        return SERIAL_PATTERN.format(year=self.year, seq=self.last)

    @event("Issued")
    def _issued(self, number: int) -> None:
        self.last = number


# -- the certificate -------------------------------------------------------------------------------------

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: typed from paper
CODE_LENGTH = 12


def check_verification_code(code: str) -> str:
    if len(code or "") != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        raise InvalidInput("certificate.code_invalid", "证书验证码格式不正确", field="code")
    return code


class AmendableField(StrEnum):
    """The details a school may report as wrong (姓名、学时年份)."""

    TRAINEE_NAME = "trainee_name"
    YEAR = "year"

    @property
    def label(self) -> str:
        return {"trainee_name": "姓名", "year": "学时年份"}[self.value]

    @classmethod
    def parse(cls, raw: str | None) -> AmendableField:
        try:
            return cls((raw or "").strip())
        except ValueError:
            raise InvalidInput(
                "certificate.field_invalid", "可更正的信息为 trainee_name（姓名）或 year（学时年份）", field="field"
            ) from None

    def parse_value(self, raw: object, field: str = "correct_value") -> str:
        if self is AmendableField.YEAR:
            text = str(raw if raw is not None else "").strip()
            if not (text.isascii() and text.isdigit()) or len(text) != 4:
                raise InvalidInput("ledger.year_invalid", "学时年份须为四位年份", field=field)
            return str(check_year(int(text), field))
        return require_text(str(raw) if raw is not None else "", field, "姓名", 50)


class Certificate(DomainAggregate):
    """One issued certificate: what it shows, the school's error reports, the centre's
    corrections (amendments, never edits) and each download. It cannot be revoked."""

    @staticmethod
    def create_id(ledger_id: uuid.UUID, number: int) -> uuid.UUID:
        """The n-th certificate of a ledger: two racing applications claim the same id."""
        return key_id("certificate", f"{ledger_id}:{number}")

    @event("Issued")
    def __init__(
        self,
        ledger_id: uuid.UUID,
        trainee_id: uuid.UUID,
        training_school_id: uuid.UUID,
        number: int,
        serial: str,
        verification_code: str,
        trainee_name: str,
        school_name: str,
        year: int,
        items: list[dict[str, Any]],
        total_tenths: int,
        issued_on: str,
    ) -> None:
        self.ledger_id = ledger_id
        self.trainee_id = trainee_id
        self.training_school_id = training_school_id
        self.number = number
        self.serial = serial
        self.verification_code = verification_code
        self.trainee_name = trainee_name
        self.school_name = school_name
        self.year = year
        self.items = [dict(i) for i in items]
        self.total_tenths = total_tenths
        self.issued_on = issued_on
        self.open_report: dict[str, Any] | None = None
        self.reports = 0
        self.amendments: list[dict[str, Any]] = []
        self.downloads = 0

    def current_value(self, field: AmendableField) -> str:
        return self.trainee_name if field is AmendableField.TRAINEE_NAME else str(self.year)

    # -- the school reports an error, the centre corrects ---------------------------------------------

    def report_error(
        self, role: Role, field: str, correct_value: object, note: str | None, at: datetime.datetime
    ) -> None:
        """校级管理员报备: which detail is wrong (its current value is recorded) and its correct value."""
        _check_role(role, (Role.TRAINING_SCHOOL_ADMIN,), "报告证书信息错误")
        if self.open_report is not None:
            raise DomainError(
                "certificate.report_open", "该证书已有待网培中心处理的错误报告，请等待处理后再报告"
            )
        which = AmendableField.parse(field)
        value = which.parse_value(correct_value)
        wrong = self.current_value(which)
        if value == wrong:
            raise InvalidInput(
                "certificate.correction_same", f"正确的{which.label}与证书上的{which.label}相同", field="correct_value"
            )
        self._error_reported(
            report_number=self.reports + 1, field=which.value, wrong_value=wrong, correct_value=value,
            note=(note or "").strip()[:200] or None, reported_at=require_aware(at),
        )

    @event("ErrorReported")
    def _error_reported(
        self, report_number: int, field: str, wrong_value: str, correct_value: str, note: str | None,
        reported_at: datetime.datetime,
    ) -> None:
        self.reports = report_number
        self.open_report = {
            "report_number": report_number, "field": field, "wrong_value": wrong_value,
            "correct_value": correct_value, "note": note, "reported_at": reported_at,
        }

    def correct(self, role: Role, value: object | None, at: datetime.datetime) -> None:
        """网培中心修改并备案: the reported detail takes its correct value (the centre may adjust
        it); the certificate shows the corrected details and keeps the amendment."""
        _check_role(role, (Role.TRAINING_CENTRE_ADMIN,), "更正证书信息")
        report = self._require_open_report("更正")
        which = AmendableField(report["field"])
        new = which.parse_value(report["correct_value"] if value is None or value == "" else value, "value")
        old = self.current_value(which)
        if new == old:
            raise InvalidInput("certificate.correction_same", f"更正后的{which.label}与证书上的相同", field="value")
        self._details_corrected(
            report_number=report["report_number"], field=which.value, old_value=old, new_value=new,
            corrected_at=require_aware(at),
        )

    @event("DetailsCorrected")
    def _details_corrected(
        self, report_number: int, field: str, old_value: str, new_value: str, corrected_at: datetime.datetime
    ) -> None:
        if field == AmendableField.TRAINEE_NAME.value:
            self.trainee_name = new_value
        else:
            self.year = int(new_value)
        self.amendments.append(
            {"report_number": report_number, "field": field, "old_value": old_value, "new_value": new_value,
             "corrected_at": corrected_at}
        )
        self.open_report = None

    def decline_report(self, role: Role, reason: str | None, at: datetime.datetime) -> None:
        """The centre does not change the certificate (the report was wrong); the reason is kept."""
        _check_role(role, (Role.TRAINING_CENTRE_ADMIN,), "处理证书错误报告")
        report = self._require_open_report("处理")
        self._report_declined(
            report_number=report["report_number"], reason=require_text(reason, "reason", "不予更正的原因", 200),
            declined_at=require_aware(at),
        )

    @event("ReportDeclined")
    def _report_declined(self, report_number: int, reason: str, declined_at: datetime.datetime) -> None:
        self.open_report = None

    def _require_open_report(self, action: str) -> dict[str, Any]:
        if self.open_report is None:
            raise DomainError("certificate.no_open_report", f"该证书没有待处理的错误报告，不能{action}")
        return self.open_report

    # -- printing ------------------------------------------------------------------------------------

    def record_download(self, role: Role, at: datetime.datetime) -> None:
        """下载/重新打印: recorded for the audit; hours are never deducted again."""
        _check_role(
            role, (Role.TRAINEE, Role.TRAINING_SCHOOL_ADMIN, Role.TRAINING_CENTRE_ADMIN), "下载证书"
        )
        self._downloaded(downloaded_at=require_aware(at))

    @event("Downloaded")
    def _downloaded(self, downloaded_at: datetime.datetime) -> None:
        self.downloads += 1

    def revoke(self, role: Role) -> None:
        """已生成的证书不得撤销 (requirements/training.md §6): there is no revocation; every attempt is refused."""
        raise DomainError("certificate.irrevocable", "已生成的证书不得撤销")



class CertificateBatch(DomainAggregate):
    """批量生成证书: a school's request to issue certificates for its trainees with eligible
    hours. A background job works through the trainees; each certificate is issued by the
    trainee's ledger as usual, so running it again issues nothing twice."""

    @staticmethod
    def create_id(job_id: uuid.UUID) -> uuid.UUID:
        return key_id("certificate_batch", str(job_id))

    @event("Requested")
    def __init__(
        self, job_id: uuid.UUID, training_school_id: uuid.UUID, year: int, trainee_ids: list[uuid.UUID],
        all_trainees: bool, requested_at: datetime.datetime,
    ) -> None:
        self.job_id = job_id
        self.training_school_id = training_school_id
        self.year = year
        self.trainee_ids = list(trainee_ids)
        self.all_trainees = all_trainees
        self.requested_at = requested_at

    @classmethod
    def request(
        cls, role: Role, job_id: uuid.UUID, training_school_id: uuid.UUID, year: int,
        trainee_ids: Sequence[uuid.UUID], all_trainees: bool, at: datetime.datetime,
    ) -> CertificateBatch:
        _check_role(role, (Role.TRAINING_SCHOOL_ADMIN,), "批量生成证书")
        ids = list(dict.fromkeys(trainee_ids))
        if not ids:
            raise InvalidInput("certificate_batch.no_trainees", "没有可生成证书的参训教师", field="trainee_ids")
        return cls(
            job_id=job_id, training_school_id=training_school_id, year=check_year(year), trainee_ids=ids,
            all_trainees=all_trainees, requested_at=require_aware(at),
        )
