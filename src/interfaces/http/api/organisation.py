"""Teaching points and staff accounts."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Controller, Request, get, patch, post

from application.identity.queries import get_account, list_staff
from application.organisation.queries import (
    get_teaching_point,
    list_teaching_points,
    teaching_point_choices,
)
from interfaces.http.api.common import Listing, Reason, listing, out, page_of
from interfaces.http.api.organisation_out import (
    AccountOut,
    TeachingPointChoiceOut,
    TeachingPointOut,
)
from interfaces.http.context import api_actor, container_of


class TeachingPointIn(msgspec.Struct):
    code: str
    name: str
    address: str | None = None
    recruiters: list[str] = []
    phones: list[str] = []


class ContactIn(msgspec.Struct):
    address: str | None = None
    recruiters: list[str] = []
    phones: list[str] = []
    reason: str | None = None


class TeachingPointController(Controller):
    path = "/teaching-points"
    tags = ["organisation"]

    @get("/", sync_to_thread=True)
    def index(
        self, request: Request[Any, Any, Any], page: int = 1, page_size: int = 20, q: str | None = None,
        enabled: bool | None = None,
    ) -> Listing[TeachingPointOut]:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return listing(list_teaching_points(conn, actor, page_of(page, page_size), q, enabled), TeachingPointOut)

    @post("/", sync_to_thread=True)
    def create(self, request: Request[Any, Any, Any], data: TeachingPointIn) -> TeachingPointOut:
        actor = api_actor(request)
        c = container_of(request)
        tp_id = c.organisation.register_teaching_point(actor, data.code, data.name, data.address, data.recruiters, data.phones)
        with c.engine.connect() as conn:
            return out(get_teaching_point(conn, actor, tp_id), TeachingPointOut)

    @get("/{teaching_point_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], teaching_point_id: uuid.UUID) -> TeachingPointOut:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return out(get_teaching_point(conn, actor, teaching_point_id), TeachingPointOut)

    @patch("/{teaching_point_id:uuid}/contact-details", sync_to_thread=True)
    def edit_contact(self, request: Request[Any, Any, Any], teaching_point_id: uuid.UUID, data: ContactIn) -> TeachingPointOut:
        actor = api_actor(request)
        c = container_of(request)
        c.organisation.edit_contact_details(actor, teaching_point_id, data.address, data.recruiters, data.phones, data.reason)
        with c.engine.connect() as conn:
            return out(get_teaching_point(conn, actor, teaching_point_id), TeachingPointOut)

    @post("/{teaching_point_id:uuid}/enable", sync_to_thread=True, status_code=200)
    def enable(self, request: Request[Any, Any, Any], teaching_point_id: uuid.UUID, data: Reason) -> TeachingPointOut:
        return self._set(request, teaching_point_id, True, data.reason)

    @post("/{teaching_point_id:uuid}/disable", sync_to_thread=True, status_code=200)
    def disable(self, request: Request[Any, Any, Any], teaching_point_id: uuid.UUID, data: Reason) -> TeachingPointOut:
        return self._set(request, teaching_point_id, False, data.reason)

    def _set(self, request: Request[Any, Any, Any], tp_id: uuid.UUID, enabled: bool, reason: str | None) -> TeachingPointOut:
        actor = api_actor(request)
        c = container_of(request)
        c.organisation.set_enabled(actor, tp_id, enabled, reason)
        with c.engine.connect() as conn:
            return out(get_teaching_point(conn, actor, tp_id), TeachingPointOut)


class PublicTeachingPointController(Controller):
    path = "/public/teaching-points"
    tags = ["public"]

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any]) -> list[TeachingPointChoiceOut]:
        """Enabled teaching points for the public quick-registration page."""
        with container_of(request).engine.connect() as conn:
            return out(teaching_point_choices(conn), list[TeachingPointChoiceOut])


class AccountIn(msgspec.Struct):
    username: str
    name: str
    roles: list[str]
    password: str
    confirm_password: str
    teaching_point_id: uuid.UUID | None = None
    kind: str = "unified_identity"
    position: str | None = None
    gender: str | None = None
    id_number: str | None = None
    mobile: str | None = None
    email: str | None = None


class StaffDetailsIn(msgspec.Struct):
    roles: list[str]
    position: str | None = None
    reason: str | None = None


class PasswordResetIn(msgspec.Struct):
    password: str
    confirm_password: str


class AccountController(Controller):
    path = "/accounts"
    tags = ["accounts"]

    @get("/", sync_to_thread=True)
    def index(
        self, request: Request[Any, Any, Any], page: int = 1, page_size: int = 20, q: str | None = None,
        teaching_point_id: uuid.UUID | None = None, role: str | None = None, status: str | None = None,
    ) -> Listing[AccountOut]:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return listing(list_staff(conn, actor, page_of(page, page_size), q, teaching_point_id, role, status), AccountOut)

    @post("/", sync_to_thread=True)
    def create(self, request: Request[Any, Any, Any], data: AccountIn) -> AccountOut:
        actor = api_actor(request)
        c = container_of(request)
        account_id = c.identity.register_staff(actor, **msgspec.structs.asdict(data))
        with c.engine.connect() as conn:
            return out(get_account(conn, actor, account_id), AccountOut)

    @get("/{account_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], account_id: uuid.UUID) -> AccountOut:
        actor = api_actor(request)
        with container_of(request).engine.connect() as conn:
            return out(get_account(conn, actor, account_id), AccountOut)

    @patch("/{account_id:uuid}", sync_to_thread=True)
    def edit(self, request: Request[Any, Any, Any], account_id: uuid.UUID, data: StaffDetailsIn) -> AccountOut:
        actor = api_actor(request)
        c = container_of(request)
        c.identity.edit_staff(actor, account_id, data.position, data.roles, data.reason)
        with c.engine.connect() as conn:
            return out(get_account(conn, actor, account_id), AccountOut)

    @post("/{account_id:uuid}/enable", sync_to_thread=True, status_code=200)
    def enable(self, request: Request[Any, Any, Any], account_id: uuid.UUID, data: Reason) -> AccountOut:
        return self._status(request, account_id, "enable", data.reason)

    @post("/{account_id:uuid}/disable", sync_to_thread=True, status_code=200)
    def disable(self, request: Request[Any, Any, Any], account_id: uuid.UUID, data: Reason) -> AccountOut:
        return self._status(request, account_id, "disable", data.reason)

    @post("/{account_id:uuid}/delete", sync_to_thread=True, status_code=200)
    def delete(self, request: Request[Any, Any, Any], account_id: uuid.UUID, data: Reason) -> AccountOut:
        return self._status(request, account_id, "delete", data.reason)

    def _status(self, request: Request[Any, Any, Any], account_id: uuid.UUID, action: str, reason: str | None) -> AccountOut:
        actor = api_actor(request)
        c = container_of(request)
        if action == "delete":
            c.identity.delete(actor, account_id, reason)
        else:
            c.identity.set_enabled(actor, account_id, action == "enable", reason)
        if action != "enable":
            c.sessions.close_all_for(account_id)
        with c.engine.connect() as conn:
            return out(get_account(conn, actor, account_id), AccountOut)

    @post("/{account_id:uuid}/password-reset", sync_to_thread=True, status_code=204)
    def reset_password(self, request: Request[Any, Any, Any], account_id: uuid.UUID, data: PasswordResetIn) -> None:
        actor = api_actor(request)
        container_of(request).identity.reset_password(actor, account_id, data.password, data.confirm_password)
