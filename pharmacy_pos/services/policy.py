"""The policy in force: versioned in the database, changed only by two persons.

Every sale is judged under the numbers of one policy document. The document a store
uses is the newest row of ``policy_versions`` for that store (rows are append-only);
until one is installed, the shipped default (or the file named in the settings) is in
force. Installing a new version needs ``Permission.CHANGE_POLICY`` (a store manager, or
the command-line operator) and a second person signed in with their own password
(SEC-2): another store manager or the administrator for a manager, a store manager for
the command line. It writes the row and an audit record (old and new version, approver)
in one transaction (SEC-1, SEC-4).
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from pharmacy_pos.db.models import PolicyVersion
from pharmacy_pos.db.policy_repository import PolicyRepository
from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.clock import Clock, local_text
from pharmacy_pos.domain.errors import DomainError, PermissionDenied, ValidationFailed
from pharmacy_pos.domain.ledger import audit_chain_name
from pharmacy_pos.domain.policy import Policy
from pharmacy_pos.domain.roles import PERMISSION_LABELS, Permission
from pharmacy_pos.paths import resource
from pharmacy_pos.services import audit
from pharmacy_pos.services.actor import Actor, check_second_person

UowFactory = Callable[..., UnitOfWork]

#: Audit action written for every installed version (the first one included).
INSTALL_ACTION = "policy.install"
SHORT_SHA = 12


def text_sha256(text: str) -> str:
    """Hex sha256 of the document's UTF-8 bytes: what identifies a version's content."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_policy_file(path: Path) -> str:
    """The text of a policy file chosen by a person (CLI argument, file dialog).

    Raises:
        ValidationFailed: the file is missing, unreadable or not UTF-8.
    """
    if not path.is_file():
        raise ValidationFailed(f"找不到文件: {path}")
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ValidationFailed(f"无法读取政策文件 {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ValidationFailed(f"政策文件 {path} 不是 UTF-8 编码的文本") from None


@dataclass(frozen=True, slots=True)
class ActivePolicy:
    """A policy document and where it came from."""

    policy: Policy
    version: str
    sha256: str
    installed_at: datetime | None  # None: the shipped default, not installed yet
    installed_by: str

    @property
    def short_sha(self) -> str:
        """The first 12 hex digits, for screens and receipts."""
        return self.sha256[:SHORT_SHA]

    @property
    def installed(self) -> bool:
        """Whether this document is recorded in ``policy_versions``."""
        return self.installed_at is not None


@dataclass(frozen=True, slots=True)
class PolicyVersionInfo:
    """One installed version as the history shows it (newest first)."""

    id: int
    version: str
    sha256: str
    installed_at: datetime
    installed_by: str
    effective_from: date | None
    region: str

    @property
    def short_sha(self) -> str:
        """The first 12 hex digits."""
        return self.sha256[:SHORT_SHA]


class PolicyService:
    """Reads the policy in force for one store and installs new versions."""

    def __init__(self, uow: UowFactory, clock: Clock, store_id: int, default_text: str,
                 default_source: str) -> None:
        self._uow = uow
        self._clock = clock
        self._store_id = store_id
        self._default_text = default_text
        self._default_source = default_source
        self._current: ActivePolicy | None = None

    @classmethod
    def for_store(cls, uow: UowFactory, clock: Clock, store_id: int,
                  settings_policy_file: Path | None) -> PolicyService:
        """The service for a store, with the configured file (or the shipped one) as default.

        Raises:
            ValidationFailed: the default file cannot be read.
        """
        path = Path(settings_policy_file or resource("policy", "default.toml"))
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ValidationFailed(f"无法读取政策文件 {path}: {exc.strerror}") from None
        return cls(uow, clock, store_id, text, str(path))

    # -- reading ----------------------------------------------------------------------

    def current(self) -> ActivePolicy:
        """The policy in force (cached until ``refresh()`` or an install).

        Raises:
            ValidationFailed: the stored document (or the default) no longer parses.
        """
        if self._current is None:
            return self.refresh()
        return self._current

    def refresh(self) -> ActivePolicy:
        """Re-read the policy in force from the database."""
        with self._uow(readonly=True) as uow:
            row = PolicyRepository(uow.session).latest(self._store_id)
            active = _active(row) if row is not None else None
        if active is None:
            active = self.preview(self._default_text, source=self._default_source)
        self._current = active
        return active

    def history(self, actor: Actor) -> list[PolicyVersionInfo]:
        """Every installed version of the store, newest first (the first is in force).

        Raises:
            PermissionDenied: the actor may not change the policy (SEC-1).
        """
        actor.require(Permission.CHANGE_POLICY)
        with self._uow(readonly=True) as uow:
            return [_version_info(row) for row in PolicyRepository(uow.session).all(
                self._store_id)]

    def preview(self, text: str, *, source: str) -> ActivePolicy:
        """Parse a document without installing it (to show what would change).

        Raises:
            ValidationFailed: listing every problem of the document.
        """
        policy = Policy.from_toml(text, source=source)
        return ActivePolicy(policy, policy.version, text_sha256(text), None, "")

    # -- installing -------------------------------------------------------------------

    def ensure_installed(self, actor: Actor) -> ActivePolicy:
        """Record the default document as the first version if the store has none yet.

        Any actor may trigger this: it does not change the numbers in force (the default
        is already in force while nothing is installed), it only records them, so every
        sale can name a stored version. Idempotent.
        """
        self._check_store(actor)
        with self._uow() as uow:
            repo = PolicyRepository(uow.session)
            # Serialise with other installs of this store (the audit head's row lock).
            uow.audit.lock_head(audit_chain_name(self._store_id))
            row = repo.latest(self._store_id)
            if row is not None:
                active = _active(row)
            else:
                new = self.preview(self._default_text, source=self._default_source)
                active = self._add(uow, actor, self._default_text, new, ("", ""),
                                   source=self._default_source, approver=None)
            uow.commit()
        self._current = active
        return active

    def install(self, actor: Actor, text: str, *, source: str,
                approver: Actor | None = None) -> ActivePolicy:
        """Install a new policy document for the store, audit-logged (SEC-1, SEC-4).

        Args:
            actor: a store manager, or the command-line system actor.
            text: the TOML document.
            source: where it came from (file name), recorded in the audit log.
            approver: the second person, signed in with their own password (SEC-2):
                another store manager or the administrator when ``actor`` is a store
                manager; a store manager when ``actor`` is the command-line operator.

        Raises:
            PermissionDenied: the actor may not change the policy (SEC-1); no approver,
                an approver who may not approve or of another store (SEC-2); an
                approver frozen since signing in (SEC-3).
            ValidationFailed: the document does not parse or validate.
            DomainError: the approver is the actor (SEC-2); same content as the policy
                in force, a reused version string, or an effective date in the future.
        """
        self._authorise(actor, approver)
        new = self.preview(text, source=source)
        today = self._clock.today()
        if new.policy.effective_from > today:
            raise DomainError(
                f"新政策生效日期 {new.policy.effective_from.isoformat()} 晚于今天 "
                f"{today.isoformat()}：暂不支持预先安装未来生效的政策，请在生效当日安装"
            )
        with self._uow() as uow:
            repo = PolicyRepository(uow.session)
            uow.audit.lock_head(audit_chain_name(self._store_id))
            rows = repo.all(self._store_id)
            old = rows[0] if rows else None
            if old is not None and old.sha256 == new.sha256:
                raise DomainError(
                    f"与现行政策相同，无需重新安装（版本 {old.version}，"
                    f"sha256 {old.sha256[:SHORT_SHA]}）"
                )
            if old is None and new.sha256 == text_sha256(self._default_text):
                raise DomainError(
                    f"与现行政策相同，无需重新安装（随附默认政策，版本 {new.version}）"
                )
            if old is not None:
                previous = (old.version, old.sha256)
            else:  # the shipped default was in force, not installed
                previous = (str(_header(self._default_text).get("version", "")),
                            text_sha256(self._default_text))
            used = [(r.version, r.sha256, local_text(r.installed_at)[:10]) for r in rows]
            if old is None:
                used.append((*previous, "随附默认政策"))
            for version, sha, when in used:
                if version == new.version and sha != new.sha256:
                    raise DomainError(
                        f"版本号“{new.version}”已用于另一份政策文件（{when}），"
                        "内容不同的政策必须使用新的版本号"
                    )
            if approver is not None:
                _check_active(uow, approver)
            active = self._add(uow, actor, text, new, previous, source=source,
                               approver=approver)
            uow.commit()
        self._current = active
        return active

    def _add(self, uow: UnitOfWork, actor: Actor, text: str, new: ActivePolicy,
             previous: tuple[str, str], *, source: str,
             approver: Actor | None) -> ActivePolicy:
        now = self._clock.now()
        installed_by = approver.username if (actor.is_system and approver) else actor.username
        row = PolicyRepository(uow.session).add(PolicyVersion(
            store_id=self._store_id, version=new.version, sha256=new.sha256, content=text,
            installed_by=installed_by, installed_at=now,
        ))
        audit.record(
            uow, actor, INSTALL_ACTION, at=now, target_type="policy_version",
            target_id=row.id,
            detail={
                "old_version": previous[0],
                "old_sha256": previous[1],
                "new_version": new.version,
                "new_sha256": new.sha256,
                "region": new.policy.region,
                "effective_from": new.policy.effective_from.isoformat(),
                "source": source,
                "approver": approver.username if approver else "",
            },
        )
        return ActivePolicy(new.policy, new.version, new.sha256, now, installed_by)

    def _check_store(self, actor: Actor) -> None:
        if actor.store_id != self._store_id:
            raise PermissionDenied(f"{actor.display_name} 不属于本药店，不能更改本店政策参数")

    def _authorise(self, actor: Actor, approver: Actor | None) -> None:
        """Two persons change the policy (SEC-2): who installs, and who approves.

        At the terminal a store manager installs and a second person approves with their
        own credentials: another store manager, or the administrator (a policy file is
        also the system's configuration, and a small store has one manager). At the
        command line the operator installs and a store manager approves.
        """
        self._check_store(actor)
        label = PERMISSION_LABELS[Permission.CHANGE_POLICY]
        if actor.is_system:
            if approver is None:
                raise PermissionDenied(
                    f"命令行安装政策须由店长审批（“{label}”）：请指定店长账号", rule_id="SEC-2")
            allowed: tuple[Permission, ...] = (Permission.CHANGE_POLICY,)
        else:
            actor.require(Permission.CHANGE_POLICY)
            if approver is None:
                raise PermissionDenied(
                    "政策变更须由第二人审批（另一位店长或系统管理员，凭本人用户名和密码）",
                    rule_id="SEC-2")
            allowed = (Permission.CHANGE_POLICY, Permission.MAINTAIN_SYSTEM)
        if approver.is_system or not any(approver.can(p) for p in allowed):
            raise PermissionDenied(
                f"审批人 {approver.display_name} 无权审批政策变更，须由店长"
                + ("或系统管理员" if not actor.is_system else "") + "审批", rule_id="SEC-2")
        # A second person of this store (SEC-2; the actor's store was checked above):
        # approving one's own change is no approval.
        check_second_person(actor, approver, what="政策变更", permissions=allowed)

    # -- display ----------------------------------------------------------------------

    def describe(self, active: ActivePolicy) -> list[tuple[str, str]]:
        """The numbers staff ask about, as (Chinese label, value) rows."""
        p = active.policy
        rx, ins = p.prescription, p.insurer
        return [
            ("一般处方用药天数上限", f"{rx.general_max_days} 天"),
            ("急诊处方用药天数上限", f"{rx.emergency_max_days} 天"),
            ("慢性病处方用药天数上限", f"{rx.chronic_max_days} 天"),
            ("长期处方用药天数上限", f"{rx.long_term_max_days} 天"),
            ("慢性病病种", "、".join(rx.chronic_diseases)),
            ("每张处方药品种数上限", f"{rx.max_drugs_per_prescription} 种"),
            ("处方有效期", f"{rx.validity_days} 天"),
            ("处方延长有效期上限", f"{rx.extended_validity_days} 天"),
            ("库存近效期预警窗口", "、".join(str(d) for d in p.stock.near_expiry_days) + " 天"),
            ("收银近效期提示", f"{p.sale.near_expiry_warn_days} 天"),
            ("含麻黄碱类复方制剂无处方限购",
             f"{p.controlled.ephedrine_max_packs_without_rx} 个最小包装"),
            ("含麻黄碱类复方制剂登记购买人证件", _yes_no(p.controlled.ephedrine_require_buyer_id)),
            ("医保结算核对身份证件", _yes_no(p.identity.require_document_check)),
            ("读卡结算有效时间", f"{p.identity.card_read_valid_minutes} 分钟"),
            ("甲类统筹基金支付比例", _percent(ins.fund_ratio_class_a)),
            ("乙类统筹基金支付比例", _percent(ins.fund_ratio_class_b)),
            ("乙类先行自付比例", _percent(ins.class_b_self_pay_ratio)),
            ("起付线", f"¥{ins.deductible:.2f}"),
            ("门诊统筹年度支付限额", f"¥{ins.annual_outpatient_cap:.2f}"),
            ("个人账户支付", _allowed(ins.personal_account_enabled)),
            ("个人账户支付自费部分", _allowed(ins.personal_account_covers_self_pay)),
            ("密码最短长度", f"{p.security.password_min_length} 位"),
            ("连续登录失败锁定次数", f"{p.security.max_failed_logins} 次"),
            ("账号锁定时长", f"{p.security.lockout_minutes} 分钟"),
            ("无操作自动锁屏", f"{p.security.idle_lock_minutes} 分钟"),
        ]


def changed_rows(service: PolicyService, old: ActivePolicy,
                 new: ActivePolicy) -> list[tuple[str, str, str]]:
    """(label, old value, new value) for every shown value that differs, header included."""
    def rows(active: ActivePolicy) -> list[tuple[str, str]]:
        head = [("版本", active.version), ("统筹区", active.policy.region),
                ("生效日期", active.policy.effective_from.isoformat())]
        return head + service.describe(active)

    before = dict(rows(old))
    return [(label, before.get(label, ""), value) for label, value in rows(new)
            if before.get(label) != value]


def _check_active(uow: UnitOfWork, approver: Actor) -> None:
    """Refuse an approver whose account was frozen after they logged in (SEC-3)."""
    user = uow.users.get(approver.user_id) if approver.user_id is not None else None
    if user is None or user.frozen_at is not None:
        raise PermissionDenied(f"审批人 {approver.display_name} 的账号已冻结，不能审批政策变更",
                               rule_id="SEC-3")


def _active(row: PolicyVersion) -> ActivePolicy:
    policy = Policy.from_toml(row.content, source=f"policy_versions #{row.id}")
    return ActivePolicy(policy, row.version, row.sha256, row.installed_at, row.installed_by)


def _version_info(row: PolicyVersion) -> PolicyVersionInfo:
    # Read the header tolerantly: an old document must stay listable even if a later
    # release's model would no longer accept one of its sections.
    data = _header(row.content)
    effective = data.get("effective_from")
    return PolicyVersionInfo(
        id=row.id, version=row.version, sha256=row.sha256, installed_at=row.installed_at,
        installed_by=row.installed_by,
        effective_from=effective if isinstance(effective, date) else None,
        region=str(data.get("region", "")),
    )


def _header(text: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}


def _percent(ratio: Decimal) -> str:
    return f"{(ratio * 100).normalize():f}%"


def _yes_no(flag: bool) -> str:
    return "是" if flag else "否"


def _allowed(flag: bool) -> str:
    return "允许" if flag else "不允许"
