"""The procedure's checklist: each paper present, missing or not needed, with its copies.

Keyboard: arrows move, Space switches present/missing, N marks "not needed",
digits edit a count; Tab leaves the table.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSpinBox,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.services.reception import ComponentLine, ComponentState

STATE, NAME, ORIGINALS, CERTIFIED, PHOTOCOPIES = range(5)
COLOURS = {
    ComponentState.PRESENT: "#e6f4ea",
    ComponentState.MISSING: "#fdecea",
    ComponentState.NOT_NEEDED: "#f3f5f6",
}


class _CountDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:  # noqa: N802, ANN001
        spin = QSpinBox(parent)
        spin.setRange(0, 20)
        return spin

    def setEditorData(self, editor: QSpinBox, index: QModelIndex) -> None:  # noqa: N802
        editor.setValue(int(index.data() or 0))

    def setModelData(self, editor: QSpinBox, model, index: QModelIndex) -> None:  # noqa: N802, ANN001
        model.setData(index, str(editor.value()))


class ComponentsTable(QTableWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 5, parent)
        self._lines: list[ComponentLine] = []
        self.setHorizontalHeaderLabels([
            self.tr("Status"), self.tr("Component"), self.tr("Original"),
            self.tr("Certified copy"), self.tr("Photocopy"),
        ])
        self.verticalHeader().hide()
        self.setWordWrap(True)
        self.setTabKeyNavigation(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        header = self.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for col in (STATE, ORIGINALS, CERTIFIED, PHOTOCOPIES):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        delegate = _CountDelegate(self)
        for col in (ORIGINALS, CERTIFIED, PHOTOCOPIES):
            self.setItemDelegateForColumn(col, delegate)
        self.itemChanged.connect(self._on_item_changed)
        self.cellDoubleClicked.connect(lambda row, col: col == STATE and self.toggle(row))

    def state_label(self, state: str) -> str:
        return {ComponentState.PRESENT: self.tr("✓ Submitted"),
                ComponentState.MISSING: self.tr("✗ Missing"),
                ComponentState.NOT_NEEDED: self.tr("— Not needed")}[ComponentState(state)]

    def set_lines(self, lines: list[ComponentLine]) -> None:
        self.blockSignals(True)
        self._lines = [ComponentLine(**vars(line)) for line in lines]
        self.setRowCount(len(self._lines))
        for row, line in enumerate(self._lines):
            state = QTableWidgetItem()
            state.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.setItem(row, STATE, state)
            name = QTableWidgetItem(line.name)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            name.setToolTip(line.name)
            self.setItem(row, NAME, name)
            for col, value in ((ORIGINALS, line.originals), (CERTIFIED, line.certified),
                               (PHOTOCOPIES, line.photocopies)):
                item = QTableWidgetItem(str(value))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.setItem(row, col, item)
            self._paint_row(row)
        self.blockSignals(False)
        self.resizeRowsToContents()
        limit = self.fontMetrics().lineSpacing() * 3 + 8  # long legal texts: 3 lines, tooltip for all
        for row in range(self.rowCount()):
            if self.rowHeight(row) > limit:
                self.setRowHeight(row, limit)
        if self._lines:
            self.setCurrentCell(0, STATE)

    def lines(self) -> list[ComponentLine]:
        return [ComponentLine(**vars(line)) for line in self._lines]

    def _paint_row(self, row: int) -> None:
        line = self._lines[row]
        brush = QBrush(QColor(COLOURS[ComponentState(line.state)]))
        self.item(row, STATE).setText(self.state_label(line.state))
        for col in range(self.columnCount()):
            item = self.item(row, col)
            if item is not None:
                item.setBackground(brush)

    def set_state(self, row: int, state: ComponentState) -> None:
        if 0 <= row < len(self._lines):
            self._lines[row].state = state
            self.blockSignals(True)
            self._paint_row(row)
            self.blockSignals(False)
            self.changed.emit()

    def toggle(self, row: int) -> None:
        if 0 <= row < len(self._lines):
            current = self._lines[row].state
            self.set_state(row, ComponentState.MISSING if current == ComponentState.PRESENT
                           else ComponentState.PRESENT)

    def mark_all_present(self) -> None:
        for row, line in enumerate(self._lines):
            if line.state == ComponentState.MISSING:
                self.set_state(row, ComponentState.PRESENT)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        row = self.currentRow()
        if event.key() == Qt.Key.Key_Space and self.state() != QAbstractItemView.State.EditingState:
            self.toggle(row)
            return
        if event.key() == Qt.Key.Key_N and not event.modifiers():
            self.set_state(row, ComponentState.NOT_NEEDED)
            return
        super().keyPressEvent(event)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        row, col = item.row(), item.column()
        if col not in (ORIGINALS, CERTIFIED, PHOTOCOPIES) or row >= len(self._lines):
            return
        try:
            value = max(0, min(20, int(item.text())))
        except ValueError:
            value = 0
        attr = {ORIGINALS: "originals", CERTIFIED: "certified", PHOTOCOPIES: "photocopies"}[col]
        setattr(self._lines[row], attr, value)
        if item.text() != str(value):
            self.blockSignals(True)
            item.setText(str(value))
            self.blockSignals(False)
        self.changed.emit()
