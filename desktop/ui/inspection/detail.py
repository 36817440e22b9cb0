"""The detail pane of the audit list: one event's data before and after, changes highlighted."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services.inspection import AuditEntry, FieldChange
from desktop.ui.inspection.model import fmt_time

BEFORE_BG = QColor("#fbe5e3")  # the old value of a changed field
AFTER_BG = QColor("#e2f3e5")  # the new value
CHANGED_MARK_FG = QColor("#0f5e73")


class EventDetailPane(QFrame):
    """Shows one AuditEntry: what was done, by whom, and the table field | before | after
    (changed fields first and highlighted, then the others unless hidden)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.entry: AuditEntry | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 10)
        outer.setSpacing(4)

        top = QHBoxLayout()
        top.setSpacing(12)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.heading = QLabel()
        self.heading.setObjectName("detailHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = QLabel()
        self.meta.setObjectName("pageSubtitle")
        self.meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        titles.addWidget(self.heading)
        titles.addWidget(self.meta)
        top.addLayout(titles, 1)
        self.counts = QLabel()
        self.counts.setObjectName("pageSubtitle")
        self.only_changed = QCheckBox(self.tr("Only changed fields"))
        self.only_changed.toggled.connect(lambda _on: self._fill())
        top.addWidget(self.counts, 0, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.only_changed, 0, Qt.AlignmentFlag.AlignBottom)
        outer.addLayout(top)

        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.placeholder = QLabel()
        self.placeholder.setObjectName("pageSubtitle")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack.addWidget(self.placeholder)

        self.table = QTableWidget(0, 3)
        self.table.setObjectName("changesTable")
        self.table.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Before"), self.tr("After")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setShowGrid(False)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        self.table.setColumnWidth(0, 240)
        self.stack.addWidget(self.table)
        self.show_nothing()

    # ---------------------------------------------------------------------- states

    def show_nothing(self, message: str | None = None) -> None:
        self.entry = None
        self.heading.hide()
        self.meta.hide()
        self.counts.hide()
        self.only_changed.hide()
        self.placeholder.setText(message or self.tr("Select an event to see what it changed."))
        self.stack.setCurrentWidget(self.placeholder)

    def show_entry(self, entry: AuditEntry) -> None:
        self.entry = entry
        self.heading.setText(self.tr("<b>{action}</b> — {object}").format(
            action=escape(entry.action_label), object=escape(entry.entity_label)))
        self.heading.setToolTip(entry.action)
        self.meta.setText(self.tr("{time} · {officer} · event #{id}").format(
            time=fmt_time(entry), officer=entry.actor_name, id=entry.id))
        self.heading.show()
        self.meta.show()
        self._fill()

    def rows(self) -> list[tuple[str, str, str, bool]]:
        """What the table shows: (field label, before, after, changed), for tests."""
        out = []
        for r in range(self.table.rowCount()):
            cells = [self.table.item(r, c) for c in range(3)]
            out.append((cells[0].data(Qt.ItemDataRole.UserRole + 1), cells[1].text(),
                        cells[2].text(), bool(cells[0].data(Qt.ItemDataRole.UserRole))))
        return out

    # ---------------------------------------------------------------------- parts

    def _fill(self) -> None:
        entry = self.entry
        if entry is None:
            return
        if not entry.has_data:
            self.counts.hide()
            self.only_changed.hide()
            self.placeholder.setText(self.tr("This event records no data, only who did what "
                                             "and when."))
            self.stack.setCurrentWidget(self.placeholder)
            return
        changed = entry.changes
        self.counts.setText(self.tr("{changed} of {total} fields changed").format(
            changed=len(changed), total=len(entry.fields)))
        self.counts.show()
        self.only_changed.show()
        # The changes first, then (unless hidden) the fields that stayed as they were.
        fields = changed if self.only_changed.isChecked() else changed + tuple(
            f for f in entry.fields if not f.changed)
        self.table.setRowCount(len(fields))
        for r, f in enumerate(fields):
            self._set_row(r, f)
        self.table.scrollToTop()
        self.stack.setCurrentWidget(self.table)

    def _set_row(self, row: int, f: FieldChange) -> None:
        label = QTableWidgetItem(("● " if f.changed else "   ") + f.label)
        label.setToolTip(f.field)
        label.setData(Qt.ItemDataRole.UserRole, f.changed)
        label.setData(Qt.ItemDataRole.UserRole + 1, f.label)
        before = QTableWidgetItem(f.before)
        before.setToolTip(f.before)
        after = QTableWidgetItem(f.after)
        after.setToolTip(f.after)
        if f.changed:
            bold = QFont()
            bold.setBold(True)
            label.setFont(bold)
            label.setForeground(QBrush(CHANGED_MARK_FG))
            after.setFont(bold)
            if f.before:
                before.setBackground(QBrush(BEFORE_BG))
            if f.after:
                after.setBackground(QBrush(AFTER_BG))
        self.table.setItem(row, 0, label)
        self.table.setItem(row, 1, before)
        self.table.setItem(row, 2, after)
