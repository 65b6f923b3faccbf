"""The main window's lights (issue 10): 读卡器, 打印机, 医保 and 待上传 go red for their real
causes and back to green once fixed, each with a tooltip saying what to do.

Real parts: a network printer on 127.0.0.1 (a closed port, then a listener; a listener
that says it is out of paper), a private pcscd that is killed and started again (in a
child process, as libpcsclite binds its socket once per process), the embedded insurer
switched off and on, an insurer URL where nobody listens until the loopback simulator
starts there, and a record the insurer refuses. The workers report on their own threads;
the tests wait for the lights, never for a fixed time.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pharmacy_pos.bootstrap import AppContext, build_context
from pharmacy_pos.db.models import Product, ProductBarcode
from pharmacy_pos.domain.clock import FixedClock
from pharmacy_pos.paths import resource
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.demo import DEMO_PASSWORD
from pharmacy_pos.services.uploads import REFUSED
from pharmacy_pos.ui.main_window import MainWindow
from pharmacy_pos.ui.print_status import PrintQueue
from pharmacy_pos.ui.session import SessionController
from pharmacy_pos.ui.status_bar import DeviceStatusBar, Level, StatusIndicator
from pharmacy_pos.ui.uploads_view import UploadMonitor, start_uploads_with_sessions
from tests.cards import card
from tests.devices.tcp_printer import STATUS_OK, STATUS_PAPER_OUT, TcpPrinter, refused_port
from tests.insurer_sim import SimProcess
from tests.ui.conftest import DB_FILE, MOMENT, TERMINAL, ui_settings
from tests.ui.fakes import FakeCardWatcher
from tests.ui.helpers import log_in_as, run_with_real_pcscd
from tests.ui.test_printing_ui import plain_barcodes, sell

WAIT_MS = 30_000
#: Purchase records the demo database holds for the insurer (one per received line).
DEMO_RECORDS = 236

MakeContext = Callable[..., AppContext]


# -- fixtures ---------------------------------------------------------------------------------

@pytest.fixture
def make_ctx(demo_template: Path, tmp_path: Path, ui_clock: FixedClock,
             ) -> Iterator[MakeContext]:
    """Contexts over a copy of the demo database, with settings changed: ``make_ctx(
    printer="tcp:…")``; closed at the end."""
    made: list[AppContext] = []

    def _make(**settings: object) -> AppContext:
        data_dir = tmp_path / f"data{len(made)}"
        data_dir.mkdir()
        for name in (DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm"):
            if (demo_template / name).exists():
                shutil.copy2(demo_template / name, data_dir / name)
        ctx = build_context(ui_settings(data_dir).model_copy(update=settings), clock=ui_clock)
        made.append(ctx)
        return ctx

    yield _make
    for ctx in made:
        ctx.close()


@pytest.fixture
def open_bar(qtbot: QtBot) -> Callable[[AppContext, Actor], DeviceStatusBar]:
    """The lights alone, shown, reading the upload counts after every report."""

    def _open(ctx: AppContext, actor: Actor) -> DeviceStatusBar:
        bar = DeviceStatusBar(ctx, actor)
        bar.states.overview_interval_ms = 0
        qtbot.addWidget(bar)
        bar.show()
        return bar

    return _open


@pytest.fixture
def monitors() -> Iterator[list[UploadMonitor]]:
    """Upload monitors a test starts; stopped at the end (before their context closes)."""
    started: list[UploadMonitor] = []
    yield started
    for monitor in started:
        monitor.stop()


def cashier_of(ctx: AppContext) -> Actor:
    return ctx.users.authenticate("cashier", DEMO_PASSWORD, terminal_id=TERMINAL)


def shows(indicator: StatusIndicator, level: Level, text: str | None = None) -> Callable[[], bool]:
    """A condition for ``qtbot.waitUntil``: the light shows ``level`` (and ``text``)."""
    return lambda: indicator.level is level and (text is None or indicator.text() == text)


def watch_uploads(ctx: AppContext, bar: DeviceStatusBar,
                  monitors: list[UploadMonitor]) -> UploadMonitor:
    monitor = UploadMonitor(ctx)
    bar.states.set_upload_monitor(monitor)
    monitors.append(monitor)
    monitor.start()
    return monitor


# -- in the main window -----------------------------------------------------------------------

def test_the_main_window_shows_the_four_lights_fed_by_the_session(
    qtbot: QtBot, make_ctx: MakeContext,
) -> None:
    ctx = make_ctx()
    controller = SessionController(ctx, print_queue=PrintQueue(ctx.printing))
    start_uploads_with_sessions(controller, ctx)
    window = log_in_as(qtbot, controller, "cashier", DEMO_PASSWORD)
    try:
        bar = window.device_status
        assert isinstance(bar, DeviceStatusBar)
        assert bar in window.statusBar().findChildren(DeviceStatusBar)
        # This terminal has no card reader (card_reader = none).
        assert (bar.card_reader.level, bar.card_reader.text()) == (Level.OFF, "未配置")
        assert "未配置读卡器" in bar.card_reader.toolTip()
        # The file printer of the demo: the worker's report makes it ready.
        qtbot.waitUntil(shows(bar.printer, Level.OK, "就绪"), timeout=WAIT_MS)
        assert "模拟打印机（打印到文件）" in bar.printer.toolTip()
        # The embedded insurer is training/simulation, and the first pass uploads the
        # demo's records: nothing waits.
        qtbot.waitUntil(shows(bar.outbox, Level.OK, "0 条"), timeout=WAIT_MS)
        assert (bar.insurer.level, bar.insurer.text()) == (Level.OFF, "模拟")
        assert "训练/模拟" in bar.insurer.toolTip()
        assert "全部数据已上传" in bar.outbox.toolTip()
    finally:
        controller.close()
        monitor = controller.findChild(UploadMonitor)
        if monitor is not None:
            monitor.stop()


def test_training_mode_shows_the_insurer_as_training(
    make_ctx: MakeContext, open_bar: Callable[..., DeviceStatusBar],
) -> None:
    ctx = make_ctx(training=True)
    bar = open_bar(ctx, cashier_of(ctx))
    assert (bar.insurer.level, bar.insurer.text()) == (Level.OFF, "训练")
    assert bar.insurer.toolTip().startswith("培训模式（训练/模拟）：使用内置的模拟医保")


# -- 打印机 ------------------------------------------------------------------------------------

def test_printer_offline_is_red_with_what_to_do_and_green_once_switched_on(
    qtbot: QtBot, make_ctx: MakeContext, open_bar: Callable[..., DeviceStatusBar],
) -> None:
    port = refused_port()
    ctx = make_ctx(printer=f"tcp:127.0.0.1:{port}")
    cashier = cashier_of(ctx)
    bar = open_bar(ctx, cashier)
    queue = PrintQueue(ctx.printing)
    bar.states.set_print_queue(queue)
    queue.start()
    try:
        sell(ctx, cashier, plain_barcodes(ctx, cashier, 1)[0])
        queue.wake()
        qtbot.waitUntil(shows(bar.printer, Level.FAULT, "离线"), timeout=WAIT_MS)
        tip = bar.printer.toolTip()
        assert tip.startswith("打印机离线：检查打印机的电源、网线或 USB 线")
        assert "按“重试”" in tip and "未打印的小票会自动补打" in tip and "SALE-6" in tip
        assert "1 张待打印" in tip and f"127.0.0.1:{port}" in tip  # the adapter's reason
        with TcpPrinter(status=STATUS_OK, port=port) as printer:
            queue.wake()  # the cashier's 重试
            qtbot.waitUntil(shows(bar.printer, Level.OK, "就绪"), timeout=WAIT_MS)
            assert len(printer.jobs(1)) == 1  # the receipt that waited
        assert bar.printer.toolTip() == f"打印机就绪：网络打印机 127.0.0.1:{port}"
    finally:
        queue.stop()


def test_printer_out_of_paper_is_red_until_paper_is_loaded(
    qtbot: QtBot, make_ctx: MakeContext, open_bar: Callable[..., DeviceStatusBar],
) -> None:
    with TcpPrinter(status=STATUS_PAPER_OUT) as printer:
        ctx = make_ctx(printer=printer.setting)
        cashier = cashier_of(ctx)
        bar = open_bar(ctx, cashier)
        queue = PrintQueue(ctx.printing)
        bar.states.set_print_queue(queue)
        queue.start()
        try:
            sell(ctx, cashier, plain_barcodes(ctx, cashier, 1)[0])
            queue.wake()
            qtbot.waitUntil(shows(bar.printer, Level.FAULT, "缺纸"), timeout=WAIT_MS)
            assert bar.printer.toolTip().startswith(
                "打印机缺纸：装纸后按“重试”（收银界面），未打印的小票会自动补打。\n1 张待打印。")
            assert bar.printer.state_label.styleSheet().startswith("color: #c0392b;")
            printer.status = STATUS_OK  # paper loaded
            queue.wake()
            qtbot.waitUntil(shows(bar.printer, Level.OK, "就绪"), timeout=WAIT_MS)
            assert bar.printer.toolTip().startswith("打印机就绪：")
        finally:
            queue.stop()


# -- 读卡器 ------------------------------------------------------------------------------------

def till_with_fake_watcher(qtbot: QtBot, make_ctx: MakeContext,
                           monkeypatch: pytest.MonkeyPatch) -> tuple[MainWindow, FakeCardWatcher]:
    """The cashier's main window, shown, on a PC/SC terminal whose card watcher the test
    drives."""
    ctx = make_ctx(card_reader="pcsc")
    watcher = FakeCardWatcher()
    monkeypatch.setattr(ctx, "card_watcher", lambda: watcher)
    window = MainWindow(ctx, cashier_of(ctx))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window, watcher


def test_card_reader_lost_is_red_and_follows_the_till_back_to_green(
    qtbot: QtBot, make_ctx: MakeContext, monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, watcher = till_with_fake_watcher(qtbot, make_ctx, monkeypatch)
    light = window.device_status.card_reader
    # The till is the cashier's first screen: its watcher started with it.
    qtbot.waitUntil(shows(light, Level.OK, "无卡"), timeout=WAIT_MS)
    assert watcher.running
    assert light.toolTip() == "读卡器已连接，未插卡：插入社保卡即自动读取"

    watcher.lose("读卡服务未运行或读卡器未连接，恢复后将自动重新连接")
    qtbot.waitUntil(shows(light, Level.FAULT, "未连接"), timeout=WAIT_MS)
    assert light.toolTip().startswith("读卡器未连接：读卡服务未运行或读卡器未连接")
    assert "检查读卡器的 USB 线" in light.toolTip() and "按 F9 重新连接" in light.toolTip()

    watcher.back()
    qtbot.waitUntil(shows(light, Level.OK, "无卡"), timeout=WAIT_MS)

    watcher.insert(card())
    qtbot.waitUntil(shows(light, Level.OK, "已读卡"), timeout=WAIT_MS)
    assert "请勿拔卡（ID-7）" in light.toolTip()
    watcher.remove()
    qtbot.waitUntil(shows(light, Level.OK, "无卡"), timeout=WAIT_MS)
    watcher.fail("卡片无应答")
    qtbot.waitUntil(shows(light, Level.WAITING, "读卡失败"), timeout=WAIT_MS)
    assert light.toolTip().startswith("社保卡未能读取：卡片无应答\n请取出社保卡")
    window.close()
    assert not watcher.running


def test_card_reader_red_after_a_reconnect_that_fails_then_green_on_f9(
    qtbot: QtBot, make_ctx: MakeContext, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The reader's fault clears on 重新连接 (F9) when the new watcher starts."""
    window, watcher = till_with_fake_watcher(qtbot, make_ctx, monkeypatch)
    light = window.device_status.card_reader
    qtbot.waitUntil(shows(light, Level.OK, "无卡"), timeout=WAIT_MS)
    watcher.lose("未检测到读卡器，请连接社保卡读卡器（连接后将自动识别）")
    qtbot.waitUntil(shows(light, Level.FAULT, "未连接"), timeout=WAIT_MS)
    till = window.current_screen()
    till.panel.reconnect_button.click()  # what F9 does while the fault shows
    assert watcher.starts == 2
    qtbot.waitUntil(shows(light, Level.OK, "无卡"), timeout=WAIT_MS)
    window.close()


def test_card_reader_real_pcscd_killed_is_red_and_green_once_it_runs_again(
    app_ctx: AppContext,
) -> None:
    """A private pcscd with the vpcd reader, killed and started again; the till's
    watcher, the card events and the light all real (in a child process)."""
    result = run_with_real_pcscd("tests.ui.test_status_bar:watch_real_reader",
                                 app_ctx.settings.data_dir)
    steps = {name: (level, text, tip) for name, level, text, tip in result["steps"]}
    assert steps["started"][:2] == ("ok", "无卡")
    assert steps["card"][:2] == ("ok", "已读卡")
    assert steps["removed"][:2] == ("ok", "无卡")
    level, text, tip = steps["killed"]
    assert (level, text) == ("fault", "未连接")
    assert tip.startswith("读卡器未连接：读卡服务未运行或读卡器未连接")
    assert "确认读卡服务（pcscd）已启动" in tip and "按 F9 重新连接" in tip
    assert steps["restarted"][:2] == ("ok", "无卡")


def watch_real_reader(data_dir: str) -> None:
    """Child process of the real-pcscd test: prints one JSON line with the light's
    (level, text, tooltip) after each step."""
    from PySide6.QtWidgets import QApplication

    from pharmacy_pos.devices.adapters.virtual_card import HOLDERS, VirtualCard
    from tests.devices.pcscd import PcscdUnavailable, PrivatePcscd

    try:
        daemon = PrivatePcscd()
        daemon.start()
    except PcscdUnavailable as exc:
        print(json.dumps({"skip": str(exc)}))
        return
    app = QApplication([])
    settings = ui_settings(Path(data_dir)).model_copy(
        update={"card_reader": "pcsc", "card_reader_name": daemon.reader})
    ctx = build_context(settings, clock=FixedClock(MOMENT))
    steps: list[tuple[str, str, str, str]] = []
    try:
        window = MainWindow(ctx, cashier_of(ctx))
        window.show()
        light = window.device_status.card_reader

        def step(name: str, level: Level, text: str, seconds: float) -> None:
            _spin(app, seconds, shows(light, level, text))
            steps.append((name, str(light.level), light.text(), light.toolTip()))

        step("started", Level.OK, "无卡", 3.0)
        card = VirtualCard(HOLDERS["valid"], port=daemon.port)
        card.insert()
        step("card", Level.OK, "已读卡", 5.0)
        card.remove()
        step("removed", Level.OK, "无卡", 5.0)
        daemon.kill()
        step("killed", Level.FAULT, "未连接", 10.0)
        daemon.start()
        step("restarted", Level.OK, "无卡", 15.0)
        window.close()
        print(json.dumps({"steps": steps}, ensure_ascii=False))
    finally:
        ctx.close()
        daemon.close()


def _spin(app: QCoreApplication, seconds: float, done: Callable[[], bool]) -> None:
    """Run the event loop until ``done()`` or ``seconds`` passed."""
    deadline = time.monotonic() + seconds
    loop = QEventLoop()
    while not done() and time.monotonic() < deadline:
        QTimer.singleShot(5, loop.quit)
        loop.exec()
    app.processEvents()


# -- 医保 and 待上传 ----------------------------------------------------------------------------

def test_insurer_down_is_red_and_sec_7_turns_the_outbox_red_after_20_minutes(
    qtbot: QtBot, make_ctx: MakeContext, open_bar: Callable[..., DeviceStatusBar],
    monitors: list[UploadMonitor], ui_clock: FixedClock,
) -> None:
    ctx = make_ctx()
    cashier = cashier_of(ctx)
    bar = open_bar(ctx, cashier)
    assert (bar.outbox.level, bar.outbox.text()) == (Level.OFF, "未启动")
    monitor = watch_uploads(ctx, bar, monitors)
    qtbot.waitUntil(shows(bar.outbox, Level.OK, "0 条"), timeout=WAIT_MS)  # the demo's
    insurer = ctx.insurer
    insurer.set_online(False)  # type: ignore[attr-defined]  # the embedded insurer's switch
    sell(ctx, cashier, plain_barcodes(ctx, cashier, 1)[0])
    monitor.wake()
    qtbot.waitUntil(shows(bar.insurer, Level.FAULT, "连接失败"), timeout=WAIT_MS)
    tip = bar.insurer.toolTip()
    assert tip.startswith("最近一次与医保平台通信失败（内置模拟医保）：医保平台无响应")
    assert "检查网络连接" in tip and "不会丢失" in tip and "SEC-7" in tip
    # Waiting for the link, not yet overdue: amber.
    qtbot.waitUntil(shows(bar.outbox, Level.WAITING, "1 条"), timeout=WAIT_MS)
    assert "医保平台暂时连不上" in bar.outbox.toolTip()

    ui_clock.advance(minutes=21)
    bar.states.recheck()  # what the age timer does every 30 s
    assert (bar.outbox.level, bar.outbox.text()) == (Level.FAULT, "1 条超时")
    assert bar.outbox.toolTip().startswith(
        "1 条记录待上传，最早一条已等待 21 分钟，超过 20 分钟（SEC-7）")
    assert "按 F5 立即上传" in bar.outbox.toolTip()

    insurer.set_online(True)  # type: ignore[attr-defined]
    monitor.wake()
    qtbot.waitUntil(shows(bar.outbox, Level.OK, "0 条"), timeout=WAIT_MS)
    assert (bar.insurer.level, bar.insurer.text()) == (Level.OFF, "模拟")


def test_insurer_url_unreachable_is_red_and_green_once_the_platform_answers(
    qtbot: QtBot, make_ctx: MakeContext, open_bar: Callable[..., DeviceStatusBar],
    monitors: list[UploadMonitor], tmp_path: Path,
) -> None:
    port = refused_port()
    ctx = make_ctx(insurer_url=f"http://127.0.0.1:{port}")
    bar = open_bar(ctx, cashier_of(ctx))
    assert (bar.insurer.level, bar.insurer.text()) == (Level.OFF, "未知")
    monitor = watch_uploads(ctx, bar, monitors)
    qtbot.waitUntil(shows(bar.insurer, Level.FAULT, "连接失败"), timeout=WAIT_MS)
    assert bar.insurer.toolTip().startswith(
        f"最近一次与医保平台通信失败（http://127.0.0.1:{port}）：")
    assert "检查网络连接和医保平台地址" in bar.insurer.toolTip()

    # The platform comes up at that address (the loopback simulator).
    simulator = SimProcess(tmp_path / "insurer-sim.sqlite3",
                           resource("insurer", "national.toml"), ())
    simulator.port = port
    simulator.start()
    try:
        monitor.wake()
        qtbot.waitUntil(shows(bar.insurer, Level.OK, "正常"), timeout=WAIT_MS)
        assert bar.insurer.toolTip().startswith(
            f"医保平台可以访问（http://127.0.0.1:{port}）：最近一次上传 10:00 正常完成")
        qtbot.waitUntil(shows(bar.outbox, Level.OK, "0 条"), timeout=WAIT_MS)
    finally:
        monitor.stop()
        simulator.stop()


def test_outbox_red_for_a_refused_record_and_green_once_corrected(
    qtbot: QtBot, make_ctx: MakeContext, open_bar: Callable[..., DeviceStatusBar],
    monitors: list[UploadMonitor],
) -> None:
    ctx = make_ctx()
    cashier = cashier_of(ctx)
    # A product whose national code (med_list_codg) is missing: the insurer refuses it.
    barcode = plain_barcodes(ctx, cashier, 1)[0]
    with ctx.uow() as uow:
        product_id = uow.session.scalar(
            select(ProductBarcode.product_id).where(ProductBarcode.barcode == barcode))
        product = uow.session.get(Product, product_id)
        assert product is not None
        code, product.med_list_codg = product.med_list_codg, None
        uow.commit()
    sell(ctx, cashier, barcode, tendered=Decimal(200))
    bar = open_bar(ctx, cashier)
    monitor = watch_uploads(ctx, bar, monitors)
    qtbot.waitUntil(shows(bar.outbox, Level.FAULT, "被拒 1"), timeout=WAIT_MS)
    tip = bar.outbox.toolTip()
    assert tip.startswith("医保平台拒绝了 1 条记录（另有 0 条待上传）")
    assert "「医保上传」界面查看拒绝原因，更正后重传（F9）" in tip
    assert (bar.insurer.level, bar.insurer.text()) == (Level.OFF, "模拟")  # it answered

    manager = ctx.users.authenticate("manager", DEMO_PASSWORD, terminal_id=TERMINAL)
    [refused] = ctx.uploads.items(manager, states=(REFUSED,))
    ctx.uploads.correct(manager, refused.id, reason="补全国家医保编码",
                        changes={"med_list_codg": code}, from_catalogue=False)
    monitor.wake()
    qtbot.waitUntil(shows(bar.outbox, Level.OK, "0 条"), timeout=WAIT_MS)
    assert bar.outbox.toolTip() == "全部数据已上传到医保平台"
