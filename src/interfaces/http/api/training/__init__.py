"""The teacher-training API (seed 000): school platforms and their people, trainee registration
and login methods, courses and sign-up, chapter progress and summaries, live lectures and
hosting applications, school-recognised activities, hours, and the certificate ledger."""

from __future__ import annotations

from interfaces.http.api.training.access import TrainingAccessController
from interfaces.http.api.training.activities import TrainingActivityController
from interfaces.http.api.training.certificates import (
    CertificateBatchController,
    CertificateController,
    CertificateLedgerController,
)
from interfaces.http.api.training.courses import TrainingCourseController
from interfaces.http.api.training.lectures import TrainingLectureController
from interfaces.http.api.training.schools import (
    TrainingCentreAdminController,
    TrainingSchoolController,
)

CONTROLLERS = [
    TrainingAccessController,
    TrainingSchoolController,
    TrainingCentreAdminController,
    TrainingCourseController,
    TrainingLectureController,
    TrainingActivityController,
    CertificateLedgerController,
    CertificateController,
    CertificateBatchController,
]
