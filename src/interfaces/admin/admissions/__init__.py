"""Admin pages of admissions (招生管理)."""

from __future__ import annotations

from interfaces.admin.admissions.catalogue import BatchPages, ProgrammePages
from interfaces.admin.admissions.forms import ApplicationFormPages
from interfaces.admin.admissions.imports import ImportPages
from interfaces.admin.admissions.registration import PortalPages

CONTROLLERS = [BatchPages, ProgrammePages, ApplicationFormPages, ImportPages, PortalPages]
