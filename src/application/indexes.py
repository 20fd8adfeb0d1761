"""Writing the indexes and claims use cases decide from (ADR 0016) for a log kept before they
existed: once, when an existing deployment is upgraded, from read models that are caught up.

Idempotent: an index gains only the ids it lacks, a claim is written only where none exists, so
running it again writes nothing.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Connection, select

from application.admissions.projection import programmes
from application.admissions.service import PROGRAMME_CODES
from application.common.actor import SYSTEM
from application.common.ports import EventStore
from application.common.recording import recording
from application.curriculum.projection import batch_courses
from application.curriculum.service import COURSE_BATCHES
from application.enrolment.projection import enrollments
from application.enrolment.service import ENROLLMENTS, RESITS, resit_key
from application.exams.projection import exam_registrations
from application.finance.projection import bills
from application.learners.numbers import STUDENT_NUMBER, student_number_claim
from application.learners.projection import learners
from domains.exams.registration import RegistrationKind
from domains.shared.aggregate import RecordIndex, key_id

CHUNK = 500


def backfill(store: EventStore, connect: Callable[[], AbstractContextManager[Connection]]) -> int:
    """Write what is missing; returns how many indexes and claims were written."""
    with connect() as conn:  # read first and let go: SQLite lets no one write while it is open
        wanted = _wanted(conn)
        numbers = {number: learner_id for learner_id, number in conn.execute(select(learners.c.id, learners.c.student_number))}
    written = 0
    keys = list(wanted)
    for i in range(0, len(keys), CHUNK):
        part = keys[i : i + CHUNK]
        found = store.find_many([RecordIndex.create_id(kind, key) for kind, key in part])
        to_save: list[Any] = []
        with recording(SYSTEM, "system", "为既有记录补建索引"):
            for kind, key in part:
                index = found.get(RecordIndex.create_id(kind, key))
                index = index if isinstance(index, RecordIndex) else RecordIndex(kind=kind, key=key)
                index.add(*wanted[(kind, key)])
                if index.pending_events:
                    to_save.append(index)
        if to_save:
            store.save(*to_save)
            written += len(to_save)
    claimed = list(numbers)
    for i in range(0, len(claimed), CHUNK):
        part = claimed[i : i + CHUNK]
        found = store.find_many([key_id(STUDENT_NUMBER, n) for n in part])
        with recording(SYSTEM, "system", "为既有学号补建登记"):
            claims = [student_number_claim(n, numbers[n]) for n in part if key_id(STUDENT_NUMBER, n) not in found]
        if claims:
            store.save(*claims)
            written += len(claims)
    return written


def _wanted(conn: Connection) -> dict[tuple[str, str], list[uuid.UUID]]:
    """Each index's ids as the caught-up read models list them."""
    wanted: dict[tuple[str, str], list[uuid.UUID]] = defaultdict(list)
    for batch_id, course_id in conn.execute(select(batch_courses.c.batch_id, batch_courses.c.course_id)):
        wanted[(COURSE_BATCHES, str(course_id))].append(batch_id)
    for enrollment_id, learner_id in conn.execute(select(enrollments.c.id, enrollments.c.learner_id)):
        wanted[(ENROLLMENTS, str(learner_id))].append(enrollment_id)
    for programme_id, code in conn.execute(select(programmes.c.id, programmes.c.code)):
        wanted[(PROGRAMME_CODES, code.strip().upper())].append(programme_id)
    resits = select(exam_registrations.c.id, exam_registrations.c.learner_id, exam_registrations.c.course_id).where(
        exam_registrations.c.kind == RegistrationKind.RESIT.value
    )
    for registration_id, learner_id, course_id in conn.execute(resits):
        wanted[(RESITS, resit_key(learner_id, course_id))].append(registration_id)
    resit_bills = select(bills.c.id, exam_registrations.c.learner_id, exam_registrations.c.course_id).join(
        exam_registrations, exam_registrations.c.id == bills.c.exam_registration_id
    ).where(exam_registrations.c.kind == RegistrationKind.RESIT.value, bills.c.enrollment_id.is_(None))
    for bill_id, learner_id, course_id in conn.execute(resit_bills):
        wanted[(RESITS, resit_key(learner_id, course_id))].append(bill_id)
    return wanted
