"""The regional policy: every number a region may set, validated, versioned (RULES.md).

Numbers never live in code; they come from a policy file (TOML) whose version is
recorded with every sale. Later features add their sections here.
"""

from __future__ import annotations

import tomllib
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pharmacy_pos.domain.errors import Problem, ValidationFailed


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StockPolicy(_Section):
    """Stock-keeping numbers (SALE-5, INV-3)."""

    near_expiry_days: Annotated[tuple[int, ...], Field(min_length=1)] = (30, 60, 90)

    @model_validator(mode="after")
    def _ascending(self) -> StockPolicy:
        days = self.near_expiry_days
        if any(d <= 0 for d in days) or list(days) != sorted(set(days)):
            raise ValueError("near_expiry_days 必须是递增的正整数")
        return self


class SecurityPolicy(_Section):
    """Log-in and session numbers (SEC-3)."""

    password_min_length: Annotated[int, Field(ge=6, le=64)] = 8
    max_failed_logins: Annotated[int, Field(ge=1, le=20)] = 5
    lockout_minutes: Annotated[int, Field(ge=1, le=1440)] = 15
    idle_lock_minutes: Annotated[int, Field(ge=1, le=240)] = 5


class IdentityPolicy(_Section):
    """Person = card = document (ID-1, ID-2, ID-8)."""

    require_document_check: bool = True
    card_read_valid_minutes: Annotated[int, Field(ge=1, le=240)] = 30


class Policy(_Section):
    """A versioned policy document."""

    version: Annotated[str, Field(min_length=1, max_length=40)]
    region: Annotated[str, Field(min_length=1, max_length=40)]
    effective_from: date
    stock: StockPolicy = StockPolicy()
    security: SecurityPolicy = SecurityPolicy()
    identity: IdentityPolicy = IdentityPolicy()

    @classmethod
    def from_toml(cls, text: str, *, source: str = "policy") -> Policy:
        """Parse and validate a policy file.

        Raises:
            ValidationFailed: listing every invalid field with its path.
        """
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ValidationFailed(f"政策文件 {source} 格式错误: {exc}") from None
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            problems = [
                Problem(None, ".".join(str(p) for p in err["loc"]), err["msg"])
                for err in exc.errors()
            ]
            raise ValidationFailed(f"政策文件 {source} 内容无效", problems) from None
