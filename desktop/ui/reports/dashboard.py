"""The leaders' dashboard: the five QĐ 766 indicators of a period, their monthly trend as
a chart (QtCharts), and the lists of now (overdue, due within 3 days, waiting for a
supplement). Every figure opens the dossiers behind it.

Everything is read on the reader pool (`services.reports.indicators.dashboard` and the
rows of the lists), when the page is shown and when the period changes; a result that
arrives after a newer request is dropped.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCharts import QBarCategoryAxis, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services.reports import indicators as ind
from desktop.services.reports.listing import dossier_rows
from desktop.ui.context import UiContext
from desktop.ui.reports.common import PeriodChooser, fmt_datetime, fmt_int, open_drill_down

SERIES_COLORS = ("#0f5e73", "#d97b00", "#2e7d32", "#7b4fa0", "#b3261e")
LIST_ROWS = 50


class IndicatorCard(QFrame):
    """One indicator: its rate, numerator and denominator; a click opens its dossiers."""

    clicked = Signal(str)

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName("card")
        self.setProperty("indicator", True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.title = QLabel(ind.LABELS_VI[key][0])
        self.title.setObjectName("indicatorTitle")
        self.title.setWordWrap(True)
        self.value = QLabel("—")
        self.value.setObjectName("cardValue")
        self.detail = QLabel()
        self.detail.setObjectName("cardLabel")
        self.detail.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 10, 14, 10)
        lay.addWidget(self.title)
        lay.addWidget(self.value)
        lay.addWidget(self.detail)
        lay.addStretch(1)
        self.setToolTip(self.tr("Click to see the dossiers behind this figure."))

    def show_indicator(self, indicator: ind.Indicator) -> None:
        self.value.setText(indicator.percent_vi)
        self.detail.setText(f"{indicator.numerator_label_vi}: {fmt_int(indicator.numerator)}\n"
                            f"{indicator.denominator_label_vi}: {fmt_int(indicator.denominator)}")

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.key)
        super().mouseReleaseEvent(event)


class DossierListBox(QFrame):
    """One list of now: its label and count, the first rows; "See all" pages through it."""

    dossier_activated = Signal(int, str)
    see_all = Signal(str)

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.count = 0
        self.setObjectName("card")
        self.title = QLabel(ind.LIST_LABELS_VI[key])
        self.title.setObjectName("reportsSection")
        self.count_label = QLabel("…")
        self.count_label.setObjectName("listCount")
        self.all_button = QPushButton(self.tr("See all"))
        self.all_button.clicked.connect(lambda: self.see_all.emit(self.key))
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("reportTable")
        self.table.setHorizontalHeaderLabels([self.tr("Code"), self.tr("Applicant"),
                                              self.tr("Due")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.cellDoubleClicked.connect(self._activated)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.count_label)
        head.addStretch(1)
        head.addWidget(self.all_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 10)
        lay.addLayout(head)
        lay.addWidget(self.table, 1)

    def show_list(self, count: int, rows) -> None:  # noqa: ANN001 - DossierRow list
        self.count = count
        self.count_label.setText(fmt_int(count))
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            # The office's own codes share the agency prefix: show the day and number.
            short = (r.code or "").rsplit("-", 2)
            code = "-".join(short[-2:]) if len(short) == 3 else (r.code or "")
            for c, value in enumerate((code, r.applicant_name, fmt_datetime(r.due_at))):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                if c == 0:
                    item.setToolTip(r.code or "")
                if c == 1:
                    item.setToolTip(f"{r.applicant_name}\n{r.procedure_name}")
                self.table.setItem(i, c, item)

    def _activated(self, row: int, _column: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            self.dossier_activated.emit(int(item.data(Qt.ItemDataRole.UserRole)), item.text())


class DashboardPage(QWidget):
    """For leaders: the indicators of a period, the monthly trend, and the lists of now."""

    #: Emitted after each refresh (the Dashboard shown).
    refreshed = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *,
                 today: date | None = None, now=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        #: Called with (id, code) when a dossier of a list is double-clicked (the main
        #: window shows it in the dossiers area); None: the list's drill-down opens.
        self.show_dossier = None
        self._now = now  # fixed "now" (tests); None: the clock at each refresh
        self.data: ind.Dashboard | None = None
        self.last_drill = None
        self._generation = 0
        self.loading = False

        title = QLabel(self.tr("Dashboard"))
        title.setObjectName("pageTitle")
        self.period_chooser = PeriodChooser(today)
        self.period_chooser.period_changed.connect(lambda _p: self.refresh())
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.status = QLabel()
        self.status.setObjectName("pageSubtitle")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(20)
        top.addWidget(self.period_chooser)
        top.addStretch(1)
        top.addWidget(self.status)
        top.addWidget(self.refresh_button)

        self.cards = {k: IndicatorCard(k) for k in ind.INDICATOR_KEYS}
        cards = QHBoxLayout()
        for card in self.cards.values():
            card.clicked.connect(self.open_indicator)
            cards.addWidget(card, 1)

        self.chart = QChart()
        self.chart.setTitle(self.tr("Monthly trend (%)"))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.setBackgroundRoundness(6)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(230)
        self.series: dict[str, QLineSeries] = {}

        self.lists = {k: DossierListBox(k) for k in ind.LIST_KEYS}
        lists = QGridLayout()
        for i, box in enumerate(self.lists.values()):
            box.dossier_activated.connect(self._dossier_activated)
            box.see_all.connect(self.open_list)
            lists.addWidget(box, 0, i)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 16)
        lay.addLayout(top)
        lay.addLayout(cards)
        lay.addWidget(self.chart_view, 3)
        lay.addLayout(lists, 2)

    # ------------------------------------------------------------------ reading

    def now(self) -> datetime:
        return self._now or datetime.now().replace(microsecond=0)

    def refresh(self) -> None:
        period = self.period_chooser.period()
        if period is None:
            return
        self._generation += 1
        generation, store, now = self._generation, self.ctx.store, self.now()
        self.loading = True
        self.status.setText(self.tr("Counting…"))

        def work():  # noqa: ANN202
            with store.reading() as session:
                data = ind.dashboard(session, period, now, list_limit=LIST_ROWS)
                rows = {k: dossier_rows(session, lst.ids) for k, lst in data.lists.items()}
                return data, rows

        def done(value) -> None:  # noqa: ANN001
            if generation == self._generation:
                self._show(*value)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.loading = False
                self.status.setText(getattr(exc, "message_vi", None) or str(exc))

        self.ctx.runner.submit(work, done, failed, owner=self)

    def _show(self, data: ind.Dashboard, rows) -> None:  # noqa: ANN001
        self.data = data
        self.loading = False
        self.status.setText(self.tr("{period} · counted at {time}").format(
            period=data.period.name_vi, time=data.now.strftime("%H:%M")))
        for key, card in self.cards.items():
            card.show_indicator(data.indicators[key])
        self._show_trend(data)
        for key, box in self.lists.items():
            lst = data.lists[key]
            box.show_list(lst.count, rows[key])
        self.refreshed.emit(data)

    def _show_trend(self, data: ind.Dashboard) -> None:
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.series = {}
        labels = [self._month_label(m.period) for m in data.trend]
        x_axis = QBarCategoryAxis()
        x_axis.append(labels)
        y_axis = QValueAxis()
        y_axis.setRange(0, 100)
        y_axis.setLabelFormat("%d")
        y_axis.setTickCount(6)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for i, key in enumerate(ind.INDICATOR_KEYS):
            series = QLineSeries()
            series.setName(ind.LABELS_VI[key][0])
            series.setPointsVisible(True)
            pen = QPen(QColor(SERIES_COLORS[i % len(SERIES_COLORS)]))
            pen.setWidthF(2.2)
            series.setPen(pen)
            for x, month in enumerate(data.trend):
                rate = month.indicators[key].rate
                if rate is not None:
                    series.append(x, round(rate * 100, 1))
            chart.addSeries(series)
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
            self.series[key] = series

    @staticmethod
    def _month_label(period) -> str:  # noqa: ANN001
        if period.kind == "month":
            return f"{period.start.month:02d}/{period.start.year}"
        return f"{period.start:%d/%m}–{period.end:%d/%m/%Y}"

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()

    # ------------------------------------------------------------------ drill-down

    def open_indicator(self, key: str):  # noqa: ANN201
        """The dossiers behind an indicator: its numerator, or (chooser) its denominator."""
        if self.data is None:
            return None
        period = self.data.period
        indicator = self.data.indicators[key]

        def fetch(part: str):  # noqa: ANN202
            def run(session, after):  # noqa: ANN001, ANN202
                page = ind.drill_down(session, key, period, part, after=after or 0, limit=200)
                return page.ids, page.after
            return run

        # The components' rate counts components, not dossiers: no dossier count to show.
        weighted = key == ind.COMPONENTS
        title = f"{indicator.label_vi} – {period.name_vi}"
        self.last_drill = open_drill_down(
            self.ctx, self, title,
            [(indicator.numerator_label_vi, fetch(ind.NUMERATOR)),
             (indicator.denominator_label_vi, fetch(ind.DENOMINATOR))],
            counts=[None, None] if weighted else [indicator.numerator, indicator.denominator])
        return self.last_drill

    def open_list(self, key: str):  # noqa: ANN201
        """Every dossier of one list of now, a page at a time."""
        now = self.data.now if self.data is not None else self.now()
        count = self.data.lists[key].count if self.data is not None else None

        def fetch(session, after):  # noqa: ANN001, ANN202
            page = ind.list_page(session, key, now, after=after, limit=200)
            return page.ids, page.after

        self.last_drill = open_drill_down(self.ctx, self, ind.LIST_LABELS_VI[key],
                                          [(ind.LIST_LABELS_VI[key], fetch)], counts=[count])
        return self.last_drill

    def _dossier_activated(self, dossier_id: int, code: str) -> None:
        if self.show_dossier is not None:
            self.show_dossier(dossier_id, code)
            return
        sender = self.sender()
        self.open_list(sender.key if isinstance(sender, DossierListBox) else ind.OVERDUE)
