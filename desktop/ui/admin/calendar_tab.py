"""Administration › Working calendar: days off and make-up working days of the office."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
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

from desktop.services import calendar as calendar_service
from desktop.ui.context import UiContext
from desktop.ui.forms import ValidatedForm, save_cancel_buttons


class DayDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Add a calendar day"))
        lay = QVBoxLayout(self)
        self.form = ValidatedForm()
        self.date_edit = self.form.add("day", self.tr("Date"), QDateEdit(QDate.currentDate()))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.kind_combo = self.form.add("kind", self.tr("Kind"), QComboBox())
        self.kind_combo.addItem(self.tr("Day off"), "day_off")
        self.kind_combo.addItem(self.tr("Make-up working day"), "working_day")
        self.name_edit = self.form.add("name", self.tr("Name or reason"), QLineEdit())
        lay.addLayout(self.form)
        lay.addWidget(save_cancel_buttons(self, self.save))

    def save(self) -> None:
        store, actor = self.ctx.store, self.ctx.actor
        day = self.date_edit.date().toPython()
        kind, name = self.kind_combo.currentData(), self.name_edit.text()

        def work() -> None:
            with store.transaction() as session:
                calendar_service.set_override(session, actor, day, kind, name)

        self.ctx.runner.submit(work, lambda _: self.accept(),
                               lambda e: self.form.show_errors(getattr(e, "errors", {"name": str(e)})),
                               write=True, owner=self)


class CalendarTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._rows: list = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 16, 16, 16)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Year")))
        self.year_combo = QComboBox()
        this_year = date.today().year
        for y in range(this_year - 2, this_year + 3):
            self.year_combo.addItem(str(y), y)
        self.year_combo.setCurrentText(str(this_year))
        self.year_combo.currentIndexChanged.connect(self.reload)
        top.addWidget(self.year_combo)
        note = QLabel(self.tr(
            "Public holidays under the Labour Code are counted automatically. List here the "
            "days the government swaps each year and the office's own days off."
        ))
        note.setObjectName("pageSubtitle")
        note.setWordWrap(True)
        top.addWidget(note, 1)
        lay.addLayout(top)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([
            self.tr("Date"), self.tr("Weekday"), self.tr("Kind"), self.tr("Name"), self.tr("Source"),
        ])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add day…"))
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(self.remove)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.reload()

    def reload(self) -> None:
        store, year = self.ctx.store, self.year_combo.currentData()

        def work() -> list:
            with store.reading() as session:
                return calendar_service.list_overrides(session, year)

        self.ctx.runner.submit(work, self._fill, owner=self)

    def _fill(self, rows: list) -> None:
        self._rows = rows
        kinds = {"day_off": self.tr("Day off"), "working_day": self.tr("Make-up working day")}
        sources = {"seed": self.tr("Official schedule"), "office": self.tr("Office"),
                   "province": self.tr("Province")}
        self.table.setRowCount(len(self._rows))
        for r, o in enumerate(self._rows):
            values = (o.day.strftime("%d/%m/%Y"), self.weekday_name(o.day), kinds.get(o.kind, o.kind),
                      o.name, sources.get(o.source, o.source))
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, o.day.isoformat())
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()

    def weekday_name(self, d: date) -> str:
        names = (self.tr("Monday"), self.tr("Tuesday"), self.tr("Wednesday"), self.tr("Thursday"),
                 self.tr("Friday"), self.tr("Saturday"), self.tr("Sunday"))
        return names[d.weekday()]

    def add(self) -> None:
        if DayDialog(self.ctx, self).exec():
            self.reload()

    def remove(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self._rows):
            return
        entry = self._rows[row]
        answer = QMessageBox.question(
            self, self.tr("Remove day"),
            self.tr("Remove {day} ({name}) from the calendar?").format(
                day=entry.day.strftime("%d/%m/%Y"), name=entry.name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        store, actor, day = self.ctx.store, self.ctx.actor, entry.day

        def work() -> None:
            with store.transaction() as session:
                calendar_service.remove_override(session, actor, day)

        self.ctx.runner.submit(work, lambda _: self.reload(), write=True, owner=self)
