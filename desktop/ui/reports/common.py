"""Parts shared by the reports and the dashboard pages: the period chooser and the
drill-down dialog that lists the dossiers behind a figure (paged, on the reader pool)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import periods
from desktop.domain.periods import Period, PeriodError, PeriodKind
from desktop.domain.status import Status
from desktop.services.reports.listing import dossier_rows
from desktop.ui.context import UiContext

#: A page of ids behind a figure: ``fetch(session, after) -> (ids, next_after or None)``.
Fetch = Callable[[Any, Any], tuple[Sequence[int], Any]]
ROMAN = ("I", "II", "III", "IV")


def last_full_month(today: date) -> Period:
    first = today.replace(day=1) - timedelta(days=1)
    return periods.month(first.year, first.month)


def fmt_datetime(value) -> str:  # noqa: ANN001
    return value.strftime("%d/%m/%Y %H:%M") if value is not None else ""


def fmt_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class PeriodChooser(QWidget):
    """Month / quarter / six months / year / custom dates; emits `period_changed` with a Period."""

    period_changed = Signal(object)

    def __init__(self, today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        today = today or date.today()
        default = last_full_month(today)
        self.kind = QComboBox()
        for kind, label in ((PeriodKind.MONTH, self.tr("Month")),
                            (PeriodKind.QUARTER, self.tr("Quarter")),
                            (PeriodKind.HALF, self.tr("Six months")),
                            (PeriodKind.YEAR, self.tr("Year")),
                            (PeriodKind.CUSTOM, self.tr("Custom dates"))):
            self.kind.addItem(label, kind.value)
        self.part = QComboBox()
        self.part.setMinimumWidth(110)
        self.year = QSpinBox()
        self.year.setRange(periods.MIN_YEAR, periods.MAX_YEAR)
        self.year.setValue(default.start.year)
        self.start = QDateEdit(QDate(default.start.year, default.start.month, 1))
        self.end = QDateEdit(QDate(default.end.year, default.end.month, default.end.day))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.to_label = QLabel(self.tr("to"))
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.hide()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel(self.tr("Period:")))
        for w in (self.kind, self.part, self.year, self.start, self.to_label, self.end):
            lay.addWidget(w)
        lay.addWidget(self.error)
        self._month = default.start.month
        self._fill_parts()
        self.part.setCurrentIndex(self._month - 1)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.part.currentIndexChanged.connect(self._emit)
        self.year.valueChanged.connect(self._emit)
        self.start.dateChanged.connect(self._emit)
        self.end.dateChanged.connect(self._emit)

    def _fill_parts(self) -> None:
        kind = self.current_kind()
        self.part.blockSignals(True)
        self.part.clear()
        if kind is PeriodKind.MONTH:
            for m in range(1, 13):
                self.part.addItem(self.tr("Month {n}").format(n=m), m)
            self.part.setCurrentIndex(self._month - 1)
        elif kind is PeriodKind.QUARTER:
            for q in range(1, 5):
                self.part.addItem(self.tr("Quarter {n}").format(n=ROMAN[q - 1]), q)
            self.part.setCurrentIndex((self._month - 1) // 3)
        elif kind is PeriodKind.HALF:
            self.part.addItem(self.tr("First half"), 1)
            self.part.addItem(self.tr("Second half"), 2)
            self.part.setCurrentIndex(0 if self._month <= 6 else 1)
        self.part.blockSignals(False)
        custom = kind is PeriodKind.CUSTOM
        self.part.setVisible(kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF))
        self.year.setVisible(not custom)
        for w in (self.start, self.to_label, self.end):
            w.setVisible(custom)

    def current_kind(self) -> PeriodKind:
        return PeriodKind(self.kind.currentData())

    def _kind_changed(self) -> None:
        self._fill_parts()
        self._emit()

    def set_period(self, period: Period) -> None:
        """Show ``period`` (emits `period_changed` once)."""
        self.blockSignals(True)
        self._month = period.start.month
        self.year.setValue(period.start.year)
        self.start.setDate(QDate(period.start.year, period.start.month, period.start.day))
        self.end.setDate(QDate(period.end.year, period.end.month, period.end.day))
        self.kind.setCurrentIndex(self.kind.findData(period.kind.value))
        self._fill_parts()
        self.blockSignals(False)
        self._emit()

    def period(self) -> Period | None:
        """The chosen period; None (with the reason shown) when the dates make none."""
        kind = self.current_kind()
        y = self.year.value()
        try:
            if kind is PeriodKind.MONTH:
                self._month = self.part.currentData() or self._month
                result = periods.month(y, self._month)
            elif kind is PeriodKind.QUARTER:
                result = periods.quarter(y, self.part.currentData() or 1)
            elif kind is PeriodKind.HALF:
                result = periods.half(y, self.part.currentData() or 1)
            elif kind is PeriodKind.YEAR:
                result = periods.year(y)
            else:
                result = periods.custom(self.start.date().toPython(), self.end.date().toPython())
        except PeriodError as exc:
            self.error.setText(exc.message_vi if hasattr(exc, "message_vi") else str(exc))
            self.error.show()
            return None
        self.error.hide()
        return result

    def _emit(self) -> None:
        period = self.period()
        if period is not None:
            self.period_changed.emit(period)


class DrillDownDialog(QDialog):
    """The dossiers behind a figure, a page at a time ("More" loads the next page).

    ``sources`` are (label, fetch) pairs (e.g. the numerator and the denominator of an
    indicator); a chooser switches between them. Every fetch runs on the reader pool.
    """

    COLUMNS = ("code", "applicant", "procedure", "status", "due")
    PAGE = 200

    def __init__(self, ctx: UiContext, title: str, sources: Sequence[tuple[str, Fetch]],
                 parent: QWidget | None = None, *, counts: Sequence[int | None] = ()) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("drillDialog")
        self.setWindowTitle(title)
        self.resize(980, 620)
        self.sources = list(sources)
        self.counts = list(counts) + [None] * (len(self.sources) - len(counts))
        self.ids: list[int] = []
        self._after: Any = None
        self._generation = 0
        self.loading = False
        self.heading = QLabel(title)
        self.heading.setObjectName("digitiseHeading")
        self.heading.setWordWrap(True)
        self.chooser = QComboBox()
        for label, _ in self.sources:
            self.chooser.addItem(label)
        self.chooser.setVisible(len(self.sources) > 1)
        self.chooser.currentIndexChanged.connect(self._restart)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("reportTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("Dossier code"), self.tr("Applicant"), self.tr("Procedure"),
            self.tr("Status"), self.tr("Due")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 200), (1, 170), (3, 170), (4, 125)):
            self.table.setColumnWidth(col, width)
        self.status = QLabel()
        self.status.setObjectName("pageSubtitle")
        self.more = QPushButton(self.tr("Load more"))
        self.more.clicked.connect(self.load_more)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.more)
        bar.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.chooser)
        lay.addWidget(self.table, 1)
        lay.addLayout(bar)
        self._restart()

    def _restart(self) -> None:
        self._generation += 1
        self.ids = []
        self._after = None
        self.table.setRowCount(0)
        self.more.setEnabled(False)
        self._load(first=True)

    def load_more(self) -> None:
        if self._after is not None and not self.loading:
            self._load(first=False)

    def _load(self, *, first: bool) -> None:
        index = max(self.chooser.currentIndex(), 0)
        fetch = self.sources[index][1]
        after = None if first else self._after
        store, generation = self.ctx.store, self._generation
        self.loading = True
        self.status.setText(self.tr("Loading…"))

        def work():  # noqa: ANN202
            with store.reading() as session:
                ids, next_after = fetch(session, after)
                return list(ids), next_after, dossier_rows(session, list(ids))

        def done(value) -> None:  # noqa: ANN001
            if generation != self._generation:
                return
            ids, next_after, rows = value
            self.loading = False
            self.ids.extend(ids)
            self._after = next_after
            self._append(rows)
            self.more.setEnabled(next_after is not None)
            count = self.counts[index]
            if count is not None:
                self.status.setText(self.tr("{shown} of {total} dossiers shown").format(
                    shown=fmt_int(len(self.ids)), total=fmt_int(count)))
            else:
                self.status.setText(self.tr("{shown} dossiers shown").format(
                    shown=fmt_int(len(self.ids))) + ("" if next_after is None else " …"))

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self.loading = False
            self.status.setText(getattr(exc, "message_vi", None) or str(exc))

        self.ctx.runner.submit(work, done, failed, owner=self)

    def _append(self, rows) -> None:  # noqa: ANN001
        start = self.table.rowCount()
        self.table.setRowCount(start + len(rows))
        for i, r in enumerate(rows, start=start):
            try:
                status = Status(r.status).label
            except ValueError:
                status = str(r.status)
            values = (r.code or "", r.applicant_name, r.procedure_name, status,
                      fmt_datetime(r.due_at))
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                if col == 2:
                    item.setToolTip(value)
                self.table.setItem(i, col, item)


def open_drill_down(ctx: UiContext, parent: QWidget, title: str,
                    sources: Sequence[tuple[str, Fetch]], *,
                    counts: Sequence[int | None] = ()) -> DrillDownDialog:
    """Open a drill-down dialog over ``parent`` (deleted when closed)."""
    dialog = DrillDownDialog(ctx, title, sources, parent, counts=counts)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
