"""Password hashing with Argon2id (argon2-cffi, ADR 0005)."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError


class Argon2Hasher:
    def __init__(self, fast: bool = False) -> None:
        # `fast` lowers the cost for test runs only; production keeps the library's defaults.
        self._h = _Argon2(time_cost=1, memory_cost=1024, parallelism=1) if fast else _Argon2()
        # Same parameters as every real hash, so verifying it costs what a wrong password costs.
        self.dummy_hash = self._h.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._h.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._h.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
