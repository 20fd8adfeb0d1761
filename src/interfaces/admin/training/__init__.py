"""Admin pages of training (教师培训平台)."""

from __future__ import annotations

from interfaces.admin.training.administration import TrainingAdminPages
from interfaces.admin.training.certificates import (
    BatchPages,
    CertificatePages,
    LedgerPages,
    MyCertificatePages,
    VerificationPage,
)
from interfaces.admin.training.trainee_pages import TrainingPortalPages
from interfaces.admin.training.videos import ChapterVideoFiles

CONTROLLERS = [TrainingAdminPages, MyCertificatePages, LedgerPages, CertificatePages, BatchPages, VerificationPage,
               TrainingPortalPages, ChapterVideoFiles]
