"""The main window's device and link lights: 读卡器, 打印机, 医保 and 待上传 (issue 10).

Each light is a coloured disc and a short state, green (working), amber (waiting or
worth a look), red (a person must act) or grey (not in use, simulated, unknown), with a
tooltip in Chinese saying what the state means and, when red, what to do.

Where the states come from (nothing here talks to a device; STYLE.md, habit 6):

- 读卡器: the till's ``CardEvents`` signals (reader lost and back, card read, failed,
  removed); the till is found when the main window builds it.
- 打印机: the session's ``PrintQueue`` reports (``state_changed``) of the print worker.
- 医保 and 待上传: the ``UploadMonitor`` reports (``result_arrived``) of the upload
  worker. After a report the store's upload counts are read once (at most every few
  seconds, never on a timer of their own); the age of the oldest waiting record is then
  compared with SEC-7's 20 minutes on a timer, from what was read, without the database.

``DeviceStates`` holds the logic (no widget); ``DeviceStatusBar`` is the four lights;
``StatusIndicator`` is one light.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QWidget

from pharmacy_pos.devices.adapters.probes import DEFAULT_RECEIPT_FILE
from pharmacy_pos.devices.ports import PrinterConfigError, PrinterKind, parse_printer_config
from pharmacy_pos.domain.clock import STORE_ZONE
from pharmacy_pos.domain.errors import PosError
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.printing import COVER_OPEN, PAPER_OUT, QueueState
from pharmacy_pos.services.uploads import MAX_INTERVAL_SECONDS, PassResult, UploadOverview
from pharmacy_pos.ui import print_status, uploads_view
from pharmacy_pos.ui.card_events import CardEvents
from pharmacy_pos.ui.print_status import PrintQueue
from pharmacy_pos.ui.severity import disc_pixmap
from pharmacy_pos.ui.style import ERROR_STYLE, FOOTNOTE_STYLE
from pharmacy_pos.ui.uploads_view import UploadMonitor

if TYPE_CHECKING:
    from pharmacy_pos.bootstrap import AppContext

log = logging.getLogger(__name__)

#: The lights, left to right.
CARD_READER = "card_reader"
PRINTER = "printer"
INSURER = "insurer"
OUTBOX = "outbox"
KEYS = (CARD_READER, PRINTER, INSURER, OUTBOX)

#: Least time between two reads of the upload counts (after the worker's reports).
OVERVIEW_MIN_INTERVAL_MS = 5_000
#: How often the age of the oldest waiting record is compared with SEC-7's limit.
AGE_CHECK_MS = 30_000
#: SEC-7: data for the insurer is uploaded at least every 20 minutes.
SEC_7_LIMIT_S = MAX_INTERVAL_SECONDS

DOT_SIZE = 12


class Level(StrEnum):
    """A light's colour: what the person at the terminal has to do about it."""

    OK = "ok"            # green: working
    WAITING = "waiting"  # amber: waiting, or worth a look; goes on by itself
    FAULT = "fault"      # red: someone must act (the tooltip says what)
    OFF = "off"          # grey: not configured, not in use, simulated or not known yet


# The colours the till and the print line already use (till_view.py, print_status.py);
# red and grey are those of style.ERROR_STYLE and style.FOOTNOTE_STYLE.
COLOURS = {Level.OK: "#1e8449", Level.WAITING: "#b9770e", Level.FAULT: "#c0392b",
           Level.OFF: "#7f8c8d"}
#: The state's text style: red and grey as the other screens' error and footnote lines.
TEXT_STYLES = {Level.OK: "", Level.WAITING: "", Level.FAULT: ERROR_STYLE + " font-weight: bold;",
               Level.OFF: FOOTNOTE_STYLE}


@dataclass(frozen=True, slots=True)
class Indication:
    """What one light shows: its colour, a short state and the tooltip."""

    level: Level
    text: str
    tooltip: str


@cache
def dot_pixmap(level: Level) -> QPixmap:
    """A filled disc in the level's colour (drawn: the offscreen style draws none)."""
    return disc_pixmap(COLOURS[level], DOT_SIZE)


def _local_time(moment: object) -> str:
    return moment.astimezone(STORE_ZONE).strftime("%H:%M")  # type: ignore[attr-defined]


class DeviceStates(QObject):
    """The four lights' states, from the till's card events and the workers' reports.

    ``changed`` (key, Indication) is emitted on the GUI thread whenever a light changes;
    :meth:`indication` gives the current one. Sources are handed in with the ``set_*``
    methods, or found on the main window by :meth:`follow`.
    """

    changed = Signal(str, object)  # key, Indication

    def __init__(self, ctx: AppContext, actor: Actor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self._clock = ctx.clock
        self._card_configured = ctx.settings.card_reader != "none"
        self._card_events: CardEvents | None = None
        self._till: QWidget | None = None
        self._card_state = "idle"  # idle, card, failed or lost
        self._card_message = ""
        self._queue: PrintQueue | None = None
        self._monitor: UploadMonitor | None = None
        self._last_pass: PassResult | None = None
        self._last_pass_at = None
        self._overview: UploadOverview | None = None
        self._overview_read_at: float | None = None  # time.monotonic() of the last read
        self._window: QWidget | None = None
        self._stack: QStackedWidget | None = None
        self._shown: dict[str, Indication] = {}
        #: Least milliseconds between two reads of the upload counts.
        self.overview_interval_ms = OVERVIEW_MIN_INTERVAL_MS

        self._overview_timer = QTimer(self)
        self._overview_timer.setSingleShot(True)
        self._overview_timer.timeout.connect(self._on_overview_timer_timeout)
        # The oldest waiting record ages without anything being reported: look again now
        # and then, from what was read (no database on this timer).
        self.age_timer = QTimer(self)
        self.age_timer.setInterval(AGE_CHECK_MS)
        self.age_timer.timeout.connect(self.recheck)
        self.age_timer.start()

    # -- sources ------------------------------------------------------------------------

    def follow(self, window: QWidget) -> None:
        """Find the sources on ``window`` as they arrive: the print queue and the upload
        monitor the session hangs on it (dynamic properties), and the till among the
        screens of its ``stack`` when it is built."""
        self._window = window
        window.installEventFilter(self)
        self._pick_up_properties()
        stack = getattr(window, "stack", None)
        if isinstance(stack, QStackedWidget):
            self._stack = stack
            stack.widgetAdded.connect(self._on_stack_widget_added)
            for index in range(stack.count()):
                self._on_stack_widget_added(index)

    def set_card_events(self, events: CardEvents | None, till: QWidget | None = None) -> None:
        """Follow the card events of the till ``till`` (None: no till in this session)."""
        if self._card_events is not None:
            old = self._card_events
            for signal, slot in self._card_connections(old):
                signal.disconnect(slot)
        if self._till is not None:
            self._till.removeEventFilter(self)
        self._card_events = events
        self._till = till
        self._card_state, self._card_message = "idle", ""
        if events is not None:
            for signal, slot in self._card_connections(events):
                signal.connect(slot)
        if till is not None:
            # The watcher starts when the till is first shown, and restarts on 重新连接
            # (F9); neither says anything when the reader is there.
            till.installEventFilter(self)
            panel = getattr(till, "panel", None)
            button = getattr(panel, "reconnect_button", None)
            if button is not None:
                button.clicked.connect(self._on_reader_restarted)
            cart_view = getattr(till, "cart_view", None)
            sale_completed = getattr(cart_view, "sale_completed", None)
            if sale_completed is not None:
                # A sale writes a message for the insurer: count it soon.
                sale_completed.connect(self._on_sale_completed)
        self._update(CARD_READER)

    def _card_connections(self, events: CardEvents) -> list[tuple[object, object]]:
        return [
            (events.card_read, self._on_card_events_card_read),
            (events.card_failed, self._on_card_events_card_failed),
            (events.card_removed, self._on_card_events_card_removed),
            (events.reader_lost, self._on_card_events_reader_lost),
            (events.reader_back, self._on_card_events_reader_back),
            (events.read_finished, self._on_card_events_read_finished),
        ]

    def set_print_queue(self, queue: PrintQueue | None) -> None:
        """Follow the print worker's reports (None: no printing in this session)."""
        if queue is self._queue:
            return
        if self._queue is not None:
            self._queue.state_changed.disconnect(self._on_queue_state_changed)
        self._queue = queue
        if queue is not None:
            queue.state_changed.connect(self._on_queue_state_changed)
        self._update(PRINTER)

    def set_upload_monitor(self, monitor: UploadMonitor | None) -> None:
        """Follow the upload worker's reports (None: no uploads in this session)."""
        if monitor is self._monitor:
            return
        if self._monitor is not None:
            self._monitor.result_arrived.disconnect(self._on_monitor_result_arrived)
        self._monitor = monitor
        self._last_pass = None
        if monitor is not None:
            monitor.result_arrived.connect(self._on_monitor_result_arrived)
            if monitor.last is not None:  # a worker of an earlier session reported already
                self._on_monitor_result_arrived(monitor.last)
                return
        self._update(INSURER, OUTBOX)

    def _pick_up_properties(self) -> None:
        window = self._window
        if window is None:
            return
        queue = window.property(print_status.PROPERTY)
        if isinstance(queue, PrintQueue):
            self.set_print_queue(queue)
        monitor = window.property(uploads_view.PROPERTY)
        if isinstance(monitor, UploadMonitor):
            self.set_upload_monitor(monitor)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """The session hangs its queue and monitor on the window; the till starts its
        reader when shown."""
        kind = event.type()
        if watched is self._window and kind == QEvent.Type.DynamicPropertyChange:
            self._pick_up_properties()
        elif watched is self._till and kind == QEvent.Type.Show:
            # The till's own showEvent starts the watcher after this filter has run.
            QTimer.singleShot(0, self._on_reader_restarted)
        return super().eventFilter(watched, event)

    def _on_stack_widget_added(self, index: int) -> None:
        stack = self._stack
        page = stack.widget(index) if stack is not None else None
        events = getattr(page, "card_events", None)
        if isinstance(events, CardEvents):
            self.set_card_events(events, page)

    # -- reports (GUI thread) -----------------------------------------------------------

    def _on_card_events_card_read(self, _event: object) -> None:
        self._card_state, self._card_message = "card", ""
        self._update(CARD_READER)

    def _on_card_events_card_failed(self, message: str) -> None:
        self._card_state, self._card_message = "failed", message
        self._update(CARD_READER)

    def _on_card_events_card_removed(self) -> None:
        self._card_state, self._card_message = "idle", ""
        self._update(CARD_READER)

    def _on_card_events_reader_lost(self, message: str) -> None:
        self._card_state, self._card_message = "lost", message
        self._update(CARD_READER)

    def _on_card_events_reader_back(self) -> None:
        self._card_state, self._card_message = "idle", ""
        self._update(CARD_READER)

    def _on_card_events_read_finished(self) -> None:
        self._update(CARD_READER)

    def _on_reader_restarted(self, _checked: bool = False) -> None:
        # A watcher (re)started: a missing reader reports itself shortly (reader_lost).
        events = self._card_events
        if events is not None and events.watching and self._card_state == "lost":
            self._card_state, self._card_message = "idle", ""
        self._update(CARD_READER)

    def _on_queue_state_changed(self, _state: QueueState) -> None:
        self._update(PRINTER)

    def _on_monitor_result_arrived(self, result: PassResult) -> None:
        self._last_pass = result
        self._last_pass_at = self._clock.now()
        self._update(INSURER)
        self.request_overview()

    def _on_sale_completed(self, _sale: object) -> None:
        if self._monitor is not None:
            self.request_overview()

    # -- the upload counts ----------------------------------------------------------------

    def request_overview(self) -> None:
        """Read the store's upload counts now, or as soon as the last read is
        ``overview_interval_ms`` old (the GUI thread reads at most that often)."""
        if self._overview_timer.isActive():
            return
        read_at = self._overview_read_at
        waited_ms = (time.monotonic() - read_at) * 1000 if read_at is not None else None
        if waited_ms is None or waited_ms >= self.overview_interval_ms:
            self._read_overview()
        else:
            self._overview_timer.start(int(self.overview_interval_ms - waited_ms) + 1)

    def _on_overview_timer_timeout(self) -> None:
        self._read_overview()

    def _read_overview(self) -> None:
        self._overview_read_at = time.monotonic()
        try:
            self._overview = self._ctx.uploads.overview(self._actor)
        except PosError as exc:  # the database is busy or gone: keep what was read
            log.warning("upload counts not read for the status bar: %s", exc)
        self._update(INSURER, OUTBOX)

    def recheck(self) -> None:
        """Compare the oldest waiting record's age with SEC-7 again (the age timer)."""
        self._update(OUTBOX)

    # -- what each light shows ----------------------------------------------------------

    def indication(self, key: str) -> Indication:
        """The light ``key`` (one of :data:`KEYS`) as it should show now."""
        if key == CARD_READER:
            return self._card_reader()
        if key == PRINTER:
            return self._printer()
        if key == INSURER:
            return self._insurer()
        if key == OUTBOX:
            return self._outbox()
        raise KeyError(key)

    def _update(self, *keys: str) -> None:
        for key in keys:
            shown = self.indication(key)
            if self._shown.get(key) != shown:
                self._shown[key] = shown
                self.changed.emit(key, shown)

    def _card_reader(self) -> Indication:
        events = self._card_events
        state, message = self._card_state, self._card_message
        if events is None:
            if not self._card_configured:
                return self._card_not_configured()
            return Indication(Level.OFF, self.tr("未启用"), self.tr(
                "读卡器在收银界面打开后开始工作；本会话还没有打开收银界面"))
        if state == "lost":
            if events.watcher_failed:
                return Indication(Level.FAULT, self.tr("故障"), self.tr(
                    "读卡器故障：{0}\n请在收银界面按 F9 重新连接；仍不行请联系系统管理员"
                    "检查读卡器驱动和读卡服务（pcscd）").format(message))
            return Indication(Level.FAULT, self.tr("未连接"), self.tr(
                "读卡器未连接：{0}\n检查读卡器的 USB 线，确认读卡服务（pcscd）已启动，"
                "然后在收银界面按 F9 重新连接；恢复后也会自动重新连接").format(message))
        if state == "failed":
            return Indication(Level.WAITING, self.tr("读卡失败"), self.tr(
                "社保卡未能读取：{0}\n请取出社保卡，芯片朝向正确后重新插入；"
                "仍失败时此卡可能损坏，请参保人到医保经办机构处理").format(message))
        if state == "card":
            return Indication(Level.OK, self.tr("已读卡"), self.tr(
                "已读取社保卡；医保结算完成前请勿拔卡（ID-7）"))
        if events.watching:
            return Indication(Level.OK, self.tr("无卡"), self.tr(
                "读卡器已连接，未插卡：插入社保卡即自动读取"))
        if not self._card_configured:
            return self._card_not_configured()
        return Indication(Level.OFF, self.tr("按 F9 读卡"), self.tr(
            "本终端的读卡器按需读取：插卡后在收银界面按 F9 读卡，读卡时才知道读卡器是否连接"))

    def _card_not_configured(self) -> Indication:
        return Indication(Level.OFF, self.tr("未配置"), self.tr(
            "本终端未配置读卡器（PHARMACY_POS_CARD_READER=none），不能医保结算；"
            "需要时请系统管理员配置读卡器"))

    def _printer_description(self) -> tuple[str, bool]:
        """The configured printer in words, and whether it is the file printer."""
        settings = self._ctx.settings
        try:
            config = parse_printer_config(
                settings.printer, default_file=settings.data_dir / DEFAULT_RECEIPT_FILE)
        except PrinterConfigError as exc:
            return exc.message, False
        return config.describe(), config.kind is PrinterKind.FILE

    def _printer(self) -> Indication:
        queue = self._queue
        if queue is None:
            return Indication(Level.OFF, self.tr("未启用"), self.tr(
                "本会话没有启动打印队列，小票不会打印"))
        state = queue.state
        count = len(state.pending)
        if not state.printer_ok:
            reason = state.message or (state.pending[0].last_error if state.pending else "")
            if state.fault == PAPER_OUT:
                return Indication(Level.FAULT, self.tr("缺纸"), self.tr(
                    "打印机缺纸：装纸后按“重试”（收银界面），未打印的小票会自动补打。\n"
                    "{0} 张待打印。{1}").format(count, reason))
            if state.fault == COVER_OPEN:
                return Indication(Level.FAULT, self.tr("上盖未合"), self.tr(
                    "打印机上盖未合好：合上上盖后按“重试”（收银界面），未打印的小票会自动补打。\n"
                    "{0} 张待打印。{1}").format(count, reason))
            return Indication(Level.FAULT, self.tr("离线"), self.tr(
                "打印机离线：检查打印机的电源、网线或 USB 线，开机后按“重试”（收银界面），"
                "未打印的小票会自动补打，不会丢失（SALE-6）。\n{0} 张待打印。{1}"
            ).format(count, reason))
        if count:
            return Indication(Level.WAITING, self.tr("待打印 {0}").format(count), self.tr(
                "正在打印：{0} 张待打印").format(count))
        description, to_file = self._printer_description()
        if to_file:
            return Indication(Level.OK, self.tr("就绪"), self.tr(
                "模拟打印机（打印到文件）：{0}").format(description))
        return Indication(Level.OK, self.tr("就绪"), self.tr(
            "打印机就绪：{0}").format(description))

    def _insurer_address(self) -> str:
        parts = urlsplit(self._ctx.settings.insurer_url)
        # Never a user name or password in a tooltip.
        return f"{parts.scheme}://{parts.hostname or ''}" + (
            f":{parts.port}" if parts.port else "")

    def _insurer(self) -> Indication:
        simulated = not self._ctx.settings.insurer_url
        result = self._last_pass
        overview = self._overview
        if result is not None and result.stopped:
            holder = overview.holder if overview is not None else ""
            if result.remaining >= 0 and holder and holder != self._actor.terminal_id:
                return Indication(Level.OFF, self.tr("由 {0} 上传").format(holder), self.tr(
                    "本店的数据由终端 {0} 上传（同一时间只有一台终端上传）；"
                    "与医保平台的连接请在该终端查看").format(holder))
            if result.remaining < 0:
                return Indication(Level.FAULT, self.tr("上传出错"), self.tr(
                    "上传暂时无法进行：{0}\n待上传的数据不会丢失，程序会自动重试；"
                    "持续出现时请联系系统管理员检查数据库").format(result.stopped))
            where = self.tr("内置模拟医保") if simulated else self._insurer_address()
            return Indication(Level.FAULT, self.tr("连接失败"), self.tr(
                "最近一次与医保平台通信失败（{0}）：{1}\n检查网络连接和医保平台地址；"
                "待上传的数据保存在本机，不会丢失，恢复后自动补传（SEC-7）"
            ).format(where, result.stopped))
        if simulated and self._ctx.settings.training:
            return Indication(Level.OFF, self.tr("训练"), self.tr(
                "培训模式（训练/模拟）：使用内置的模拟医保，结算和上传都不会送到医保平台"))
        if simulated:
            return Indication(Level.OFF, self.tr("模拟"), self.tr(
                "训练/模拟：使用内置的模拟医保，结算和上传都不会送到医保平台"))
        if result is None:
            return Indication(Level.OFF, self.tr("未知"), self.tr(
                "尚未与医保平台通信（{0}）；上传线程运行后即知道连接状态"
            ).format(self._insurer_address()))
        return Indication(Level.OK, self.tr("正常"), self.tr(
            "医保平台可以访问（{0}）：最近一次上传 {1} 正常完成"
        ).format(self._insurer_address(), _local_time(self._last_pass_at)))

    def _outbox(self) -> Indication:
        overview = self._overview
        if overview is None:
            if self._monitor is None:
                return Indication(Level.OFF, self.tr("未启动"), self.tr(
                    "本会话没有运行上传线程：数据保存在本机，上传线程运行后补传（SEC-7）"))
            return Indication(Level.OFF, self.tr("…"), self.tr("等待上传线程的第一次报告"))
        waiting = overview.pending + overview.untaken
        if overview.refused:
            return Indication(Level.FAULT, self.tr("被拒 {0}").format(overview.refused), self.tr(
                "医保平台拒绝了 {0} 条记录（另有 {1} 条待上传）：\n请店长在「医保上传」界面"
                "查看拒绝原因，更正后重传（F9）（INV-6）").format(overview.refused, waiting))
        oldest = overview.oldest_pending_at
        age_s = (self._clock.now() - oldest).total_seconds() if oldest is not None else 0.0
        if waiting and age_s > SEC_7_LIMIT_S:
            return Indication(Level.FAULT, self.tr("{0} 条超时").format(waiting), self.tr(
                "{0} 条记录待上传，最早一条已等待 {1} 分钟，超过 20 分钟（SEC-7）：\n"
                "检查与医保平台的连接（见“医保”），然后在「医保上传」界面按 F5 立即上传；"
                "数据保存在本机，不会丢失").format(waiting, int(age_s // 60)))
        if waiting and self._last_pass is not None and self._last_pass.stopped:
            return Indication(Level.WAITING, self.tr("{0} 条").format(waiting), self.tr(
                "{0} 条记录在本机排队：医保平台暂时连不上，恢复后自动补传；"
                "等待超过 20 分钟将变红（SEC-7）").format(waiting))
        if waiting:
            return Indication(Level.OK, self.tr("{0} 条").format(waiting), self.tr(
                "{0} 条记录等待下次上传（每 {1} 秒上传一次）").format(
                waiting, self._ctx.settings.upload_interval_seconds))
        return Indication(Level.OK, self.tr("0 条"), self.tr("全部数据已上传到医保平台"))


class StatusIndicator(QWidget):
    """One light: a title, a coloured disc and a short state; the tooltip explains."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.indication: Indication | None = None
        self.title_label = QLabel(title)
        self.dot_label = QLabel()
        self.dot_label.setFixedSize(DOT_SIZE, DOT_SIZE)
        self.state_label = QLabel()
        self.state_label.setObjectName("state_label")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title_label)
        layout.addWidget(self.dot_label)
        layout.addWidget(self.state_label)

    @property
    def level(self) -> Level | None:
        """The colour shown (None before the first indication)."""
        return self.indication.level if self.indication is not None else None

    def text(self) -> str:
        """The state shown, e.g. "缺纸"."""
        return self.state_label.text()

    def show_indication(self, indication: Indication) -> None:
        """Show ``indication``."""
        self.indication = indication
        self.dot_label.setPixmap(dot_pixmap(indication.level))
        self.state_label.setText(indication.text)
        self.state_label.setStyleSheet(TEXT_STYLES[indication.level])
        self.setToolTip(indication.tooltip)
        self.setAccessibleName(f"{self.title_label.text()} {indication.text}")
        self.setAccessibleDescription(indication.tooltip)


class DeviceStatusBar(QWidget):
    """The four lights for the main window's status bar (see the module docstring).

    ``follow(window)`` finds the sources on the main window; the ``states`` controller
    can also be given them directly (tests, a screen alone).
    """

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("device_status_bar")
        self.states = DeviceStates(ctx, actor, self)
        self.card_reader = StatusIndicator(self.tr("读卡器"))
        self.printer = StatusIndicator(self.tr("打印机"))
        self.insurer = StatusIndicator(self.tr("医保"))
        self.outbox = StatusIndicator(self.tr("待上传"))
        self.indicators = {CARD_READER: self.card_reader, PRINTER: self.printer,
                           INSURER: self.insurer, OUTBOX: self.outbox}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for key, indicator in self.indicators.items():
            indicator.setObjectName(f"{key}_indicator")
            layout.addWidget(indicator)
            indicator.show_indication(self.states.indication(key))
        self.states.changed.connect(self._on_states_changed)

    def follow(self, window: QWidget) -> None:
        """Find the till, the print queue and the upload monitor on ``window``."""
        self.states.follow(window)

    def _on_states_changed(self, key: str, indication: Indication) -> None:
        self.indicators[key].show_indication(indication)
