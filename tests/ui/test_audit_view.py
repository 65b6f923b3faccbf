"""审计日志: the newest 200 records, newest first, in Asia/Shanghai time (SEC-4)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.domain.clock import FixedClock
from pharmacy_pos.domain.errors import AuthenticationFailed, PermissionDenied
from pharmacy_pos.services import audit
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.audit import recent_audit
from pharmacy_pos.ui.audit_model import AuditModel
from pharmacy_pos.ui.audit_view import AuditView

TIME, ACTOR, TERMINAL, ACTION, TARGET, DETAIL = 1, 2, 3, 4, 5, 6


def _cell(view: AuditView, row: int, column: int) -> str:
    return view.proxy.index(row, column).data()


@pytest.fixture
def auditor(log_in: Callable[[str], Actor]) -> Actor:
    """The demo auditor, logged in."""
    return log_in("auditor")


def _view(qtbot: QtBot, ctx: AppContext, actor: Actor) -> AuditView:
    view = AuditView(ctx, actor)
    qtbot.addWidget(view)
    view.show()
    return view


def test_newest_record_first_in_store_time(
    qtbot: QtBot, app_ctx: AppContext, auditor: Actor, ui_clock: FixedClock,
) -> None:
    ui_clock.advance(minutes=5)
    with pytest.raises(AuthenticationFailed):
        app_ctx.users.authenticate("cashier", "Wrong2026", terminal_id="T09")
    view = _view(qtbot, app_ctx, auditor)
    assert _cell(view, 0, ACTION) == "登录失败 (login.failed)"
    assert _cell(view, 0, TIME) == "2026-11-01 10:05:00"  # 02:05 UTC
    assert _cell(view, 0, ACTOR) == "cashier"
    assert _cell(view, 0, TERMINAL) == "T09"
    assert _cell(view, 0, TARGET).startswith("user #")
    assert "failed_logins: 1" in _cell(view, 0, DETAIL)
    assert view.proxy.index(0, ACTION).data(Qt.ItemDataRole.ForegroundRole) is not None
    # The auditor's own log-in is the record before it.
    assert _cell(view, 1, ACTION) == "登录成功 (login.ok)"


def test_shows_at_most_the_newest_200(
    qtbot: QtBot, app_ctx: AppContext, auditor: Actor, ui_clock: FixedClock,
) -> None:
    with app_ctx.uow() as uow:
        for number in range(230):
            audit.record(uow, auditor, "test.bulk", at=ui_clock.now(),
                         detail={"n": number})
        uow.commit()
    view = _view(qtbot, app_ctx, auditor)
    assert view.model.rowCount() == 200
    assert "n: 229" in _cell(view, 0, DETAIL)
    assert "n: 30" in _cell(view, 199, DETAIL)
    assert _cell(view, 0, ACTION) == "test.bulk"  # unknown actions show their code


def test_filter_narrows_the_list(qtbot: QtBot, app_ctx: AppContext, auditor: Actor) -> None:
    view = _view(qtbot, app_ctx, auditor)
    total = view.proxy.rowCount()
    qtbot.keyClicks(view.filter_edit, "supplier.add")
    assert 0 < view.proxy.rowCount() < total
    assert all("supplier.add" in _cell(view, r, ACTION) for r in range(view.proxy.rowCount()))
    assert view.count_label.text() == f"{view.proxy.rowCount()} / {total} 条"


def test_refresh_on_return_shows_new_records(
    qtbot: QtBot, app_ctx: AppContext, auditor: Actor,
) -> None:
    view = _view(qtbot, app_ctx, auditor)
    before = view.model.rowCount()
    with pytest.raises(AuthenticationFailed):
        app_ctx.users.authenticate("cashier", "Wrong2026", terminal_id="T01")
    view.refresh()
    assert view.model.rowCount() == before + 1


def test_reading_the_audit_log_needs_permission(
    app_ctx: AppContext, log_in: Callable[[str], Actor],
) -> None:
    with pytest.raises(PermissionDenied):
        recent_audit(app_ctx.uow, log_in("cashier"))


def test_audit_model_passes_modeltester(
    qtmodeltester: ModelTester, app_ctx: AppContext, auditor: Actor,
) -> None:
    model = AuditModel()
    model.set_rows(recent_audit(app_ctx.uow, auditor))
    assert model.rowCount() > 10
    qtmodeltester.check(model)
