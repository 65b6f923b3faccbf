"""Card records for tests: a valid holder and variations (no reader needed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from pharmacy_pos.domain.card import CardRecord
from pharmacy_pos.domain.ids import id_check_digit


def id_number(body17: str) -> str:
    """A valid 18-digit ID number from its first 17 digits."""
    return body17 + id_check_digit(body17)


HOLDER_SSN = id_number("11010519800101123")
BUYER_SSN = id_number("11010519900202234")
OTHER_SSN = id_number("31010419750315345")


def card(**changes: object) -> CardRecord:
    """张三丰's second-generation card, valid until 2030."""
    base = CardRecord(
        region_code="110100", card_id_code="11010000000000001234567890ABCDEF",
        card_type="1", spec_version="2.00", issue_date=date(2020, 5, 1),
        expiry_date=date(2030, 5, 1), card_number="A12345678", ssn=HOLDER_SSN,
        name="张三丰", sex="1", ethnicity="01", birth_date=date(1980, 1, 1),
    )
    return replace(base, **changes)  # type: ignore[arg-type]
