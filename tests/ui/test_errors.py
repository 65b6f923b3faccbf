"""One way to show errors (STYLE.md habit 4): rule refusals with their rule id, faults
with 重试, bugs logged with a crash dialog and a controlled exit."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from pharmacy_pos.domain.errors import (
    DomainError,
    EnvironmentFault,
    Problem,
    ValidationFailed,
)
from pharmacy_pos.ui import errors
from pharmacy_pos.ui.busy import run_busy
from tests.ui.conftest import BoxRecorder


def test_domain_error_shows_rule_id_and_reason(message_boxes: BoxRecorder) -> None:
    retry = errors.show_error(None, DomainError("批次已过期，不能销售", rule_id="SALE-5"))
    assert retry is False
    [box] = message_boxes.shown
    assert box.text == "[SALE-5] 批次已过期，不能销售"
    assert box.icon == QMessageBox.Icon.Warning
    assert "未做任何更改" in box.informative


def test_validation_problems_are_listed(message_boxes: BoxRecorder) -> None:
    errors.show_error(None, ValidationFailed("导入失败", [Problem(3, "零售价", "不是数字")]))
    assert "第 3 行 “零售价”: 不是数字" in message_boxes.shown[0].text


def test_retryable_fault_offers_retry_and_call_guarded_retries(
    message_boxes: BoxRecorder,
) -> None:
    message_boxes.answer = "重试"
    attempts = []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise EnvironmentFault("数据库正被其他程序占用，请稍后重试")
        return "done"

    assert errors.call_guarded(None, flaky) == "done"
    assert len(attempts) == 3
    assert message_boxes.shown[0].buttons == ["重试", "取消"]


def test_cancelled_fault_gives_up(message_boxes: BoxRecorder) -> None:
    message_boxes.answer = "取消"

    def broken() -> None:
        raise EnvironmentFault("磁盘已满")

    assert errors.call_guarded(None, broken) is None
    assert len(message_boxes.shown) == 1


def test_non_retryable_fault_offers_no_retry(message_boxes: BoxRecorder) -> None:
    assert errors.show_error(None, EnvironmentFault("数据库文件已损坏", retryable=False)) is False
    assert message_boxes.shown[0].buttons == ["确定"]


def test_call_guarded_shows_refusal_and_returns_none(message_boxes: BoxRecorder) -> None:
    def refused() -> None:
        raise DomainError("无权执行", rule_id="SEC-1")

    assert errors.call_guarded(None, refused) is None
    assert "[SEC-1]" in message_boxes.shown[0].text


def test_bug_is_logged_shown_and_exits_with_status_70(
    qtbot: QtBot, message_boxes: BoxRecorder, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    exits: list[int] = []
    monkeypatch.setattr(QApplication, "exit", staticmethod(exits.append))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    errors.install_excepthook(None)
    assert sys.excepthook is errors.report_bug
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError:
        with caplog.at_level(logging.CRITICAL, logger="pharmacy_pos.ui.errors"):
            sys.excepthook(*sys.exc_info())
    assert exits == [errors.EXIT_BUG]
    [box] = message_boxes.shown
    assert box.title == "程序错误"
    assert "ZeroDivisionError: boom" in box.detailed
    assert "boom" in caplog.text


def test_run_busy_returns_the_jobs_value(qtbot: QtBot) -> None:
    assert run_busy(None, "正在处理…", lambda: 6 * 7) == 42


def test_run_busy_reraises_the_jobs_error_on_the_gui_thread(qtbot: QtBot) -> None:
    def job() -> None:
        raise DomainError("数据库中已有商品数据")

    with pytest.raises(DomainError, match="已有商品数据"):
        run_busy(None, "正在处理…", job)
