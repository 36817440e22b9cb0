"""The filter bar of the dossier list: search box, status, procedure, field, channel, period, due.

`FilterBar.filter()` returns the DossierFilter the controls show; `changed`
fires when a control changes (the search box after a short pause).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QToolButton,
    QWidget,
)

from desktop.domain.status import Status
from desktop.domain.text import fold
from desktop.services.dossier_query import DossierFilter, FilterChoices
from desktop.services.overview import IN_PROGRESS

SEARCH_DEBOUNCE_MS = 250
NO_DATE = QDate(2000, 1, 1)  # the minimum of the period edits: shown as "—", meaning no bound


class _FoldedFilter(QSortFilterProxyModel):
    """Keeps the rows whose text contains the typed words, ignoring diacritics (đ = d)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_text(self, typed: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9
            self.beginFilterChange()
            self._words = fold(typed).split()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._words = fold(typed).split()
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: ANN001
        if not self._words:
            return True
        index = self.sourceModel().index(row, 0, parent)
        key = self.sourceModel().data(index, Qt.ItemDataRole.UserRole + 1) or ""
        return all(w in key for w in self._words)


class SearchableCombo(QComboBox):
    """A combo box the officer can type into: the list narrows to the matching entries
    (diacritics do not matter); choosing one selects it, Escape or leaving restores it."""

    def __init__(self, all_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._all_label = all_label
        self._model = QStandardItemModel(self)
        self.setModel(self._model)
        self._proxy = _FoldedFilter(self)
        self._proxy.setSourceModel(self._model)
        completer = QCompleter(self._proxy, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.popup().setMinimumWidth(420)
        self.setCompleter(completer)
        self.lineEdit().textEdited.connect(self._typed)
        # QCompleter.activated is overloaded (text / index): the index one.
        completer.activated[QModelIndex].connect(self._picked)
        self.set_items([])

    def set_items(self, items: list[tuple[str, object, str]]) -> None:
        """(text, data, tooltip) items after the "all" entry; keeps the current data if it can."""
        current = self.currentData()
        self.blockSignals(True)
        self._model.clear()
        for text, data, tip in [(self._all_label, None, "")] + list(items):
            item = QStandardItem(text)
            item.setData(data, Qt.ItemDataRole.UserRole)
            item.setData(fold(text + " " + tip), Qt.ItemDataRole.UserRole + 1)
            if tip:
                item.setToolTip(tip)
            self._model.appendRow(item)
        index = self.findData(current) if current is not None else 0
        self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)

    def select_data(self, data: object) -> None:
        index = self.findData(data) if data is not None else 0
        self.setCurrentIndex(max(index, 0))

    def _typed(self, text: str) -> None:
        self._proxy.set_text(text)
        self.completer().complete()

    def _picked(self, proxy_index) -> None:  # noqa: ANN001
        source = self._proxy.mapToSource(proxy_index)
        if source.isValid():
            self.setCurrentIndex(source.row())
        self.lineEdit().setText(self.currentText())

    def focusInEvent(self, event) -> None:  # noqa: ANN001
        super().focusInEvent(event)
        # Typing replaces the shown entry: the officer types what to look for.
        QTimer.singleShot(0, self.lineEdit().selectAll)

    def focusOutEvent(self, event) -> None:  # noqa: ANN001
        super().focusOutEvent(event)
        if not self.completer().popup().isVisible():
            # Whatever was typed, the box shows the entry actually selected.
            self.lineEdit().setText(self.currentText())


class _StickyMenu(QMenu):
    """A menu whose check items toggle without closing it (several statuses at once)."""

    def mouseReleaseEvent(self, event) -> None:  # noqa: ANN001
        action = self.activeAction()
        if action is not None and action.isEnabled() and action.isCheckable():
            action.trigger()
            return
        super().mouseReleaseEvent(event)


class StatusButton(QToolButton):
    """Status multi-choice: presets, then one check item per national status."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setObjectName("statusButton")
        menu = _StickyMenu(self)
        self.presets: dict[str, QAction] = {}
        for key, label, statuses in (
            ("all", self.tr("All statuses"), None),
            ("waiting", self.tr("Waiting for reception"), {1}),
            ("in_progress", self.tr("Being resolved (received, processing, supplement, fees)"),
             set(IN_PROGRESS)),
            ("ready", self.tr("Resolved, waiting to be returned"), {9}),
            ("closed", self.tr("Finished (returned, refused, withdrawn)"), {3, 7, 10}),
        ):
            action = menu.addAction(label)
            action.triggered.connect(lambda _=False, s=statuses: self.set_statuses(s))
            self.presets[key] = action
        menu.addSeparator()
        self.actions_by_status: dict[int, QAction] = {}
        for status in Status:
            label = status.label
            if status == Status.NEW_ONLINE:
                label = self.tr("{label} (waiting for reception)").format(label=label)
            action = menu.addAction(f"{status.value}. {label}")
            action.setCheckable(True)
            action.toggled.connect(self._toggled)
            self.actions_by_status[status.value] = action
        self.setMenu(menu)
        self._quiet = False
        self._update_text()

    def statuses(self) -> frozenset[int] | None:
        chosen = frozenset(s for s, a in self.actions_by_status.items() if a.isChecked())
        return chosen or None

    def set_statuses(self, statuses: set[int] | frozenset[int] | None) -> None:
        self._quiet = True
        for s, action in self.actions_by_status.items():
            action.setChecked(bool(statuses) and s in statuses)
        self._quiet = False
        self._update_text()
        self.changed.emit()

    def _toggled(self, _on: bool) -> None:
        if not self._quiet:
            self._update_text()
            self.changed.emit()

    def _update_text(self) -> None:
        chosen = self.statuses()
        if not chosen:
            text = self.tr("All statuses")
        elif chosen == {1}:
            text = self.tr("Waiting for reception")
        elif chosen == set(IN_PROGRESS):
            text = self.tr("Being resolved")
        elif len(chosen) == 1:
            text = Status(next(iter(chosen))).label
        else:
            text = self.tr("{n} statuses").format(n=len(chosen))
        self.setText(text + "  ▾")
        self.setToolTip("\n".join(Status(s).label for s in sorted(chosen or ())))


class OptionalDateEdit(QDateEdit):
    """A date that may be left empty (shown "—"); its calendar opens on today, not on 2000."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("dd/MM/yyyy")
        self.setMinimumDate(NO_DATE)
        self.setSpecialValueText("—")
        self.setDate(NO_DATE)
        self.setMinimumWidth(120)
        self.calendarWidget().installEventFilter(self)

    def value(self) -> date | None:
        d = self.date()
        return None if d == NO_DATE else date(d.year(), d.month(), d.day())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.calendarWidget() and event.type() == QEvent.Type.Show \
                and self.date() == NO_DATE:
            today = QDate.currentDate()
            self.calendarWidget().setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)


class FilterBar(QFrame):
    """All filters of the list in two rows; `changed` when any of them changes."""

    changed = Signal()
    #: Enter or Down in the search box: the officer wants to go to the table.
    go_to_results = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._choices: FilterChoices | None = None
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 10, 12, 10)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("searchBox")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(
            self.tr("Search: dossier code, name, ID number or phone (Ctrl+F)"))
        self.search_edit.setMinimumWidth(360)
        self.search_edit.installEventFilter(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.changed.emit)
        self.search_edit.textChanged.connect(lambda _: self._debounce.start())

        self.status_button = StatusButton()
        self.status_button.changed.connect(self.changed.emit)
        self.procedure_combo = SearchableCombo(self.tr("All procedures"))
        self.procedure_combo.setMinimumWidth(220)
        self.procedure_combo.setToolTip(self.tr("Type to narrow the list"))
        self.field_combo = SearchableCombo(self.tr("All fields"))
        self.field_combo.setMinimumWidth(150)
        self.field_combo.setToolTip(self.tr("Type to narrow the list"))
        self.channel_combo = QComboBox()
        for label, value in ((self.tr("All channels"), None), (self.tr("In person"), "1"),
                             (self.tr("Online"), "2"), (self.tr("By post"), "3")):
            self.channel_combo.addItem(label, value)
        self.procedure_combo.currentIndexChanged.connect(self._emit_changed)
        self.field_combo.currentIndexChanged.connect(self._field_changed)
        self.channel_combo.currentIndexChanged.connect(self._emit_changed)

        self.from_edit = self._date_edit()
        self.to_edit = self._date_edit()
        self.overdue_check = QCheckBox(self.tr("Overdue"))
        self.overdue_check.setObjectName("overdueToggle")
        self.overdue_check.toggled.connect(self._emit_changed)
        self.due_spin = QSpinBox()
        self.due_spin.setRange(0, 60)
        self.due_spin.setSpecialValueText(self.tr("—"))
        self.due_spin.setSuffix(self.tr(" days"))
        self.due_spin.setToolTip(self.tr("Due within this many days (— : off)"))
        self.due_spin.valueChanged.connect(self._emit_changed)
        self.clear_button = QPushButton(self.tr("Clear filters"))
        self.clear_button.clicked.connect(self.clear)

        grid.addWidget(self.search_edit, 0, 0)
        grid.addWidget(self.status_button, 0, 1)
        grid.addWidget(self.procedure_combo, 0, 2)
        grid.addWidget(self.field_combo, 0, 3)

        period = QHBoxLayout()
        period.setSpacing(6)
        period.addWidget(self.channel_combo)
        period.addSpacing(18)
        period.addWidget(QLabel(self.tr("Received from")))
        period.addWidget(self.from_edit)
        period.addWidget(QLabel(self.tr("to")))
        period.addWidget(self.to_edit)
        period.addSpacing(18)
        period.addWidget(self.overdue_check)
        period.addSpacing(12)
        period.addWidget(QLabel(self.tr("Due within")))
        period.addWidget(self.due_spin)
        period.addStretch(1)
        period.addWidget(self.clear_button)
        grid.addLayout(period, 1, 0, 1, 4)
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(2, 3)
        grid.setColumnStretch(3, 2)
        self._quiet = False

    # --------------------------------------------------------------------- values

    def _date_edit(self) -> OptionalDateEdit:
        edit = OptionalDateEdit()
        edit.dateChanged.connect(self._emit_changed)
        return edit

    def filter(self) -> DossierFilter:
        return DossierFilter(
            statuses=self.status_button.statuses(),
            procedure_id=self.procedure_combo.currentData(),
            field_id=self.field_combo.currentData(),
            channel=self.channel_combo.currentData(),
            received_from=self.from_edit.value(),
            received_to=self.to_edit.value(),
            overdue=self.overdue_check.isChecked(),
            due_within_days=self.due_spin.value() or None,
            text=self.search_edit.text().strip(),
        )

    def set_choices(self, choices: FilterChoices) -> None:
        self._choices = choices
        self._quiet = True
        self.field_combo.set_items([(f.name, f.id, "") for f in choices.fields])
        self._fill_procedures()
        self._quiet = False

    def _fill_procedures(self) -> None:
        if self._choices is None:
            return
        field_id = self.field_combo.currentData()
        self.procedure_combo.set_items([
            (p.name, p.id, p.code) for p in self._choices.procedures
            if field_id is None or p.field_id == field_id])

    def _field_changed(self) -> None:
        quiet, self._quiet = self._quiet, True
        self._fill_procedures()  # only the field's procedures (keeps the choice if it is one)
        self._quiet = quiet
        self._emit_changed()

    def _emit_changed(self, *_: object) -> None:
        if not self._quiet:
            self.changed.emit()

    def set_statuses(self, statuses: set[int] | None) -> None:
        self.status_button.set_statuses(statuses)

    def clear(self) -> None:
        self._quiet = True
        self._debounce.stop()
        self.search_edit.clear()
        self._debounce.stop()
        self.status_button.set_statuses(None)
        self.field_combo.select_data(None)
        self._fill_procedures()
        self.procedure_combo.select_data(None)
        self.channel_combo.setCurrentIndex(0)
        self.from_edit.setDate(NO_DATE)
        self.to_edit.setDate(NO_DATE)
        self.overdue_check.setChecked(False)
        self.due_spin.setValue(0)
        self._quiet = False
        self.changed.emit()

    def flush_search(self) -> None:
        """Apply the typed search now (no waiting for the pause)."""
        if self._debounce.isActive():
            self._debounce.stop()
            self.changed.emit()

    # ------------------------------------------------------------------ keyboard

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
                self.flush_search()
                self.go_to_results.emit()
                return True
            if key == Qt.Key.Key_Escape and self.search_edit.text():
                self.search_edit.clear()
                self.flush_search()
                return True
        return super().eventFilter(watched, event)
