"""Who is acting: the logged-in user, or the local administrator at the command line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pharmacy_pos.domain.errors import DomainError, PermissionDenied
from pharmacy_pos.domain.roles import PERMISSION_LABELS, Permission, Role, permissions_of


@dataclass(frozen=True, slots=True)
class Actor:
    """An authenticated identity, passed to every use case (never a global)."""

    user_id: int | None
    username: str
    display_name: str
    roles: frozenset[Role]
    store_id: int
    terminal_id: str
    is_system: bool = False

    @classmethod
    def system(cls, store_id: int, terminal_id: str, name: str) -> Actor:
        """The operator of the command line (``pharmacy-pos-cli``), recorded by OS name.

        Whoever runs the CLI on the terminal's machine administers it; every action is
        still audit-logged under this name.
        """
        return cls(None, name, name, frozenset(), store_id, terminal_id, is_system=True)

    @property
    def permissions(self) -> frozenset[Permission]:
        """Everything this actor may do."""
        if self.is_system:
            return frozenset(Permission)
        return permissions_of(self.roles)

    def can(self, permission: Permission) -> bool:
        """Whether the actor holds ``permission``."""
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        """Refuse the use case unless the actor holds ``permission`` (SEC-1).

        Raises:
            PermissionDenied: naming the permission and the actor's roles.
        """
        if not self.can(permission):
            held = "、".join(r.label for r in sorted(self.roles)) or "无"
            raise PermissionDenied(
                f"{self.display_name}（{held}）无权执行“{PERMISSION_LABELS[permission]}”"
            )


#: Logs a person in by user name and password (failures count towards lockout, SEC-3).
Authenticate = Callable[[str, str], Actor]


def second_person(authenticate: Authenticate, operator: Actor, username: str, password: str,
                  *, what: str, rule_id: str = "SEC-2", verb: str = "审批",
                  permissions: tuple[Permission, ...] = (Permission.APPROVE,),
                  distinct: bool = True) -> Actor:
    """The approver of a special operation, checked with their own credentials (SEC-2).

    The approver types their user name and password at the operator's terminal; the
    log-in counts a wrong password towards the approver's lockout and refuses a frozen
    or locked account (SEC-3). Then :func:`check_second_person` applies.

    Args:
        authenticate: the user service's log-in at this terminal.
        operator: who carries out the operation.
        username, password: what the approver typed.
        what: the operation in Chinese, for the messages (e.g. "调价").
        rule_id: the rule named in refusals (SEC-2, or the operation's own rule).
        verb: how staff call the approval ("审批", "复核").
        permissions: any one of these lets the approver approve.
        distinct: the approver must be another person than the operator; False only
            for decisions that change no stock, money or price (cancelling a stock-take).

    Raises:
        DomainError: no user name typed, or the approver is the operator.
        AuthenticationFailed: wrong credentials, locked or frozen account.
        PermissionDenied: the approver may not approve, or belongs to another store.
    """
    if not username.strip():
        raise DomainError(f"{what}须由另一位有权{verb}的人员输入用户名和密码{verb}",
                          rule_id=rule_id)
    approver = authenticate(username.strip(), password)
    check_second_person(operator, approver, what=what, rule_id=rule_id, verb=verb,
                        permissions=permissions, distinct=distinct)
    return approver


def check_second_person(operator: Actor, approver: Actor, *, what: str,
                        rule_id: str = "SEC-2", verb: str = "审批",
                        permissions: tuple[Permission, ...] = (Permission.APPROVE,),
                        distinct: bool = True) -> None:
    """Refuse an approver who may not approve, is of another store, or is the operator.

    Raises:
        PermissionDenied: not a signed-in person holding one of ``permissions``, or of
            another store.
        DomainError: the approver is the operator (two persons are needed).
    """
    if approver.is_system or approver.user_id is None or not any(
            approver.can(p) for p in permissions):
        labels = "、".join(PERMISSION_LABELS[p] for p in permissions)
        raise PermissionDenied(f"{approver.display_name}无权{verb}{what}（须有“{labels}”权限，"
                               "一般为店长）", rule_id=rule_id)
    if approver.store_id != operator.store_id:
        raise PermissionDenied(f"审批人 {approver.display_name} 不是本店人员，不能{verb}{what}",
                               rule_id=rule_id)
    if distinct and approver.user_id == operator.user_id:
        raise DomainError(f"{what}须由经办人以外的另一人{verb}，不能自己{verb}自己",
                          rule_id=rule_id)
