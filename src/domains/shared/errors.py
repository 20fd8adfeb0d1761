"""Domain errors carry a stable code (for clients) and a Chinese message (for people)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class DomainError(Exception):
    """A rule of the domain refused the command; the state does not allow it."""

    kind = "conflict"

    def __init__(self, code: str, message: str, **details: object) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


class InvalidInput(DomainError):
    """The command itself is malformed (a field fails its rule)."""

    kind = "invalid"


class FieldChecks:
    """A form's field rules run one after another and refused together: the person filling the
    form learns every invalid field at once, each with its own message beside it."""

    def __init__(self) -> None:
        self._refusals: list[InvalidInput] = []

    def __call__(self, rule: Callable[..., T], *args: Any) -> T | None:
        """The rule's value, or None when it refused (the refusal is kept for `refuse`)."""
        try:
            return rule(*args)
        except InvalidInput as exc:
            self._refusals.append(exc)
            return None

    def add(self, error: InvalidInput) -> None:
        self._refusals.append(error)

    def refuse(self) -> None:
        """Raise what was refused: one error as it is, several as one naming each field."""
        if len(self._refusals) == 1:
            raise self._refusals[0]
        if self._refusals:
            first = self._refusals[0]
            raise InvalidInput(
                first.code,
                "；".join(e.message for e in self._refusals),
                field=first.details.get("field"),
                errors=[{"field": e.details.get("field"), "code": e.code, "message": e.message} for e in self._refusals],
            )


def present(value: T | None) -> T:
    """A value `FieldChecks` already vouched for (its refusal was raised otherwise)."""
    if value is None:
        raise AssertionError("a refused field reached the aggregate")
    return value


class NotFound(DomainError):
    """The thing does not exist, or is not the actor's to see."""

    kind = "not_found"


class Forbidden(DomainError):
    """The actor's role or teaching point does not allow the action."""

    kind = "forbidden"
