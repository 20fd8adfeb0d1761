"""Admin pages of identity (账号与用户)."""

from __future__ import annotations

from interfaces.admin.identity.account_pages import MeController, SessionController
from interfaces.admin.identity.users import UserPages

CONTROLLERS = [SessionController, MeController, UserPages]
