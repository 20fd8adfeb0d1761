"""Read model of accounts: what login and the user lists read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, String, Table, Uuid, insert, update

from application.common.instant import Instant
from application.common.projection import Projection, handles, read_models
from domains.identity.account import Account

accounts = Table(
    "rm_accounts",
    read_models,
    Column("id", Uuid, primary_key=True),
    Column("username", String(40), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("name", String(40), nullable=False),
    Column("gender", String(10)),
    Column("id_number", String(18)),
    Column("mobile", String(20)),
    Column("email", String(120)),
    Column("teaching_point_id", Uuid, index=True),
    Column("position", String(40)),
    Column("roles", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("learner_id", Uuid),
    Column("avatar_ref", String(64)),
    Column("registered_at", Instant(), nullable=False),
    Column("updated_at", Instant(), nullable=False),
)


class AccountsProjection(Projection):
    name = "accounts"
    tables = (accounts,)

    @handles(Account.Registered)
    def _registered(self, conn: Connection, e: Any) -> None:
        conn.execute(
            insert(accounts).values(
                id=e.originator_id,
                username=e.username,
                kind=e.kind,
                name=e.name,
                gender=e.gender,
                id_number=e.id_number,
                mobile=e.mobile,
                email=e.email,
                teaching_point_id=e.teaching_point_id,
                position=e.position,
                roles=",".join(e.roles),
                status="enabled",
                password_hash=e.password_hash,
                learner_id=e.learner_id,
                registered_at=e.timestamp,
                updated_at=e.timestamp,
            )
        )

    def _set(self, conn: Connection, e: Any, **values: Any) -> None:
        conn.execute(update(accounts).where(accounts.c.id == e.originator_id).values(updated_at=e.timestamp, **values))

    @handles(Account.PersonalInfoEdited)
    def _personal(self, conn: Connection, e: Any) -> None:
        self._set(conn, e, name=e.name, gender=e.gender, id_number=e.id_number, mobile=e.mobile, email=e.email)

    @handles(Account.PasswordChanged)
    def _password(self, conn: Connection, e: Any) -> None:
        self._set(conn, e, password_hash=e.password_hash)

    @handles(Account.StaffDetailsEdited)
    def _staff(self, conn: Connection, e: Any) -> None:
        self._set(conn, e, position=e.position, roles=",".join(e.roles))

    @handles(Account.StatusSet)
    def _status(self, conn: Connection, e: Any) -> None:
        self._set(conn, e, status=e.status)

    @handles(Account.AvatarChanged)
    def _avatar(self, conn: Connection, e: Any) -> None:
        self._set(conn, e, avatar_ref=e.file_ref)
