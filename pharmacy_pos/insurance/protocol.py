"""The national platform's JSON protocol as data: envelope, field mappings, answers.

Both ends use this module: the HTTP client (``adapters/platform.py``) and the loopback
simulator (``simulator/``). What differs between provinces (input keys, required fields,
field names, batch variants, the service path) is a *profile* read from TOML
(``resources/insurer/*.toml``); a profile may ``extends`` another and override only what
differs. Records are plain ``dict[str, str]`` in the national field names; amounts are
decimal strings ("12.30"), times ``yyyy-MM-dd HH:mm:ss`` in the store's zone
(INTERFACES.md).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pharmacy_pos.domain.clock import STORE_ZONE
from pharmacy_pos.insurance.ports import InsurerUnavailable

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
CENT = Decimal("0.01")
# An amount on the wire: optional sign, digits, at most two decimals (分).
_MONEY_SHAPE = re.compile(r"-?\d{1,15}(\.\d{1,2})?", re.ASCII)
# No settlement or balance reaches a trillion 元; a larger one is a damaged answer.
MAX_MONEY = Decimal(10) ** 12

# Envelope fields every request must carry (INTERFACES.md); sign_no too, after sign-in.
ENVELOPE_REQUIRED = ("infno", "msgid", "fixmedins_code", "opter", "opter_type", "inf_time",
                     "infver", "input")
SIGN_IN = "9001"

# The 1101 certificate types (mdtrt_cert_type).
CERT_E_VOUCHER = "01"
CERT_ID_NUMBER = "02"
CERT_CARD = "03"


class MalformedAnswer(InsurerUnavailable):
    """The platform answered something that is not a well-formed response.

    Whether the request was booked is unknown, so it is treated like no answer: retry
    with the same message id / record number, which the platform de-duplicates.
    """


class ProfileError(ValueError):
    """A profile file is missing, malformed or names an unknown base."""


@dataclass(frozen=True, slots=True)
class BatchVariant:
    """A province's batch transaction for several records in one call.

    Attributes:
        infno: the batch transaction's number (e.g. "3505A" in the example profile).
        wrapper: the input key of the list of records.
        max_records: the most records one call may carry.
    """

    infno: str
    wrapper: str
    max_records: int


@dataclass(frozen=True, slots=True)
class TransactionSpec:
    """One transaction's shape on the wire.

    Attributes:
        infno: the transaction number.
        title: its Chinese name, for messages.
        wrapper: the ``input`` key holding the record (``data``, ``selinfo``, ...).
        shape: "object" (one record) or "list".
        required: fields (national names) that must be present and not empty.
        rename: national name → this profile's wire name, where they differ.
        inv_data_type: the 3507 data type of an upload (1 stock-take, 2 stock change,
            3 purchase, 4 sale); None for non-upload transactions.
        detail_wrapper: the key of a list of detail records (2101/2102 ``drugdetail``).
        detail_required: required fields of each detail record.
        batch: the province's batch variant, if it has one.
    """

    infno: str
    title: str
    wrapper: str
    shape: str = "object"
    required: tuple[str, ...] = ()
    rename: Mapping[str, str] = field(default_factory=dict)
    inv_data_type: str | None = None
    detail_wrapper: str | None = None
    detail_required: tuple[str, ...] = ()
    batch: BatchVariant | None = None

    def to_wire(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """The record with this profile's field names."""
        return {self.rename.get(k, k): v for k, v in record.items()}

    def from_wire(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """The record with the national field names again."""
        back = {wire: ours for ours, wire in self.rename.items()}
        return {back.get(k, k): v for k, v in record.items()}

    def missing(self, record: Mapping[str, Any]) -> list[str]:
        """Required fields (national names) absent or empty in ``record``."""
        return [name for name in self.required if _empty(record.get(name))]

    def missing_in_details(self, details: Iterable[Mapping[str, Any]]) -> list[str]:
        """``"drugdetail[2].pric"``-style names of required detail fields left empty."""
        found = []
        for index, detail in enumerate(details, start=1):
            found += [f"{self.detail_wrapper}[{index}].{name}"
                      for name in self.detail_required if _empty(detail.get(name))]
        return found


@dataclass(frozen=True, slots=True)
class Profile:
    """A province's (or the national) interface profile.

    Attributes:
        key: the profile's file stem ("national").
        name: its Chinese name.
        path: the service path the requests are POSTed to.
        transactions: the transactions by number.
    """

    key: str
    name: str
    path: str
    infver: str
    recer_sys_code: str
    signtype: str
    mdtrtarea_admvs: str
    insuplc_admdvs: str
    timeout_seconds: float
    transactions: Mapping[str, TransactionSpec]

    def spec(self, infno: str) -> TransactionSpec:
        """The transaction ``infno`` (a batch variant's number gives its base spec).

        Raises:
            KeyError: the profile has no such transaction.
        """
        spec = self.transactions.get(infno)
        if spec is not None:
            return spec
        for candidate in self.transactions.values():
            if candidate.batch is not None and candidate.batch.infno == infno:
                return candidate
        raise KeyError(infno)

    def is_batch(self, infno: str) -> bool:
        """Whether ``infno`` names a batch variant."""
        return infno not in self.transactions and self.knows(infno)

    def knows(self, infno: str) -> bool:
        """Whether the profile has the transaction ``infno`` (single or batch)."""
        try:
            self.spec(infno)
        except KeyError:
            return False
        return True

    def upload_spec(self, inv_data_type: str, infno_hint: str) -> TransactionSpec:
        """The upload transaction for a 3507 data type (the hint picks among several)."""
        spec = self.spec(infno_hint)
        if spec.inv_data_type != inv_data_type:
            raise KeyError(infno_hint)
        return spec


@dataclass(frozen=True, slots=True)
class Caller:
    """Who calls: the store and the operator, as the envelope names them.

    Attributes:
        fixmedins_code: the store's designated code (12 characters).
        fixmedins_name: the store's name.
        opter: the operator's number; opter_name their name; opter_type 1 = staff.
        dev_no: the terminal.
        sign_no: the sign-in number from 9001 ("" before signing in).
    """

    fixmedins_code: str
    fixmedins_name: str
    opter: str
    opter_name: str
    opter_type: str = "1"
    dev_no: str = ""
    sign_no: str = ""


@dataclass(frozen=True, slots=True)
class Answer:
    """A parsed platform response.

    Attributes:
        infcode: 0 ok, anything else an error (the platform uses -1).
        err_msg: the platform's error message when not ok.
        warn_msg: a warning that does not make the call fail.
        output: the ``output`` object.
        inf_refmsgid: the platform's own message id.
        code: why it refused, where the answer says (the loopback simulator's
            ``ext_err_code``; the platform itself gives text only).
    """

    infcode: int
    err_msg: str
    warn_msg: str
    output: Mapping[str, Any]
    inf_refmsgid: str = ""
    code: str = ""

    @property
    def ok(self) -> bool:
        """Whether the platform accepted the request."""
        return self.infcode == 0


@dataclass(frozen=True, slots=True)
class Exchange:
    """One call as it went over the wire, for the upload log.

    Attributes:
        msgid: the message id sent.
        request: the request body (UTF-8 JSON).
        response: the answer's body; empty when none came.
        answer: the parsed answer; None when none came or it was malformed.
    """

    msgid: str
    request: bytes
    response: bytes
    answer: Answer | None


# -- profiles ---------------------------------------------------------------------------


def load_profile(path: Path) -> Profile:
    """Read a profile (and the profiles it extends, from the same folder).

    Raises:
        ProfileError: the file is missing or malformed, or a base is unknown.
    """
    return _load(path, seen=())


def _load(path: Path, seen: tuple[str, ...]) -> Profile:
    if path.stem in seen:
        raise ProfileError(f"医保接口配置循环继承：{' → '.join((*seen, path.stem))}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ProfileError(f"找不到医保接口配置文件 {path}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(f"医保接口配置文件 {path.name} 格式错误：{exc}") from exc
    base = None
    if "extends" in data:
        base = _load(path.with_name(f"{data['extends']}.toml"), (*seen, path.stem))
    return parse_profile(path.stem, data, base)


def parse_profile(key: str, data: Mapping[str, Any], base: Profile | None = None) -> Profile:
    """A profile from its TOML data, on top of ``base`` when it extends one.

    Raises:
        ProfileError: a transaction lacks its wrapper, or a value has the wrong type.
    """
    try:
        transactions = dict(base.transactions) if base else {}
        for infno, raw in data.get("transactions", {}).items():
            transactions[infno] = _spec(infno, raw, transactions.get(infno))

        def pick(name: str, default: Any = "") -> Any:
            if name in data:
                return data[name]
            return getattr(base, name) if base is not None else default

        return Profile(
            key=key, name=str(pick("name", key)), path=str(pick("path", "/")),
            infver=str(pick("infver", "V1.0")), recer_sys_code=str(pick("recer_sys_code")),
            signtype=str(pick("signtype")), mdtrtarea_admvs=str(pick("mdtrtarea_admvs")),
            insuplc_admdvs=str(pick("insuplc_admdvs")),
            timeout_seconds=float(pick("timeout_seconds", 10.0)),
            transactions=transactions)
    except (TypeError, ValueError, KeyError) as exc:
        raise ProfileError(f"医保接口配置 {key} 有误：{exc}") from exc


def _spec(infno: str, raw: Mapping[str, Any], base: TransactionSpec | None) -> TransactionSpec:
    def pick(name: str, default: Any) -> Any:
        if name in raw:
            return raw[name]
        return getattr(base, name) if base is not None else default

    wrapper = pick("wrapper", None)
    if not wrapper:
        raise ValueError(f"交易 {infno} 缺少 wrapper")
    required = tuple(pick("required", ()))
    required += tuple(n for n in raw.get("required_add", ()) if n not in required)
    required = tuple(n for n in required if n not in raw.get("required_drop", ()))
    rename = {**(base.rename if base else {}), **raw.get("rename", {})}
    batch = base.batch if base else None
    if "batch" in raw:
        b = raw["batch"]
        batch = BatchVariant(str(b["infno"]), str(b["wrapper"]), int(b.get("max_records", 100)))
    data_type = pick("inv_data_type", None)
    shape = str(pick("shape", "object"))
    if shape not in ("object", "list"):
        raise ValueError(f"交易 {infno} 的 shape 只能是 object 或 list")
    return TransactionSpec(
        infno=infno, title=str(pick("title", infno)), wrapper=str(wrapper), shape=shape,
        required=required, rename=rename,
        inv_data_type=str(data_type) if data_type is not None else None,
        detail_wrapper=pick("detail_wrapper", None),
        detail_required=tuple(pick("detail_required", ())), batch=batch)


# -- requests ---------------------------------------------------------------------------


def format_time(moment: datetime) -> str:
    """``yyyy-MM-dd HH:mm:ss`` in the store's zone."""
    return moment.astimezone(STORE_ZONE).strftime(TIME_FORMAT)


def money(amount: Decimal) -> str:
    """An amount as the platform writes it: a decimal string with two places."""
    return str(amount.quantize(CENT))


def parse_money(text: Any, name: str = "amount") -> Decimal:
    """A decimal string from an answer as ``Decimal``.

    Raises:
        MalformedAnswer: not a decimal string (floats are refused too: money is exact),
            more than two decimals (分), or beyond any amount a pharmacy settles.
    """
    if not isinstance(text, str):
        raise MalformedAnswer(f"医保平台应答字段 {name} 不是金额字符串：{_short(text)}")
    # Only plain ASCII decimals: Decimal() also takes "1_000", "٣" and "1E+999999", and
    # the last overflows the decimal context (decimal.Overflow) as soon as it is added.
    if _MONEY_SHAPE.fullmatch(text) is None:
        raise MalformedAnswer(f"医保平台应答字段 {name} 不是金额：{_short(text)}")
    value = Decimal(text)
    if abs(value) >= MAX_MONEY:
        raise MalformedAnswer(f"医保平台应答字段 {name} 金额过大：{_short(text)}")
    return value


def build_request(profile: Profile, infno: str, msgid: str, input_: Mapping[str, Any],
                  caller: Caller, at: datetime) -> dict[str, Any]:
    """The whole request envelope for one call."""
    return {
        "infno": infno, "msgid": msgid,
        "mdtrtarea_admvs": profile.mdtrtarea_admvs, "insuplc_admdvs": profile.insuplc_admdvs,
        "recer_sys_code": profile.recer_sys_code, "dev_no": caller.dev_no,
        "dev_safe_info": "", "cainfo": "", "signtype": profile.signtype,
        "infver": profile.infver, "opter_type": caller.opter_type, "opter": caller.opter,
        "opter_name": caller.opter_name, "inf_time": format_time(at),
        "fixmedins_code": caller.fixmedins_code, "fixmedins_name": caller.fixmedins_name,
        "sign_no": caller.sign_no, "input": dict(input_),
    }


def wrap(spec: TransactionSpec, records: list[Mapping[str, Any]], *,
         batch: bool = False, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The ``input`` object for ``records`` (national names in, wire names out).

    One record goes under ``spec.wrapper``; several need the batch variant.
    ``extra`` adds keys beside the wrapper (2101/2102's ``drugdetail``).

    Raises:
        ValueError: several records for a transaction without a batch variant.
    """
    wired = [spec.to_wire(r) for r in records]
    if batch:
        if spec.batch is None:
            raise ValueError(f"交易 {spec.infno} 没有批量接口")
        body: dict[str, Any] = {spec.batch.wrapper: wired}
    elif spec.shape == "list":
        body = {spec.wrapper: wired}
    else:
        if len(wired) != 1:
            raise ValueError(f"交易 {spec.infno} 一次只能上传一条记录")
        body = {spec.wrapper: wired[0]}
    if extra:
        body.update(extra)
    return body


def unwrap(profile: Profile, infno: str, input_: Any) -> tuple[TransactionSpec, list[dict]]:
    """The records of a request's ``input``, in national names (the simulator's side).

    Raises:
        KeyError: unknown transaction. ValueError: the wrapper is missing or mis-shaped.
    """
    spec = profile.spec(infno)
    if not isinstance(input_, Mapping):
        raise ValueError("input 必须是对象")
    if profile.is_batch(infno):
        assert spec.batch is not None
        raw = input_.get(spec.batch.wrapper)
        if not isinstance(raw, list) or not raw:
            raise ValueError(f"input.{spec.batch.wrapper} 必须是非空数组")
        if len(raw) > spec.batch.max_records:
            raise ValueError(f"批量上传一次最多 {spec.batch.max_records} 条，收到 {len(raw)} 条")
    elif spec.shape == "list":
        raw = input_.get(spec.wrapper)
        if not isinstance(raw, list):
            raise ValueError(f"input.{spec.wrapper} 必须是数组")
    else:
        one = input_.get(spec.wrapper)
        if not isinstance(one, Mapping):
            raise ValueError(f"缺少 input.{spec.wrapper}")
        raw = [one]
    if not all(isinstance(r, Mapping) for r in raw):
        raise ValueError(f"input.{spec.wrapper} 的每条记录必须是对象")
    return spec, [spec.from_wire(r) for r in raw]


def envelope_missing(request: Mapping[str, Any]) -> list[str]:
    """Envelope fields absent or empty (``sign_no`` is required after sign-in)."""
    names = list(ENVELOPE_REQUIRED)
    if request.get("infno") != SIGN_IN:
        names.append("sign_no")
    return [n for n in names if _empty(request.get(n))]


# -- answers ----------------------------------------------------------------------------


def encode(message: Mapping[str, Any]) -> bytes:
    """A request or answer as UTF-8 JSON (Chinese kept readable)."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def parse_answer(body: bytes) -> Answer:
    """A response body as an :class:`Answer`.

    Raises:
        MalformedAnswer: not JSON, not an object, no integer ``infcode``, an ``output``
            that is not an object, or text no database can store (a lone surrogate).
    """
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedAnswer(f"医保平台应答不是有效的 JSON：{body[:80]!r}") from exc
    except RecursionError:
        raise MalformedAnswer("医保平台应答的 JSON 嵌套层数过多") from None
    except ValueError:
        # An integer of thousands of digits (int() refuses to convert it).
        raise MalformedAnswer("医保平台应答含有过长的数字") from None
    if not isinstance(data, dict):
        raise MalformedAnswer("医保平台应答不是 JSON 对象")
    # A "\ud800" escape decodes to a lone surrogate, which cannot be encoded as UTF-8:
    # the first write of the answer's text to the database would fail. Only an answer
    # with escapes can hold one, so the common answer is not walked.
    if b"\\u" in body and _has_lone_surrogate(data):
        raise MalformedAnswer("医保平台应答含有无效的 Unicode 字符")
    infcode = data.get("infcode")
    if isinstance(infcode, str) and _INFCODE_SHAPE.fullmatch(infcode):
        infcode = int(infcode)
    if not isinstance(infcode, int) or isinstance(infcode, bool):
        raise MalformedAnswer("医保平台应答缺少 infcode")
    output = data.get("output") or {}
    if not isinstance(output, dict):
        raise MalformedAnswer("医保平台应答的 output 不是对象")
    return Answer(infcode=infcode, err_msg=_text(data, "err_msg"),
                  warn_msg=_text(data, "warn_msg"), output=output,
                  inf_refmsgid=_text(data, "inf_refmsgid"), code=_text(data, "ext_err_code"))


def _text(data: Mapping[str, Any], name: str) -> str:
    # Shown to the cashier and kept in the upload log: text (or a number), not true or
    # an object, whose str() would be shown as if it were the platform's reason.
    value = data.get(name)
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MalformedAnswer(f"医保平台应答字段 {name} 不是文本：{_short(value)}")
    return str(value)


# ``infcode`` as text: "0", "-1"; str.isdigit() would also take "²", which int() refuses.
_INFCODE_SHAPE = re.compile(r"-?\d{1,9}", re.ASCII)


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:  # iterative: the answer's depth is the sender's choice
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _short(value: Any) -> str:
    return repr(value)[:60]


def answer(msgid: str, output: Mapping[str, Any] | None = None, *, at: datetime,
           infcode: int = 0, err_msg: str = "", warn_msg: str = "",
           refmsgid: str = "") -> dict[str, Any]:
    """A platform response (the simulator's side): ok, or the error shape with infcode -1."""
    return {
        "infcode": infcode, "inf_refmsgid": refmsgid or msgid,
        "refmsg_time": format_time(at), "respond_time": format_time(at),
        "err_msg": err_msg or None, "warn_msg": warn_msg or None,
        "output": dict(output) if output else {},
    }


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []
