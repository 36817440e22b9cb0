"""Administration › Procedures: the catalogue, and confirming each processing time."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.calendar import TimeUnit
from desktop.services import catalogue
from desktop.ui.context import UiContext
from desktop.ui.forms import ValidatedForm, save_cancel_buttons


def _fmt_amount(amount: float | None) -> str:
    if amount is None:
        return "—"
    return str(int(amount)) if float(amount).is_integer() else str(amount)


def _unit_combo(current: str | None) -> QComboBox:
    combo = QComboBox()
    combo.addItem("—", None)
    for unit in TimeUnit:
        combo.addItem(unit.label_vi, unit.value)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


class ProcedureTimeDialog(QDialog):
    """Confirm the processing time of one procedure (amount, unit, online time, cut-off)."""

    def __init__(self, ctx: UiContext, proc, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.procedure_id = proc.id
        self.setWindowTitle(self.tr("Processing time — {code}").format(code=proc.code))
        self.setMinimumWidth(520)
        lay = QVBoxLayout(self)
        name = QLabel(proc.name)
        name.setWordWrap(True)
        name.setObjectName("pageSubtitle")
        lay.addWidget(name)
        self.form = ValidatedForm()
        f = self.form
        self.amount_spin = f.add("amount", self.tr("Time (in person, by post)"), QDoubleSpinBox())
        self.amount_spin.setRange(0, 365)
        self.amount_spin.setDecimals(1)
        self.amount_spin.setValue(proc.time_amount or 0)
        self.unit_combo = f.add("unit", self.tr("Unit"), _unit_combo(proc.time_unit))
        self.online_check = QCheckBox(self.tr("Different time for online dossiers"))
        self.online_check.setChecked(proc.online_time_amount is not None
                                     and proc.online_time_amount != proc.time_amount)
        f.addRow("", self.online_check)
        self.online_spin = f.add("online_amount", self.tr("Time (online)"), QDoubleSpinBox())
        self.online_spin.setRange(0, 365)
        self.online_spin.setDecimals(1)
        self.online_spin.setValue(proc.online_time_amount or 0)
        self.online_unit_combo = f.add("online_unit", self.tr("Unit (online)"),
                                       _unit_combo(proc.online_time_unit))
        self.cutoff_edit = f.add("cutoff", self.tr("Cut-off hour"), QLineEdit(proc.cutoff or ""))
        self.cutoff_edit.setPlaceholderText("15:00")
        self.cutoff_edit.setToolTip(self.tr(
            "Requests received after this hour are counted from the next working day."))
        lay.addLayout(f)
        self.online_check.toggled.connect(self._toggle_online)
        self._toggle_online(self.online_check.isChecked())
        lay.addWidget(save_cancel_buttons(self, self.save))

    def _toggle_online(self, on: bool) -> None:
        self.online_spin.setEnabled(on)
        self.online_unit_combo.setEnabled(on)

    def save(self) -> None:
        store, actor, pid = self.ctx.store, self.ctx.actor, self.procedure_id
        amount, unit = self.amount_spin.value(), self.unit_combo.currentData()
        if self.online_check.isChecked():
            online_amount, online_unit = self.online_spin.value(), self.online_unit_combo.currentData()
        else:
            online_amount, online_unit = amount, unit
        cutoff = self.cutoff_edit.text()

        def work() -> None:
            with store.transaction() as session:
                catalogue.update_processing_time(
                    session, actor, pid, amount=amount, unit=unit, online_amount=online_amount,
                    online_unit=online_unit, cutoff=cutoff)

        self.ctx.runner.submit(work, lambda _: self.accept(),
                               lambda e: self.form.show_errors(getattr(e, "errors", {"amount": str(e)})),
                               write=True, owner=self)


class CatalogueTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._procedures: list = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 16, 16, 16)
        self.summary = QLabel()
        self.summary.setObjectName("pageSubtitle")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([
            self.tr("Code"), self.tr("Procedure"), self.tr("Field"), self.tr("Processing time"),
            self.tr("Fee (VND)"), self.tr("Online level"),
        ])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.table.doubleClicked.connect(self.edit_selected)
        lay.addWidget(self.table)
        row = QHBoxLayout()
        self.edit_button = QPushButton(self.tr("Confirm processing time…"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.confirm_all_button = QPushButton(self.tr("Count all missing units as working days…"))
        self.confirm_all_button.clicked.connect(self.confirm_all)
        row.addWidget(self.edit_button)
        row.addWidget(self.confirm_all_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.reload()

    def reload(self) -> None:
        store = self.ctx.store

        def work() -> list:
            with store.reading() as session:
                return catalogue.list_procedures(session)

        self.ctx.runner.submit(work, self._fill, owner=self)

    def _fill(self, procedures: list) -> None:
        current = self.table.currentRow()
        levels = {"4": self.tr("Fully online"), "3": self.tr("Partly online"),
                  "2": self.tr("Information only")}
        self._procedures = procedures
        rows = []
        unconfirmed = 0
        for p in self._procedures:
            unit = TimeUnit(p.time_unit) if p.time_unit else None
            if unit is None:
                unconfirmed += 1
                time_text = self.tr("{amount} (unit not confirmed)").format(
                    amount=_fmt_amount(p.time_amount))
            else:
                time_text = f"{_fmt_amount(p.time_amount)} {unit.label_vi}"
                if p.cutoff:
                    time_text += self.tr(", after {hour}: next day").format(hour=p.cutoff)
            fee = max((f.amount for f in p.fees if f.currency == "VND"), default=0)
            rows.append((p.code, p.name, p.field.name, time_text,
                         f"{fee:,}".replace(",", "."), levels.get(p.online_level, ""),
                         unit is None))
        self.summary.setText(self.tr(
            "{n} procedures. {m} were published without a time unit: confirm them "
            "(double-click a row) before due dates are computed."
        ).format(n=len(rows), m=unconfirmed))
        self.table.setRowCount(len(rows))
        warn = QBrush(QColor("#fff1d6"))
        for r, row in enumerate(rows):
            for c, value in enumerate(row[:6]):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if c == 4:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if row[6] and c == 3:
                    item.setBackground(warn)
                self.table.setItem(r, c, item)
        self.table.setColumnWidth(2, 150)
        if 0 <= current < self.table.rowCount():
            self.table.selectRow(current)

    def confirm_all(self, *, ask: bool = True) -> None:
        """The usual case: the units lost by the national portal are working days."""
        if ask:
            answer = QMessageBox.question(self, self.tr("Confirm time units"), self.tr(
                "Every procedure published without a time unit will count its time in working "
                "days (a missing amount as 1 day). Check them against the province's published "
                "list; each can still be changed one by one. Go on?"))
            if answer != QMessageBox.StandardButton.Yes:
                return
        store, actor = self.ctx.store, self.ctx.actor

        def work() -> list[str]:
            with store.transaction() as session:
                return catalogue.confirm_missing_units(session, actor)

        self.ctx.runner.submit(work, lambda _codes: self.reload(), write=True, owner=self)

    def edit_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._procedures):
            if ProcedureTimeDialog(self.ctx, self._procedures[row], self).exec():
                self.reload()  # keeps the current row: _fill only refills the cells
