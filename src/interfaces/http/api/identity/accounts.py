"""Staff accounts (用户管理): the system administrator registers, edits, enables, disables,
deletes them and resets their passwords; disabling or deleting ends their sessions."""

from __future__ import annotations

import uuid

import msgspec
from litestar import Controller, get, patch, post
from sqlalchemy import Connection

from application.common.actor import Actor
from application.identity.queries import get_account, list_staff
from infrastructure.container import Container
from interfaces.http.api.common import (
    AccountOut,
    Listing,
    ReasonIn,
    listing,
    out,
    page_of,
)
from interfaces.http.api.identity.schemas import (
    AccountIn,
    PasswordResetIn,
    StaffDetailsIn,
)


def _account(reader: Connection, actor: Actor, account_id: uuid.UUID) -> AccountOut:
    return out(get_account(reader, actor, account_id), AccountOut)


class AccountController(Controller):
    path = "/accounts"
    tags = ["accounts"]

    @get("/", sync_to_thread=True)
    def index(
        self, actor: Actor, reader: Connection, page: int = 1, page_size: int = 20, q: str | None = None,
        teaching_point_id: uuid.UUID | None = None, role: str | None = None, status: str | None = None,
    ) -> Listing[AccountOut]:
        return listing(list_staff(reader, actor, page_of(page, page_size), q, teaching_point_id, role, status), AccountOut)

    @post("/", sync_to_thread=True)
    def create(self, actor: Actor, services: Container, reader: Connection, data: AccountIn) -> AccountOut:
        account_id = services.identity.register_staff(actor, **msgspec.structs.asdict(data))
        return _account(reader, actor, account_id)

    @get("/{account_id:uuid}", sync_to_thread=True)
    def show(self, actor: Actor, reader: Connection, account_id: uuid.UUID) -> AccountOut:
        return _account(reader, actor, account_id)

    @patch("/{account_id:uuid}", sync_to_thread=True)
    def edit(
        self, actor: Actor, services: Container, reader: Connection, account_id: uuid.UUID, data: StaffDetailsIn
    ) -> AccountOut:
        services.identity.edit_staff(actor, account_id, data.position, data.roles, data.reason)
        return _account(reader, actor, account_id)

    @post("/{account_id:uuid}/enable", sync_to_thread=True, status_code=200)
    def enable(
        self, actor: Actor, services: Container, reader: Connection, account_id: uuid.UUID, data: ReasonIn
    ) -> AccountOut:
        services.identity.set_enabled(actor, account_id, True, data.reason)
        return _account(reader, actor, account_id)

    @post("/{account_id:uuid}/disable", sync_to_thread=True, status_code=200)
    def disable(
        self, actor: Actor, services: Container, reader: Connection, account_id: uuid.UUID, data: ReasonIn
    ) -> AccountOut:
        services.identity.set_enabled(actor, account_id, False, data.reason)
        services.sessions.close_all_for(account_id)
        return _account(reader, actor, account_id)

    @post("/{account_id:uuid}/delete", sync_to_thread=True, status_code=200)
    def delete(
        self, actor: Actor, services: Container, reader: Connection, account_id: uuid.UUID, data: ReasonIn
    ) -> AccountOut:
        services.identity.delete(actor, account_id, data.reason)
        services.sessions.close_all_for(account_id)
        return _account(reader, actor, account_id)

    @post("/{account_id:uuid}/password-reset", sync_to_thread=True, status_code=204)
    def reset_password(self, actor: Actor, services: Container, account_id: uuid.UUID, data: PasswordResetIn) -> None:
        services.identity.reset_password(actor, account_id, data.password, data.confirm_password)
