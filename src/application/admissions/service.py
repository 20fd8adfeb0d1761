"""Use cases of admissions: batches, programmes, application forms and school review
(requirements/admissions.md). Approval gives birth to a Learner with a student number."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from application.common.actor import Actor
from application.common.loading import listing_in, load
from application.common.ports import Clock, EventStore
from application.common.recording import recording
from application.learners.numbers import student_number_claim
from domains.admissions.application_form import Applicant, ApplicationForm
from domains.admissions.batches import AdmissionBatch, StudyBatch, TrainingProgramme
from domains.learners.learner import Learner, StudentNumberSequence
from domains.organisation.teaching_point import TeachingPoint
from domains.shared.aggregate import UniqueKey, key_id
from domains.shared.errors import DomainError, InvalidInput, NotFound
from domains.shared.values import Role

T = TypeVar("T")
CONFLICT = "concurrency.conflict"
# The programmes of each (upper-case) programme code, listed as each is registered: an import
# resolves its codes from them, not from a read model that may lag (ADR 0016).
PROGRAMME_CODES = "programme_codes"


def retry_on_conflict(fn: Callable[[], T], attempts: int = 3) -> T:
    """Re-run a use case that lost a race on a shared aggregate (a number sequence)."""
    for attempt in range(attempts):
        try:
            return fn()
        except DomainError as exc:
            if exc.code != CONFLICT or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


@dataclass
class ReviewOutcome:
    form_id: uuid.UUID
    ok: bool
    student_number: str | None = None
    code: str | None = None
    message: str | None = None


@dataclass
class EntryOutcome:
    row: int  # the applicant's index in the bulk entry
    ok: bool
    form_id: uuid.UUID | None = None
    code: str | None = None
    message: str | None = None


class Admissions:
    def __init__(self, store: EventStore, clock: Clock, school_code: str, number_pattern: str) -> None:
        self.store = store
        self.clock = clock
        self.school_code = school_code
        self.number_pattern = number_pattern

    # -- batches and programmes (academic affairs) ------------------------------------------

    def register_study_batch(self, actor: Actor, code: str, name: str) -> uuid.UUID:
        role = actor.require(Role.ACADEMIC_AFFAIRS, Role.SYSTEM_ADMIN)
        with recording(actor, role):
            batch = StudyBatch.register(code, name)
            claim = self._claim("study_batch_code", batch.code, batch.id, f"学习批次代码“{batch.code}”已存在")
        self.store.save(batch, claim)
        return batch.id

    def register_admission_batch(
        self, actor: Actor, code: str, name: str, study_batch_id: uuid.UUID, opens_on: str, closes_on: str
    ) -> uuid.UUID:
        role = actor.require(Role.ACADEMIC_AFFAIRS, Role.SYSTEM_ADMIN)
        load(self.store, study_batch_id, StudyBatch, "学习批次")
        with recording(actor, role):
            batch = AdmissionBatch.register(code, name, study_batch_id, opens_on, closes_on)
            claim = self._claim("admission_batch_code", batch.code, batch.id, f"招生批次代码“{batch.code}”已存在")
        self.store.save(batch, claim)
        return batch.id

    def change_admission_period(
        self, actor: Actor, admission_batch_id: uuid.UUID, opens_on: str, closes_on: str, reason: str | None = None
    ) -> None:
        role = actor.require(Role.ACADEMIC_AFFAIRS, Role.SYSTEM_ADMIN)
        batch = load(self.store, admission_batch_id, AdmissionBatch, "招生批次")
        with recording(actor, role, reason):
            batch.change_period(opens_on, closes_on)
        self.store.save(batch)

    def register_programme(
        self,
        actor: Actor,
        *,
        code: str,
        level: str,
        learner_type: str,
        learner_source: str,
        major: str,
        length_of_schooling: str,
        teaching_point_ids: Sequence[uuid.UUID],
    ) -> uuid.UUID:
        role = actor.require(Role.ACADEMIC_AFFAIRS, Role.SYSTEM_ADMIN)
        for tp in teaching_point_ids:
            load(self.store, tp, TeachingPoint, "教学点")
        with recording(actor, role):
            programme = TrainingProgramme.register(
                code, level, learner_type, learner_source, major, length_of_schooling, list(teaching_point_ids)
            )
            claim = self._claim(
                "programme", programme.key, programme.id, "相同层次、学生类型、学生来源、专业、学制的培养方案已存在"
            )
            indexes = listing_in(self.store, PROGRAMME_CODES, [programme.code.strip().upper()], programme.id)
        self.store.save(programme, claim, *indexes)
        return programme.id

    def set_programme_teaching_points(
        self, actor: Actor, programme_id: uuid.UUID, teaching_point_ids: Sequence[uuid.UUID]
    ) -> None:
        role = actor.require(Role.ACADEMIC_AFFAIRS, Role.SYSTEM_ADMIN)
        programme = load(self.store, programme_id, TrainingProgramme, "培养方案")
        for tp in teaching_point_ids:
            load(self.store, tp, TeachingPoint, "教学点")
        with recording(actor, role):
            programme.offer_at(list(teaching_point_ids))
        self.store.save(programme)

    def _claim(self, kind: str, key: str, owner: uuid.UUID, taken: str) -> UniqueKey:
        if self.store.find(key_id(kind, key)) is not None:
            raise DomainError(f"{kind}.taken", taken)
        return UniqueKey(kind=kind, key=key, owner_id=owner)

    # -- application forms (teaching point) --------------------------------------------------

    def quick_register(
        self, actor: Actor, name: str, mobile: str, intended_major: str, teaching_point_id: uuid.UUID | None
    ) -> uuid.UUID:
        """From the public portal: anyone may leave a quick registration."""
        if teaching_point_id is not None:
            load(self.store, teaching_point_id, TeachingPoint, "教学点").check_can_admit()
        with recording(actor, "public"):
            form = ApplicationForm.quick_register(name, mobile, intended_major, teaching_point_id)
        self.store.save(form)
        return form.id

    def _teaching_point_for(self, actor: Actor, teaching_point_id: uuid.UUID | None) -> uuid.UUID:
        if actor.teaching_point_id is not None:
            return actor.teaching_point_id
        if teaching_point_id is None:
            raise InvalidInput("teaching_point.required", "请选择教学点", field="teaching_point_id")
        return teaching_point_id

    def enter_form(
        self,
        actor: Actor,
        *,
        admission_batch_id: uuid.UUID,
        programme_id: uuid.UUID,
        applicant: dict[str, Any],
        teaching_point_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        role = actor.require(Role.TEACHING_POINT_ADMIN)
        tp_id = self._teaching_point_for(actor, teaching_point_id)
        form, claim = self._new_form(actor, role, tp_id, admission_batch_id, programme_id, applicant)
        self.store.save(form, claim)
        return form.id

    def enter_forms(
        self,
        actor: Actor,
        *,
        admission_batch_id: uuid.UUID,
        programme_id: uuid.UUID,
        applicants: Sequence[dict[str, Any]],
        teaching_point_id: uuid.UUID | None = None,
        chunk: int = 500,
    ) -> list[EntryOutcome]:
        """Bulk entry (imports): each applicant is checked as by `enter_form` and a refused one
        never blocks the rest; every chunk of forms (with their claims) is one atomic write."""
        role = actor.require(Role.TEACHING_POINT_ADMIN)
        tp_id = self._teaching_point_for(actor, teaching_point_id)
        outcomes: list[EntryOutcome] = []
        for start in range(0, len(applicants), chunk):
            part = list(enumerate(applicants[start : start + chunk], start))
            try:
                outcomes += self._enter_chunk(actor, role, tp_id, admission_batch_id, programme_id, part)
            except DomainError as exc:
                if exc.code != CONFLICT:
                    raise
                # Someone entered one of these applicants meanwhile: go one by one.
                for row, raw in part:
                    try:
                        form_id = self.enter_form(
                            actor, admission_batch_id=admission_batch_id, programme_id=programme_id,
                            applicant=raw, teaching_point_id=tp_id,
                        )
                        outcomes.append(EntryOutcome(row, True, form_id))
                    except DomainError as one:
                        outcomes.append(EntryOutcome(row, False, code=one.code, message=one.message))
        return outcomes

    def _enter_chunk(
        self,
        actor: Actor,
        role: Role,
        tp_id: uuid.UUID,
        admission_batch_id: uuid.UUID,
        programme_id: uuid.UUID,
        rows: Sequence[tuple[int, dict[str, Any]]],
    ) -> list[EntryOutcome]:
        load(self.store, tp_id, TeachingPoint, "教学点").check_can_admit()
        batch = load(self.store, admission_batch_id, AdmissionBatch, "招生批次")
        programme = load(self.store, programme_id, TrainingProgramme, "培养方案")
        today = self.clock.today()
        outcomes: list[EntryOutcome] = []
        parsed: list[tuple[int, Applicant]] = []
        for row, raw in rows:
            try:
                parsed.append((row, Applicant.parse(raw, today)))
            except DomainError as exc:
                outcomes.append(EntryOutcome(row, False, code=exc.code, message=exc.message))
        keys = [key_id("learner_id_number", a.id_number) for _, a in parsed]
        keys += [key_id("application_id_number", f"{batch.id}:{a.id_number}") for _, a in parsed]
        claimed = self.store.find_many(keys)
        seen: set[str] = set()
        to_save: list[Any] = []
        for row, applicant in parsed:
            try:  # the checks of `_new_form`, in its order, with the claims read in bulk
                self._check_no_learner(applicant.id_number, claimed)
                with recording(actor, role):
                    form = ApplicationForm.enter(applicant, tp_id, batch, programme, today)
                    key = f"{batch.id}:{applicant.id_number}"
                    if applicant.id_number in seen or key_id("application_id_number", key) in claimed:
                        raise DomainError("application_id_number.taken", "该身份证号码在本招生批次已有报名表")
                    claim = UniqueKey(kind="application_id_number", key=key, owner_id=form.id)
                seen.add(applicant.id_number)
                to_save += [form, claim]
                outcomes.append(EntryOutcome(row, True, form.id))
            except DomainError as exc:
                outcomes.append(EntryOutcome(row, False, code=exc.code, message=exc.message))
        if to_save:
            self.store.save(*to_save)
        outcomes.sort(key=lambda o: o.row)
        return outcomes

    def _new_form(
        self,
        actor: Actor,
        role: Role,
        tp_id: uuid.UUID,
        admission_batch_id: uuid.UUID,
        programme_id: uuid.UUID,
        raw: dict[str, Any],
        reason: str | None = None,
    ) -> tuple[ApplicationForm, UniqueKey]:
        load(self.store, tp_id, TeachingPoint, "教学点").check_can_admit()
        batch = load(self.store, admission_batch_id, AdmissionBatch, "招生批次")
        programme = load(self.store, programme_id, TrainingProgramme, "培养方案")
        today = self.clock.today()
        applicant = Applicant.parse(raw, today)
        self._check_no_learner(applicant.id_number)
        with recording(actor, role, reason):
            form = ApplicationForm.enter(applicant, tp_id, batch, programme, today)
            claim = self._claim(
                "application_id_number",
                f"{batch.id}:{applicant.id_number}",
                form.id,
                "该身份证号码在本招生批次已有报名表",
            )
        return form, claim

    def _check_no_learner(self, id_number: str, claimed: Mapping[uuid.UUID, Any] | None = None) -> None:
        """`claimed`: the learner claims already read in bulk (else the store is asked)."""
        key = key_id("learner_id_number", id_number)
        if (key in claimed) if claimed is not None else (self.store.find(key) is not None):
            raise DomainError("applicant.already_learner", "该身份证号码已有学籍，不能重复报名")

    def complete_quick_registration(
        self,
        actor: Actor,
        form_id: uuid.UUID,
        *,
        admission_batch_id: uuid.UUID,
        programme_id: uuid.UUID,
        applicant: dict[str, Any],
    ) -> None:
        role = actor.require(Role.TEACHING_POINT_ADMIN)
        form = load(self.store, form_id, ApplicationForm, "报名表")
        if form.teaching_point_id is not None:
            # Another teaching point's registration is not theirs to see: 404, as on reading it.
            actor.check_teaching_point(form.teaching_point_id, "报名表")
        tp_id = self._teaching_point_for(actor, form.teaching_point_id)
        form.check_teaching_point(tp_id)
        load(self.store, tp_id, TeachingPoint, "教学点").check_can_admit()
        batch = load(self.store, admission_batch_id, AdmissionBatch, "招生批次")
        programme = load(self.store, programme_id, TrainingProgramme, "培养方案")
        today = self.clock.today()
        parsed = Applicant.parse(applicant, today)
        self._check_no_learner(parsed.id_number)
        with recording(actor, role):
            form.complete(parsed, tp_id, batch, programme, today)
            claim = self._claim(
                "application_id_number", f"{batch.id}:{parsed.id_number}", form.id, "该身份证号码在本招生批次已有报名表"
            )
        self.store.save(form, claim)

    # -- school review (academic affairs) ----------------------------------------------------

    def reject_form(self, actor: Actor, form_id: uuid.UUID, comment: str) -> None:
        role = actor.require(Role.ACADEMIC_AFFAIRS)
        form = load(self.store, form_id, ApplicationForm, "报名表")
        with recording(actor, role, comment):
            form.reject(comment)
        self.store.save(form)

    def approve_form(self, actor: Actor, form_id: uuid.UUID, comment: str | None = None) -> str:
        """Approve one form: the Learner is created with its student number."""

        def attempt() -> str:
            outcomes = self._approve_chunk(actor, [form_id], comment)
            outcome = outcomes[0]
            if not outcome.ok:
                raise DomainError(outcome.code or "application_form.not_approved", outcome.message or "")
            return outcome.student_number or ""

        return retry_on_conflict(attempt)

    def approve_forms(
        self, actor: Actor, form_ids: Sequence[uuid.UUID], comment: str | None = None, chunk: int = 500
    ) -> list[ReviewOutcome]:
        """Batch review: each form is checked on its own and a refused form never blocks the
        rest; every chunk of approvals is one atomic write."""
        actor.require(Role.ACADEMIC_AFFAIRS)
        outcomes: list[ReviewOutcome] = []
        for start in range(0, len(form_ids), chunk):
            part = list(form_ids[start : start + chunk])
            try:
                outcomes += self._approve_chunk(actor, part, comment)
            except DomainError as exc:
                if exc.code != CONFLICT:
                    raise
                # Someone else touched one of these forms meanwhile: go one by one.
                for fid in part:
                    try:
                        outcomes.append(ReviewOutcome(fid, True, self.approve_form(actor, fid, comment)))
                    except DomainError as one:
                        outcomes.append(ReviewOutcome(fid, False, code=one.code, message=one.message))
        return outcomes

    def _approve_chunk(
        self, actor: Actor, form_ids: Sequence[uuid.UUID], comment: str | None
    ) -> list[ReviewOutcome]:
        role = actor.require(Role.ACADEMIC_AFFAIRS)
        outcomes: list[ReviewOutcome] = []
        ready: dict[uuid.UUID, list[ApplicationForm]] = {}  # by number sequence
        sequences: dict[uuid.UUID, StudentNumberSequence] = {}
        points: dict[uuid.UUID, TeachingPoint] = {}
        batches: dict[uuid.UUID, AdmissionBatch] = {}
        seen_ids: set[str] = set()
        # Every form, and every learner claim on their ID numbers, read in bulk up front.
        found = self.store.find_many(form_ids)
        claimed = self.store.find_many(
            [
                key_id("learner_id_number", f.applicant["id_number"])
                for f in found.values()
                if isinstance(f, ApplicationForm) and f.applicant
            ]
        )
        for fid in form_ids:
            try:
                form = found.get(fid)
                if not isinstance(form, ApplicationForm):
                    raise NotFound("not_found", "报名表不存在")
                form.check_awaiting_review()
                assert form.teaching_point_id and form.admission_batch_id and form.applicant
                id_number = form.applicant["id_number"]
                if id_number in seen_ids:
                    raise DomainError("applicant.already_learner", "该身份证号码已有学籍，不能重复录取")
                self._check_no_learner(id_number, claimed)
                seen_ids.add(id_number)
                tp = points.get(form.teaching_point_id) or load(
                    self.store, form.teaching_point_id, TeachingPoint, "教学点"
                )
                points[tp.id] = tp
                batch = batches.get(form.admission_batch_id) or load(
                    self.store, form.admission_batch_id, AdmissionBatch, "招生批次"
                )
                batches[batch.id] = batch
                year = int(batch.opens_on[:4])
                seq_id = StudentNumberSequence.create_id(year, tp.code)
                if seq_id not in sequences:
                    sequences[seq_id] = self.store.find(seq_id) or StudentNumberSequence.start(
                        year, tp.code, self.school_code, self.number_pattern
                    )
                ready.setdefault(seq_id, []).append(form)
            except DomainError as exc:
                outcomes.append(ReviewOutcome(fid, False, code=exc.code, message=exc.message))
        to_save: list[Any] = []
        with recording(actor, role, comment):
            for seq_id, forms in ready.items():
                # One block of numbers per sequence keeps a batch approval one event per sequence.
                numbers = sequences[seq_id].issue(len(forms))
                for form, number in zip(forms, numbers, strict=True):
                    to_save += self._admit(form, number, comment)
                    outcomes.append(ReviewOutcome(form.id, True, student_number=number))
        if to_save:
            self.store.save(*to_save, *(sequences[s] for s in ready))
        return outcomes

    @staticmethod
    def _admit(form: ApplicationForm, number: str, comment: str | None) -> list[Any]:
        assert form.teaching_point_id and form.admission_batch_id and form.programme_id and form.applicant
        assert form.study_batch_id
        learner = Learner(
            student_number=number,
            application_form_id=form.id,
            teaching_point_id=form.teaching_point_id,
            programme_id=form.programme_id,
            study_batch_id=form.study_batch_id,
            admission_batch_id=form.admission_batch_id,
            personal=form.applicant,
        )
        form.approve(learner.id, number, comment)
        claim = UniqueKey(kind="learner_id_number", key=form.applicant["id_number"], owner_id=learner.id)
        return [form, learner, claim, student_number_claim(number, learner.id)]
