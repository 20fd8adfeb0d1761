"""教学点用户管理 (requirements/identity.md §3.1): the staff list with filters, adding users with several
roles, editing position and roles, enabling, disabling, deleting and resetting passwords.

A teaching point's administrator sees and manages only the users of its own teaching point and
may give only teaching-point roles; the system administrator manages everyone and may create
local accounts for system administrators. Pages read `application.identity.queries`; every
action goes through the `Identity` use cases."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Template
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.queries import Page
from application.identity.queries import get_account, list_staff
from application.organisation.queries import list_teaching_points
from domains.identity.account import AccountKind
from domains.shared.errors import DomainError, InvalidInput, NotFound
from domains.shared.values import (
    ROLE_LABELS,
    TEACHING_POINT_ROLES,
    TRAINING_ROLES,
    Role,
)
from infrastructure.container import Container
from interfaces.admin.common.forms import (
    Form,
    as_list,
    done,
    error_field,
    page_of,
    status_of,
    uuid_param,
)
from interfaces.admin.common.guards import requires_role
from interfaces.admin.common.rendering import audit_tab, page

MANAGERS = (Role.SYSTEM_ADMIN, Role.TEACHING_POINT_ADMIN)
READERS = (Role.SYSTEM_ADMIN, Role.TEACHING_POINT_ADMIN, Role.AUDITOR)

STAFF_ROLES = [r for r in Role if r is not Role.LEARNER and r not in TRAINING_ROLES]
TP_ROLES = [r for r in STAFF_ROLES if r in TEACHING_POINT_ROLES]
SCHOOL_ROLES = [r for r in STAFF_ROLES if r not in TEACHING_POINT_ROLES]
STATUS_LABELS = {"enabled": "启用", "disabled": "停用", "deleted": "已删除"}
KIND_LABELS = {AccountKind.UNIFIED_IDENTITY.value: "统一身份认证账号", AccountKind.LOCAL.value: "本地账号"}


def role_choices(actor: Actor) -> list[tuple[str, list[tuple[str, str]]]]:
    """Role check boxes by group: a teaching-point administrator sees teaching-point roles only."""
    tp = ("教学点角色", [(r.value, ROLE_LABELS[r]) for r in TP_ROLES])
    if not actor.has(Role.SYSTEM_ADMIN):
        return [tp]
    return [tp, ("学校角色（所属单位须为学校总部）", [(r.value, ROLE_LABELS[r]) for r in SCHOOL_ROLES])]


def roles_for_account(account: dict[str, Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    """On the edit form: the roles that fit where the account belongs."""
    if account["teaching_point_id"] is not None:
        return [("教学点角色", [(r.value, ROLE_LABELS[r]) for r in TP_ROLES])]
    return [("学校角色", [(r.value, ROLE_LABELS[r]) for r in SCHOOL_ROLES])]


def teaching_point_options(conn: Connection, actor: Actor) -> list[dict[str, Any]]:
    return list_teaching_points(conn, actor, Page(number=1, size=200)).items


def can_manage(actor: Actor, account: dict[str, Any]) -> bool:
    """Whether the action buttons show: managers (never auditors) on accounts other than their own."""
    if Role.AUDITOR in actor.roles or not actor.has(*MANAGERS):
        return False
    if account["id"] == actor.user_id or account["status"] == "deleted":
        return False
    return actor.has(Role.SYSTEM_ADMIN) or account["teaching_point_id"] == actor.teaching_point_id


class UserPages(Controller):
    path = "/admin/users"
    # Every page lists or shows staff; the use cases decide who may change whom.
    guards = (requires_role(*READERS),)

    # -- list --------------------------------------------------------------------------------

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        q = request.query_params
        school = actor.is_school_staff
        result = list_staff(
            reader, actor, page_of(request), q.get("q") or None,
            uuid_param(q.get("teaching_point_id")) if school else None,
            q.get("role") or None, q.get("status") or None,
        )
        points = teaching_point_options(reader, actor) if school else []
        return page(
            request, "users_list.html", actor, result=result, points=points, school=school,
            roles=[(r.value, ROLE_LABELS[r]) for r in (STAFF_ROLES if school else TP_ROLES)],
            statuses=[("enabled", "启用"), ("disabled", "停用")], status_labels=STATUS_LABELS,
            can_add=actor.has(*MANAGERS) and Role.AUDITOR not in actor.roles,
        )

    # -- add -------------------------------------------------------------------------------

    def _new_form(
        self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, form: dict[str, Any],
        status_code: int = 200, error: str | None = None, error_field: str | None = None,
    ) -> Template:
        points = teaching_point_options(reader, actor)
        own_point = next((p for p in points if p["id"] == actor.teaching_point_id), None)
        return page(
            request, "users_new.html", actor, status_code=status_code, form=form, error=error,
            error_field=error_field, role_groups=role_choices(actor), points=points, own_point=own_point,
            chosen_roles=as_list(form.get("roles")), kinds=KIND_LABELS,
        )

    @get("/new", sync_to_thread=True, guards=[requires_role(*MANAGERS)])
    def new(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        return self._new_form(request, actor, reader, {"kind": AccountKind.UNIFIED_IDENTITY.value})

    @post("/new", sync_to_thread=True, guards=[requires_role(*MANAGERS)])
    def create(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Form
    ) -> Response[Any]:
        kept = {k: v for k, v in data.items() if k not in ("password", "confirm_password", "_csrf_token")}
        try:
            if actor.has(Role.SYSTEM_ADMIN):
                raw_point = str(data.get("teaching_point_id") or "").strip()
                point = uuid_param(raw_point)
                if raw_point and point is None:
                    raise InvalidInput("teaching_point.invalid", "请选择所属教学点", field="teaching_point_id")
                kind = str(data.get("kind") or AccountKind.UNIFIED_IDENTITY.value)
            else:
                point, kind = actor.teaching_point_id, AccountKind.UNIFIED_IDENTITY.value
            account_id = services.identity.register_staff(
                actor,
                username=str(data.get("username", "")),
                name=str(data.get("name", "")),
                roles=as_list(data.get("roles")),
                password=str(data.get("password", "")),
                confirm_password=str(data.get("confirm_password", "")),
                teaching_point_id=point,
                kind=kind,
                position=str(data.get("position") or "") or None,
                gender=str(data.get("gender") or "") or None,
                id_number=str(data.get("id_number") or "") or None,
                mobile=str(data.get("mobile") or "") or None,
                email=str(data.get("email") or "") or None,
            )
        except DomainError as exc:
            return self._new_form(request, actor, reader, kept, status_of(exc), exc.message, error_field(exc))
        return done(request, f"/admin/users/{account_id}", "用户已添加")

    # -- one user ------------------------------------------------------------------------------

    def _account(self, reader: Connection, actor: Actor, account_id: uuid.UUID) -> dict[str, Any]:
        account = get_account(reader, actor, account_id)
        if Role.LEARNER.value in account["roles"]:
            raise NotFound("not_found", "用户不存在或不属于您的教学点")
        return account

    def _show(
        self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, account_id: uuid.UUID,
        status_code: int = 200, error: str | None = None, form: dict[str, Any] | None = None,
        error_form: str | None = None,
    ) -> Template:
        account = self._account(reader, actor, account_id)
        edit = form if error_form == "edit" and form is not None else {
            "position": account["position"], "roles": account["roles"]
        }
        return page(
            request, "users_show.html", actor, status_code=status_code, account=account, error=error,
            error_form=error_form, edit=edit, edit_roles=as_list(edit.get("roles")),
            role_groups=roles_for_account(account), manage=can_manage(actor, account),
            status_labels=STATUS_LABELS, kinds=KIND_LABELS, history=audit_tab(reader, account_id),
        )

    @get("/{account_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, account_id: uuid.UUID) -> Template:
        return self._show(request, actor, reader, account_id)

    def _act(
        self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, account_id: uuid.UUID,
        action: Callable[[], None], message: str, form: dict[str, Any] | None = None, error_form: str | None = None,
        to: str | None = None,
    ) -> Response[Any]:
        try:
            action()
        except DomainError as exc:
            if exc.kind == "not_found":
                raise
            return self._show(request, actor, reader, account_id, status_of(exc), exc.message, form, error_form)
        return done(request, to or f"/admin/users/{account_id}", message)

    @post("/{account_id:uuid}/details", sync_to_thread=True)
    def edit(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        account_id: uuid.UUID, data: Form,
    ) -> Response[Any]:
        return self._act(
            request, actor, reader, account_id,
            lambda: services.identity.edit_staff(
                actor, account_id, str(data.get("position") or "") or None, as_list(data.get("roles")),
                str(data.get("reason") or "") or None,
            ),
            "职位与角色已保存", form=data, error_form="edit",
        )

    @post("/{account_id:uuid}/enable", sync_to_thread=True)
    def enable(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        account_id: uuid.UUID, data: Form,
    ) -> Response[Any]:
        return self._act(
            request, actor, reader, account_id,
            lambda: services.identity.set_enabled(actor, account_id, True, str(data.get("reason") or "") or None),
            "用户已启用",
        )

    @post("/{account_id:uuid}/disable", sync_to_thread=True)
    def disable(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        account_id: uuid.UUID, data: Form,
    ) -> Response[Any]:
        def disable() -> None:
            services.identity.set_enabled(actor, account_id, False, str(data.get("reason") or "") or None)
            services.sessions.close_all_for(account_id)  # a disabled user's sessions end at once

        return self._act(request, actor, reader, account_id, disable, "用户已停用，其登录会话已结束")

    @post("/{account_id:uuid}/password", sync_to_thread=True)
    def reset_password(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        account_id: uuid.UUID, data: Form,
    ) -> Response[Any]:
        return self._act(
            request, actor, reader, account_id,
            lambda: services.identity.reset_password(
                actor, account_id, str(data.get("password", "")), str(data.get("confirm_password", ""))
            ),
            "密码已重置", error_form="password",
        )

    @get("/{account_id:uuid}/delete", sync_to_thread=True, guards=[requires_role(*MANAGERS)])
    def confirm_delete(
        self, request: Request[Any, Any, Any], actor: Actor, reader: Connection, account_id: uuid.UUID
    ) -> Template:
        account = self._account(reader, actor, account_id)
        return page(request, "users_delete.html", actor, account=account, manage=can_manage(actor, account))

    @post("/{account_id:uuid}/delete", sync_to_thread=True)
    def delete(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
        account_id: uuid.UUID, data: Form,
    ) -> Response[Any]:
        def delete() -> None:
            services.identity.delete(actor, account_id, str(data.get("reason") or "") or None)
            services.sessions.close_all_for(account_id)

        return self._act(request, actor, reader, account_id, delete, "用户已删除", to="/admin/users")
