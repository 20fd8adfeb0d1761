"""The identity API (身份): login and logout, the actor's own account, staff accounts."""

from __future__ import annotations

from interfaces.http.api.identity.accounts import AccountController
from interfaces.http.api.identity.auth import AuthController, MeController

CONTROLLERS = [AuthController, MeController, AccountController]
