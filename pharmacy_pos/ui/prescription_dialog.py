"""处方 (F4): capture a paper external prescription, or import an electronic one.

The form follows the layout of the electronic format (``docs/eprescription-format.md``)
with the store's item code per drug and the signature and seal checkboxes; what it
collects is checked by ``domain.eprescription.capture_document`` (every problem at once,
shown under the form). An electronic file is read by the sale service against the
catalogue. Either way the dialog hands a ``PrescriptionDocument`` to the cart, which
submits it for the pharmacist's review (RX-2). Whether the prescription may be used
(designated institution, days of supply, validity …) is for the rules, not this form.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.domain.eprescription import PrescriptionDocument, capture_document
from pharmacy_pos.domain.errors import DomainError, EnvironmentFault
from pharmacy_pos.ui.errors import error_text, show_error

RED = "#c0392b"

#: Item table columns: (key in the captured data, title; translated by the dialog).
ITEM_COLUMNS = (
    ("item_code", QT_TRANSLATE_NOOP("PrescriptionDialog", "商品编码")),
    ("name", QT_TRANSLATE_NOOP("PrescriptionDialog", "药品名称")),
    ("quantity", QT_TRANSLATE_NOOP("PrescriptionDialog", "数量")),
    ("unit", QT_TRANSLATE_NOOP("PrescriptionDialog", "单位")),
    ("dosage", QT_TRANSLATE_NOOP("PrescriptionDialog", "单次用量")),
    ("frequency", QT_TRANSLATE_NOOP("PrescriptionDialog", "用药频次")),
    ("route", QT_TRANSLATE_NOOP("PrescriptionDialog", "用法")),
    ("days_of_supply", QT_TRANSLATE_NOOP("PrescriptionDialog", "用药天数")),
)
_INTEGER_KEYS = {"quantity", "days_of_supply"}


@dataclass(frozen=True, slots=True)
class PrescriptionLine:
    """A prescription drug in the cart, to start the item list from."""

    item_code: str
    name: str
    units: int
    unit: str


class PrescriptionDialog(QDialog):
    """The prescription form; emits ``document_ready`` (PrescriptionDocument) and closes."""

    document_ready = Signal(object)  # PrescriptionDocument

    def __init__(self, lines: Sequence[PrescriptionLine], *, patient: tuple[str, str],
                 today: date, importer: Callable[[bytes], PrescriptionDocument],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("处方（外配处方录入）"))
        self.resize(820, 560)
        self._importer = importer

        self.rx_no_edit = _edit("rx_no_edit", self.tr("处方上的编号（如有）"))
        self.issue_date_edit = QDateEdit(QDate(today.year, today.month, today.day))
        self.issue_date_edit.setObjectName("issue_date_edit")
        self.issue_date_edit.setDisplayFormat("yyyy-MM-dd")
        self.issue_date_edit.setCalendarPopup(True)
        self.institution_name_edit = _edit("institution_name_edit", self.tr("开方医疗机构"))
        self.institution_code_edit = _edit("institution_code_edit", self.tr("机构编码"))
        self.designated_check = QCheckBox(self.tr("医保定点医疗机构"))
        self.designated_check.setObjectName("designated_check")
        self.designated_check.setChecked(True)
        self.physician_name_edit = _edit("physician_name_edit", self.tr("医师姓名"))
        self.physician_code_edit = _edit("physician_code_edit", self.tr("医保医师代码"))
        self.signature_check = QCheckBox(self.tr("有医师签名"))
        self.signature_check.setObjectName("signature_check")
        self.seal_check = QCheckBox(self.tr("有医疗机构印章"))
        self.seal_check.setObjectName("seal_check")
        self.patient_name_edit = _edit("patient_name_edit", self.tr("患者姓名"))
        self.patient_name_edit.setText(patient[0])
        self.patient_id_edit = _edit("patient_id_edit", self.tr("患者身份证号"))
        self.patient_id_edit.setMaxLength(18)
        self.patient_id_edit.setText(patient[1])
        self.diagnosis_edit = _edit("diagnosis_edit", self.tr("诊断"))
        self.emergency_check = QCheckBox(self.tr("急诊处方"))
        self.emergency_check.setObjectName("emergency_check")

        form = QFormLayout()
        form.addRow(self.tr("处方编号"), self.rx_no_edit)
        form.addRow(self.tr("开具日期"), self.issue_date_edit)
        institution = QHBoxLayout()
        institution.addWidget(self.institution_name_edit, 2)
        institution.addWidget(self.institution_code_edit, 1)
        institution.addWidget(self.designated_check)
        form.addRow(self.tr("医疗机构"), institution)
        physician = QHBoxLayout()
        physician.addWidget(self.physician_name_edit, 1)
        physician.addWidget(self.physician_code_edit, 1)
        physician.addWidget(self.signature_check)
        physician.addWidget(self.seal_check)
        form.addRow(self.tr("医师"), physician)
        patient_row = QHBoxLayout()
        patient_row.addWidget(self.patient_name_edit, 1)
        patient_row.addWidget(self.patient_id_edit, 1)
        form.addRow(self.tr("患者"), patient_row)
        diagnosis = QHBoxLayout()
        diagnosis.addWidget(self.diagnosis_edit, 1)
        diagnosis.addWidget(self.emergency_check)
        form.addRow(self.tr("诊断"), diagnosis)

        self.items_table = QTableWidget(0, len(ITEM_COLUMNS))
        self.items_table.setObjectName("items_table")
        self.items_table.setHorizontalHeaderLabels([self.tr(t) for _, t in ITEM_COLUMNS])
        self.items_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive)
        self.items_table.horizontalHeader().setStretchLastSection(True)
        for line in lines:
            self.add_item(line.item_code, line.name, line.units, line.unit)
        items_box = QGroupBox(self.tr("处方药品（数量按最小单位）"))
        items_layout = QVBoxLayout(items_box)
        items_layout.addWidget(self.items_table)

        self.error_label = QLabel()
        self.error_label.setObjectName("error_label")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {RED};")
        self.error_label.setVisible(False)

        self.import_button = QPushButton(self.tr("导入电子处方(Ctrl+O)"))
        self.import_button.setObjectName("import_button")
        self.import_button.setAutoDefault(False)
        self.submit_button = QPushButton(self.tr("提交药师审核(Enter)"))
        self.submit_button.setObjectName("submit_button")
        self.submit_button.setAutoDefault(False)
        # Enter confirms, as in every dialog (a form still missing something says what).
        self.submit_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("取消(Esc)"))
        self.cancel_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(items_box, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.submit_button.clicked.connect(self._on_submit_button_clicked)
        self.cancel_button.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, self._on_submit_button_clicked)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self._on_submit_button_clicked)
        QShortcut(QKeySequence("Ctrl+O"), self, self._on_import_button_clicked)
        self.rx_no_edit.setFocus()

    # -- items ----------------------------------------------------------------------------

    def add_item(self, item_code: str, name: str, units: int, unit: str) -> int:
        """Add a drug row (dosage, frequency and days are typed from the paper)."""
        row = self.items_table.rowCount()
        self.items_table.insertRow(row)
        values = {"item_code": item_code, "name": name, "quantity": str(units),
                  "unit": unit, "route": self.tr("口服")}
        for column, (key, _) in enumerate(ITEM_COLUMNS):
            self.items_table.setItem(row, column, QTableWidgetItem(values.get(key, "")))
        return row

    def set_item_value(self, row: int, key: str, text: str) -> None:
        """Write one cell of the item list (by its key, e.g. ``days_of_supply``)."""
        column = [k for k, _ in ITEM_COLUMNS].index(key)
        item = self.items_table.item(row, column)
        assert item is not None
        item.setText(text)

    def _items(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for row in range(self.items_table.rowCount()):
            item: dict[str, Any] = {}
            for column, (key, _) in enumerate(ITEM_COLUMNS):
                cell = self.items_table.item(row, column)
                text = cell.text().strip() if cell is not None else ""
                # Whole numbers go as numbers; anything else is left for the check to name.
                item[key] = int(text) if key in _INTEGER_KEYS and text.isdigit() else text
            items.append(item)
        return items

    # -- capture --------------------------------------------------------------------------

    def data(self) -> dict[str, Any]:
        """The form's values laid out like the prescription file format."""
        issued = self.issue_date_edit.date()
        return {
            "issue_date": f"{issued.year():04d}-{issued.month():02d}-{issued.day():02d}",
            "institution": {"code": self.institution_code_edit.text(),
                            "name": self.institution_name_edit.text(),
                            "designated": self.designated_check.isChecked()},
            "physician": {"name": self.physician_name_edit.text(),
                          "code": self.physician_code_edit.text()},
            "signature_present": self.signature_check.isChecked(),
            "seal_present": self.seal_check.isChecked(),
            "patient": {"name": self.patient_name_edit.text(),
                        "id_number": self.patient_id_edit.text().strip().upper()},
            "diagnosis": {"name": self.diagnosis_edit.text()},
            "emergency": self.emergency_check.isChecked(),
            "items": self._items(),
        }

    def _on_submit_button_clicked(self) -> None:
        data = self.data()
        document = self._run(lambda: capture_document(data, rx_no=self.rx_no_edit.text()))
        if document is not None:
            self._done(document)

    def import_file(self, path: Path) -> None:
        """Read an electronic prescription file and hand it on (or say what is wrong)."""
        try:
            content = path.read_bytes()
        except OSError as exc:
            self._show_error(self.tr("无法读取文件 {0}：{1}").format(path.name, exc.strerror))
            return
        document = self._run(lambda: self._importer(content))
        if document is not None:
            self._done(document)

    def _on_import_button_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("导入电子处方"), "", self.tr("电子处方 (*.json)"))
        if name:
            self.import_file(Path(name))

    def _done(self, document: PrescriptionDocument) -> None:
        self._show_error("")
        self.document_ready.emit(document)
        self.accept()

    def _run(self, action: Callable[[], PrescriptionDocument]) -> PrescriptionDocument | None:
        while True:
            try:
                return action()
            except DomainError as exc:
                self._show_error(error_text(exc))
                return None
            except EnvironmentFault as exc:
                if not show_error(self, exc):
                    return None

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))


def _edit(name: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit
