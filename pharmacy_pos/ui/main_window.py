"""The main window: navigation limited to what the logged-in role may do, the screens,
a status bar saying who is working where, and the idle lock.

Keyboard-first: Alt+1…Alt+9 open the n-th navigation entry (also listed in the 功能
menu), F1 shows the keys (ui/keys_help.py), F12 or Ctrl+L locks, Ctrl+Shift+L logs
out, Ctrl+Q quits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QWidget,
)

from pharmacy_pos.services.actor import Actor
from pharmacy_pos.ui import labels
from pharmacy_pos.ui.errors import call_guarded
from pharmacy_pos.ui.idle_lock import IdleLock
from pharmacy_pos.ui.keys_help import KeysDialog
from pharmacy_pos.ui.screens import ScreenSpec, screens_for
from pharmacy_pos.ui.status_bar import DeviceStatusBar

if TYPE_CHECKING:
    from pharmacy_pos.bootstrap import AppContext

NAV_WIDTH = 150
MAX_NUMBERED_SHORTCUTS = 9


def roles_text(actor: Actor) -> str:
    """The actor's roles in the interface language, e.g. "药师、收银员"."""
    return labels.joined(sorted(actor.roles))


class MainWindow(QMainWindow):
    """The shell every screen plugs into (see ``screens.SCREENS``).

    Emits ``logout_chosen`` (with a notice for the login window, "" when the user chose
    to log out) and ``quit_chosen``; the session controller acts on them.
    """

    logout_chosen = Signal(str)
    quit_chosen = Signal()

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        *,
        screens: Sequence[ScreenSpec] | None = None,
        idle_ms: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.actor = actor
        self._specs = screens_for(actor, screens)
        self._pages: dict[str, QWidget] = {}
        self._ending = False
        store_name = ctx.store.name if ctx.store else self.tr("（未初始化）")
        self.setWindowTitle(self.tr("{0} - {1}").format(store_name, actor.display_name))
        self.resize(1200, 760)

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(NAV_WIDTH)
        self.nav.setStyleSheet("QListWidget#nav::item { padding: 8px 6px; }")
        self.stack = QStackedWidget()
        for number, spec in enumerate(self._specs, start=1):
            item = QListWidgetItem(spec.display_title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            if number <= MAX_NUMBERED_SHORTCUTS:
                item.setToolTip(f"Alt+{number}")
            self.nav.addItem(item)
        if not self._specs:
            self.stack.addWidget(QLabel(self.tr("当前角色没有可用的功能，请联系系统管理员。")))

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.keys_dialog: KeysDialog | None = None
        self._build_menus()
        self._build_status_bar(store_name)

        security = ctx.policy.security
        self.idle_lock = IdleLock(
            self,
            user_text=self.tr("{0}（{1}）").format(actor.display_name, roles_text(actor)),
            verify=lambda password: ctx.users.verify_credentials(actor, password),
            timeout_ms=idle_ms if idle_ms is not None else security.idle_lock_minutes * 60_000,
            max_attempts=security.max_failed_logins,
        )
        self.idle_lock.switch_user_chosen.connect(self._on_idle_lock_switch_user_chosen)

        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        if self._specs:
            self.nav.setCurrentRow(0)
        self.nav.setFocus()
        self.idle_lock.start()

    # -- building -------------------------------------------------------------------

    def _build_menus(self) -> None:
        system_menu = self.menuBar().addMenu(self.tr("系统(&S)"))
        self.lock_action = QAction(self.tr("锁屏(&L)"), self)
        # F12 is the till's lock key (one key, as a cashier walks away); Ctrl+L as before.
        self.lock_action.setShortcuts([QKeySequence(Qt.Key.Key_F12), QKeySequence("Ctrl+L")])
        self.lock_action.triggered.connect(self._on_lock_action_triggered)
        self.logout_action = QAction(self.tr("注销(&O)"), self)
        self.logout_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.logout_action.triggered.connect(self._on_logout_action_triggered)
        self.quit_action = QAction(self.tr("退出(&X)"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        self.keys_action = QAction(self.tr("快捷键(&K)"), self)
        self.keys_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.keys_action.triggered.connect(self._on_keys_action_triggered)
        system_menu.addAction(self.keys_action)
        system_menu.addAction(self.lock_action)
        system_menu.addAction(self.logout_action)
        system_menu.addSeparator()
        system_menu.addAction(self.quit_action)

        screens_menu = self.menuBar().addMenu(self.tr("功能(&F)"))
        self.screen_actions: list[QAction] = []
        for row, spec in enumerate(self._specs):
            action = QAction(spec.display_title, self)
            if row < MAX_NUMBERED_SHORTCUTS:
                action.setShortcut(QKeySequence(f"Alt+{row + 1}"))
            action.triggered.connect(lambda _checked=False, r=row: self._open_by_key(r))
            screens_menu.addAction(action)
            self.screen_actions.append(action)

    def _build_status_bar(self, store_name: str) -> None:
        actor = self.actor
        store_code = self._ctx.store.code if self._ctx.store else ""
        self.user_label = QLabel(
            self.tr("用户: {0}（{1}）").format(actor.display_name, roles_text(actor))
        )
        self.store_label = QLabel(self.tr("药店: {0} {1}").format(store_name, store_code))
        self.terminal_label = QLabel(self.tr("终端: {0}").format(actor.terminal_id))
        self.policy_label = QLabel(self.tr("政策版本: {0}").format(self._ctx.policy.version))
        bar = self.statusBar()
        # Card reader, printer, insurer link and outbox lights (issue 10): they find the
        # till, the print queue and the upload monitor on this window as these arrive.
        self.device_status = DeviceStatusBar(self._ctx, actor)
        self.device_status.follow(self)
        # The lights never shrink; on a narrow (1024-pixel) screen the store's name gives
        # way instead (it is in the window title and in its tooltip too).
        self.device_status.setSizePolicy(QSizePolicy.Policy.Minimum,
                                         QSizePolicy.Policy.Preferred)
        bar.addPermanentWidget(self.device_status)
        self.store_label.setToolTip(self.store_label.text())
        self.store_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.store_label.setMinimumWidth(80)
        for label in (self.user_label, self.store_label, self.terminal_label,
                      self.policy_label):
            label.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(label, 1 if label is self.store_label else 0)

    # -- screens --------------------------------------------------------------------

    def nav_titles(self) -> list[str]:
        """Titles listed in the navigation, in order."""
        return [self.nav.item(row).text() for row in range(self.nav.count())]

    def nav_keys(self) -> list[str]:
        """Keys of the screens listed in the navigation, in order."""
        return [spec.key for spec in self._specs]

    def show_screen(self, key: str) -> QWidget:
        """Switch to the screen ``key`` (building it on first use) and return it.

        Raises:
            KeyError: the actor may not open that screen (it is not in the navigation).
        """
        keys = self.nav_keys()
        if key not in keys:
            raise KeyError(key)
        self.nav.setCurrentRow(keys.index(key))
        return self._pages[key]

    def current_screen(self) -> QWidget | None:
        """The screen shown now."""
        return self.stack.currentWidget()

    def _on_nav_current_row_changed(self, row: int) -> None:
        if not (0 <= row < len(self._specs)):
            return
        spec = self._specs[row]
        page = self._pages.get(spec.key)
        if page is None:
            page = spec.factory(self._ctx, self.actor, self.stack)
            page.setObjectName(f"screen_{spec.key}")
            self._pages[spec.key] = page
            self.stack.addWidget(page)
        elif hasattr(page, "refresh"):
            # Coming back to a screen shows current data (e.g. new audit records).
            page.refresh()
        self.stack.setCurrentWidget(page)

    # -- session --------------------------------------------------------------------

    def _open_by_key(self, row: int) -> None:
        """Alt+n: open the screen and put the keys in it, so its F-keys work at once."""
        self.nav.setCurrentRow(row)
        page = self.stack.currentWidget()
        if page is None:
            return
        focused = QApplication.focusWidget()
        if focused is not None and page.isAncestorOf(focused):
            return  # the screen put the keys where it wants them (the till: the scan field)
        if page.focusProxy() is not None or page.focusPolicy() != Qt.FocusPolicy.NoFocus:
            page.setFocus()  # a focus proxy sends it to the screen's main widget
            return
        for child in page.findChildren(QWidget):
            if child.focusPolicy() & Qt.FocusPolicy.TabFocus and child.isVisible() \
                    and child.isEnabled():
                child.setFocus()
                return

    def _on_keys_action_triggered(self) -> None:
        if self.keys_dialog is None:
            self.keys_dialog = KeysDialog(self)
            self.keys_dialog.finished.connect(self._on_keys_dialog_finished)
        self.keys_dialog.open()

    def _on_keys_dialog_finished(self, _result: int) -> None:
        dialog, self.keys_dialog = self.keys_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _on_lock_action_triggered(self) -> None:
        self.idle_lock.lock()

    def _on_logout_action_triggered(self) -> None:
        self._end_session("")

    def _on_idle_lock_switch_user_chosen(self, notice: str) -> None:
        self._end_session(notice)

    def _end_session(self, notice: str) -> None:
        self._ending = True
        self.idle_lock.stop()
        call_guarded(self, lambda: self._ctx.users.log_out(self.actor, reason=notice))
        self.logout_chosen.emit(notice)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Closing the window (退出, Ctrl+Q, the close button) quits, unless logging out."""
        self.idle_lock.stop()
        event.accept()
        if not self._ending:
            self._ending = True
            self.quit_chosen.emit()
