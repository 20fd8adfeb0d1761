"""The teacher-training API (requirements/training.md): school platforms and their people, trainee registration
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
from interfaces.http.api.training.videos import TrainingVideoController

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
    TrainingVideoController,
]
