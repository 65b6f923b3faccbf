"""First-time set-up of a terminal's database: the store and its first administrator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pharmacy_pos.db.models import Store, Terminal, User, UserRole
from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.clock import Clock
from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.policy import SecurityPolicy
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.domain.security import password_problems, username_problem
from pharmacy_pos.services import audit
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.passwords import hash_password

UowFactory = Callable[..., UnitOfWork]


@dataclass(frozen=True, slots=True)
class StoreInfo:
    """A store as status screens show it."""

    id: int
    code: str
    name: str


def find_store(uow_factory: UowFactory, code: str) -> StoreInfo | None:
    """The store with this code, if the database has it."""
    with uow_factory(readonly=True) as uow:
        store = uow.stores.by_code(code)
        return None if store is None else StoreInfo(store.id, store.code, store.name)


def ensure_store(
    uow_factory: UowFactory, clock: Clock, *, code: str, name: str, operator: str,
    terminal_id: str,
) -> tuple[StoreInfo, bool]:
    """Create the store if missing; returns it and whether it was created."""
    code = code.strip()
    if not code or not code.isalnum() or len(code) > 20:
        raise DomainError("定点药店编码须为 1–20 位字母或数字")
    if not name.strip():
        raise DomainError("药店名称不能为空")
    with uow_factory() as uow:
        store = uow.stores.by_code(code)
        created = store is None
        if store is None:
            store = uow.stores.add(Store(code=code, name=name.strip(), created_at=clock.now()))
            actor = Actor.system(store.id, terminal_id, operator)
            audit.record(uow, actor, "store.create", at=clock.now(), target_type="store",
                         target_id=store.id, detail={"code": code, "name": name})
        _register_terminal(uow, clock, store.id, terminal_id, operator)
        info = StoreInfo(store.id, store.code, store.name)
        uow.commit()
    return info, created


def _register_terminal(uow: UnitOfWork, clock: Clock, store_id: int, terminal_id: str,
                       operator: str) -> None:
    """Bind this terminal to the store it is set up for (SALE-9), once.

    A terminal already bound to another store stays bound there: it was moved or lent,
    and its insurance settlement is refused until the agency re-registers it.
    """
    if uow.sales.terminal(terminal_id) is not None:
        return
    now = clock.now()
    uow.sales.add(Terminal(terminal_id=terminal_id, store_id=store_id, registered_at=now,
                           registered_by=operator))
    audit.record(uow, Actor.system(store_id, terminal_id, operator), "terminal.register",
                 at=now, target_type="terminal", target_id=terminal_id)


def create_first_admin(
    uow_factory: UowFactory, clock: Clock, security: SecurityPolicy, actor: Actor, *,
    username: str, display_name: str, password: str,
) -> bool:
    """Create the store's first administrator; False (and no change) if the store has
    users already. Each store of a chain on one database gets its own."""
    problems = []
    if problem := username_problem(username):
        problems.append(problem)
    problems += password_problems(password, username=username,
                                  min_length=security.password_min_length)
    if problems:
        raise DomainError("；".join(problems), rule_id="SEC-3")
    now = clock.now()
    with uow_factory() as uow:
        if uow.users.count(actor.store_id):
            return False
        user = uow.users.add(User(
            store_id=actor.store_id, username=username, display_name=display_name,
            password_hash=hash_password(password), pharmacist_qualification_no="",
            failed_logins=0, frozen_reason="", password_changed_at=now, created_at=now,
            roles=[UserRole(role=Role.ADMINISTRATOR)],
        ))
        audit.record(uow, actor, "user.add", at=now, target_type="user", target_id=user.id,
                     detail={"username": username, "roles": [Role.ADMINISTRATOR]})
        uow.commit()
    return True
