"""Use cases of status changes (学籍异动, requirements/learners.md §4): transfer of teaching point, change of
major and withdrawal.

The learner asks for themselves, or the teaching point for its learner (found by the full
student number); the learner's teaching point reviews a learner's request first (初审), academic
affairs gives the final review (复审). Each step is one atomic save of the request and the
Learner: the Learner holds the one open request, and final approval changes it (teaching point,
programme, or 已退学) in the same save; a change of major saves with them each of the learner's
courses, told whether it counts for graduation in the new programme. Proof files are checked by content and stored first;
the request keeps their references.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.loading import load
from application.common.ports import Clock, EventStore, FileStore
from application.common.recording import recording
from application.curriculum.service import note
from application.enrolment.service import check_own, learner_enrollments, learner_for
from application.learners.numbers import learner_id_by_number
from application.learners.proof_files import Upload, store_proof_files
from application.learners.status_change_projection import withdrawal_courses
from domains.admissions.batches import TrainingProgramme
from domains.curriculum.batches import SelectionBatch
from domains.curriculum.programme_curriculum import ProgrammeCurriculum
from domains.enrolment.enrollment import Enrollment
from domains.learners.learner import Learner
from domains.learners.status_change import (
    ChangeOfMajorWindow,
    StatusChange,
    StatusChangeKind,
)
from domains.organisation.teaching_point import TeachingPoint
from domains.shared.errors import InvalidInput, NotFound
from domains.shared.values import Role

WHAT = "学籍异动申请"


class StatusChanges:
    def __init__(self, store: EventStore, clock: Clock, files: FileStore, read: Callable[[], Connection]) -> None:
        self.store = store
        self.clock = clock
        self.files = files
        self.read = read

    # -- asking ----------------------------------------------------------------------------------------

    def _learner_id(self, role: Role, learner_id: uuid.UUID | None, student_number: str | None) -> uuid.UUID | None:
        """代学生发起: the teaching point finds the learner by the full student number."""
        number = (student_number or "").strip()
        if number:
            return learner_id_by_number(self.store, number, learner_id)
        if learner_id is None and role is not Role.LEARNER:
            raise InvalidInput("status_change.learner_required", "请输入学生的完整学号", field="student_number")
        return learner_id

    def _store_files(self, uploads: Sequence[Upload]) -> list[dict[str, Any]]:
        return store_proof_files(self.files, uploads)

    def request(
        self,
        actor: Actor,
        kind: str,
        reason: str | None,
        *,
        learner_id: uuid.UUID | None = None,
        student_number: str | None = None,
        target_teaching_point_id: uuid.UUID | None = None,
        target_programme_id: uuid.UUID | None = None,
        attachments: Sequence[Upload] = (),
    ) -> uuid.UUID:
        """By the learner (then 待初审) or by the teaching point for its learner (then 初审通过)."""
        role = actor.require(Role.TEACHING_POINT_ADMIN, Role.LEARNER)
        change_kind = StatusChangeKind.parse(kind)
        learner = learner_for(self.store, actor, role, self._learner_id(role, learner_id, student_number))
        now = self.clock.now()
        with recording(actor, role, note(reason)):
            learner.check_may_request_status_change()
            if change_kind is StatusChangeKind.TRANSFER:
                if target_teaching_point_id is None:
                    raise InvalidInput("field.required", "请选择转入教学点", field="target_teaching_point_id")
                target_tp = load(self.store, target_teaching_point_id, TeachingPoint, "转入教学点")
                programme = load(self.store, learner.programme_id, TrainingProgramme, "培养方案")
                files = self._store_files(attachments)
                change = StatusChange.request_transfer(learner, programme, target_tp, role, reason, files, now)
            elif change_kind is StatusChangeKind.CHANGE_OF_MAJOR:
                if target_programme_id is None:
                    raise InvalidInput("field.required", "请选择转入专业（培养方案）", field="target_programme_id")
                current = load(self.store, learner.programme_id, TrainingProgramme, "培养方案")
                target = load(self.store, target_programme_id, TrainingProgramme, "转入专业的培养方案")
                found = self.store.find(ChangeOfMajorWindow.create_id())
                window = found if isinstance(found, ChangeOfMajorWindow) else None
                files = self._store_files(attachments)
                change = StatusChange.request_change_of_major(
                    learner, current, target, window, self.clock.today(), role, reason, files, now
                )
            else:
                droppable = self._droppable(learner.id, now)
                files = self._store_files(attachments)
                change = StatusChange.request_withdrawal(learner, droppable, role, reason, files, now)
        self.store.save(change, learner)
        return change.id

    def _droppable(self, learner_id: uuid.UUID, now: datetime) -> list[uuid.UUID]:
        """The learner's courses still inside their selection batch's drop period, neither dropped
        nor already asked to be dropped (by course code): read from the event store, since the
        request records them."""
        courses = learner_enrollments(self.store, learner_id)
        found = self.store.find_many([*{e.selection_batch_id for e in courses}, *{e.course_id for e in courses}])
        open_ = [
            e for e in courses
            if e.may_still_be_dropped and isinstance(batch := found.get(e.selection_batch_id), SelectionBatch)
            and batch.is_drop_open(now)
        ]
        return [e.id for e in sorted(open_, key=lambda e: getattr(found.get(e.course_id), "code", ""))]

    def withdrawal_courses(
        self, actor: Actor, *, learner_id: uuid.UUID | None = None, student_number: str | None = None
    ) -> dict[str, Any]:
        """Before a withdrawal: the learner's courses still inside their drop period, which the
        screen offers to drop first through the normal drop flow (the auditor may read it too)."""
        role = actor.require(Role.TEACHING_POINT_ADMIN, Role.LEARNER, Role.AUDITOR)
        found = self._learner_id(role, learner_id or actor.learner_id, student_number)
        if found is None:
            raise NotFound("not_found", "学生不存在")
        with self.read() as conn:
            return {"learner_id": found, "courses": withdrawal_courses(conn, actor, found, self.clock.now())}

    # -- reviews ---------------------------------------------------------------------------------------

    def _load(self, status_change_id: uuid.UUID) -> tuple[StatusChange, Learner]:
        change = load(self.store, status_change_id, StatusChange, WHAT)
        return change, load(self.store, change.learner_id, Learner, "学生")

    def approve_preliminarily(self, actor: Actor, status_change_id: uuid.UUID, comment: str | None = None) -> None:
        """初审通过: the learner's own teaching point (the one the learner would leave)."""
        role = actor.require(Role.TEACHING_POINT_ADMIN)
        change = load(self.store, status_change_id, StatusChange, WHAT)
        actor.check_teaching_point(change.teaching_point_id, WHAT)
        with recording(actor, role, note(comment)):
            change.approve_preliminarily(role, comment, self.clock.now())
        self.store.save(change)

    def reject_preliminarily(self, actor: Actor, status_change_id: uuid.UUID, reason: str | None) -> None:
        role = actor.require(Role.TEACHING_POINT_ADMIN)
        change, learner = self._load(status_change_id)
        actor.check_teaching_point(change.teaching_point_id, WHAT)
        with recording(actor, role, note(reason)):
            change.reject_preliminarily(role, reason, self.clock.now(), learner)
        self.store.save(change, learner)

    def approve(self, actor: Actor, status_change_id: uuid.UUID, comment: str | None = None) -> None:
        """复审通过 by academic affairs: the rules are checked on today's state and the learner's
        record changes in the same save."""
        role = actor.require(Role.ACADEMIC_AFFAIRS)
        change, learner = self._load(status_change_id)
        targets: dict[str, Any] = {}
        if change.change_kind is not StatusChangeKind.WITHDRAWAL:
            targets["programme"] = load(self.store, learner.programme_id, TrainingProgramme, "培养方案")
        if change.target_teaching_point_id is not None:
            targets["target_teaching_point"] = load(self.store, change.target_teaching_point_id, TeachingPoint, "转入教学点")
        if change.target_programme_id is not None:
            targets["target_programme"] = load(self.store, change.target_programme_id, TrainingProgramme, "培养方案")
        courses: list[Enrollment] = []
        if change.change_kind is StatusChangeKind.CHANGE_OF_MAJOR:
            # Each of the learner's courses records whether it counts in the new programme.
            found = self.store.find(ProgrammeCurriculum.create_id(change.target_programme_id))
            targets["target_curriculum"] = found if isinstance(found, ProgrammeCurriculum) else None
            courses = learner_enrollments(self.store, learner.id)
            targets["enrollments"] = courses
        with recording(actor, role, note(comment)):
            change.approve(role, comment, self.clock.now(), learner, **targets)
        self.store.save(change, learner, *courses)

    def reject(self, actor: Actor, status_change_id: uuid.UUID, reason: str | None) -> None:
        role = actor.require(Role.ACADEMIC_AFFAIRS)
        change, learner = self._load(status_change_id)
        with recording(actor, role, note(reason)):
            change.reject(role, reason, self.clock.now(), learner)
        self.store.save(change, learner)

    def cancel(self, actor: Actor, status_change_id: uuid.UUID, reason: str | None = None) -> None:
        """The learner (their own) or the teaching point (its learner's) withdraws an open request."""
        role = actor.require(Role.TEACHING_POINT_ADMIN, Role.LEARNER)
        change, learner = self._load(status_change_id)
        check_own(actor, role, change.learner_id, change.teaching_point_id, WHAT)
        with recording(actor, role, note(reason)):
            change.cancel(role, self.clock.now(), learner)
        self.store.save(change, learner)

    # -- the change-of-major window ---------------------------------------------------------------------

    def set_change_of_major_window(self, actor: Actor, opens_on: object, closes_on: object) -> None:
        role = actor.require(Role.ACADEMIC_AFFAIRS)
        found = self.store.find(ChangeOfMajorWindow.create_id())
        with recording(actor, role):
            if isinstance(found, ChangeOfMajorWindow):
                window = found
                window.change(role, opens_on, closes_on)
            else:
                window = ChangeOfMajorWindow.set(role, opens_on, closes_on)
        self.store.save(window)
