"""Serving an account's avatar: the uploaded picture, or the default one until then."""

from __future__ import annotations

from html import escape

from litestar import Response
from sqlalchemy import select

from application.common.actor import Actor
from application.identity.projection import accounts
from infrastructure.container import Container
from interfaces.http.files import PRIVATE_FILE_HEADERS


def default_avatar(name: str) -> bytes:
    initial = escape((name or "?")[:1])
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">'
        '<rect width="96" height="96" rx="48" fill="#1f5fa8"/>'
        f'<text x="48" y="62" font-size="44" text-anchor="middle" fill="#fff" font-family="sans-serif">{initial}</text></svg>'
    ).encode()


def avatar_response(container: Container, actor: Actor) -> Response[bytes]:
    with container.engine.connect() as conn:
        ref = conn.execute(select(accounts.c.avatar_ref).where(accounts.c.id == actor.user_id)).scalar()
    stored = container.files.get(ref) if ref else None
    if stored is None:
        return Response(default_avatar(actor.name), media_type="image/svg+xml", headers=PRIVATE_FILE_HEADERS)
    return Response(stored[1], media_type=stored[0], headers=PRIVATE_FILE_HEADERS)
