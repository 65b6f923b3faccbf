"""The unit of work: one transaction per use case (STYLE.md, habit 3).

Nothing persists unless ``commit()`` is called; leaving the block without it rolls back.
Database failures are translated at this edge into ``EnvironmentFault`` (locked, full,
read-only, unreachable) with a Chinese message, so callers never see driver exceptions.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from pharmacy_pos.db.engine import READONLY_OPTION
from pharmacy_pos.db.repositories import (
    AuditRepository,
    BatchRepository,
    IdentityRepository,
    LedgerRepository,
    ProductRepository,
    StoreRepository,
    SupplierRepository,
    UserRepository,
)
from pharmacy_pos.db.sales_repository import SalesRepository
from pharmacy_pos.domain.errors import DomainError, EnvironmentFault, PosError


def _append_only(text: str) -> DomainError:
    # 0001 guards the ledger and audit log (INV-5); 0003 the till's records (SEC-4).
    if "(sec-4)" in text:
        return DomainError("销售、处方与审核记录只能追加，不能修改或删除", rule_id="SEC-4")
    return DomainError("台账和审计日志只能追加，不能修改或删除", rule_id="INV-5")


def translate_db_error(exc: BaseException) -> PosError | None:
    """Map a driver error to what a person can act on; None if it is not one we know."""
    text = str(getattr(exc, "orig", exc)).lower()
    if isinstance(exc, StaleDataError):
        return EnvironmentFault("数据已被其他终端修改，请重试")
    if isinstance(exc, IntegrityError):
        if "append-only" in text:
            return _append_only(text)
        if "trace_code_sales" in text and "code" in text:
            return DomainError("药品追溯码已在其他终端售出：同一盒药不能重复销售，"
                               "请核对药盒并报告店长（本单未保存）")
        return DomainError(f"数据冲突，未保存: {getattr(exc, 'orig', exc)}")
    if not isinstance(exc, DBAPIError):
        return None
    if "append-only" in text:
        return _append_only(text)
    if "database is locked" in text or "database table is locked" in text:
        return EnvironmentFault("数据库正被其他程序占用，请稍后重试（未保存任何内容）")
    if "disk is full" in text or "no space left" in text or "could not extend file" in text:
        return EnvironmentFault("磁盘已满，无法保存。请清理磁盘空间后重试（未保存任何内容）")
    if "readonly" in text or "read-only" in text or "read only" in text:
        return EnvironmentFault("数据库文件只读，无法保存。请检查文件权限（未保存任何内容）")
    if "could not serialize" in text or "deadlock" in text:
        return EnvironmentFault("与其他终端同时操作发生冲突，请重试（未保存任何内容）")
    if "unable to open" in text or "connection" in text or "could not connect" in text:
        return EnvironmentFault("无法连接数据库，请检查数据库服务或文件（未保存任何内容）")
    if "malformed" in text or "not a database" in text:
        return EnvironmentFault("数据库文件已损坏，请从备份恢复", retryable=False)
    if isinstance(exc, OperationalError):
        return EnvironmentFault(f"数据库操作失败，未保存: {getattr(exc, 'orig', exc)}")
    return None


class UnitOfWork:
    """A session plus the repositories over it; use as ``with uow: ...; uow.commit()``."""

    session: Session
    stores: StoreRepository
    users: UserRepository
    products: ProductRepository
    suppliers: SupplierRepository
    batches: BatchRepository
    ledger: LedgerRepository
    audit: AuditRepository
    identity: IdentityRepository
    sales: SalesRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._committed = False

    def __enter__(self) -> Self:
        self.session = self._session_factory()
        self._committed = False
        self.stores = StoreRepository(self.session)
        self.users = UserRepository(self.session)
        self.products = ProductRepository(self.session)
        self.suppliers = SupplierRepository(self.session)
        self.batches = BatchRepository(self.session)
        self.ledger = LedgerRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.identity = IdentityRepository(self.session)
        self.sales = SalesRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                self.session.rollback()
        finally:
            self.session.close()
        if exc is not None:
            translated = translate_db_error(exc)
            if translated is not None:
                raise translated from exc

    def commit(self) -> None:
        """Make the use case's changes durable, all together."""
        try:
            self.session.commit()
        except (DBAPIError, StaleDataError) as exc:
            self.session.rollback()
            translated = translate_db_error(exc)
            if translated is not None:
                raise translated from exc
            raise
        self._committed = True

    def rollback(self) -> None:
        """Throw away the changes made so far."""
        self.session.rollback()


class _ReadOnlySession(Session):
    """The session of a read-only unit of work: it refuses to write anything.

    On PostgreSQL its connection runs in autocommit, where a write would be durable at
    once, outside any use case's all-or-nothing; so a write here is a bug, stopped early.
    """

    def flush(self, objects: object = None) -> None:
        if self.new or self.deleted or any(self.is_modified(o) for o in self.dirty):
            raise RuntimeError("a read-only unit of work tried to write")
        super().flush(objects)  # type: ignore[arg-type]


class UnitOfWorkFactory:
    """Makes units of work over one engine; read-only ones skip SQLite's write lock."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = sessionmaker(engine, expire_on_commit=False)
        reader = engine.execution_options(**{READONLY_OPTION: True})
        if engine.dialect.name == "postgresql":
            # PostgreSQL reads at READ COMMITTED: each statement sees its own snapshot,
            # inside a transaction or not. Autocommit gives the same answers without a
            # BEGIN and a ROLLBACK round trip around every lookup (each scan at the till).
            reader = reader.execution_options(isolation_level="AUTOCOMMIT")
        self._reader = sessionmaker(reader, class_=_ReadOnlySession, expire_on_commit=False)

    def __call__(self, *, readonly: bool = False) -> UnitOfWork:
        return UnitOfWork(self._reader if readonly else self._writer)
