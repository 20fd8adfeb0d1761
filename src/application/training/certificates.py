"""Use cases of the certificate ledger (学分与证书打印, requirements/training.md §6).

- The school's administrator sets each trainee's printable allowance for a year (可打印学时).
- A trainee applies for a certificate with items of their eligible pool; the ledger checks the
  selection against the remaining printable (+2.0 hours at most) and issues the certificate in
  the same atomic save as the ledger and the year's serial-number sequence. Two applications
  racing for one ledger: the first save wins, the second finds the ledger changed and gets a
  conflict (409); nothing is consumed twice. A save that lost only the serial number to another
  trainee's certificate is tried again on the unchanged ledger.
- Downloading (下载/重新打印) renders the certificate from the read model at any time and records
  the download on the certificate; the hours are never deducted again.
- The school reports a wrong name or year; the centre corrects it (an amendment) or declines.
- Batch generation (批量生成证书) issues, for each chosen trainee of a school, a certificate for
  the pool items that fit the remaining printable (+2.0 hours); a background job with per-trainee
  results. Items leave the pool when certified, so a run repeated issues nothing twice.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any

import structlog
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.context import current_correlation_id
from application.common.jobs import (
    BulkJob,
    BulkJobService,
    ItemResult,
    JobQueue,
    JobRunner,
    JobState,
    item_outcome,
)
from application.common.loading import load
from application.common.ports import Clock, EventStore
from application.common.recording import recording
from application.training.certificate_document import (
    CertificateRenderer,
    certificate_filename,
)
from application.training.certificate_queries import (
    NO_CERTIFICATE,
    READERS,
    certificate_document,
    certificate_row,
    hours,
    may_see,
    school_trainees_with_pool,
    verification_path,
)
from application.training.ledgers import find_ledger
from domains.shared.errors import DomainError, InvalidInput, NotFound
from domains.shared.values import Role
from domains.training.ledger import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Certificate,
    CertificateBatch,
    CertificateLedger,
    CertificateSerialSequence,
    check_year,
    parse_tenths,
)
from domains.training.members import TrainingMember

log = structlog.get_logger(__name__)

CERTIFICATE_BATCH_TASK = "training.certificate_batch"
BATCH_KIND = "certificate_batch"
MAX_BATCH = 20_000
CHUNK = 20  # trainees per recorded progress step
SERIAL_ATTEMPTS = 8  # saves that lost only the serial number to another trainee, tried again
NOT_YOURS = "学时账户不存在或不属于您的学校"
CONFLICT = "concurrency.conflict"


def _conflict() -> DomainError:
    return DomainError(CONFLICT, "学时账户已被同时修改（例如另一份证书申请刚刚生成），请刷新后重试")


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class CertificateLedgers(BulkJobService):
    def __init__(
        self,
        store: EventStore,
        clock: Clock,
        read: Callable[[], AbstractContextManager[Connection]],
        queue: JobQueue,
        state: JobState,
    ) -> None:
        self.store = store
        self.clock = clock
        self.read = read
        self.jobs = JobRunner(CERTIFICATE_BATCH_TASK, BATCH_KIND, queue, state, clock)

    # -- loading with scope ------------------------------------------------------------------------

    def _ledger(self, actor: Actor, trainee_id: uuid.UUID) -> CertificateLedger:
        """The trainee's ledger, opened (to be saved with the caller's save) for a registered
        trainee who has no hours yet, so the school can set allowances ahead."""
        ids = [CertificateLedger.create_id(trainee_id), TrainingMember.create_id(trainee_id)]
        ledger = _ledger_or_new(self.store.find_many(ids), trainee_id)
        if ledger is None or not may_see(actor, ledger.trainee_id, ledger.training_school_id):
            raise NotFound("not_found", NOT_YOURS)
        return ledger

    def _certificate(self, actor: Actor, certificate_id: uuid.UUID) -> Certificate:
        """A certificate the actor may see (another school's is not found), from the event store."""
        actor.require(*READERS)
        found = self.store.find(certificate_id)
        if not isinstance(found, Certificate) or not may_see(actor, found.trainee_id, found.training_school_id):
            raise NotFound("not_found", NO_CERTIFICATE)
        return found

    def _names(self, ledger: CertificateLedger) -> tuple[str, str]:
        """The trainee's name (their account) and the school's full name, as printed."""
        person = self.store.find(ledger.trainee_id)
        school = self.store.find(ledger.training_school_id)
        return (getattr(person, "name", "") or "", getattr(school, "name", "") or "")

    # -- the school's allowance ---------------------------------------------------------------------

    def set_allowance(self, actor: Actor, trainee_id: uuid.UUID, year: object, hours_value: object) -> None:
        """可打印学时 of one trainee for one year (校级管理员 of the trainee's school)."""
        role = actor.require(Role.TRAINING_SCHOOL_ADMIN)
        tenths = parse_tenths(hours_value, "hours", "可打印学时")
        with recording(actor, role):
            ledger = self._ledger(actor, trainee_id)
            ledger.set_allowance(role, _year(year), tenths)
        self.store.save(ledger)

    def set_allowances(
        self, actor: Actor, trainee_ids: Sequence[uuid.UUID], year: object, hours_value: object
    ) -> dict[str, int]:
        """The same allowance for several trainees of the school in one atomic save; trainees
        whose allowance is already that value are left as they are."""
        role = actor.require(Role.TRAINING_SCHOOL_ADMIN)
        tenths = parse_tenths(hours_value, "hours", "可打印学时")
        the_year = _year(year)
        ids = list(dict.fromkeys(trainee_ids))
        if not ids:
            raise InvalidInput("ledger.trainees_required", "请选择参训教师", field="trainee_ids")
        if len(ids) > MAX_BATCH:
            raise InvalidInput("ledger.too_many_trainees", f"一次最多为{MAX_BATCH}名参训教师设置", field="trainee_ids")
        found = self.store.find_many(
            [CertificateLedger.create_id(t) for t in ids] + [TrainingMember.create_id(t) for t in ids]
        )
        changed = []
        with recording(actor, role):
            ledgers = [_ledger_or_new(found, t) for t in ids]
            if any(x is None or not may_see(actor, x.trainee_id, x.training_school_id) for x in ledgers):
                raise NotFound("not_found", "所选参训教师中有不存在或不属于本校的人员，请刷新后重试")
            for ledger in ledgers:
                assert ledger is not None
                if ledger.allowance(the_year) != tenths:
                    ledger.set_allowance(role, the_year, tenths)
                    changed.append(ledger)
        if changed:
            self.store.save(*changed)
        return {"changed": len(changed), "unchanged": len(ledgers) - len(changed)}

    # -- applying ------------------------------------------------------------------------------------

    def apply(self, actor: Actor, source_ids: Sequence[uuid.UUID]) -> uuid.UUID:
        """A trainee's own application (在线打印电子证书) for items of their pool; the certificate's id."""
        role = actor.require(Role.TRAINEE)
        assert actor.user_id is not None
        return self._issue(actor, role, actor.user_id, list(source_ids), None).id

    def _issue(
        self,
        actor: Actor,
        role: Role,
        trainee_id: uuid.UUID,
        source_ids: list[uuid.UUID] | None,
        training_school_id: uuid.UUID | None,
    ) -> Certificate:
        """Issue one certificate on the trainee's ledger: the selected items, or (None) the pool
        items within the remaining printable. Retried only while the ledger itself is unchanged."""
        today = self.clock.today()
        seen_version: int | None = None
        for _ in range(SERIAL_ATTEMPTS):
            ledger = find_ledger(self.store, trainee_id)
            if ledger is None and training_school_id is not None:  # a trainee of the school with no hours yet
                raise DomainError("certificate_batch.empty_pool", "没有可申请证书的学时，无需生成")
            if ledger is None or (training_school_id is not None and ledger.training_school_id != training_school_id):
                raise NotFound("not_found", NOT_YOURS)
            if training_school_id is None and not may_see(actor, ledger.trainee_id, ledger.training_school_id):
                raise NotFound("not_found", NOT_YOURS)
            if seen_version is not None and ledger.version != seen_version:
                raise _conflict()
            seen_version = ledger.version
            selection = source_ids if source_ids is not None else ledger.selection_within_remaining(today.year)
            if source_ids is None and not selection:
                raise _nothing_to_issue(ledger, today.year)
            found = self.store.find(CertificateSerialSequence.create_id(today.year))
            trainee_name, school_name = self._names(ledger)
            with recording(actor, role):
                sequence = found if isinstance(found, CertificateSerialSequence) else CertificateSerialSequence.start(today.year)
                certificate = ledger.issue_certificate(
                    role, selection, sequence, new_verification_code(), trainee_name, school_name, today
                )
            try:
                self.store.save(ledger, certificate, sequence)
            except DomainError as exc:
                if exc.code != CONFLICT:
                    raise
                continue
            log.info("certificate.issued", serial=certificate.serial, tenths=certificate.total_tenths)
            return certificate
        raise _conflict()

    # -- printing -----------------------------------------------------------------------------------

    def download(
        self, actor: Actor, certificate_id: uuid.UUID, verify_base: str, renderer: CertificateRenderer
    ) -> tuple[str, bytes]:
        """下载/重新打印: the certificate as it reads now, drawn again from its record; the download
        is recorded, the hours are not touched. The auditor reads the document and changes
        nothing, so an auditor's reading is not a recorded download."""
        role = actor.require(Role.TRAINEE, Role.TRAINING_SCHOOL_ADMIN, Role.TRAINING_CENTRE_ADMIN, Role.AUDITOR)
        with self.read() as conn:
            row = certificate_row(conn, actor, certificate_id=certificate_id)
            document = certificate_document(
                conn, certificate_id, verify_base.rstrip("/") + verification_path(row["serial"], row["verification_code"])
            )
        content = renderer.render(document)
        if role is Role.AUDITOR:
            return certificate_filename(document), content
        for _ in range(SERIAL_ATTEMPTS):  # a download never fails for another's concurrent change
            certificate = load(self.store, certificate_id, Certificate, "证书")
            with recording(actor, role):
                certificate.record_download(role, self.clock.now())
            try:
                self.store.save(certificate)
                break
            except DomainError as exc:
                if exc.code != CONFLICT:
                    raise
        else:  # the file is still the trainee's: only the audit record of this download is missing
            log.warning("certificate.download_not_recorded", serial=document.serial)
        return certificate_filename(document), content

    def verification_url(self, actor: Actor, certificate_id: uuid.UUID, verify_base: str) -> str:
        with self.read() as conn:
            row = certificate_row(conn, actor, certificate_id=certificate_id)
        return verify_base.rstrip("/") + verification_path(row["serial"], row["verification_code"])

    # -- errors and corrections --------------------------------------------------------------------

    def report_error(
        self, actor: Actor, certificate_id: uuid.UUID, field: str, correct_value: object, note: str | None = None
    ) -> None:
        """校级管理员报备 a wrong name or year on a certificate of the school's trainee."""
        role = actor.require(Role.TRAINING_SCHOOL_ADMIN)
        certificate = self._certificate(actor, certificate_id)
        with recording(actor, role, (note or "").strip()[:200] or None):
            certificate.report_error(role, field, correct_value, note, self.clock.now())
        self.store.save(certificate)

    def correct(self, actor: Actor, certificate_id: uuid.UUID, value: object | None = None, note: str | None = None) -> None:
        """网培中心修改并备案: the reported detail is corrected (to the reported value unless the
        centre gives another); the certificate keeps the amendment."""
        role = actor.require(Role.TRAINING_CENTRE_ADMIN)
        certificate = self._certificate(actor, certificate_id)
        with recording(actor, role, (note or "").strip()[:200] or None):
            certificate.correct(role, value, self.clock.now())
        self.store.save(certificate)

    def decline_report(self, actor: Actor, certificate_id: uuid.UUID, reason: str | None) -> None:
        role = actor.require(Role.TRAINING_CENTRE_ADMIN)
        certificate = self._certificate(actor, certificate_id)
        with recording(actor, role, reason):
            certificate.decline_report(role, reason, self.clock.now())
        self.store.save(certificate)

    def revoke(self, actor: Actor, certificate_id: uuid.UUID) -> None:
        """已生成的证书不得撤销: always refused."""
        role = actor.require(Role.TRAINEE, Role.TRAINING_SCHOOL_ADMIN, Role.TRAINING_CENTRE_ADMIN)
        self._certificate(actor, certificate_id).revoke(role)

    # -- batch generation -----------------------------------------------------------------------

    def start_batch(self, actor: Actor, trainee_ids: Sequence[uuid.UUID] | None = None) -> uuid.UUID:
        """批量生成证书 for the chosen trainees of the actor's school, or (None) every trainee of
        the school with hours in the pool; returns the job id."""
        role = actor.require(Role.TRAINING_SCHOOL_ADMIN)
        school_id = actor.training_school_id
        if school_id is None:
            raise InvalidInput("training_school.required", "只有学校的校级管理员可以批量生成证书")
        year = self.clock.today().year
        everyone = trainee_ids is None
        with self.read() as conn:
            if everyone:
                ids = school_trainees_with_pool(conn, school_id)
            else:
                ids = list(dict.fromkeys(trainee_ids or []))
                members = self.store.find_many([TrainingMember.create_id(t) for t in ids])
                if any(not _trainee_of(members.get(TrainingMember.create_id(t)), school_id) for t in ids):
                    raise NotFound("not_found", "所选参训教师中有不存在或不属于本校的人员，请刷新后重试")
        if not ids:
            raise InvalidInput(
                "certificate_batch.no_trainees",
                "没有可生成证书的参训教师（请选择参训教师，或本校暂无有可申请证书学时的参训教师）",
                field="trainee_ids",
            )
        if len(ids) > MAX_BATCH:
            raise InvalidInput("certificate_batch.too_many", f"一次最多为{MAX_BATCH}名参训教师生成证书", field="trainee_ids")
        job_id = uuid.uuid4()
        now = self.clock.now()
        with recording(actor, role):
            batch = CertificateBatch.request(role, job_id, school_id, year, ids, everyone, now)
        self.store.save(batch)
        job = BulkJob(
            id=job_id, kind=BATCH_KIND, filename=f"{year}年度 批量生成证书（{len(ids)}名参训教师）",
            admission_batch_id=None, teaching_point_id=None, actor=actor, correlation_id=current_correlation_id(),
            total=len(ids), created_at=now,
            content=json.dumps({"training_school_id": str(school_id), "trainee_ids": [str(t) for t in ids]}).encode(),
        )
        return self.jobs.start(job, "未能开始批量生成证书")

    def _run(self, job: BulkJob, token: str) -> bool:
        payload = json.loads(job.content or b"{}")
        school_id = uuid.UUID(payload["training_school_id"])
        trainee_ids = [uuid.UUID(x) for x in payload["trainee_ids"]]

        def one(number: int) -> ItemResult:
            trainee_id = trainee_ids[number - 1]

            def work() -> ItemResult:
                certificate = self._issue(job.actor, Role.TRAINING_SCHOOL_ADMIN, trainee_id, None, school_id)
                return ItemResult(
                    number, True, None,
                    f"已生成证书 {certificate.serial}（{hours(certificate.total_tenths)} 学时，{len(certificate.items)}项）",
                    trainee_id,
                )

            result = item_outcome(number, work, "certificate_batch.error", "生成证书时发生系统错误，请稍后重试")
            result.record_id = trainee_id
            return result

        self.jobs.each_item(job, token, range(1, len(trainee_ids) + 1), lambda ns: [one(n) for n in ns], chunk=CHUNK)
        return True


def _trainee_of(member: Any, school_id: uuid.UUID) -> bool:
    """A registered trainee of the school (the event store's word, not a read model's)."""
    return isinstance(member, TrainingMember) and member.role == Role.TRAINEE.value and member.training_school_id == school_id


def _ledger_or_new(found: dict[uuid.UUID, Any], trainee_id: uuid.UUID) -> CertificateLedger | None:
    """From aggregates read in bulk: the trainee's ledger, or a new one for a registered trainee."""
    ledger = found.get(CertificateLedger.create_id(trainee_id))
    if isinstance(ledger, CertificateLedger):
        return ledger
    member = found.get(TrainingMember.create_id(trainee_id))
    if isinstance(member, TrainingMember) and member.role == Role.TRAINEE.value and member.training_school_id:
        return CertificateLedger.open(trainee_id, member.training_school_id)
    return None


def _year(raw: object) -> int:
    if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
        raw = int(raw.strip())
    return check_year(raw)


def _nothing_to_issue(ledger: CertificateLedger, year: int) -> DomainError:
    if not ledger.pool:
        return DomainError("certificate_batch.empty_pool", "没有可申请证书的学时，无需生成")
    if ledger.allowance(year) is None:
        return DomainError("certificate.no_allowance", f"学校尚未设置 {year} 年度可打印学时")
    if ledger.remaining(year) == 0:
        return DomainError("certificate.nothing_remaining", f"{year} 年度剩余可打印学时为 0.0，无需生成")
    return DomainError(
        "certificate_batch.nothing_fits",
        f"备选学时中没有能在剩余可打印学时 {hours(ledger.remaining(year))} 加 2.0 学时以内的项目",
    )
