"""Domain errors carry a stable code (for clients) and a Chinese message (for people)."""


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


class NotFound(DomainError):
    """The thing does not exist, or is not the actor's to see."""

    kind = "not_found"


class Forbidden(DomainError):
    """The actor's role or teaching point does not allow the action."""

    kind = "forbidden"
