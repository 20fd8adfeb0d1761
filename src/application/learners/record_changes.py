"""Use cases of the learner record (学籍信息, requirements/learners.md §2).

The teaching point changes its learner's contact details directly (no review, effective at
once) and asks for changes of basic information and prior education; the learner confirms the
record once, or instead uses their one chance to ask for a change; the school's academic
affairs approves (the Learner changes in the same atomic save) or rejects with a reason. Proof
files are checked by content and stored first; the request keeps their references.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.loading import load
from application.common.ports import Clock, EventStore, FileStore
from application.common.recording import recording
from application.curriculum.service import note
from application.enrolment.service import learner_for
from application.learners.proof_files import Upload, store_proof_files
from domains.learners.learner import Learner
from domains.learners.record_change import RecordChangeRequest, contact_details
from domains.shared.aggregate import UniqueKey, key_id
from domains.shared.errors import DomainError, NotFound
from domains.shared.values import Role

WHAT = "学籍信息变更申请"


class LearnerRecords:
    def __init__(self, store: EventStore, clock: Clock, files: FileStore, read: Callable[[], Connection]) -> None:
        self.store = store
        self.clock = clock
        self.files = files
        self.read = read

    def change_contact_details(
        self, actor: Actor, learner_id: uuid.UUID, email: str | None, mobile: str | None, reason: str | None = None
    ) -> None:
        """联系方式: the learner's teaching point edits them; saved, they hold at once."""
        role = actor.require(Role.TEACHING_POINT_ADMIN)
        learner = learner_for(self.store, actor, role, learner_id)
        new_email, new_mobile = contact_details(email, mobile)
        with recording(actor, role, note(reason)):
            learner.change_contact_details(new_email, new_mobile)
        self.store.save(learner)

    def confirm(self, actor: Actor, learner_id: uuid.UUID | None = None) -> None:
        """The learner confirms their own record as correct (已确认)."""
        role = actor.require(Role.LEARNER)
        learner = learner_for(self.store, actor, role, learner_id)
        with recording(actor, role):
            learner.confirm_record()
        self.store.save(learner)

    def request_change(
        self,
        actor: Actor,
        learner_id: uuid.UUID | None,
        changes: dict[str, Any],
        reason: str | None = None,
        attachments: Sequence[Upload] = (),
    ) -> uuid.UUID:
        """By the teaching point for its learner, or by the learner (their one chance): 待审核."""
        role = actor.require(Role.TEACHING_POINT_ADMIN, Role.LEARNER)
        learner = learner_for(self.store, actor, role, learner_id)
        learner.check_may_request_record_change(role is Role.LEARNER)
        files = store_proof_files(self.files, attachments)
        with recording(actor, role, note(reason)):
            request = RecordChangeRequest.request(
                learner, role, changes, reason, files, self.clock.now(), self.clock.today()
            )
        self.store.save(request, learner)
        return request.id

    def _load(self, learner_id: uuid.UUID, request_id: uuid.UUID) -> tuple[RecordChangeRequest, Learner]:
        request = load(self.store, request_id, RecordChangeRequest, WHAT)
        if request.learner_id != learner_id:
            raise NotFound("not_found", f"{WHAT}不存在")
        return request, load(self.store, learner_id, Learner, "学生")

    def approve(self, actor: Actor, learner_id: uuid.UUID, request_id: uuid.UUID, comment: str | None = None) -> None:
        """审核通过 by academic affairs: the learner's record takes the new values in the same save."""
        role = actor.require(Role.ACADEMIC_AFFAIRS)
        request, learner = self._load(learner_id, request_id)
        before = learner.personal.get("id_number")
        with recording(actor, role, note(comment)):
            request.approve(role, comment, self.clock.now(), learner)
            claims = self._claim_id_number(learner, before)
        self.store.save(request, learner, *claims)

    def _claim_id_number(self, learner: Learner, before: str | None) -> list[UniqueKey]:
        """A new ID number is claimed for the learner in the same save, so no two learners ever
        share one (a concurrent claim of the same number ends in a conflict) and the learner's
        portal account is opened with the number now on file."""
        after = learner.personal.get("id_number")
        if not after or after == before:
            return []
        if self.store.find(key_id("learner_id_number", after)) is not None:
            raise DomainError("learner_record.id_number_taken", "该身份证号码已有学籍，不能改为该号码")
        return [UniqueKey(kind="learner_id_number", key=after, owner_id=learner.id)]

    def reject(self, actor: Actor, learner_id: uuid.UUID, request_id: uuid.UUID, reason: str | None) -> None:
        """审核驳回 by academic affairs, with its reason."""
        role = actor.require(Role.ACADEMIC_AFFAIRS)
        request, learner = self._load(learner_id, request_id)
        with recording(actor, role, note(reason)):
            request.reject(role, reason, self.clock.now(), learner)
        self.store.save(request, learner)
