"""The regional policy: every number a region may set, validated, versioned (RULES.md).

Numbers never live in code; they come from a policy file (TOML) whose version is
recorded with every sale. Later features add their sections here.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from pharmacy_pos.domain.errors import Problem, ValidationFailed
from pharmacy_pos.domain.money import MAX_AMOUNT, has_at_most_places


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


_DECIMAL_TEXT = re.compile(r"\s*-?[0-9]+(\.[0-9]+)?\s*", re.ASCII)


def _exact_decimal(value: Any) -> Any:
    # A TOML float (0.1) is already inexact when parsed; money and ratios must be
    # written as strings ("0.10") so the file says exactly what is meant.
    if isinstance(value, float):
        raise ValueError("金额和比例须写成字符串（例如 \"0.90\"），不能写小数")
    # Decimal() would also read "1_000", "1e30" and other scripts' digits ("٣"): a
    # policy file says its numbers plainly.
    if isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value) is None:
        raise ValueError(f"“{value[:20]}”不是数字，请写成例如 \"0.90\"")
    return value


def _places(value: Decimal, places: int) -> Decimal:
    # By the exponent: quantize() of a 30-digit amount overflows the decimal context
    # (decimal.InvalidOperation, which pydantic does not turn into a problem).
    if not value.is_finite() or not has_at_most_places(value, places):
        raise ValueError(f"最多 {places} 位小数")
    return value


def _plain_text(value: str, what: str) -> str:
    # Shown on screens and receipts and stored: no control characters (PostgreSQL
    # cannot store a NUL).
    if not value.isprintable():
        raise ValueError(f"{what}含有不可显示的字符")
    return value


class PrescriptionPolicy(_Section):
    """Prescription numbers (RX-6, RX-7, RX-8).

    The defaults are the national ones cited in RULES.md; regions tighten them (acute 3 /
    general 7 / chronic 15 and the like) in their own policy file.
    """

    general_max_days: Annotated[int, Field(ge=1, le=90)] = 7
    emergency_max_days: Annotated[int, Field(ge=1, le=90)] = 3
    chronic_max_days: Annotated[int, Field(ge=1, le=90)] = 30
    chronic_diseases: Annotated[tuple[str, ...], Field(min_length=1)] = (
        "高血压", "糖尿病", "冠心病", "慢性心力衰竭", "脑卒中后遗症",
        "慢性阻塞性肺疾病", "支气管哮喘", "慢性肾脏病", "慢性病毒性肝炎",
        "类风湿关节炎", "帕金森病", "癫痫", "甲状腺功能亢进症", "甲状腺功能减退症",
        "精神分裂症", "骨质疏松症",
    )
    long_term_max_days: Annotated[int, Field(ge=1, le=180)] = 84
    max_drugs_per_prescription: Annotated[int, Field(ge=1, le=20)] = 5
    validity_days: Annotated[int, Field(ge=1, le=30)] = 1
    extended_validity_days: Annotated[int, Field(ge=1, le=30)] = 3

    @model_validator(mode="after")
    def _consistent(self) -> PrescriptionPolicy:
        # A longer-running kind of prescription never allows less than a shorter one;
        # a file that says otherwise is a typo, not a regional choice.
        if not (self.emergency_max_days <= self.general_max_days <= self.chronic_max_days
                <= self.long_term_max_days):
            raise ValueError("用药天数须满足：急诊 ≤ 一般 ≤ 慢性病 ≤ 长期处方")
        if self.extended_validity_days < self.validity_days:
            raise ValueError("延长有效期不能短于一般有效期")
        names = [name.strip() for name in self.chronic_diseases]
        if any(not name for name in names) or len(set(names)) != len(names):
            raise ValueError("慢性病病种不能为空或重复")
        for name in names:
            _plain_text(name, "慢性病病种")
        return self


class ControlledPolicy(_Section):
    """Special-management drugs (RX-12)."""

    # 最小包装 is the smallest package sold (a box), not a tablet: the limit counts packs.
    ephedrine_max_packs_without_rx: Annotated[int, Field(ge=1, le=20)] = 2
    ephedrine_require_buyer_id: bool = True


class SalePolicy(_Section):
    """Till numbers (SALE-5)."""

    near_expiry_warn_days: Annotated[int, Field(ge=0, le=730)] = 30


class InsurerPolicy(_Section):
    """Scheme numbers for the simulated insurer (SALE-11, SALE-10).

    The real insurer's answer wins over these; they drive the simulator, the training
    mode and the till's own cap check.
    """

    fund_ratio_class_a: Decimal = Decimal("0.70")
    fund_ratio_class_b: Decimal = Decimal("0.70")
    class_b_self_pay_ratio: Decimal = Decimal("0.10")
    deductible: Decimal = Decimal("0.00")
    annual_outpatient_cap: Decimal = Decimal("250.00")
    personal_account_enabled: bool = True
    personal_account_covers_self_pay: bool = False

    @field_validator("fund_ratio_class_a", "fund_ratio_class_b", "class_b_self_pay_ratio",
                     "deductible", "annual_outpatient_cap", mode="before")
    @classmethod
    def _no_float(cls, value: Any) -> Any:
        return _exact_decimal(value)

    @field_validator("fund_ratio_class_a", "fund_ratio_class_b", "class_b_self_pay_ratio")
    @classmethod
    def _ratio(cls, value: Decimal) -> Decimal:
        if not Decimal(0) <= value <= Decimal(1):
            raise ValueError("比例须在 0 到 1 之间")
        return _places(value, 4)

    @field_validator("deductible", "annual_outpatient_cap")
    @classmethod
    def _money(cls, value: Decimal) -> Decimal:
        if value < 0:
            raise ValueError("金额不能为负数")
        if value >= MAX_AMOUNT:
            raise ValueError("金额过大")
        return _places(value, 2)


class Policy(_Section):
    """A versioned policy document."""

    version: Annotated[str, Field(min_length=1, max_length=40)]
    region: Annotated[str, Field(min_length=1, max_length=40)]
    effective_from: date
    stock: StockPolicy = StockPolicy()
    security: SecurityPolicy = SecurityPolicy()
    identity: IdentityPolicy = IdentityPolicy()
    prescription: PrescriptionPolicy = PrescriptionPolicy()
    controlled: ControlledPolicy = ControlledPolicy()
    sale: SalePolicy = SalePolicy()
    insurer: InsurerPolicy = InsurerPolicy()

    @field_validator("version", "region")
    @classmethod
    def _printable(cls, value: str) -> str:
        return _plain_text(value, "版本号或统筹区")

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
        except RecursionError:
            raise ValidationFailed(f"政策文件 {source} 格式错误: 嵌套层数过多") from None
        except ValueError:
            # An integer of thousands of digits: int() refuses to convert it.
            raise ValidationFailed(f"政策文件 {source} 格式错误: 数字过长") from None
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            problems = [
                Problem(None, ".".join(str(p) for p in err["loc"]), _message(err))
                for err in exc.errors(include_url=False)
            ]
            raise ValidationFailed(f"政策文件 {source} 内容无效", problems) from None


# pydantic's messages are English; a store manager reads these (by error type).
_MESSAGES: dict[str, str] = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的参数，请核对拼写",
    "string_type": "应为文本",
    "string_unicode": "含有无效的字符",
    "string_too_short": "不能为空",
    "string_too_long": "过长，最多 {max_length} 个字符",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "decimal_type": "应为写成字符串的数字（例如 \"0.90\"）",
    "decimal_parsing": "不是数字",
    "finite_number": "不是有效数字",
    "date_type": "应为日期（例如 2026-01-01）",
    "date_parsing": "应为日期（例如 2026-01-01）",
    "date_from_datetime_inexact": "应为日期，不能带时间",
    "date_from_datetime_parsing": "应为日期（例如 2026-01-01）",
    "model_type": "应为一节参数（[节名]）",
    "model_attributes_type": "应为一节参数（[节名]）",
    "dict_type": "应为一节参数（[节名]）",
    "tuple_type": "应为列表（[…]）",
    "list_type": "应为列表（[…]）",
    "greater_than": "必须大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "必须小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "too_short": "至少要有 {min_length} 项",
    "too_long": "最多 {max_length} 项",
}


def _message(err: Any) -> str:
    ctx = err.get("ctx") or {}
    if err["type"] in ("value_error", "assertion_error"):
        return str(ctx.get("error") or "内容不合法")
    template = _MESSAGES.get(err["type"])
    if template is None:
        return "内容不合法"
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return template
