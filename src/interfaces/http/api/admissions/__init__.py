"""The admissions API (招生): the catalogue, application forms, quick registration, CSV imports."""

from __future__ import annotations

from interfaces.http.api.admissions.catalogue import CatalogueController
from interfaces.http.api.admissions.forms import (
    ApplicationFormController,
    QuickRegistrationController,
)
from interfaces.http.api.admissions.imports import ImportController

CONTROLLERS = [
    CatalogueController,
    ImportController,
    ApplicationFormController,
    QuickRegistrationController,
]
