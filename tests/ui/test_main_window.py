"""Main window: navigation limited by role (SEC-1), keyboard access, status bar, the
screen registry as the plug-in point, and log-out back to the login window."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.demo import DEMO_PASSWORD
from pharmacy_pos.ui.about_view import AboutView
from pharmacy_pos.ui.catalogue_view import CatalogueView
from pharmacy_pos.ui.history_view import HistoryView
from pharmacy_pos.ui.main_window import MainWindow
from pharmacy_pos.ui.return_view import ReturnView
from pharmacy_pos.ui.screens import SCREENS, ScreenSpec
from pharmacy_pos.ui.session import SessionController
from pharmacy_pos.ui.till_view import TillView
from tests.ui.helpers import log_in_as

OpenWindow = Callable[..., MainWindow]


@pytest.fixture
def open_window(
    qtbot: QtBot, app_ctx: AppContext, log_in: Callable[[str], Actor],
) -> OpenWindow:
    """Open a main window for a demo user: ``open_window("cashier")``."""

    def _open(username: str, **options: object) -> MainWindow:
        window = MainWindow(app_ctx, log_in(username), **options)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return _open


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("cashier", ["till", "returns", "history", "catalogue", "about", "uploads"]),
        ("pharmacist", ["till", "review", "returns", "history", "catalogue", "stockkeeping",
                        "about", "uploads"]),
        ("inspector", ["catalogue", "receiving", "acceptance", "stockkeeping", "stocktake",
                       "about", "uploads"]),
        ("manager", ["catalogue", "receiving", "stocktake", "reports", "dashboard", "audit",
                     "policy", "about", "uploads"]),
        ("auditor", ["catalogue", "reports", "dashboard", "audit", "about", "uploads"]),
        ("admin", ["users", "audit", "about", "uploads"]),
    ],
)
def test_navigation_lists_only_what_the_role_may_do(
    open_window: OpenWindow, username: str, expected: list[str],
) -> None:
    window = open_window(username)
    assert window.nav_keys() == expected
    assert len(window.nav_titles()) == len(expected)


def test_first_screen_opens_at_once(open_window: OpenWindow) -> None:
    window = open_window("cashier")
    assert isinstance(window.current_screen(), TillView)
    assert window.nav.currentRow() == 0


def test_alt_number_opens_the_nth_screen(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window("cashier")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.nav, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    assert isinstance(window.current_screen(), AboutView)
    qtbot.keyClick(window.nav, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert isinstance(window.current_screen(), CatalogueView)
    qtbot.keyClick(window.nav, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert isinstance(window.current_screen(), HistoryView)
    qtbot.keyClick(window.nav, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert isinstance(window.current_screen(), ReturnView)
    qtbot.keyClick(window.nav, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert isinstance(window.current_screen(), TillView)


def test_arrow_keys_in_navigation_switch_screens(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window("cashier")
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert isinstance(window.current_screen(), ReturnView)
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert isinstance(window.current_screen(), HistoryView)


def test_screen_is_built_once_and_reused(open_window: OpenWindow) -> None:
    window = open_window("admin")
    first = window.show_screen("audit")
    window.show_screen("about")
    assert window.show_screen("audit") is first


def test_forbidden_screen_cannot_be_opened_by_key(open_window: OpenWindow) -> None:
    window = open_window("cashier")
    with pytest.raises(KeyError):
        window.show_screen("users")


def test_status_bar_names_user_roles_store_and_terminal(open_window: OpenWindow) -> None:
    window = open_window("pharmacist2")
    assert "周婷" in window.user_label.text()
    assert "药师" in window.user_label.text()
    assert "收银员" in window.user_label.text()
    assert "演示大药房" in window.store_label.text()
    assert "T01" in window.terminal_label.text()
    assert "2026.1" in window.policy_label.text()


def test_a_later_screen_plugs_in_by_appending_a_spec(open_window: OpenWindow) -> None:
    def build(_ctx: AppContext, _actor: Actor, parent: QWidget | None) -> QWidget:
        return QLabel("收银台", parent)

    specs = [*SCREENS, ScreenSpec("sale", "收银", Permission.SELL, build)]
    cashier = open_window("cashier", screens=specs)
    admin = open_window("admin", screens=specs)
    assert cashier.nav_keys()[-1] == "sale"
    assert "收银" in cashier.nav_titles()
    assert "sale" not in admin.nav_keys()
    assert isinstance(cashier.show_screen("sale"), QLabel)


def test_log_out_returns_to_the_login_window(qtbot: QtBot, app_ctx: AppContext) -> None:
    controller = SessionController(app_ctx)
    window = log_in_as(qtbot, controller, "cashier", DEMO_PASSWORD)
    with qtbot.waitSignal(controller.login_shown):
        window.logout_action.trigger()
    assert controller.main_window is None
    assert controller.login_dialog is not None
    assert controller.login_dialog.isVisible()
    assert not window.isVisible()
    controller.close()


def test_closing_the_main_window_ends_the_application(
    qtbot: QtBot, app_ctx: AppContext,
) -> None:
    controller = SessionController(app_ctx)
    dialog = controller.start()
    qtbot.keyClicks(dialog.username_edit, "admin")
    qtbot.keyClicks(dialog.password_edit, DEMO_PASSWORD)
    with qtbot.waitSignal(controller.session_started) as started:
        dialog.login_button.click()
    with qtbot.waitSignal(controller.ended):
        started.args[0].quit_action.trigger()
    assert controller.main_window is None
