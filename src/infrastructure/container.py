"""Wires the platform together from settings: event store, read models, use cases, jobs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from application.admissions.imports import FORM_IMPORT_TASK, FormImports
from application.admissions.service import Admissions
from application.common.ports import Clock
from application.curriculum.service import Curriculum
from application.enrolment.batch_selection import BATCH_SELECTION_TASK, BatchSelections
from application.enrolment.service import Enrolment
from application.exams.service import Exams
from application.finance.service import Finance
from application.identity.service import Identity
from application.learners.photos import PHOTO_EXPORT_TASK, PHOTO_IMPORT_TASK, LearnerPhotoService
from application.learners.record_changes import LearnerRecords
from application.learners.status_changes import StatusChanges
from application.organisation.service import Organisation
from application.projections import all_projections
from application.teaching.service import Teaching
from application.training.certificates import CERTIFICATE_BATCH_TASK, CertificateLedgers
from application.training.platform import TrainingPlatform
from infrastructure import (
    audit_chain,
    audit_checkpoints,  # noqa: F401  (declares the audit_checkpoints platform table)
)
from infrastructure.certificates.fonts import configured_font_path
from infrastructure.certificates.pdf import PdfCertificateRenderer
from infrastructure.clock import SystemClock
from infrastructure.database import make_engine
from infrastructure.eventstore import AggregateStore, EventLog
from infrastructure.files import DatabaseFileStore
from infrastructure.jobs import Jobs, SqlJobState
from infrastructure.passwords import Argon2Hasher
from infrastructure.payments import unionpay_gateway
from infrastructure.photos import inspect_photo
from infrastructure.projections import ProjectionRunner
from infrastructure.schema import event_log, migrate, require_current
from infrastructure.sessions import LoginThrottle, SessionStore
from infrastructure.settings import Settings, load_settings
from infrastructure.training_login import build_training_platform


@dataclass
class Container:
    settings: Settings
    engine: Engine
    log: EventLog
    runner: ProjectionRunner
    store: AggregateStore
    clock: Clock
    hasher: Argon2Hasher
    files: DatabaseFileStore
    organisation: Organisation
    identity: Identity
    admissions: Admissions
    sessions: SessionStore
    throttle: LoginThrottle
    jobs: Jobs
    form_imports: FormImports
    curriculum: Curriculum
    enrolment: Enrolment
    batch_selections: BatchSelections
    finance: Finance
    exams: Exams
    teaching: Teaching
    status_changes: StatusChanges
    learner_records: LearnerRecords
    learner_photos: LearnerPhotoService
    certificate_renderer: PdfCertificateRenderer
    certificate_ledgers: CertificateLedgers
    training: TrainingPlatform
    extras: dict[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        self.jobs.close()
        self.log.close()
        self.engine.dispose()


def build(settings: Settings | None = None, clock: Clock | None = None, fast_hashing: bool = False) -> Container:
    settings = settings or load_settings()
    audit_chain.configure_key(settings.audit_key)
    engine = make_engine(settings)
    projections = all_projections()
    log = event_log(settings)
    if settings.is_postgres:
        require_current(engine, log, projections)  # a process never creates or changes schema (ADR 0013)
    else:
        migrate(engine, settings, projections)  # the embedded default migrates itself, under a file lock
    runner = ProjectionRunner(engine, log, projections)
    inline = settings.projections == "inline"
    store = AggregateStore(log, after_save=(lambda pos: runner.catch_up(until=pos)) if inline else None)
    clock = clock or SystemClock()
    hasher = Argon2Hasher(fast=fast_hashing)
    files = DatabaseFileStore(engine)
    admissions = Admissions(store, clock, settings.school_code, settings.student_number_pattern)
    jobs = Jobs(settings.broker_url, sweep_seconds=settings.job_sweep_seconds)
    job_state = SqlJobState(engine, settings.job_lease_seconds)
    form_imports = FormImports(admissions, jobs, job_state, engine.connect, clock)
    jobs.register(FORM_IMPORT_TASK, form_imports.run, resume=form_imports.resume)
    enrolment = Enrolment(store, clock, engine.connect)
    batch_selections = BatchSelections(enrolment, jobs, job_state, engine.connect, clock)
    jobs.register(BATCH_SELECTION_TASK, batch_selections.run, resume=batch_selections.resume)
    learner_photos = LearnerPhotoService(store, clock, files, engine.connect, inspect_photo, jobs, job_state)
    jobs.register(PHOTO_IMPORT_TASK, learner_photos.run, resume=learner_photos.resume)
    jobs.register(PHOTO_EXPORT_TASK, learner_photos.run_export, resume=learner_photos.resume_exports)
    certificate_ledgers = CertificateLedgers(store, clock, engine.connect, jobs, job_state)
    jobs.register(CERTIFICATE_BATCH_TASK, certificate_ledgers.run, resume=certificate_ledgers.resume)
    return Container(
        settings=settings,
        engine=engine,
        log=log,
        runner=runner,
        store=store,
        clock=clock,
        hasher=hasher,
        files=files,
        organisation=Organisation(store),
        identity=Identity(store, hasher, files),
        admissions=admissions,
        sessions=SessionStore(engine, settings.session_minutes),
        throttle=LoginThrottle(engine),
        jobs=jobs,
        form_imports=form_imports,
        curriculum=Curriculum(store),
        enrolment=enrolment,
        batch_selections=batch_selections,
        finance=Finance(store, clock, unionpay_gateway(settings), engine.connect),
        exams=Exams(store, clock, engine.connect),
        status_changes=StatusChanges(store, clock, files, engine.connect),
        learner_records=LearnerRecords(store, clock, files, engine.connect),
        learner_photos=learner_photos,
        certificate_renderer=PdfCertificateRenderer(configured_font_path(), settings.var_dir / "cache"),
        certificate_ledgers=certificate_ledgers,
        training=build_training_platform(store, clock, engine, hasher, settings),
        teaching=Teaching(store, clock, engine.connect),
    )
