"""Staff accounts: create, freeze (never delete), list, log in with lockout (SEC-1, SEC-3)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from pharmacy_pos.db.models import User, UserRole
from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.clock import Clock, local_text
from pharmacy_pos.domain.errors import AuthenticationFailed, DomainError, NotFound
from pharmacy_pos.domain.policy import SecurityPolicy
from pharmacy_pos.domain.roles import Permission, Role
from pharmacy_pos.domain.security import password_problems, username_problem
from pharmacy_pos.services import audit
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.passwords import burn_time, hash_password, verify_password

UowFactory = Callable[..., UnitOfWork]


@dataclass(frozen=True, slots=True)
class UserInfo:
    """A user as screens and the CLI show it (no password hash)."""

    id: int
    username: str
    display_name: str
    roles: tuple[Role, ...]
    pharmacist_qualification_no: str
    frozen: bool
    frozen_at: datetime | None
    frozen_reason: str
    locked_until: datetime | None


def _info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=tuple(sorted(r.role for r in user.roles)),
        pharmacist_qualification_no=user.pharmacist_qualification_no,
        frozen=user.frozen_at is not None,
        frozen_at=user.frozen_at,
        frozen_reason=user.frozen_reason,
        locked_until=user.locked_until,
    )


class UserService:
    """Use cases about staff accounts."""

    def __init__(self, uow: UowFactory, clock: Clock, security: SecurityPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._security = security

    def add_user(
        self,
        actor: Actor,
        *,
        username: str,
        display_name: str,
        password: str,
        roles: Iterable[Role],
        qualification_no: str = "",
    ) -> UserInfo:
        """Create an account (administrator only), audit-logged.

        Raises:
            DomainError: bad name, weak password, no role, pharmacist without
                qualification number, or the name is taken.
        """
        actor.require(Permission.MANAGE_USERS)
        username = username.strip()
        role_set = frozenset(roles)
        problems = []
        if problem := username_problem(username):
            problems.append(problem)
        if not display_name.strip():
            problems.append("姓名不能为空")
        if not role_set:
            problems.append("至少指定一个角色")
        if Role.PHARMACIST in role_set and not qualification_no.strip():
            problems.append("药师必须填写执业药师资格证号 (RX-2)")
        problems += password_problems(
            password, username=username, min_length=self._security.password_min_length
        )
        if problems:
            raise DomainError("；".join(problems), rule_id="SEC-3")
        now = self._clock.now()
        with self._uow() as uow:
            if uow.users.by_username(username) is not None:
                raise DomainError(
                    f"用户名“{username}”已存在（离职人员只冻结不删除，用户名不可复用）"
                )
            user = User(
                store_id=actor.store_id,
                username=username,
                display_name=display_name.strip(),
                password_hash=hash_password(password),
                pharmacist_qualification_no=qualification_no.strip(),
                failed_logins=0,
                frozen_reason="",
                password_changed_at=now,
                created_at=now,
                roles=[UserRole(role=r) for r in sorted(role_set)],
            )
            uow.users.add(user)
            audit.record(
                uow, actor, "user.add", at=now, target_type="user", target_id=user.id,
                detail={"username": username, "roles": sorted(role_set),
                        "qualification_no": qualification_no.strip()},
            )
            info = _info(user)
            uow.commit()
        return info

    def freeze(self, actor: Actor, username: str, *, reason: str) -> UserInfo:
        """Freeze a leaver's account (SEC-3); it stays in every record it signed."""
        actor.require(Permission.MANAGE_USERS)
        if not reason.strip():
            raise DomainError("冻结账号必须填写原因", rule_id="SEC-3")
        now = self._clock.now()
        with self._uow() as uow:
            user = self._get(uow, username)
            if user.frozen_at is not None:
                raise DomainError(f"账号“{username}”已于 {local_text(user.frozen_at)} 冻结")
            if actor.user_id == user.id:
                raise DomainError("不能冻结自己的账号")
            user.frozen_at = now
            user.frozen_reason = reason.strip()
            audit.record(uow, actor, "user.freeze", at=now, target_type="user",
                         target_id=user.id, detail={"username": username, "reason": reason})
            info = _info(user)
            uow.commit()
        return info

    def list_users(self, actor: Actor) -> list[UserInfo]:
        """Every account of the actor's store, frozen ones included."""
        actor.require(Permission.MANAGE_USERS)
        with self._uow(readonly=True) as uow:
            return [_info(u) for u in uow.users.list(actor.store_id)]

    def authenticate(self, username: str, password: str, *, terminal_id: str) -> Actor:
        """Log in. Failures are counted; too many lock the account for a while (SEC-3).

        Raises:
            AuthenticationFailed: with a message a cashier can act on.
        """
        username = username.strip()
        if not username or not password:
            raise AuthenticationFailed("请输入用户名和密码")
        now = self._clock.now()
        with self._uow() as uow:
            user = uow.users.by_username(username)
            if user is None:
                burn_time(password)
                raise AuthenticationFailed("用户名或密码错误", rule_id="SEC-3")
            actor = _actor(user, terminal_id)
            if user.locked_until is not None and user.locked_until > now:
                raise AuthenticationFailed(
                    f"连续登录失败次数过多，账号锁定至 {local_text(user.locked_until)}，"
                    "请稍后再试或联系店长",
                    rule_id="SEC-3",
                )
            if not verify_password(password, user.password_hash):
                user.failed_logins += 1
                left = self._security.max_failed_logins - user.failed_logins
                detail = {"username": username, "failed_logins": user.failed_logins}
                if left <= 0:
                    user.locked_until = now + timedelta(minutes=self._security.lockout_minutes)
                    user.failed_logins = 0
                    audit.record(uow, actor, "login.locked", at=now, target_type="user",
                                 target_id=user.id, detail=detail)
                    message = (f"密码错误次数过多，账号锁定 {self._security.lockout_minutes} 分钟"
                               f"（至 {local_text(user.locked_until)}）")
                else:
                    audit.record(uow, actor, "login.failed", at=now, target_type="user",
                                 target_id=user.id, detail=detail)
                    message = f"用户名或密码错误（再错 {left} 次将锁定账号）"
                uow.commit()
                raise AuthenticationFailed(message, rule_id="SEC-3")
            if user.frozen_at is not None:
                raise AuthenticationFailed(
                    f"账号已冻结（{user.frozen_reason or '离职'}），不能登录", rule_id="SEC-3"
                )
            terminal = uow.sales.terminal(terminal_id)
            if terminal is not None and terminal.store_id != user.store_id:
                # One database for a chain: a terminal belongs to its store, and so do the
                # records it may show and write (SALE-9).
                audit.record(uow, actor, "login.other_store", at=now, target_type="user",
                             target_id=user.id, detail={"terminal_store": terminal.store_id})
                uow.commit()
                raise AuthenticationFailed(
                    f"终端 {terminal_id} 属于另一家门店，{user.display_name}不能在此登录；"
                    "请在本人所属门店的终端登录", rule_id="SALE-9")
            user.failed_logins = 0
            user.locked_until = None
            audit.record(uow, actor, "login.ok", at=now, target_type="user", target_id=user.id)
            uow.commit()
        return actor

    def verify_credentials(self, actor: Actor, password: str) -> bool:
        """Re-check the logged-in user's password (unlocking an idle-locked screen).

        Both outcomes are audit-logged, so guessing at a locked till leaves a trace.
        """
        now = self._clock.now()
        with self._uow() as uow:
            user = uow.users.get(actor.user_id) if actor.user_id is not None else None
            right = (
                user is not None
                and user.frozen_at is None
                and verify_password(password, user.password_hash)
            )
            audit.record(uow, actor, "unlock.ok" if right else "unlock.failed", at=now,
                         target_type="user", target_id=actor.user_id or "")
            uow.commit()
        return right

    def log_out(self, actor: Actor, *, reason: str = "") -> None:
        """Record the end of a session (log-out, switch user, forced by the lock screen)."""
        now = self._clock.now()
        with self._uow() as uow:
            audit.record(uow, actor, "logout", at=now, target_type="user",
                         target_id=actor.user_id or "", detail={"reason": reason} if reason
                         else None)
            uow.commit()

    def _get(self, uow: UnitOfWork, username: str) -> User:
        user = uow.users.by_username(username)
        if user is None:
            raise NotFound(f"没有用户“{username}”")
        return user


def _actor(user: User, terminal_id: str) -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=frozenset(r.role for r in user.roles),
        store_id=user.store_id,
        terminal_id=terminal_id,
    )
