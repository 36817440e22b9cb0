"""The filter bar of the audit list: officer, period, action, dossier code.

`InspectionFilterBar.filter()` returns the AuditFilter the controls show;
`changed` fires when a choice changes (after a short pause, so typing a date
reads once) and at once when Enter is pressed in the dossier box. A dossier
code shows the dossier's whole history: the period is not applied then.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop.services.inspection import (
    NO_OFFICER,
    ActionChoice,
    AuditFilter,
    OfficerChoice,
)
from desktop.ui.dossiers.filters import SearchableCombo

DEFAULT_DAYS = 30  # the period shown at first: the last 30 days
DEBOUNCE_MS = 250


def _date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setMinimumWidth(120)
    return edit


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("fieldCaption")
    return label


class InspectionFilterBar(QFrame):
    """All filters of the audit list in two rows; `changed` when any of them changes."""

    changed = Signal()
    #: Down in the dossier box: the officer wants to go to the table.
    go_to_results = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._applied_dossier = ""
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.changed.emit)

        self.officer_combo = SearchableCombo(self.tr("All officers"))
        self.officer_combo.setMinimumWidth(240)
        self.officer_combo.setToolTip(self.tr("Type to narrow the list"))
        self.action_combo = SearchableCombo(self.tr("All actions"))
        self.action_combo.setMinimumWidth(280)
        self.action_combo.setToolTip(self.tr("Type to narrow the list"))
        self.from_edit = _date_edit()
        self.to_edit = _date_edit()
        self.dossier_edit = QLineEdit()
        self.dossier_edit.setObjectName("searchBox")
        self.dossier_edit.setClearButtonEnabled(True)
        self.dossier_edit.setPlaceholderText(self.tr("Dossier code, then Enter (Ctrl+F)"))
        self.dossier_edit.setMinimumWidth(280)
        self.dossier_edit.installEventFilter(self)
        self.dossier_edit.returnPressed.connect(self.apply_dossier)
        self.dossier_edit.textChanged.connect(self._dossier_text_changed)
        self.clear_button = QPushButton(self.tr("Clear filters"))
        self.clear_button.clicked.connect(self.clear)
        self.set_default_period()

        grid = QGridLayout(self)
        grid.setContentsMargins(12, 10, 12, 10)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        grid.addWidget(_caption(self.tr("Officer")), 0, 0)
        grid.addWidget(self.officer_combo, 0, 1)
        grid.addWidget(_caption(self.tr("Action")), 0, 2)
        grid.addWidget(self.action_combo, 0, 3)
        grid.addWidget(_caption(self.tr("Dossier")), 1, 0)
        grid.addWidget(self.dossier_edit, 1, 1)
        grid.addWidget(_caption(self.tr("Period")), 1, 2)
        period = QHBoxLayout()
        period.setSpacing(6)
        period.addWidget(self.from_edit)
        period.addWidget(QLabel(self.tr("to")))
        period.addWidget(self.to_edit)
        period.addStretch(1)
        period.addWidget(self.clear_button)
        grid.addLayout(period, 1, 3)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 3)

        self.officer_combo.currentIndexChanged.connect(self._changed_soon)
        self.action_combo.currentIndexChanged.connect(self._changed_soon)
        self.from_edit.dateChanged.connect(self._from_changed)
        self.to_edit.dateChanged.connect(self._changed_soon)

    # --------------------------------------------------------------------- values

    def filter(self) -> AuditFilter:
        """The filter the controls show (the dossier box as last applied with Enter)."""
        dossier = self._applied_dossier or None
        return AuditFilter(
            officer_id=self.officer_combo.currentData(),
            start=None if dossier else _py(self.from_edit.date()),
            end=None if dossier else _py(self.to_edit.date()),
            dossier=dossier,
            action=self.action_combo.currentData(),
        )

    def set_choices(self, choices: tuple[list[OfficerChoice], list[ActionChoice]]) -> None:
        """Fill the officer and action lists (keeps what is selected)."""
        officers, actions = choices
        items: list[tuple[str, object, str]] = []
        for o in officers:
            name = o.name if o.active else self.tr("{name} (no longer active)").format(name=o.name)
            items.append((name, o.id, o.username))
        items.append((self.tr("Not an officer (setup, command-line tools, unknown user names)"),
                      NO_OFFICER, ""))
        self.officer_combo.set_items(items)
        self.action_combo.set_items([(a.label, a.name, f"{a.group} · {a.name}") for a in actions])

    def set_default_period(self) -> None:
        today = QDate.currentDate()
        self.from_edit.blockSignals(True)
        self.to_edit.blockSignals(True)
        self.to_edit.setMinimumDate(QDate(2000, 1, 1))
        self.from_edit.setDate(today.addDays(-DEFAULT_DAYS))
        self.to_edit.setDate(today)
        self.to_edit.setMinimumDate(self.from_edit.date())
        self.from_edit.blockSignals(False)
        self.to_edit.blockSignals(False)

    def set_officer(self, officer_id: int | None) -> None:
        self.officer_combo.select_data(officer_id)

    def set_action(self, action: str | None) -> None:
        self.action_combo.select_data(action)

    def set_period(self, start: date, end: date) -> None:
        self.from_edit.blockSignals(True)
        self.to_edit.setMinimumDate(QDate(2000, 1, 1))
        self.from_edit.setDate(QDate(start.year, start.month, start.day))
        self.from_edit.blockSignals(False)
        self.to_edit.setDate(QDate(end.year, end.month, end.day))
        self.to_edit.setMinimumDate(self.from_edit.date())
        self._changed_soon()

    def apply_dossier(self) -> None:
        """Apply the dossier box now (Enter)."""
        self._applied_dossier = self.dossier_edit.text().strip()
        self._update_period_state()
        self._debounce.stop()
        self.changed.emit()

    def clear(self) -> None:
        for w in (self.officer_combo, self.action_combo, self.dossier_edit):
            w.blockSignals(True)
        self.officer_combo.select_data(None)
        self.action_combo.select_data(None)
        self.dossier_edit.clear()
        for w in (self.officer_combo, self.action_combo, self.dossier_edit):
            w.blockSignals(False)
        self._applied_dossier = ""
        self.set_default_period()
        self._update_period_state()
        self._debounce.stop()
        self.changed.emit()

    # -------------------------------------------------------------------- internals

    def _changed_soon(self, *_args: object) -> None:
        self._debounce.start()

    def _from_changed(self, value: QDate) -> None:
        self.to_edit.setMinimumDate(value)  # moves "to" along if it was earlier
        self._changed_soon()

    def _dossier_text_changed(self, text: str) -> None:
        if not text.strip() and self._applied_dossier:
            self.apply_dossier()  # cleared (the clear button, or erased): the filter goes

    def _update_period_state(self) -> None:
        by_dossier = bool(self._applied_dossier)
        tip = self.tr("A dossier's whole history is shown, whatever the period") \
            if by_dossier else ""
        for edit in (self.from_edit, self.to_edit):
            edit.setEnabled(not by_dossier)
            edit.setToolTip(tip)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.dossier_edit and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Down:
                self.go_to_results.emit()
                return True
            if event.key() == Qt.Key.Key_Escape and self.dossier_edit.text():
                self.dossier_edit.clear()
                return True
        return super().eventFilter(watched, event)


def _py(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())
