"""Read side of identity: login lookups, the actor behind a session, user lists."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, or_, select

from application.common.actor import Actor
from application.common.ports import PasswordHasher
from application.common.queries import Page, PageOf, in_scope, paged, split_list
from application.identity.projection import accounts
from application.organisation.projection import teaching_points
from domains.identity.account import AccountKind
from domains.shared.errors import NotFound
from domains.shared.values import Role, mask_id_number, mask_phone

_PUBLIC = [c for c in accounts.c if c.name != "password_hash"]


def authenticate(conn: Connection, hasher: PasswordHasher, username: str, password: str) -> Actor | None:
    row = conn.execute(
        select(accounts).where(accounts.c.username == (username or "").strip(), accounts.c.status == "enabled")
    ).mappings().first()
    # An unknown or disabled username costs one real verification too (against a hash of no
    # one's password), so the answer's timing does not tell which usernames exist.
    matched = hasher.verify(row["password_hash"] if row else hasher.dummy_hash, password or "")
    if row is None or not matched:
        return None
    return actor_from_row(dict(row))


def actor_for(conn: Connection, account_id: uuid.UUID) -> Actor | None:
    row = conn.execute(
        select(accounts).where(accounts.c.id == account_id, accounts.c.status == "enabled")
    ).mappings().first()
    return actor_from_row(dict(row)) if row else None


def actor_from_row(row: dict[str, Any]) -> Actor:
    return Actor(
        user_id=row["id"],
        username=row["username"],
        name=row["name"],
        roles=frozenset(Role(r) for r in split_list(row["roles"])),
        teaching_point_id=row["teaching_point_id"],
        learner_id=row["learner_id"],
    )


def _shape(row: dict[str, Any], masked: bool) -> dict[str, Any]:
    row["roles"] = split_list(row["roles"])
    if masked:
        row["id_number"] = mask_id_number(row["id_number"])
        row["mobile"] = mask_phone(row["mobile"])
    return row


def list_staff(
    conn: Connection,
    actor: Actor,
    page: Page,
    q: str | None = None,
    teaching_point_id: uuid.UUID | None = None,
    role: str | None = None,
    status: str | None = None,
) -> PageOf:
    actor.require(Role.SYSTEM_ADMIN, Role.TEACHING_POINT_ADMIN, Role.AUDITOR)
    query = (
        select(*_PUBLIC, teaching_points.c.name.label("teaching_point_name"))
        .select_from(accounts.outerjoin(teaching_points, teaching_points.c.id == accounts.c.teaching_point_id))
        .where(
            ~accounts.c.roles.contains(Role.LEARNER.value),
            accounts.c.kind != AccountKind.TRAINING.value,  # the training platform keeps its own people
            accounts.c.status != "deleted",
        )
    )
    query = in_scope(query, actor, accounts.c.teaching_point_id, teaching_point_id)
    if q:
        query = query.where(or_(accounts.c.username.contains(q), accounts.c.name.contains(q)))
    if role:
        query = query.where(accounts.c.roles.contains(role))
    if status:
        query = query.where(accounts.c.status == status)
    result = paged(conn, query, page, [accounts.c.username])
    result.items = [_shape(r, masked=True) for r in result.items]
    return result


def get_account(conn: Connection, actor: Actor, account_id: uuid.UUID) -> dict[str, Any]:
    row = conn.execute(
        select(*_PUBLIC, teaching_points.c.name.label("teaching_point_name"))
        .select_from(accounts.outerjoin(teaching_points, teaching_points.c.id == accounts.c.teaching_point_id))
        .where(accounts.c.id == account_id)
    ).mappings().first()
    own = actor.user_id == account_id
    if row is None or not (own or actor.has(Role.SYSTEM_ADMIN, Role.AUDITOR) or (
        actor.has(Role.TEACHING_POINT_ADMIN) and row["teaching_point_id"] == actor.teaching_point_id
    )):
        raise NotFound("not_found", "用户不存在或不属于您的教学点")
    return _shape(dict(row), masked=not own)
