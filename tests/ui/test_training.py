"""Training mode (培训模式, issue 10): its own database filled with demo data, the
simulated insurer, the virtual card, the file printer, and a watermark on the screen and
on every printout; the store's real database and insurer are never touched."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from pytestqt.qtbot import QtBot

from pharmacy_pos.bootstrap import AppContext, build_context
from pharmacy_pos.domain.clock import FixedClock
from pharmacy_pos.domain.printout import Cut, Feed, Text
from pharmacy_pos.domain.receipts import TRAINING_MARK
from pharmacy_pos.insurance.adapters.simulated import SimulatedInsurer
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.demo import DEMO_PASSWORD
from pharmacy_pos.settings import Settings
from pharmacy_pos.ui.main_window import MainWindow
from pharmacy_pos.ui.training import WATERMARK_NAME, TrainingWatermark, mark_for_training
from tests.ui.conftest import DB_FILE, MOMENT, TERMINAL, ui_settings
from tests.ui.test_printing_ui import plain_barcodes, printed_text, sell


def test_training_settings_never_point_at_the_stores_database_insurer_or_printer(
    tmp_path: Path,
) -> None:
    real = Settings(data_dir=tmp_path, database_url="postgresql+psycopg://pos@db/pos",
                    insurer_url="https://insurer.example/api", card_reader="pcsc",
                    card_reader_name="ACS ACR39U", printer="tcp:192.168.1.50",
                    language="zh_CN")
    training = real.for_training()
    assert training.training and not real.training
    assert training.data_dir == tmp_path / "training"
    assert training.resolved_database_url() == \
        f"sqlite:///{tmp_path / 'training' / DB_FILE}"
    assert training.insurer_url == ""  # the embedded simulated insurer
    assert training.card_reader == "virtual" and training.card_reader_name == ""
    assert training.printer == "file"  # receipts.prn in the training folder
    assert training.store_code == real.store_code and training.language == real.language
    # The loopback simulator (pharmacy-pos-cli insurer-sim) is a simulated insurer too.
    simulator = real.model_copy(update={"insurer_url": "http://127.0.0.1:8780"})
    assert simulator.for_training().insurer_url == "http://127.0.0.1:8780"


@pytest.fixture
def training_ctx(demo_template: Path, tmp_path: Path) -> Iterator[AppContext]:
    """A context in training mode over a copy of the demo database."""
    folder = tmp_path / "data" / "training"
    folder.mkdir(parents=True)
    shutil.copy2(demo_template / DB_FILE, folder / DB_FILE)
    settings = ui_settings(tmp_path / "data").for_training()
    ctx = build_context(settings.model_copy(update={"card_reader": "none"}),
                        clock=FixedClock(MOMENT))
    yield ctx
    ctx.close()


def test_every_printout_in_training_carries_the_mark_top_and_bottom(
    training_ctx: AppContext,
) -> None:
    ctx = training_ctx
    cashier = ctx.users.authenticate("cashier", DEMO_PASSWORD, terminal_id=TERMINAL)
    assert isinstance(ctx.insurer, SimulatedInsurer)
    sale = sell(ctx, cashier, plain_barcodes(ctx, cashier, 1)[0])
    for kind in ("receipt", "label"):
        document = ctx.printing.document(cashier, kind, sale.doc_no, line_no=1)
        texts = [b for b in document.blocks if isinstance(b, Text)]
        assert texts[0].text == TRAINING_MARK, kind
        tail = [b for b in document.blocks if not isinstance(b, Feed | Cut)]
        assert isinstance(tail[-1], Text) and tail[-1].text == TRAINING_MARK, kind
    # And on paper: the file printer of the training folder gets it.
    while ctx.printing.print_next() is not None:
        pass
    paper = printed_text((ctx.settings.data_dir / "receipts.prn").read_bytes())
    assert paper.count(TRAINING_MARK) >= 2 and sale.doc_no in paper


def test_outside_training_no_printout_is_marked(
    app_ctx: AppContext, log_in: Callable[[str], Actor],
) -> None:
    cashier = log_in("cashier")
    sale = sell(app_ctx, cashier, plain_barcodes(app_ctx, cashier, 1)[0])
    document = app_ctx.printing.document(cashier, "receipt", sale.doc_no)
    assert all(TRAINING_MARK not in getattr(b, "text", "") for b in document.blocks)


def test_the_watermark_covers_the_window_and_lets_the_keys_through(
    qtbot: QtBot, app_ctx: AppContext, log_in: Callable[[str], Actor],
) -> None:
    window = MainWindow(app_ctx, log_in("cashier"))
    qtbot.addWidget(window)
    title = window.windowTitle()
    mark = mark_for_training(window)
    assert mark_for_training(window) is mark  # once
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle().startswith("【培训模式】") and title in window.windowTitle()
    assert mark.isVisible() and mark.geometry() == window.rect()
    window.resize(QSize(1100, 760))
    qtbot.waitUntil(lambda: mark.geometry() == window.rect(), timeout=2000)
    assert mark.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    assert window.findChild(TrainingWatermark, WATERMARK_NAME) is mark
    # Painted: the tinted text shows over the screen.
    image = window.grab().toImage()
    plain = MainWindow(app_ctx, log_in("cashier"))
    qtbot.addWidget(plain)
    plain.resize(window.size())
    assert image != plain.grab().toImage()
    # The till under it still takes the scanner's keys.
    till = window.current_screen()
    edit = till.cart_view.panel.scan_edit
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    edit.setFocus()
    qtbot.keyClicks(edit, "123")
    assert edit.text() == "123"


def test_the_app_in_training_fills_its_own_database_and_leaves_the_real_one_alone(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "store"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHARMACY_POS_")}
    env.update(QT_QPA_PLATFORM="offscreen", PHARMACY_POS_DATA_DIR=str(data_dir),
               PHARMACY_POS_TRAINING="1",
               # A configured store database and insurer that training must not use.
               PHARMACY_POS_DATABASE_URL="postgresql+psycopg://pos@127.0.0.1:1/none",
               PHARMACY_POS_INSURER_URL="http://127.0.0.1:1/")
    result = subprocess.run(
        [sys.executable, "-m", "pharmacy_pos.ui.app", "--startup-probe"],
        env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "LOGIN_READY" in result.stdout
    assert not (data_dir / DB_FILE).exists()
    ctx = build_context(ui_settings(data_dir / "training"))
    try:
        assert ctx.store is not None and ctx.store.name == "演示大药房（定点零售药店）"
        with ctx.uow(readonly=True) as uow:
            assert uow.users.count() == 7
    finally:
        ctx.close()
