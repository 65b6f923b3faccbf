"""Idle lock (SEC-3): the screen locks after the idle time, Escape does not unlock it,
only the same user's password does; or the user switches, back to the login window."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.demo import DEMO_PASSWORD
from pharmacy_pos.ui.idle_lock import LockDialog
from pharmacy_pos.ui.main_window import MainWindow
from pharmacy_pos.ui.session import SessionController
from tests.ui.helpers import log_in_as

IDLE_MS = 150


@pytest.fixture
def window(qtbot: QtBot, app_ctx: AppContext, log_in: Callable[[str], Actor]) -> MainWindow:
    """The cashier's main window with a short idle time."""
    main = MainWindow(app_ctx, log_in("cashier"), idle_ms=IDLE_MS)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def _lock_dialog(window: MainWindow) -> LockDialog:
    assert window.idle_lock.dialog is not None
    return window.idle_lock.dialog


def test_policy_idle_time_is_used_by_default(
    qtbot: QtBot, app_ctx: AppContext, log_in: Callable[[str], Actor],
) -> None:
    main = MainWindow(app_ctx, log_in("cashier"))
    qtbot.addWidget(main)
    assert main.idle_lock.timeout_ms == app_ctx.policy.security.idle_lock_minutes * 60_000


def test_screen_locks_after_idle_time_and_escape_does_not_unlock(
    qtbot: QtBot, window: MainWindow,
) -> None:
    with qtbot.waitSignal(window.idle_lock.locked, timeout=3000):
        pass
    dialog = _lock_dialog(window)
    assert dialog.isVisible()
    assert "王芳" in dialog.user_label.text()
    cover = window.findChild(object, "lock_cover")
    assert cover is not None and cover.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert window.idle_lock.is_locked
    assert not dialog.close()  # the close button (or Alt+F4) is refused too
    assert window.idle_lock.is_locked


def test_wrong_password_keeps_the_lock_right_password_unlocks(
    qtbot: QtBot, window: MainWindow,
) -> None:
    window.lock_action.trigger()
    dialog = _lock_dialog(window)
    qtbot.keyClicks(dialog.password_edit, "Wrong2026")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert "密码错误" in dialog.error_label.text()
    assert window.idle_lock.is_locked
    with qtbot.waitSignal(window.idle_lock.unlocked):
        qtbot.keyClicks(dialog.password_edit, DEMO_PASSWORD)
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert not window.idle_lock.is_locked
    assert not dialog.isVisible()
    assert window.idle_lock.remaining_ms > 0  # watching again
    qtbot.waitUntil(lambda: window.findChild(object, "lock_cover") is None)


def test_another_users_password_does_not_unlock(qtbot: QtBot, window: MainWindow) -> None:
    window.lock_action.trigger()
    dialog = _lock_dialog(window)
    # The pharmacist's password is also Demo2026 in the demo, so use a real difference:
    # the lock checks the cashier's own account, and "admin" is not a password.
    qtbot.keyClicks(dialog.password_edit, "admin")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert window.idle_lock.is_locked


def test_input_restarts_the_idle_timer(
    qtbot: QtBot, app_ctx: AppContext, log_in: Callable[[str], Actor],
) -> None:
    main = MainWindow(app_ctx, log_in("cashier"), idle_ms=10_000)
    qtbot.addWidget(main)
    main.show()
    qtbot.wait(300)
    assert 0 < main.idle_lock.remaining_ms < 9_800
    # A key that does nothing but be input: switching screens here would spend part of
    # the timer building the next screen and make the figure depend on machine load.
    qtbot.keyClick(main.nav, Qt.Key.Key_Shift)
    assert main.idle_lock.remaining_ms > 9_800
    assert not main.idle_lock.is_locked


def test_switch_user_from_the_lock_returns_to_login(qtbot: QtBot, app_ctx: AppContext) -> None:
    controller = SessionController(app_ctx, idle_ms=IDLE_MS)
    window = log_in_as(qtbot, controller, "cashier", DEMO_PASSWORD)
    qtbot.waitUntil(lambda: window.idle_lock.is_locked, timeout=3000)
    with qtbot.waitSignal(controller.login_shown):
        _lock_dialog(window).switch_button.click()
    assert controller.main_window is None
    assert controller.login_dialog is not None
    assert controller.login_dialog.error_label.text() == ""
    assert window.idle_lock.remaining_ms == -1  # the ended session no longer locks
    controller.close()


def test_too_many_wrong_unlock_passwords_log_out(qtbot: QtBot, app_ctx: AppContext) -> None:
    controller = SessionController(app_ctx)
    window = log_in_as(qtbot, controller, "cashier", DEMO_PASSWORD)
    window.lock_action.trigger()
    lock = _lock_dialog(window)
    with qtbot.waitSignal(controller.login_shown):
        for _ in range(app_ctx.policy.security.max_failed_logins):
            qtbot.keyClicks(lock.password_edit, "Wrong2026")
            qtbot.keyClick(lock.password_edit, Qt.Key.Key_Return)
    assert controller.main_window is None
    assert controller.login_dialog is not None
    assert "已注销" in controller.login_dialog.error_label.text()
    controller.close()
