"""The GUI's composition root: ``pharmacy-pos`` (STYLE.md, habit 2).

Parses options, creates the QApplication, installs translators and the crash handler,
builds the one ``AppContext`` (opening and upgrading the database), loads demo data when
asked, and hands over to the session controller. Module import is kept to the standard
library so that ``--help`` is instant and start-up cost is all in ``main``.

Options:
    --training        training mode (培训模式): ``<data dir>/training`` filled with demo
                      data, the simulated insurer, the virtual card, the file printer and
                      a watermark on screen and printouts (also ``PHARMACY_POS_TRAINING=1``)
    --demo            the same training mode in ``<data dir>/demo`` (the README's demo)
    --lang zh_CN|en   interface language (default: settings, i.e. zh_CN)
    --startup-probe   print ``LOGIN_READY <seconds since process start> <RSS MB>`` once
                      the login window is up, then quit (used by the start-up benchmark)
Unrecognised options are passed on to Qt (e.g. ``-platform offscreen``).
"""

from __future__ import annotations

import argparse
import getpass
import logging
import logging.handlers
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication, QWidget

    from pharmacy_pos.bootstrap import AppContext
    from pharmacy_pos.settings import Settings

# Fallback start time where /proc is not available (then the probe under-reports by
# the interpreter's own start-up, ~20 ms).
_MODULE_LOADED = time.perf_counter()

EXIT_OK = 0
EXIT_NOT_READY = 2
EXIT_ENVIRONMENT = 3

log = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pharmacy-pos", description="定点零售药店收银与进销存系统（图形界面）"
    )
    parser.add_argument("--training", action="store_true",
                        help="培训模式：独立的培训数据库（数据目录下的 training，首次启动时载入演示"
                             "数据）、模拟医保、虚拟社保卡、文件打印机，屏幕和小票上有培训水印")
    parser.add_argument("--demo", action="store_true",
                        help="演示：与培训模式相同，使用数据目录下的 demo")
    parser.add_argument("--lang", choices=("zh_CN", "en"), default=None,
                        help="界面语言（默认 zh_CN）")
    parser.add_argument("--startup-probe", action="store_true",
                        help="登录窗口出现后输出 LOGIN_READY <秒> <内存MB> 并退出")
    return parser


def process_uptime() -> float:
    """Seconds since this process started (from /proc on Linux, else since import)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat_file:
            stat = stat_file.read()
        with open("/proc/uptime", encoding="ascii") as uptime_file:
            uptime = float(uptime_file.read().split()[0])
        # Field 22 (starttime, clock ticks after boot); field 2 may contain spaces, so
        # count from the closing parenthesis, after which field 3 begins.
        fields = stat[stat.rindex(")") + 2:].split()
        started = int(fields[22 - 3]) / os.sysconf("SC_CLK_TCK")
        return max(uptime - started, 0.0)
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _MODULE_LOADED


def resident_mb() -> float:
    """Resident memory of this process in MB (VmRSS; peak RSS where /proc is missing)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _configure_logging(settings: Settings) -> Path | None:
    log_dir = settings.data_dir / "logs"
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_dir / "pharmacy_pos.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
        log_file: Path | None = log_dir / "pharmacy_pos.log"
    except OSError:
        handler = logging.StreamHandler()
        log_file = None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return log_file


def install_translators(app: QApplication, language: str) -> None:
    """Qt's own strings in the interface language, and ours in English when asked.

    Our source strings are Chinese (the lead's decision), so zh_CN needs no .qm of ours;
    English comes from ``resources/translations/pharmacy_pos_en.qm`` once it exists.
    """
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    from pharmacy_pos.paths import resource

    if language == "zh_CN":
        locale = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    else:
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    QLocale.setDefault(locale)
    qt_translator = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_translator.load(locale, "qtbase", "_", qt_dir):
        app.installTranslator(qt_translator)
    if language != "zh_CN":
        ours = QTranslator(app)
        if ours.load(str(resource("translations", f"pharmacy_pos_{language}.qm"))):
            app.installTranslator(ours)
        else:
            log.warning("no translation for %s; showing Chinese", language)


def _start_uploads(controller: QObject, ctx: AppContext, window: QWidget) -> None:
    """The upload worker runs from the first login on (SEC-7); ctx.close() stops it."""
    from pharmacy_pos.ui.uploads_view import start_uploads

    start_uploads(controller, ctx, window)


def _operator() -> str:
    try:
        return f"gui:{getpass.getuser()}"
    except (KeyError, OSError):
        return "gui:unknown"


def _open_context(settings: Settings) -> AppContext | None:
    """Build the context, offering 重试 while the database is busy and the restore when
    it failed its check (SEC-6); None if abandoned."""
    from pharmacy_pos.bootstrap import build_context
    from pharmacy_pos.domain.errors import DomainError, EnvironmentFault
    from pharmacy_pos.services.startup_check import DatabaseCorrupt
    from pharmacy_pos.ui.errors import show_error

    while True:
        try:
            return build_context(settings)
        except DatabaseCorrupt as exc:
            if not offer_restore(settings, exc):
                return None
        except EnvironmentFault as exc:
            if not show_error(None, exc):
                return None
        except DomainError as exc:  # e.g. an invalid policy file
            show_error(None, exc)
            return None


def offer_restore(settings: Settings, refusal: Exception) -> bool:
    """Show why the database refused to open and offer the restore; True once a backup
    was restored (then the database is opened again)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    from pharmacy_pos.bootstrap import restore_damaged
    from pharmacy_pos.ui.database_check_view import CorruptDatabaseDialog

    log.error("database refused to open: %s", refusal)
    dialog = CorruptDatabaseDialog(refusal, lambda copy, user, password: restore_damaged(
        settings, copy, username=user, password=password))  # type: ignore[arg-type]
    if dialog.exec() != CorruptDatabaseDialog.DialogCode.Accepted or dialog.restored is None:
        return False
    restored = dialog.restored
    log.warning("restored %s; damaged files kept as %s", restored.restored_from,
                [str(p) for p in restored.damaged])
    QMessageBox.information(
        None, QCoreApplication.translate("app", "已恢复"),
        QCoreApplication.translate(
            "app", "已从备份 {0} 恢复（校验台账 {1} 条）。\n损坏的文件已保存到：\n{2}\n\n"
            "备份之后的业务需要按纸质单据补录，请告知店长。").format(
            restored.restored_from.name, restored.ledger_entries,
            "\n".join(str(p) for p in restored.damaged)))
    return True


def _check_database_after_login(app: QApplication, controller: QObject, ctx: AppContext,
                                window: QWidget) -> None:
    """The full database check (integrity_check + verify) once per run, after the first
    login, off the GUI thread; a failure is announced and the application closes, so
    nothing more is written to a damaged database (the next start offers the restore)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    from pharmacy_pos.ui.database_check_view import DatabaseCheckMonitor

    monitor = controller.findChild(DatabaseCheckMonitor)
    if monitor is None:
        monitor = DatabaseCheckMonitor(ctx, _operator(), parent=controller)

        def refuse(refusal: Exception) -> None:
            QMessageBox.critical(
                None, QCoreApplication.translate("app", "数据库未通过校验"),
                QCoreApplication.translate("app", "{0}\n\n程序将关闭；重新启动后可选择备份恢复。")
                .format(refusal))
            app.exit(EXIT_ENVIRONMENT)

        monitor.failed.connect(refuse)
        app.aboutToQuit.connect(monitor.stop)
        # A few seconds after login: the first screen and the first scan come first.
        monitor.start(delay_ms=3000)
    monitor.attach(window)  # type: ignore[arg-type]


def needs_demo_data(ctx: AppContext) -> bool:
    """Whether a demo database still has to be filled (new, or an earlier load failed)."""
    if ctx.store is None:
        return True
    with ctx.uow(readonly=True) as uow:
        return uow.users.count() == 0 and uow.products.count() == 0


def load_demo_data(ctx: AppContext) -> None:
    """Create the demo store and fill it, behind a busy dialog (takes a few seconds)."""
    from PySide6.QtCore import QCoreApplication

    from pharmacy_pos.paths import resource
    from pharmacy_pos.services.demo import prepare_demo_store
    from pharmacy_pos.ui.busy import run_busy

    settings = ctx.settings
    text = QCoreApplication.translate("app", "正在载入演示数据，请稍候…")
    run_busy(None, text, lambda: prepare_demo_store(
        ctx.uow, ctx.clock, store_code=settings.store_code, terminal_id=settings.terminal_id,
        operator=_operator(), catalogue=resource("demo", "catalogue.csv"),
    ))
    ctx.refresh_store()
    ctx.ensure_policy_installed(_operator())


def _expire_batches_now_and_hourly(app: QApplication, ctx: AppContext) -> None:
    """Batches past expiry are locked automatically (INV-3): at start, then every hour.

    The till refuses expired stock by its date anyway (SALE-5); this keeps the batches'
    status, the maintenance lists and the reports true. A failure is logged, not shown:
    it is retried the next hour.
    """
    from PySide6.QtCore import QTimer

    from pharmacy_pos.domain.errors import DomainError, EnvironmentFault

    def expire() -> None:
        try:
            changed = ctx.expire_due_batches(_operator())
        except (DomainError, EnvironmentFault) as exc:
            log.warning("expiry check failed: %s", exc)
            return
        if changed:
            log.info("expiry check: %d batches marked expired", changed)

    # A few seconds after start: the login window comes first (start-up time).
    QTimer.singleShot(5000, expire)
    timer = QTimer(app)
    timer.setInterval(60 * 60 * 1000)
    timer.timeout.connect(expire)
    timer.start()


def _back_up_daily(app: QApplication, ctx: AppContext) -> None:
    """A checked copy of the database every day (SEC-6): looked at a minute after start,
    then every hour; the copy is taken on its own thread (it takes seconds on a year of
    data) and a failure is logged and retried the next hour."""
    import threading

    from PySide6.QtCore import QTimer

    def back_up() -> None:
        try:
            copy = ctx.daily_backup(_operator())
        except Exception as exc:  # a full disk must not stop the till; retried hourly
            log.warning("daily backup failed: %s", exc)
            return
        if copy is not None:
            log.info("daily backup: %s", copy)

    def start() -> None:
        threading.Thread(target=back_up, name="daily-backup", daemon=True).start()

    QTimer.singleShot(60_000, start)
    timer = QTimer(app)
    timer.setInterval(60 * 60 * 1000)
    timer.timeout.connect(start)
    timer.start()


def _report_when_shown(app: QApplication) -> None:
    """Print the start-up probe line once the login window has been laid out, then quit."""
    from PySide6.QtCore import QTimer

    def report() -> None:
        print(f"LOGIN_READY {process_uptime():.3f} {resident_mb():.1f}", flush=True)
        app.quit()

    # Queued behind the window's pending layout and paint events.
    QTimer.singleShot(0, report)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the GUI; returns the exit status."""
    args, qt_args = _parser().parse_known_args(sys.argv[1:] if argv is None else argv)

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication, QMessageBox

    import pharmacy_pos
    from pharmacy_pos.domain.errors import DomainError, EnvironmentFault
    from pharmacy_pos.settings import APP_NAME, Settings
    from pharmacy_pos.ui.errors import install_excepthook, show_error
    from pharmacy_pos.ui.focus_return import return_focus_after_dialogs
    from pharmacy_pos.ui.gui_gc import collect_on_gui_thread
    from pharmacy_pos.ui.print_status import PrintQueue
    from pharmacy_pos.ui.session import SessionController
    from pharmacy_pos.ui.training import mark_for_training

    settings = Settings()
    # Training and the demo never touch the real database, insurer or printer, whatever
    # the configuration says.
    if args.demo:
        settings = settings.for_training("demo")
    elif args.training or settings.training:
        settings = settings.for_training()
    language = args.lang or settings.language

    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(pharmacy_pos.__version__)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(
        [sys.argv[0] if sys.argv else APP_NAME, *qt_args]
    )
    # The session controller decides when to quit (log-out briefly has no window).
    app.setQuitOnLastWindowClosed(False)
    collect_on_gui_thread(app)  # cycles holding Qt objects never freed on a worker
    return_focus_after_dialogs(app)  # keys back to the screen after a dialog (no WM)
    install_translators(app, language)
    install_excepthook(_configure_logging(settings))

    ctx = _open_context(settings)
    if ctx is None:
        return EXIT_ENVIRONMENT
    try:
        if settings.training and needs_demo_data(ctx):
            try:
                load_demo_data(ctx)
            except (DomainError, EnvironmentFault) as exc:
                show_error(None, exc)
                return EXIT_ENVIRONMENT
        if ctx.store is None:
            QMessageBox.information(
                None, QCoreApplication.translate("app", "尚未初始化"),
                QCoreApplication.translate(
                    "app",
                    "本终端的数据库中还没有药店（编码 {0}）。\n"
                    "请先运行 pharmacy-pos-cli init 建立药店和管理员，"
                    "或使用 pharmacy-pos --demo 体验演示数据。\n\n数据库: {1}",
                ).format(settings.store_code, ctx.database_description()),
            )
            return EXIT_NOT_READY
        _expire_batches_now_and_hourly(app, ctx)
        _back_up_daily(app, ctx)
        controller = SessionController(ctx, print_queue=PrintQueue(ctx.printing))
        controller.session_started.connect(lambda window: _start_uploads(controller, ctx, window))
        if settings.training:
            controller.login_shown.connect(mark_for_training)
            controller.session_started.connect(mark_for_training)
        controller.session_started.connect(
            lambda window: _check_database_after_login(app, controller, ctx, window))
        controller.ended.connect(app.quit)
        controller.start()
        if args.startup_probe:
            _report_when_shown(app)
        log.info("started: %s, store %s, terminal %s", ctx.database_description(),
                 ctx.store.code, settings.terminal_id)
        status = app.exec()
        controller.close()
        return status
    finally:
        ctx.close()


if __name__ == "__main__":
    raise SystemExit(main())
