"""F1: the keys of the terminal, in one table a cashier can keep open while learning.

``tests/ui/test_till_keys.py`` checks ``KEYS`` against the keys the till and the main
window bind, both ways, so the help cannot drift from what the keys do (the guides' keys
are checked by ``tests/unit/test_guides.py``).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

_CONTEXT = "KeysDialog"

_TILL = QT_TRANSLATE_NOOP("KeysDialog", "收银")
_CARD = QT_TRANSLATE_NOOP("KeysDialog", "读卡")
_ANYWHERE = QT_TRANSLATE_NOOP("KeysDialog", "全局")

#: (group, key as Qt's QKeySequence text, what it does), in the order shown.
KEYS: tuple[tuple[str, str, str], ...] = (
    (_TILL, "F2", QT_TRANSLATE_NOOP("KeysDialog", "结算（收款）")),
    (_TILL, "F3", QT_TRANSLATE_NOOP("KeysDialog", "修改选中行的数量（含拆零）")),
    (_TILL, "F4", QT_TRANSLATE_NOOP("KeysDialog", "录入处方，提交药师审核")),
    (_TILL, "F5", QT_TRANSLATE_NOOP("KeysDialog", "医保结算 / 改为自费")),
    (_TILL, "F6", QT_TRANSLATE_NOOP("KeysDialog", "挂单 / 取单")),
    (_TILL, "F7", QT_TRANSLATE_NOOP("KeysDialog", "登记购买人证件（含麻黄碱类复方制剂）")),
    (_TILL, "Del", QT_TRANSLATE_NOOP("KeysDialog", "删除选中行")),
    (_TILL, "F10",
     QT_TRANSLATE_NOOP("KeysDialog", "补打本次登录最后一张小票（标注重打，记入审计）")),
    (_TILL, "Enter", QT_TRANSLATE_NOOP("KeysDialog", "扫码或输入条码后确认；对话框中确认")),
    (_TILL, "Esc", QT_TRANSLATE_NOOP("KeysDialog", "清空扫码框；对话框中取消，不做任何修改")),
    (_TILL, "Up/Down", QT_TRANSLATE_NOOP("KeysDialog", "选择购物车中的行")),
    (_CARD, "F9", QT_TRANSLATE_NOOP("KeysDialog", "读社保卡；读卡器故障时重新连接")),
    (_CARD, "Ctrl+I", QT_TRANSLATE_NOOP("KeysDialog", "核对证件（输入身份证号和姓名）")),
    (_CARD, "F8", QT_TRANSLATE_NOOP("KeysDialog", "代购登记")),
    (_ANYWHERE, "F1", QT_TRANSLATE_NOOP("KeysDialog", "本快捷键表")),
    (_ANYWHERE, "F12", QT_TRANSLATE_NOOP("KeysDialog", "锁屏（离开收银台时）")),
    (_ANYWHERE, "Ctrl+L", QT_TRANSLATE_NOOP("KeysDialog", "锁屏（同 F12）")),
    (_ANYWHERE, "Alt+1…9", QT_TRANSLATE_NOOP("KeysDialog", "切换到左侧列表的第 1…9 个功能")),
    (_ANYWHERE, "Ctrl+Shift+L", QT_TRANSLATE_NOOP("KeysDialog", "注销（换人登录）")),
    (_ANYWHERE, "Ctrl+Q", QT_TRANSLATE_NOOP("KeysDialog", "退出程序")),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


class KeysDialog(QDialog):
    """The key table (F1); Esc or Enter closes it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("快捷键"))
        self.table = QTableWidget(len(KEYS), 3)
        self.table.setObjectName("keys_table")
        self.table.setHorizontalHeaderLabels([self.tr("用于"), self.tr("按键"), self.tr("作用")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for row, (group, key, meaning) in enumerate(KEYS):
            for column, text in enumerate((_tr(group), key, _tr(meaning))):
                item = QTableWidgetItem(text)
                if column == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(640, 560)
        self.table.setFocus()
