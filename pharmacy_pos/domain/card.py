"""The social-security card record (社会保障卡) and the parsing of what readers return.

Two sources give the same :class:`CardRecord`: the card's files EF05/EF06 read by APDU
(records ``[tag][len][value]``, BCD dates, GBK names) and the vendor driver's
``iReadCardBas`` text (``区划|社会保障号码|卡号|卡识别码|姓名|复位信息|规范版本|发卡日期|有效期|
终端机编号|终端设备号|``, GBK). Parsers raise :class:`CardDataError` with a Chinese
message on anything malformed; they never crash on arbitrary bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.ids import IdNumber, InvalidIdNumber, mask_id_number

# EF05 / EF06 record numbers (DEVICES.md §1) and the longest value each may hold.
EF05_RECORDS = {
    0x01: ("card_id_code", 16), 0x02: ("card_type", 1), 0x03: ("spec_version", 4),
    0x04: ("init_org", 12), 0x05: ("issue_date", 4), 0x06: ("expiry_date", 4),
    0x07: ("card_number", 9),
}
EF06_RECORDS = {
    0x08: ("ssn", 18), 0x09: ("name", 30), 0x0A: ("sex", 1), 0x0B: ("ethnicity", 1),
    0x0C: ("birth_place", 3), 0x0D: ("birth_date", 4),
}
# Names are GBK. GB18030 decodes every valid GBK byte string to the same text and also
# the rarer characters of some names (生僻字: 刘䶮 is C1 F5 FE 9F) that Python's GBK codec
# refuses, which would make such a holder's card unreadable.
NAME_ENCODING = "gb18030"
VENDOR_FIELDS = (
    "region_code", "ssn", "card_number", "card_id_code", "name", "atr", "spec_version",
    "issue_date", "expiry_date", "terminal_no", "device_no",
)

# The card's name field holds 30 GBK bytes, but drivers append the extension of a long
# (e.g. transliterated) name, up to 50 characters in all.
MAX_NAME_LENGTH = 50

class CardDataError(DomainError):
    """What the card or driver returned cannot be understood (damaged or foreign card)."""


@dataclass(frozen=True, slots=True)
class CardRecord:
    """What a social-security card says about itself and its holder.

    Personal fields are empty on a third-generation card read without the issuer's
    security module (``personal_data_missing``).
    """

    region_code: str
    card_id_code: str
    card_type: str
    spec_version: str
    issue_date: date | None
    expiry_date: date | None
    card_number: str
    ssn: str
    name: str
    sex: str
    ethnicity: str
    birth_date: date | None

    @property
    def personal_data_missing(self) -> bool:
        """True when the card withheld the holder's number and name (3rd generation)."""
        return not self.ssn or not self.name

    @property
    def masked_ssn(self) -> str:
        """The social-security number masked for screens and receipts (SEC-5)."""
        return mask_id_number(self.ssn) if self.ssn else ""

    @property
    def sex_label(self) -> str:
        """男 / 女 / empty."""
        return {"1": "男", "2": "女"}.get(self.sex, "")

    def __repr__(self) -> str:  # never print the full number into logs (SEC-5)
        return (f"CardRecord(card_number={self.card_number!r}, ssn={self.masked_ssn!r}, "
                f"name={self.name[:1] + '*' * max(len(self.name) - 1, 0)!r}, "
                f"expiry={self.expiry_date})")


def parse_record(answer: bytes, tag: int, max_len: int) -> bytes:
    """The value of a READ RECORD answer ``[tag][len][value]`` (status word removed)."""
    if len(answer) < 2:
        raise CardDataError(f"卡片记录 {tag:02X} 应答过短（{len(answer)} 字节）")
    if answer[0] != tag:
        raise CardDataError(f"卡片记录标签不符: 应为 {tag:02X}，实际 {answer[0]:02X}")
    length = answer[1]
    if length > max_len or len(answer) < 2 + length:
        raise CardDataError(f"卡片记录 {tag:02X} 长度不符（声明 {length}，实际 {len(answer) - 2}）")
    return bytes(answer[2 : 2 + length])


def decode_bcd_date(value: bytes, field: str) -> date | None:
    """BCD ``YYYYMMDD`` (4 bytes) to a date; all zero or all FF means "not set"."""
    if not value or value in (b"\x00" * len(value), b"\xff" * len(value)):
        return None
    digits = value.hex()
    if len(value) != 4 or not digits.isdigit():
        raise CardDataError(f"{field}不是有效的 BCD 日期: {digits.upper()}")
    return _date_from_digits(digits, field)


def _date_from_digits(digits: str, field: str) -> date:
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise CardDataError(f"{field}不存在: {digits}") from None


def decode_text(value: bytes, field: str, *, encoding: str = "ascii") -> str:
    """Text padded with NUL, space or FF: ASCII fields, or names in :data:`NAME_ENCODING`."""
    cleaned = value.rstrip(b"\x00\xff ").lstrip(b"\x00")
    try:
        # Stripped before the check: padding with full-width spaces (GBK A1 A1) is
        # padding, not an unprintable character.
        text = cleaned.decode(encoding).strip()
    except UnicodeDecodeError:
        raise CardDataError(f"{field}的编码无法识别") from None
    if not text.isprintable():
        raise CardDataError(f"{field}含有不可显示的字符")
    return text


def record_from_files(ef05: dict[int, bytes], ef06: dict[int, bytes]) -> CardRecord:
    """Build a record from the values (tag -> value) of EF05 and EF06.

    Raises:
        CardDataError: a value is malformed.
    """
    missing = [f"{tag:02X}" for tag in (0x01, 0x06, 0x07) if tag not in ef05]
    if missing:
        raise CardDataError("卡片基本信息不完整，缺少记录 " + "、".join(missing))
    card_id = ef05[0x01]
    card_id_code = card_id.hex().upper() if card_id else ""
    card_type = ef05.get(0x02, b"")
    sex = ef06.get(0x0A, b"")
    ethnicity = ef06.get(0x0B, b"")
    record = CardRecord(
        region_code=card_id_code[:6],
        card_id_code=card_id_code,
        card_type=_code_text(card_type, "卡类别"),
        spec_version=decode_text(ef05.get(0x03, b""), "规范版本"),
        issue_date=decode_bcd_date(ef05.get(0x05, b""), "发卡日期"),
        expiry_date=decode_bcd_date(ef05[0x06], "卡有效期"),
        card_number=decode_text(ef05[0x07], "卡号"),
        ssn=decode_text(ef06.get(0x08, b""), "社会保障号码").upper(),
        name=decode_text(ef06.get(0x09, b""), "姓名", encoding=NAME_ENCODING),
        sex=_code_text(sex, "性别", width=1),
        ethnicity=_code_text(ethnicity, "民族"),
        birth_date=decode_bcd_date(ef06.get(0x0D, b""), "出生日期"),
    )
    return _with_consistent_fields(record)


def _code_text(value: bytes, field: str, *, width: int = 2) -> str:
    # One-byte codes are stored either as an ASCII digit or as a binary number. A binary
    # number is written with ``width`` digits: two for ethnicity (GB 3304, "01"), one for
    # sex (GB 2261, "1"/"2", as the ASCII form and IdNumber.sex give it).
    if not value or value in (b"\x00", b"\xff"):
        return ""
    if len(value) != 1:
        raise CardDataError(f"{field}长度不对")
    ch = value[0]
    if 0x30 <= ch <= 0x39:
        return chr(ch)
    return f"{ch:0{width}d}"


def record_from_vendor(text: str) -> CardRecord:
    """Parse ``iReadCardBas`` output (already decoded from GBK).

    Raises:
        CardDataError: the text does not have the expected fields.
    """
    parts = text.strip().strip("\x00").split("|")
    if parts and parts[-1] == "":
        parts = parts[:-1]
    if len(parts) < len(VENDOR_FIELDS):
        raise CardDataError(
            f"读卡驱动返回的字段数不对: 应为 {len(VENDOR_FIELDS)}，实际 {len(parts)}"
        )
    values = dict(zip(VENDOR_FIELDS, (p.strip() for p in parts), strict=False))
    for key, value in values.items():
        if not value.isprintable():  # every character printable (or empty)
            raise CardDataError(f"读卡驱动返回的“{key}”含有不可显示的字符")
    ssn = values["ssn"].upper()
    birth, sex = None, ""
    if ssn:
        try:
            parsed = IdNumber.parse(ssn)
            birth, sex = parsed.birth_date, parsed.sex
        except InvalidIdNumber:
            pass  # reported by the identity check (ID-4), not a parsing failure
    record = CardRecord(
        region_code=values["region_code"][:6],
        card_id_code=values["card_id_code"].upper(),
        card_type="",
        spec_version=values["spec_version"],
        issue_date=_vendor_date(values["issue_date"], "发卡日期"),
        expiry_date=_vendor_date(values["expiry_date"], "卡有效期"),
        card_number=values["card_number"],
        ssn=ssn,
        name=values["name"],
        sex=sex,
        ethnicity="",
        birth_date=birth,
    )
    return _with_consistent_fields(record)


def _vendor_date(text: str, field: str) -> date | None:
    digits = text.replace("-", "").strip()
    if not digits:
        return None
    # isdigit() alone would take full-width and other non-ASCII digits.
    if len(digits) != 8 or not (digits.isascii() and digits.isdigit()):
        raise CardDataError(f"{field}格式不对: {text}")
    return _date_from_digits(digits, field)


def _with_consistent_fields(record: CardRecord) -> CardRecord:
    if not record.card_number:
        raise CardDataError("卡号为空，无法识别此卡")
    # Both are ASCII on the card; the driver's text could carry look-alikes (full-width
    # digits) that IdNumber.parse would take for digits and the insurer would not.
    if not record.card_number.isascii():
        raise CardDataError("卡号含有非法字符")
    if not record.ssn.isascii():
        raise CardDataError("社会保障号码含有非法字符")
    if len(record.card_number) > 20 or len(record.ssn) > 18 or len(record.name) > MAX_NAME_LENGTH:
        raise CardDataError("卡片数据长度异常")
    return record
