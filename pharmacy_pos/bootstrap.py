"""The composition root shared by the GUI and the CLI (STYLE.md, habit 2).

It reads settings, opens the database (upgrading it first, with a backup copy when a
migration is pending), loads the policy, picks device adapters and hands narrow pieces
to the use cases. Nothing is created at import time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from pharmacy_pos.db.engine import make_engine, sqlite_path
from pharmacy_pos.db.migrate import MigrationResult, upgrade_on_start
from pharmacy_pos.db.uow import UnitOfWorkFactory, translate_db_error
from pharmacy_pos.devices.adapters.probes import (
    DEFAULT_RECEIPT_FILE,
    VIRTUAL_READER_PREFIX,
    PcscReaderProbe,
    PrinterConfigProbe,
)
from pharmacy_pos.devices.ports import (
    CardReader,
    CardWatcher,
    DeviceStatus,
    PrinterConfigError,
    ReceiptPrinter,
    parse_printer_config,
)
from pharmacy_pos.domain.clock import Clock, SystemClock
from pharmacy_pos.domain.errors import DomainError, EnvironmentFault, ValidationFailed
from pharmacy_pos.domain.policy import Policy
from pharmacy_pos.insurance.ports import SettlementGateway
from pharmacy_pos.paths import resource
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.identity import IdentityService
from pharmacy_pos.services.policy import PolicyService
from pharmacy_pos.services.setup import StoreInfo, find_store
from pharmacy_pos.services.users import UserService
from pharmacy_pos.settings import Settings

if TYPE_CHECKING:
    # The till's, printing's and stock keeping's services load when first used, not
    # before the login window (start-up time, bench_startup.py).
    from pharmacy_pos.insurance.adapters.platform import PlatformGateway
    from pharmacy_pos.insurance.ports import UploadGateway
    from pharmacy_pos.insurance.protocol import Profile
    from pharmacy_pos.services.backup import BackupService
    from pharmacy_pos.services.msgids import MsgidSource
    from pharmacy_pos.services.printing import PrintService, PrintWorker, QueueState
    from pharmacy_pos.services.returns import ReturnService
    from pharmacy_pos.services.sales import SaleService
    from pharmacy_pos.services.startup_check import DatabaseCheck, RestoredDatabase
    from pharmacy_pos.services.stockkeeping import StockkeepingService
    from pharmacy_pos.services.uploads import PassResult, UploadService, UploadWorker


@dataclass
class AppContext:
    """Everything a front end needs, built once at start."""

    settings: Settings
    engine: Engine
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy
    migration: MigrationResult
    store: StoreInfo | None = None
    _users: UserService | None = field(default=None, repr=False)
    _identity: IdentityService | None = field(default=None, repr=False)
    _sales: SaleService | None = field(default=None, repr=False)
    _insurer: SettlementGateway | None = field(default=None, repr=False)
    _returns: ReturnService | None = field(default=None, repr=False)
    _policy_service: PolicyService | None = field(default=None, repr=False)
    _printer: ReceiptPrinter | None = field(default=None, repr=False)
    _printing: PrintService | None = field(default=None, repr=False)
    _print_worker: PrintWorker | None = field(default=None, repr=False)
    _profile: Profile | None = field(default=None, repr=False)
    _upload_gateway: UploadGateway | None = field(default=None, repr=False)
    _uploads: UploadService | None = field(default=None, repr=False)
    _upload_worker: UploadWorker | None = field(default=None, repr=False)
    _msgids: MsgidSource | None = field(default=None, repr=False)

    @property
    def users(self) -> UserService:
        """The user use cases."""
        if self._users is None:
            self._users = UserService(self.uow, self.clock, self.policy.security)
        return self._users

    def refresh_store(self) -> StoreInfo | None:
        """Re-read this terminal's store (after ``init`` or ``demo``) and its policy."""
        self.store = find_store(self.uow, self.settings.store_code)
        self._policy_service = None
        if self.store is not None:
            self.policy = self.policy_service.current().policy
        return self.store

    @property
    def policy_service(self) -> PolicyService:
        """The store's versioned policy (changed by a manager, audit-logged).

        Raises:
            DomainError: the store is not set up yet.
        """
        if self.store is None:
            raise DomainError("尚未初始化：请先运行 pharmacy-pos-cli init 或 pharmacy-pos-cli demo")
        if self._policy_service is None:
            self._policy_service = PolicyService.for_store(
                self.uow, self.clock, self.store.id, self.settings.policy_file)
        return self._policy_service

    def ensure_policy_installed(self, operator: str) -> None:
        """Record the shipped (or configured) policy as the store's first version."""
        if self.store is None:
            return
        actor = Actor.system(self.store.id, self.settings.terminal_id, operator)
        self.policy = self.policy_service.ensure_installed(actor).policy

    @property
    def identity(self) -> IdentityService:
        """The identity use cases (card reads, document check, blacklist; ID-1..ID-9)."""
        if self._identity is None:
            self._identity = IdentityService(self.uow, self.clock, self.policy.identity)
        return self._identity

    @property
    def insurer_profile(self) -> Profile:
        """The insurer's interface profile (national, or a province's).

        Raises:
            ValidationFailed: the profile file is missing or malformed.
        """
        if self._profile is None:
            from pharmacy_pos.insurance.protocol import ProfileError, load_profile

            name = self.settings.insurer_profile
            path = Path(name) if name.endswith(".toml") else resource("insurer", f"{name}.toml")
            try:
                self._profile = load_profile(path)
            except ProfileError as exc:
                raise ValidationFailed(str(exc)) from None
        return self._profile

    @property
    def msgids(self) -> MsgidSource:
        """Fresh message ids for the insurer, shared by the till and the uploader."""
        if self._msgids is None:
            from pharmacy_pos.services.msgids import MsgidSource

            self._msgids = MsgidSource(self.uow, self.clock, self.settings.store_code)
        return self._msgids

    def _platform(self, *, uploads: bool = False) -> PlatformGateway:
        from pharmacy_pos.insurance.adapters.platform import PlatformGateway
        from pharmacy_pos.insurance.protocol import Caller

        store = self.store
        caller = Caller(fixmedins_code=self.settings.store_code,
                        fixmedins_name=store.name if store else "",
                        opter=self.settings.terminal_id, opter_name=self.settings.terminal_id,
                        dev_no=self.settings.terminal_id)
        if uploads:
            # The uploader's own connection, and msgids reserved a thousand at a time.
            from pharmacy_pos.services.msgids import MsgidSource

            return PlatformGateway(
                self.settings.insurer_url, self.insurer_profile, caller, clock=self.clock,
                msgids=MsgidSource(self.uow, self.clock, self.settings.store_code, block=1000),
                pipeline=self.settings.insurer_pipeline)
        return PlatformGateway(self.settings.insurer_url, self.insurer_profile, caller,
                               clock=self.clock, msgids=self.msgids)

    @property
    def insurer(self) -> SettlementGateway:
        """The insurer this terminal settles with: the national platform (or its loopback
        simulator) at ``insurer_url``, else the embedded simulated insurer."""
        if self._insurer is None:
            if self.settings.insurer_url:
                self._insurer = self._platform()
            else:
                from pharmacy_pos.insurance.adapters.simulated import SimulatedInsurer

                self._insurer = SimulatedInsurer.demo(self.policy.insurer, clock=self.clock,
                                                      profile=self.insurer_profile)
        return self._insurer

    @property
    def upload_gateway(self) -> UploadGateway:
        """Where the 进销存 records go: its own connection to the platform, or the
        embedded simulated insurer."""
        if self._upload_gateway is None:
            if self.settings.insurer_url:
                self._upload_gateway = self._platform(uploads=True)
            else:
                self._upload_gateway = self.insurer  # type: ignore[assignment]
        return self._upload_gateway

    @property
    def uploads(self) -> UploadService:
        """The uploader's use cases (status screen, corrections, passes).

        Raises:
            DomainError: the store is not set up yet.
        """
        if self.store is None:
            raise DomainError("尚未初始化：请先运行 pharmacy-pos-cli init 或 pharmacy-pos-cli demo")
        if self._uploads is None:
            from pharmacy_pos.services.uploads import UploadService

            self._uploads = UploadService(
                self.uow, self.clock, self.upload_gateway, self.insurer_profile,
                store_id=self.store.id, terminal_id=self.settings.terminal_id)
        return self._uploads

    def upload_worker(self, on_change: Callable[[PassResult], None] | None = None,
                      ) -> UploadWorker:
        """The thread that uploads the store's records (started by the front end; one
        per process, ``on_change`` is taken the first time only)."""
        if self._upload_worker is None:
            from pharmacy_pos.services.uploads import UploadWorker

            self._upload_worker = UploadWorker(
                self.uploads, interval=self.settings.upload_interval_seconds,
                on_change=on_change)
        return self._upload_worker

    @property
    def sales(self) -> SaleService:
        """The till's use cases (ringing, review queue, paying)."""
        if self._sales is None:
            from pharmacy_pos.services.sales import SaleService

            self._sales = SaleService(self.uow, self.clock, self.current_policy, self.insurer,
                                      store_code=self.settings.store_code)
        return self._sales

    @property
    def returns(self) -> ReturnService:
        """Returns and refunds, approved at this terminal by a manager (SALE-7)."""
        if self._returns is None:
            terminal = self.settings.terminal_id

            def authenticate(username: str, password: str) -> Actor:
                return self.users.authenticate(username, password, terminal_id=terminal)

            from pharmacy_pos.services.returns import ReturnService

            self._returns = ReturnService(self.uow, self.clock, self.insurer, authenticate,
                                          store_code=self.settings.store_code)
        return self._returns

    def stockkeeping(self) -> StockkeepingService:
        """Maintenance checks, expiry, destruction, split packages, low stock."""
        terminal = self.settings.terminal_id
        from pharmacy_pos.services.stockkeeping import StockkeepingService

        return StockkeepingService(
            self.uow, self.clock, lambda: self.policy.stock,
            lambda username, password: self.users.authenticate(username, password,
                                                               terminal_id=terminal),
            store_code=self.settings.store_code)

    def expire_due_batches(self, operator: str) -> int:
        """Lock every batch past its expiry (INV-3, SALE-5); how many changed.

        Run at start and every hour by the app, nightly by ``pharmacy-pos-cli expire``.
        """
        if self.store is None:
            return 0
        actor = Actor.system(self.store.id, self.settings.terminal_id, operator)
        return len(self.stockkeeping().expire_due_batches(actor))

    def daily_backup(self, operator: str) -> Path | None:
        """The daily checked copy of the SQLite database if a day has passed since the
        last one (SEC-6); None when not due, or on PostgreSQL (pg_dump, README)."""
        if self.store is None:
            return None
        actor = Actor.system(self.store.id, self.settings.terminal_id, operator)
        copy = self.backups.daily_if_due(actor)
        return copy.path if copy else None

    def current_policy(self) -> tuple[Policy, str]:
        """The policy in force and its version, as recorded on every sale.

        Read from the store's policy versions, so a manager's change applies to the next
        sale without restarting.
        """
        if self.store is None:
            return self.policy, self.policy.version
        active = self.policy_service.current()
        return active.policy, active.version

    @property
    def card_source(self) -> str:
        """How cards are read here, as recorded with each read: pcsc, vendor or virtual."""
        kind = self.settings.card_reader
        if kind == "vendor":
            return "vendor"
        if kind == "virtual" or self.settings.card_reader_name.startswith(VIRTUAL_READER_PREFIX):
            return "virtual"
        return "pcsc"

    def card_reader(self) -> CardReader | None:
        """A reader for reading on demand (the vendor driver has no insertion events)."""
        kind = self.settings.card_reader
        if kind == "none":
            return None
        if kind == "vendor":
            from pharmacy_pos.devices.adapters.vendor_driver import VendorDriverCardReader

            if self.settings.vendor_library is None:
                raise EnvironmentFault("未配置厂商读卡驱动的路径（PHARMACY_POS_VENDOR_LIBRARY）")
            return VendorDriverCardReader(str(self.settings.vendor_library))
        try:
            from pharmacy_pos.devices.adapters.pcsc_reader import PcscCardReader
        except ImportError as exc:  # pyscard or libpcsclite missing on this machine
            raise EnvironmentFault(f"读卡组件未安装（pyscard / pcsc-lite）: {exc}") from exc
        return PcscCardReader(self._reader_name())

    def card_watcher(self) -> CardWatcher | None:
        """A background watcher that reads each inserted card (None: read on demand)."""
        if self.settings.card_reader in ("none", "vendor"):
            return None
        try:
            from pharmacy_pos.devices.adapters.card_watch import PcscCardWatcher
        except ImportError as exc:  # pyscard or libpcsclite missing on this machine
            raise EnvironmentFault(f"读卡组件未安装（pyscard / pcsc-lite）: {exc}") from exc
        return PcscCardWatcher(self._reader_name())

    def _reader_name(self) -> str | None:
        if self.settings.card_reader_name:
            return self.settings.card_reader_name
        if self.settings.card_reader == "virtual":
            return VIRTUAL_READER_PREFIX
        return None

    def device_statuses(self) -> list[DeviceStatus]:
        """Card reader and printer status, for the about panel."""
        printer = self.printer()
        return [
            PcscReaderProbe(self.settings.card_reader).status(),
            printer.status() if printer is not None
            else PrinterConfigProbe(self.settings.printer, self.settings.data_dir).status(),
        ]

    def printer(self) -> ReceiptPrinter | None:
        """The configured receipt printer; None when the setting cannot be understood
        (the about panel then says why)."""
        if self._printer is None:
            try:
                config = parse_printer_config(
                    self.settings.printer,
                    default_file=self.settings.data_dir / DEFAULT_RECEIPT_FILE)
            except PrinterConfigError:
                return None
            # python-escpos loads slowly: only once a printer is really wanted, never
            # before the login window shows.
            from pharmacy_pos.devices.adapters.escpos_printer import EscposPrinter

            self._printer = EscposPrinter(config)
        return self._printer

    @property
    def printing(self) -> PrintService:
        """This terminal's print queue (receipts, return slips, labels, shift reports).

        Raises:
            DomainError: the store is not set up yet.
        """
        if self.store is None:
            raise DomainError("尚未初始化：请先运行 pharmacy-pos-cli init 或 pharmacy-pos-cli demo")
        if self._printing is None:
            try:
                columns = parse_printer_config(
                    self.settings.printer,
                    default_file=self.settings.data_dir / DEFAULT_RECEIPT_FILE).columns
            except PrinterConfigError:
                columns = 48  # nothing will print; previews use 80 mm paper
            from pharmacy_pos.services.printing import PrintService

            self._printing = PrintService(
                self.uow, self.clock, self.printer, columns=columns,
                store_name=self.store.name, store_code=self.store.code,
                terminal_id=self.settings.terminal_id, training=self.settings.training)
        return self._printing

    def print_worker(self, on_change: Callable[[QueueState], None] | None = None,
                     ) -> PrintWorker:
        """The one thread that prints this terminal's queue (started by the front end).

        ``on_change`` is taken the first time only: one worker per process, so a receipt
        is never printed twice.
        """
        if self._print_worker is None:
            from pharmacy_pos.services.printing import PrintWorker

            self._print_worker = PrintWorker(self.printing, on_change=on_change)
        return self._print_worker

    @property
    def backups(self) -> BackupService:
        """Backups and restore of this terminal's SQLite database (SEC-6)."""
        from pharmacy_pos.services.backup import BackupService

        return BackupService(self.uow, self.clock, sqlite_path(self.engine),
                             self.settings.backup_dir, release=self.engine.dispose)

    @property
    def database_check(self) -> DatabaseCheck:
        """The start-up and background checks of this database (issue 9)."""
        return database_check(self.settings, self.engine, self.uow, self.clock)

    def database_description(self) -> str:
        """Backend and location, without any password."""
        url = make_url(self.settings.resolved_database_url())
        path = sqlite_path(self.engine)
        if path is not None:
            return f"SQLite: {path}"
        return f"{url.get_backend_name()}: {url.render_as_string(hide_password=True)}"

    def close(self) -> None:
        """Stop the print worker (queued jobs stay queued) and release the database."""
        if self._print_worker is not None:
            self._print_worker.stop()
            self._print_worker = None
        if self._upload_worker is not None:
            self._upload_worker.stop()
            self._upload_worker = None
        for gateway in (self._upload_gateway, self._insurer):
            close = getattr(gateway, "close", None)
            if close is not None:
                close()
        self.engine.dispose()


def load_policy(settings: Settings) -> Policy:
    """The configured policy file, or the default one shipped in resources/.

    Raises:
        ValidationFailed: the file is missing or invalid (listing every problem).
    """
    path = settings.policy_file or resource("policy", "default.toml")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationFailed(f"无法读取政策文件 {path}: {exc.strerror}") from None
    return Policy.from_toml(text, source=str(path))


def database_check(settings: Settings, engine: Engine, uow: UnitOfWorkFactory,
                   clock: Clock) -> DatabaseCheck:
    """The checks of ``engine``'s database (file, chain tails, full check)."""
    from pharmacy_pos.services.startup_check import DatabaseCheck, marker_for

    database = sqlite_path(engine)
    description = str(database) if database is not None else make_url(
        settings.resolved_database_url()).render_as_string(hide_password=True)
    return DatabaseCheck(uow, clock, database=database, description=description,
                         backup_dir=settings.backup_dir,
                         marker=marker_for(database, settings.data_dir))


def restore_damaged(settings: Settings, copy: Path, *, username: str,
                    password: str) -> RestoredDatabase:
    """Restore the SQLite database that refused to open from ``copy``, as an
    administrator of the copy (the damaged database's accounts cannot be trusted); the
    damaged files are moved into the backup folder (SEC-6, SEC-4).

    Raises:
        AuthenticationFailed, PermissionDenied: not an administrator in the copy.
        DomainError: the copy is not sound, or this is not a SQLite terminal.
        EnvironmentFault: the files could not be moved or written.
    """
    from pharmacy_pos.services.startup_check import marker_for, restore_damaged_database

    url = make_url(settings.resolved_database_url())
    if url.get_backend_name() != "sqlite" or not url.database:
        raise DomainError("本店使用 PostgreSQL：请由管理员用 pg_restore 恢复（见 README）",
                          rule_id="SEC-6")
    database = Path(url.database)
    clock = SystemClock()
    security = load_policy(settings).security

    def administrator(uow: UnitOfWorkFactory) -> Actor:
        return UserService(uow, clock, security).authenticate(
            username, password, terminal_id=settings.terminal_id)

    return restore_damaged_database(
        database, copy, backup_dir=settings.backup_dir,
        marker=marker_for(database, settings.data_dir), clock=clock,
        actor_in_copy=administrator)


def build_context(settings: Settings | None = None, *, clock: Clock | None = None,
                  check: bool = True) -> AppContext:
    """Open (and upgrade) the database and assemble the application's context.

    With ``check`` (every start of the app and of the CLI but ``check`` and ``restore``),
    the database is checked before anything writes to it: the file, a failure a full
    check left, and the tail of every hash chain (milliseconds; the full check runs
    after login, see services/startup_check.py).

    Raises:
        DatabaseCorrupt: the check failed; the database must be restored from a backup.
        EnvironmentFault: the database cannot be opened or upgraded.
        ValidationFailed: the policy file is invalid.
    """
    settings = settings or Settings()
    policy = load_policy(settings)
    engine = make_engine(settings.resolved_database_url())
    from pharmacy_pos.services.startup_check import DatabaseCorrupt, is_damage

    clock = clock or SystemClock()
    checks = database_check(settings, engine, UnitOfWorkFactory(engine), clock)
    try:
        if check:
            # Before the migrations: a damaged file is never upgraded or written.
            checks.before_open()
        backup_dir = settings.backup_dir if settings.backup_before_migration else None
        migration = upgrade_on_start(engine, backup_dir=backup_dir)
    except EnvironmentFault:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        if check and is_damage(exc):
            # Damage the file check could not see (deeper pages) met by the upgrade.
            raise checks.refuse([f"打开数据库时出错（{exc}）"]) from exc
        translated = translate_db_error(exc)
        if translated is not None:
            raise translated from exc
        if isinstance(exc, OSError):
            raise EnvironmentFault(f"无法打开数据库: {exc}") from exc
        raise
    context = AppContext(settings, engine, UnitOfWorkFactory(engine), clock, policy, migration)
    try:
        if check:
            checks.after_open()
        context.refresh_store()
    except Exception as exc:
        context.close()
        if check and not isinstance(exc, DatabaseCorrupt) and is_damage(exc):
            raise checks.refuse([f"打开数据库时出错（{exc}）"]) from exc
        raise
    return context
