"""One error taxonomy for the whole application (STYLE.md, habit 4).

``DomainError``: a business rule refused something. It is shown inline with the rule id
and a plain Chinese reason, and nothing was changed.
``EnvironmentFault``: something outside our code failed (database locked or full, printer,
card reader). It is shown with a retry; nothing was half-written.
Anything else escaping a use case is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass


class PosError(Exception):
    """Base of every error the application expects and explains to a person."""

    def __init__(self, message: str, *, rule_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.rule_id = rule_id

    def __str__(self) -> str:
        if self.rule_id:
            return f"[{self.rule_id}] {self.message}"
        return self.message


class DomainError(PosError):
    """A business rule or a validation refused the request; no state changed."""


class NotFound(DomainError):
    """The thing asked for does not exist (unknown user, barcode, product...)."""


class PermissionDenied(DomainError):
    """The acting user's roles do not allow the use case (SEC-1)."""

    def __init__(self, message: str, *, rule_id: str | None = "SEC-1") -> None:
        super().__init__(message, rule_id=rule_id)


class AuthenticationFailed(DomainError):
    """Login refused: unknown user, wrong password, frozen or locked account (SEC-3)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one input row or field, for bulk imports and forms."""

    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.field:
            where.append(f"“{self.field}”")
        prefix = " ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class ValidationFailed(DomainError):
    """Input was rejected as a whole; ``problems`` lists every reason found."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems: list[Problem] = list(problems or [])


class EnvironmentFault(PosError):
    """The environment failed (database locked/full/read-only, device unavailable).

    ``retryable`` tells the interface whether offering "retry" makes sense.
    """

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable
