"""Choose the procedure by typing part of its name or code (tone marks and đ optional)."""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop.domain.text import fold


@dataclass(frozen=True)
class ProcedureChoice:
    id: int
    code: str
    name: str
    field: str

    @property
    def haystack(self) -> str:
        return fold(f"{self.code} {self.name} {self.field}")


class ProcedurePicker(QWidget):
    chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices: list[ProcedureChoice] = []
        self._rank: dict[int, int] = {}
        self.current: ProcedureChoice | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Type part of the procedure's name or code…"))
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setMaximumHeight(170)
        self.list.setUniformItemSizes(True)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.chosen_label = QLabel()
        self.chosen_label.setObjectName("chosenProcedure")
        self.chosen_label.setWordWrap(True)
        lay.addWidget(self.search)
        lay.addWidget(self.list)
        lay.addWidget(self.chosen_label)
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.list.itemClicked.connect(lambda item: self._choose(item.data(Qt.ItemDataRole.UserRole)))
        self._update_label()

    def set_procedures(self, choices: list[ProcedureChoice], recent: list[int]) -> None:
        self._choices = choices
        self._rank = {pid: i for i, pid in enumerate(recent)}
        self._filter(self.search.text())

    def _ordered(self, query: str) -> list[ProcedureChoice]:
        tokens = fold(query).split()
        hits = [c for c in self._choices if all(t in c.haystack for t in tokens)]
        big = len(self._rank) + 1
        return sorted(hits, key=lambda c: (self._rank.get(c.id, big), c.code))

    def _filter(self, query: str) -> None:
        self.list.clear()
        for c in self._ordered(query):
            item = QListWidgetItem(f"{c.code} — {c.name}")
            item.setToolTip(f"{c.name}\n{c.field}")
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            if c.id in self._rank:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.list.setVisible(bool(query.strip()) or self.current is None)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if obj is self.search and event.type() == QEvent.Type.KeyPress:
            key: QKeyEvent = event  # type: ignore[assignment]
            row = self.list.currentRow()
            if key.key() == Qt.Key.Key_Down:
                self.list.setCurrentRow(min(row + 1, self.list.count() - 1))
                return True
            if key.key() == Qt.Key.Key_Up:
                self.list.setCurrentRow(max(row - 1, 0))
                return True
            if key.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.list.currentItem():
                if self.search.text().strip() or self.current is None:
                    self._choose(self.list.currentItem().data(Qt.ItemDataRole.UserRole))
                    return True
        return False

    def _choose(self, procedure_id: int) -> None:
        self.set_current(procedure_id)
        self.chosen.emit(procedure_id)
        self.focusNextChild()

    def set_current(self, procedure_id: int | None) -> None:
        self.current = next((c for c in self._choices if c.id == procedure_id), None)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._filter("")
        self._update_label()

    def _update_label(self) -> None:
        if self.current is None:
            self.chosen_label.setText(self.tr("No procedure chosen yet."))
        else:
            c = self.current
            self.chosen_label.setText(
                f"<b>{html.escape(c.code)}</b> — {html.escape(c.name)}"
                f"<br><span style='color:#5f7178'>{html.escape(c.field)}</span>")
