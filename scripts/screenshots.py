"""Screenshots of the real windows for the README (issue 10).

Usage::

    .venv/bin/python scripts/screenshots.py --out docs/screenshots

Builds a throwaway demo database (the demo catalogue, users and stock, on a fixed clock so
that dates and numbers in the images do not change from run to run), starts the real
``SessionController``, logs the demo users in through the real login window, puts each
screen in a telling state through the services and the screen's own widgets (typed keys,
as a person would), and grabs the main window at a fixed size to PNG:

    till.png            收银: a few lines, a prescription drug's finding (RX-1), totals
    review.png          处方审核: the pharmacist's queue with a waiting prescription
    receiving.png       收货: a delivery note being entered from the scanner
    monthly-report.png  报表: the monthly stock report (进销存月报, REP-1)
    till-en.png         the till in English, when resources/translations/pharmacy_pos_en.qm
                        exists (skipped with a note otherwise)

Qt runs offscreen (``QT_QPA_PLATFORM=offscreen`` unless set otherwise): no display is
needed. Chinese needs a CJK font (Debian's ``fonts-noto-cjk``, which ``scripts/setup.sh``
installs); without one the script refuses rather than write images of empty boxes.
``--manifest FILE`` also writes each image's size and where its main widgets are (the
test reads it).

Exit status: 0 every image written (each printed with its size), 1 a screen could not be
shown in the state wanted (the message says which and why), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a file: the project may not be installed
    sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    from pharmacy_pos.bootstrap import AppContext
    from pharmacy_pos.ui.session import SessionController

WIDTH, HEIGHT = 1280, 800
#: The demo's moment: 2026-11-01 10:00 in Asia/Shanghai (the UI tests use the same).
MOMENT = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
STORE_CODE = "H00000000001"
TERMINAL = "T01"
WAIT_S = 30.0

AMOXICILLIN = "P000001"  # 阿莫西林胶囊 0.25g*24粒, a prescription drug (RX-1)
AMOXICILLIN_BARCODE = "6938265910656"
AZITHROMYCIN_BARCODE = "6938961014320"  # P000009 阿奇霉素片, also prescription-only
SUPPLIER = "国药控股北京有限公司"
PATIENT_ID = "11010519491231002X"  # a valid test ID number, not a real person's


class ScreenFailed(Exception):
    """A screen could not be shown in the state wanted; the message says why."""


# -- waiting on the event loop ------------------------------------------------------------


def wait_until(condition: Callable[[], bool], what: str, timeout: float = WAIT_S) -> None:
    """Process Qt events until ``condition`` holds.

    Raises:
        ScreenFailed: it did not hold within ``timeout`` seconds.
    """
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while True:
        QApplication.processEvents()
        if condition():
            return
        if time.monotonic() > deadline:
            raise ScreenFailed(f"等待超时（{timeout:.0f} 秒）：{what}")
        time.sleep(0.01)


def settle(rounds: int = 5) -> None:
    """Let pending layouts, timers at 0 ms and paints run."""
    from PySide6.QtWidgets import QApplication

    for _ in range(rounds):
        QApplication.processEvents()
        time.sleep(0.01)


# -- message boxes --------------------------------------------------------------------------


class BoxCatcher:
    """Stands in for the app's modal message boxes: a box means a screen said something
    went wrong (a modal box would also block this script offscreen forever)."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, box: Any) -> None:
        self.texts.append(" ".join(t for t in (box.windowTitle(), box.text(),
                                               box.informativeText()) if t))

    def check(self, screen: str) -> None:
        """Raise if any box was shown while ``screen`` was being prepared."""
        if self.texts:
            said, self.texts = "；".join(self.texts), []
            raise ScreenFailed(f"{screen}：界面弹出了提示框：{said}")


# -- Qt's messages ----------------------------------------------------------------------------

#: The offscreen platform's notes that it cannot do what only a window manager does.
_PLATFORM_NOTES = ("This plugin does not support",)


def quiet_platform_notes() -> None:
    """Drop the offscreen platform's "does not support raise()" notes; pass the rest on."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode: object, _context: object, message: str) -> None:
        if not message.startswith(_PLATFORM_NOTES):
            print(message, file=sys.stderr, flush=True)

    qInstallMessageHandler(handler)


# -- fonts ----------------------------------------------------------------------------------


def require_cjk_font() -> str:
    """The CJK font family Qt finds (through fontconfig), or refuse: Chinese would be
    drawn as empty boxes. Needs the QApplication."""
    from PySide6.QtGui import QFontDatabase

    families = sorted(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    if not families:
        raise ScreenFailed("没有中文字体，截图中的汉字会显示为方框：请安装 Debian 软件包 "
                           "fonts-noto-cjk（apt-get install fonts-noto-cjk；"
                           "scripts/setup.sh 会安装）")
    preferred = [f for f in families if f.startswith("Noto Sans CJK SC")]
    return (preferred or families)[0]


# -- the demo database ----------------------------------------------------------------------


def build_demo(data_dir: Path) -> AppContext:
    """A fresh demo store in ``data_dir`` on the fixed clock, as ``--demo`` fills one."""
    from pharmacy_pos.bootstrap import build_context
    from pharmacy_pos.domain.clock import FixedClock
    from pharmacy_pos.paths import resource
    from pharmacy_pos.services.actor import Actor
    from pharmacy_pos.services.demo import DEMO_STORE_NAME, load_demo
    from pharmacy_pos.services.setup import ensure_store
    from pharmacy_pos.settings import Settings

    # Every field explicit, so that PHARMACY_POS_* of the machine cannot leak in.
    settings = Settings(
        data_dir=data_dir, database_url="", store_code=STORE_CODE, terminal_id=TERMINAL,
        policy_file=None, language="zh_CN", card_reader="none", printer="file",
        backup_before_migration=False,
    )
    ctx = build_context(settings, clock=FixedClock(MOMENT))
    store, _ = ensure_store(ctx.uow, ctx.clock, code=STORE_CODE, name=DEMO_STORE_NAME,
                            operator="screenshots", terminal_id=TERMINAL)
    load_demo(ctx.uow, ctx.clock, Actor.system(store.id, TERMINAL, "screenshots"),
              catalogue=resource("demo", "catalogue.csv"))
    ctx.refresh_store()
    ctx.ensure_policy_installed("screenshots")
    return ctx


def plain_barcodes(ctx: AppContext, count: int) -> list[str]:
    """Barcodes of distinct insured over-the-counter products that scan without a finding
    (tried on throwaway carts: nothing is written), in catalogue order."""
    from sqlalchemy import select

    from pharmacy_pos.db.models import Product, ProductBarcode
    from pharmacy_pos.domain.product import ControlledCategory, InsuranceClass
    from pharmacy_pos.services.demo import DEMO_PASSWORD

    actor = ctx.users.authenticate("cashier", DEMO_PASSWORD, terminal_id=TERMINAL)
    with ctx.uow(readonly=True) as uow:
        rows = uow.session.execute(
            select(ProductBarcode.barcode).join(Product)
            .where(Product.active.is_(True), Product.is_prescription.is_(False),
                   Product.controlled_category == ControlledCategory.NONE,
                   Product.insurance_class == InsuranceClass.A)
            .order_by(Product.item_code, ProductBarcode.barcode)).all()
    found: list[str] = []
    names: set[str] = set()
    for (barcode,) in rows:
        cart = ctx.sales.new_cart(actor)
        ctx.sales.scan(actor, cart, barcode)
        line = cart.lines[0]
        if not cart.findings and line.product.name not in names \
                and line.product.retail_price < 60:
            found.append(barcode)
            names.add(line.product.name)
            if len(found) == count:
                return found
    raise ScreenFailed(f"演示目录中不足 {count} 种可直接销售的非处方药")


def sell_for_the_month(ctx: AppContext, barcodes: list[str]) -> list[str]:
    """A few cash sales, so that the monthly report has sales to show (SaleService);
    returns the item codes sold."""
    from pharmacy_pos.domain.sale import PaymentMethod
    from pharmacy_pos.services.demo import DEMO_PASSWORD

    actor = ctx.users.authenticate("pharmacist2", DEMO_PASSWORD, terminal_id=TERMINAL)
    sold: list[str] = []
    for count, barcode in enumerate(barcodes, start=1):
        cart = ctx.sales.new_cart(actor)
        for _ in range(count):
            ctx.sales.scan(actor, cart, barcode)
        sold.append(cart.lines[0].product.item_code)
        ctx.sales.complete(actor, cart, method=PaymentMethod.CASH,
                           tendered=Decimal(100) * count)
    return sold


def submit_prescription(ctx: AppContext) -> None:
    """A cashier rings amoxicillin and sends a paper prescription to the pharmacist."""
    from pharmacy_pos.domain.eprescription import capture_document
    from pharmacy_pos.services.demo import DEMO_PASSWORD

    actor = ctx.users.authenticate("cashier", DEMO_PASSWORD, terminal_id=TERMINAL)
    with ctx.uow(readonly=True) as uow:
        product_id = uow.products.by_item_codes([AMOXICILLIN])[AMOXICILLIN].id
    cart = ctx.sales.new_cart(actor)
    ctx.sales.add_product(actor, cart, product_id, "24", "unit")
    document = capture_document({
        "issue_date": ctx.clock.today().isoformat(),
        "institution": {"code": "H11010500002", "name": "朝阳区第一社区卫生服务中心",
                        "designated": True},
        "physician": {"name": "李时珍", "code": "D110105000123"},
        "signature_present": True, "seal_present": True,
        "patient": {"name": "张三丰", "id_number": PATIENT_ID},
        "diagnosis": {"name": "急性上呼吸道感染"},
        "items": [{"item_code": AMOXICILLIN, "quantity": 24, "unit": "粒",
                   "dosage": "0.5g", "frequency": "每日3次", "route": "口服",
                   "days_of_supply": 4}],
    }, rx_no="RX-20261101-0007")
    ctx.sales.submit_prescription(actor, cart, document)


# -- sessions and screens -------------------------------------------------------------------


def log_in(controller: SessionController, username: str) -> QMainWindow:
    """Type ``username`` and the demo password into the real login window."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from pharmacy_pos.services.demo import DEMO_PASSWORD

    dialog = controller.login_dialog or controller.start()
    started: list[QMainWindow] = []
    controller.session_started.connect(started.append)
    try:
        QTest.keyClicks(dialog.username_edit, username)
        QTest.keyClicks(dialog.password_edit, DEMO_PASSWORD)
        QTest.keyClick(dialog.password_edit, Qt.Key.Key_Return)
        wait_until(lambda: bool(started), f"{username} 登录")
    finally:
        controller.session_started.disconnect(started.append)
    window = started[0]
    window.resize(WIDTH, HEIGHT)
    activate(window)
    return window


def log_out(window: QMainWindow) -> None:
    """注销 (Ctrl+Shift+L): the controller shows the login window again."""
    window.logout_action.trigger()  # type: ignore[attr-defined]
    settle()


def activate(window: QWidget) -> None:
    """Make the window active: shortcuts (F-keys, Ctrl+S) work only in the active one."""
    window.show()
    window.activateWindow()
    wait_until(window.isActiveWindow, "窗口激活")


def type_into(widget: QWidget, text: str, *, enter: bool = True) -> None:
    """Type ASCII ``text`` (a scanner, a keyboard) and Enter."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    widget.setFocus()
    QTest.keyClicks(widget, text)
    if enter:
        QTest.keyClick(widget, Qt.Key.Key_Return)
    settle(2)


def region(window: QWidget, widget: QWidget) -> list[int]:
    """``widget``'s rectangle in the window's image: [x, y, width, height]."""
    from PySide6.QtCore import QPoint

    top_left = widget.mapTo(window, QPoint(0, 0))
    return [top_left.x(), top_left.y(), widget.width(), widget.height()]


def lights_settled(window: QWidget) -> bool:
    """Whether the status bar's device lights have had their first reports (a light
    still at "…" waits for the upload worker's first pass)."""
    bar = getattr(window, "device_status", None)
    indicators = getattr(bar, "indicators", None)
    if not isinstance(indicators, dict):
        return True  # a status bar without lights: nothing to wait for
    return all(indicator.text() != "…" for indicator in indicators.values())


def grab(window: QWidget, path: Path, *, strict: bool = True) -> tuple[int, int]:
    """The window at the fixed size, as painted, to PNG; returns the image's size.

    A window whose layout needs more than the fixed size cannot be shown at it: with
    ``strict`` that fails the screen, else it is grabbed at the size it needs and a
    warning is printed (the English till, while its translation is being fitted).
    """
    settle(10)
    if (window.width(), window.height()) != (WIDTH, HEIGHT):
        hint = window.minimumSizeHint()
        said = (f"{path.name}：窗口放不进 {WIDTH}×{HEIGHT}，界面至少需要 "
                f"{max(hint.width(), window.width())}×{max(hint.height(), window.height())}")
        if strict:
            raise ScreenFailed(said)
        print(f"warning: {said}（按实际大小截图）", file=sys.stderr, flush=True)
    image = window.grab().toImage()
    ratio = image.devicePixelRatio()
    if ratio != 1:
        # A scaled screen: keep the README's images at the window's size in pixels.
        from PySide6.QtCore import Qt

        image = image.scaled(window.width(), window.height(),
                             Qt.AspectRatioMode.IgnoreAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    if not image.save(str(path), "PNG"):
        raise ScreenFailed(f"无法写入 {path}")
    return image.width(), image.height()


def ring_up_the_till(window: QMainWindow, plain: list[str]) -> dict[str, list[int]]:
    """收银: two OTC lines (one at 2 packs through F3), a prescription drug (RX-1)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    till = window.show_screen("till")  # type: ignore[attr-defined]
    view = till.cart_view
    panel = view.panel
    activate(window)
    panel.scan_edit.setFocus()
    wait_until(panel.scan_edit.hasFocus, "收银扫码框获得焦点")
    for barcode in plain:
        type_into(panel.scan_edit, barcode)
    wait_until(lambda: len(view.cart.lines) == len(plain), "非处方药加入购物车")
    # F3 on the line scanned last: 2 packs.
    QTest.keyClick(panel.scan_edit, Qt.Key.Key_F3)
    wait_until(lambda: view.quantity_dialog is not None, "数量(F3) 对话框")
    dialog = view.quantity_dialog
    wait_until(dialog.isVisible, "数量(F3) 对话框显示")
    QTest.keyClicks(dialog.quantity_edit, "2")
    QTest.keyClick(dialog.quantity_edit, Qt.Key.Key_Return)
    wait_until(lambda: view.quantity_dialog is None, "数量(F3) 对话框关闭")
    activate(window)
    type_into(panel.scan_edit, AMOXICILLIN_BARCODE)
    wait_until(lambda: len(view.cart.lines) == len(plain) + 1, "处方药加入购物车")
    rules = {f.rule_id for f in view.cart.findings}
    if "RX-1" not in rules:
        raise ScreenFailed(f"收银：处方药没有给出 RX-1 提示（提示为 {sorted(rules)}）")
    if not panel.total_label.text():
        raise ScreenFailed("收银：合计为空")
    settle()
    return {"total": region(window, panel.total_label),
            "lines": region(window, panel.lines_table),
            "findings": region(window, panel.findings_table)}


def show_review(window: QMainWindow) -> dict[str, list[int]]:
    """处方审核: the waiting prescription selected and shown in full."""
    view = window.show_screen("review")  # type: ignore[attr-defined]
    wait_until(lambda: view.queue_model.rowCount() > 0, "处方审核队列中有待审处方")
    wait_until(lambda: view.selected_entry() is not None, "选中待审处方")
    view.queue_table.setFocus()
    return {"queue": region(window, view.queue_table)}


def enter_delivery(window: QMainWindow) -> dict[str, list[int]]:
    """收货: the supplier chosen, the note's header typed, two lines scanned and typed."""
    view = window.show_screen("receiving")  # type: ignore[attr-defined]
    activate(window)
    combo = view.supplier_combo
    index = next((i for i in range(combo.count()) if combo.itemText(i).startswith(SUPPLIER)),
                 -1)
    if index < 0:
        raise ScreenFailed(f"收货：供应商列表中没有 {SUPPLIER}")
    combo.setCurrentIndex(index)
    for edit, text in ((view.note_edit, "SH-20261101-018"),
                       (view.invoice_code_edit, "011001900111"),
                       (view.invoice_no_edit, "12345678")):
        type_into(edit, text)
    deliveries = (
        (AMOXICILLIN_BARCODE, "A2611", "2026-06-01", "2028-05-31", "9.60", "20"),
        (AZITHROMYCIN_BARCODE, "Z2608", "2026-08-12", "2029-08-11", "31.50", "10"),
    )
    for barcode, lot, made, expiry, price, quantity in deliveries:
        type_into(view.scan_edit, barcode)
        wait_until(view.lot_edit.hasFocus, f"收货：扫码 {barcode} 后填写批号")
        # Enter walks the form: lot, made, expiry, approval (kept from the catalogue),
        # price, quantity; Enter on the quantity adds the line.
        for edit, text in ((view.lot_edit, lot), (view.made_edit, made),
                           (view.expiry_edit, expiry), (view.approval_edit, ""),
                           (view.price_edit, price), (view.quantity_edit, quantity)):
            type_into(edit, text)
    wait_until(lambda: len(view.draft_lines()) == len(deliveries), "收货：两行加入本单")
    view.scan_edit.setFocus()
    return {"lines": region(window, view.lines_table)}


def show_monthly_report(window: QMainWindow, sold: list[str]) -> dict[str, list[int]]:
    """报表: 进销存月报 of the demo month, generated off the GUI thread as on screen;
    scrolled (as a person would) to a product sold this month, from its batch number
    on, so that the movement columns (期初, 购进入库, 销售出库 …) are in view."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractItemView

    view = window.show_screen("reports")  # type: ignore[attr-defined]
    view.select_report("monthly")
    if view.generate() is None:
        raise ScreenFailed("报表：进销存月报没有开始生成")
    wait_until(lambda: view.report() is not None and not view.running_jobs(),
               "报表：进销存月报生成完成", timeout=60)
    tables = view.section_tables()
    if not tables or tables[0].model().rowCount() == 0:
        raise ScreenFailed("报表：进销存月报没有数据行")
    table = tables[0]
    model = table.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    sales = headers.index("销售出库") if "销售出库" in headers else -1
    rows = [r for r in range(model.rowCount()) if model.index(r, 0).data() in sold
            and sales >= 0 and model.index(r, sales).data() not in (None, "", "0")]
    if not rows:
        raise ScreenFailed(f"报表：进销存月报中找不到本月售出的商品 {sold} 的销售出库")
    table.selectRow(rows[0])
    table.scrollTo(model.index(rows[0], 0), QAbstractItemView.ScrollHint.PositionAtCenter)
    settle()
    # As far right as the last column (期末金额): the movement columns come into view.
    table.scrollTo(model.index(rows[0], model.columnCount() - 1))
    return {"table": region(window, table)}


# -- translations -----------------------------------------------------------------------------


def switch_language(app: QApplication, language: str) -> None:
    """Replace the installed translators by those of ``language`` (as ``--lang`` does)."""
    from PySide6.QtCore import QTranslator

    from pharmacy_pos.ui.app import install_translators

    for translator in app.findChildren(QTranslator):
        app.removeTranslator(translator)
        translator.deleteLater()
    install_translators(app, language)


# -- the run ----------------------------------------------------------------------------------


def take_all(out: Path, manifest: Path | None) -> list[tuple[Path, tuple[int, int]]]:
    """Take every screenshot into ``out``; returns the files written with their sizes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from pharmacy_pos.paths import resource
    from pharmacy_pos.settings import APP_NAME
    from pharmacy_pos.ui import errors as ui_errors
    from pharmacy_pos.ui.app import install_translators
    from pharmacy_pos.ui.gui_gc import collect_on_gui_thread
    from pharmacy_pos.ui.print_status import PrintQueue
    from pharmacy_pos.ui.session import SessionController
    from pharmacy_pos.ui.uploads_view import start_uploads

    quiet_platform_notes()
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([APP_NAME])
    app.setQuitOnLastWindowClosed(False)
    family = require_cjk_font()
    collect_on_gui_thread(app)
    install_translators(app, "zh_CN")
    boxes = BoxCatcher()
    ui_errors.exec_message_box = boxes  # type: ignore[assignment]

    written: list[tuple[Path, tuple[int, int]]] = []
    regions: dict[str, dict[str, list[int]]] = {}
    with tempfile.TemporaryDirectory(prefix="pos-screenshots-") as tmp:
        ctx = build_demo(Path(tmp))
        # Wired as the app wires it (ui/app.py): the print queue (the file printer in the
        # throwaway folder) and the upload worker (the embedded simulated insurer), so
        # that the status bar shows what a store's terminal shows.
        controller = SessionController(ctx, idle_ms=24 * 3600 * 1000,
                                       print_queue=PrintQueue(ctx.printing))
        controller.session_started.connect(
            lambda window: start_uploads(controller, ctx, window))
        try:
            plain = plain_barcodes(ctx, 4)
            submit_prescription(ctx)
            sold = sell_for_the_month(ctx, plain[2:])

            def shoot(name: str, username: str,
                      prepare: Callable[[QMainWindow], dict[str, list[int]]], *,
                      strict: bool = True) -> None:
                window = log_in(controller, username)
                try:
                    regions[name] = prepare(window)
                    boxes.check(name)
                    wait_until(lambda: lights_settled(window), f"{name}：状态栏指示灯")
                    activate(window)
                    written.append((out / name, grab(window, out / name, strict=strict)))
                finally:
                    log_out(window)

            shoot("till.png", "cashier", lambda w: ring_up_the_till(w, plain[:2]))
            shoot("review.png", "pharmacist", show_review)
            shoot("receiving.png", "inspector", enter_delivery)
            shoot("monthly-report.png", "manager", lambda w: show_monthly_report(w, sold))

            if resource("translations", "pharmacy_pos_en.qm").is_file():
                switch_language(app, "en")
                if QCoreApplication.translate("screens", "收银") == "收银":
                    print("note: resources/translations/pharmacy_pos_en.qm does not translate "
                          "the till: till-en.png skipped", flush=True)
                else:
                    controller.close()  # the login window was built in Chinese
                    shoot("till-en.png", "cashier",
                          lambda w: ring_up_the_till(w, plain[:2]))
            else:
                print("note: resources/translations/pharmacy_pos_en.qm not found: "
                      "till-en.png skipped", flush=True)
        finally:
            controller.close()
            settle()
            ctx.close()
    if manifest is not None:
        manifest.write_text(json.dumps({
            "size": [WIDTH, HEIGHT], "font": family,
            "images": {path.name: list(size) for path, size in written},
            "regions": regions}, ensure_ascii=False, indent=1), encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    """Parse the options, take the screenshots, print each file written."""
    parser = argparse.ArgumentParser(
        description="从真实窗口截取 README 用的界面截图（离屏渲染，固定时钟的演示数据库）")
    parser.add_argument("--out", type=Path, required=True, help="输出目录（不存在则创建）")
    parser.add_argument("--manifest", type=Path, default=None,
                        help="另写一个 JSON：每张图中主要控件的位置（测试用）")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    try:
        written = take_all(out, args.manifest)
    except ScreenFailed as exc:
        print(f"screenshots: 截图失败：{exc}", file=sys.stderr, flush=True)
        return 1
    except Exception as exc:  # a service refused, the database failed: say it plainly
        traceback.print_exc()
        print(f"screenshots: 截图失败：{type(exc).__name__}: {exc}", file=sys.stderr,
              flush=True)
        return 1
    for path, (width, height) in written:
        print(f"wrote {path} ({width}x{height}, {path.stat().st_size:,} bytes)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
