"""系统状态 panel: database, schema, counts, devices, policy, version."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

import pharmacy_pos
from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.ui.about_view import AboutView


def _view(qtbot: QtBot, app_ctx: AppContext, actor: Actor) -> AboutView:
    view = AboutView(app_ctx, actor)
    qtbot.addWidget(view)
    view.show()
    return view


def test_shows_database_schema_and_counts(
    qtbot: QtBot, app_ctx: AppContext, log_in: Callable[[str], Actor],
) -> None:
    view = _view(qtbot, app_ctx, log_in("cashier"))
    db_file = app_ctx.settings.data_dir / "pharmacy_pos.sqlite3"
    assert str(db_file) in view.database_label.text()
    assert view.revision_label.text() == app_ctx.migration.to_revision
    with app_ctx.uow(readonly=True) as uow:
        products, users = uow.products.count(), uow.users.count()
        ledger = uow.ledger.count()
    assert products > 100
    assert f"商品 {products}" in view.counts_label.text()
    assert f"台账 {ledger} 条" in view.counts_label.text()
    assert f"用户 {users}" in view.counts_label.text()


def test_shows_policy_version_region_and_effective_date(
    qtbot: QtBot, app_ctx: AppContext, log_in: Callable[[str], Actor],
) -> None:
    view = _view(qtbot, app_ctx, log_in("cashier"))
    assert "2026.1" in view.policy_label.text()
    assert app_ctx.policy.region in view.policy_label.text()
    assert "2026-01-01" in view.policy_label.text()
    assert "5 分钟锁屏" in view.security_label.text()
    assert pharmacy_pos.__version__ in view.software_label.text()
    assert "T01" in view.terminal_label.text()


def test_shows_card_reader_and_printer_with_state_and_advice(
    qtbot: QtBot, app_ctx: AppContext, log_in: Callable[[str], Actor],
) -> None:
    view = _view(qtbot, app_ctx, log_in("cashier"))
    # The test terminal is configured with card_reader="none" and the file printer.
    assert view.device_text("card_reader").startswith("未连接")
    assert "未配置读卡器" in view.device_text("card_reader")
    assert "未配置读卡器" in view.card_reader_label.text()
    assert view.device_text("printer").startswith("模拟")
    assert "receipts.prn" in view.device_text("printer")


def test_refresh_shows_new_data(
    qtbot: QtBot, app_ctx: AppContext, log_in: Callable[[str], Actor],
) -> None:
    view = _view(qtbot, app_ctx, log_in("cashier"))
    with app_ctx.uow(readonly=True) as uow:
        users = uow.users.count()
    app_ctx.users.add_user(log_in("admin"), username="newbie", display_name="新人",
                           password="Fresh2026x", roles=[Role.CASHIER])
    assert f"用户 {users}" in view.counts_label.text()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view, Qt.Key.Key_F5)
    # A button's shortcut "animates" the click, which lands ~100 ms later.
    qtbot.waitUntil(lambda: f"用户 {users + 1}" in view.counts_label.text(), timeout=2000)
