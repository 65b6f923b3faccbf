"""Citizen ID numbers (公民身份号码, GB 11643-1999) and barcodes (GTIN).

The social-security number (社会保障号码) on the card is the citizen ID number, so both
are validated here (ID-4).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$", re.ASCII)


class InvalidIdNumber(ValueError):
    """The text is not a valid 18-digit citizen ID number; the message is Chinese."""


class InvalidBarcode(ValueError):
    """The text is not a product barcode; the message is Chinese.

    A ``ValueError`` like before it had its own type, so existing callers still catch it.
    """


def id_check_digit(first17: str) -> str:
    """The GB 11643 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


@dataclass(frozen=True, slots=True)
class IdNumber:
    """A validated 18-digit citizen ID number."""

    value: str

    @classmethod
    def parse(cls, text: str, *, today: date | None = None) -> IdNumber:
        """Validate shape, birth date and check digit (ID-4).

        Raises:
            InvalidIdNumber: saying which part is wrong.
        """
        # Chinese input methods type full-width digits and Ｘ; NFKC makes them ASCII.
        cleaned = unicodedata.normalize("NFKC", text).strip().upper().replace(" ", "")
        if len(cleaned) != 18:
            raise InvalidIdNumber(f"身份证号码应为 18 位，实际 {len(cleaned)} 位 (ID-4)")
        if not _ID_SHAPE.match(cleaned):
            raise InvalidIdNumber("身份证号码只能是 17 位数字加 1 位数字或 X (ID-4)")
        if cleaned[0] == "0":
            raise InvalidIdNumber("身份证号码的地区码无效 (ID-4)")
        try:
            birth = date(int(cleaned[6:10]), int(cleaned[10:12]), int(cleaned[12:14]))
        except ValueError:
            raise InvalidIdNumber("身份证号码中的出生日期不存在 (ID-4)") from None
        if birth.year < 1880 or (today is not None and birth > today):
            raise InvalidIdNumber("身份证号码中的出生日期不合理 (ID-4)")
        if id_check_digit(cleaned[:17]) != cleaned[17]:
            raise InvalidIdNumber("身份证号码校验位错误，请核对 (ID-4)")
        return cls(cleaned)

    @property
    def birth_date(self) -> date:
        """Birth date encoded in digits 7-14."""
        v = self.value
        return date(int(v[6:10]), int(v[10:12]), int(v[12:14]))

    @property
    def sex(self) -> str:
        """'1' male, '2' female, as the card encodes it (odd 17th digit = male)."""
        return "1" if int(self.value[16]) % 2 else "2"

    def masked(self) -> str:
        """Masked form for screens, receipts and exports (SEC-5)."""
        return mask_id_number(self.value)

    def __str__(self) -> str:
        return self.masked()


def mask_id_number(text: str) -> str:
    """Keep the first 3 and last 4 characters, mask the rest (SEC-5)."""
    if len(text) <= 7:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


def gtin_check_digit(body: str) -> str:
    """GS1 mod-10 check digit for the digits before it."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        total += int(ch) * (3 if i % 2 == 0 else 1)
    return str((10 - total % 10) % 10)


def validate_barcode(text: str) -> str:
    """Return the normalised product barcode or raise :class:`InvalidBarcode`.

    GTIN lengths (8, 12, 13, 14 digits) must carry a correct check digit; stores also
    print their own in-house codes, so other lengths of 4-20 digits or letters pass.
    """
    code = text.strip()
    if not code:
        raise InvalidBarcode("条形码为空")
    if not re.fullmatch(r"[0-9A-Za-z\-]{4,20}", code):
        raise InvalidBarcode(f"条形码“{text[:30]}”含有非法字符或长度不对")
    is_gtin = code.isdigit() and len(code) in (8, 12, 13, 14)
    if is_gtin and gtin_check_digit(code[:-1]) != code[-1]:
        raise InvalidBarcode(f"条形码“{code}”校验位错误")
    return code
