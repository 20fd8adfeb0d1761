"""Every projection of the platform, in the order the runner feeds them."""

from __future__ import annotations

from application.admissions.projection import AdmissionsProjection
from application.audit.projection import AuditLogProjection
from application.common.projection import Projection
from application.curriculum.projection import CurriculumProjection
from application.enrolment.projection import EnrolmentProjection
from application.exams.projection import ExamsProjection
from application.finance.projection import FinanceProjection
from application.identity.projection import AccountsProjection
from application.learners.photo_projection import LearnerPhotosProjection
from application.learners.projection import LearnersProjection
from application.learners.record_change_projection import LearnerRecordsProjection
from application.learners.status_change_projection import StatusChangesProjection
from application.organisation.projection import OrganisationProjection
from application.teaching.projection import TeachingProjection
from application.training.certificate_projection import CertificateLedgerProjection
from application.training.learning_projection import TrainingLearningProjection


def all_projections() -> list[Projection]:
    return [
        OrganisationProjection(),
        AccountsProjection(),
        AdmissionsProjection(),
        LearnersProjection(),
        CurriculumProjection(),
        EnrolmentProjection(),
        ExamsProjection(),
        FinanceProjection(),
        TeachingProjection(),
        StatusChangesProjection(),
        LearnerRecordsProjection(),
        LearnerPhotosProjection(),
        TrainingLearningProjection(),
        CertificateLedgerProjection(),
        AuditLogProjection(),
    ]
