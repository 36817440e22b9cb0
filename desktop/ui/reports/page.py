"""The "Reports" area: any registered report (`services.reports.definitions.REPORTS`) for a
period, on screen, printed, as PDF or XLSX, saved as a frozen snapshot for the province.

The page is generic: the report chooser lists every definition, the table takes its
columns from the result (`ReportResult.columns`), so a new definition needs no screen.
Computing, snapshots and exports run on the TaskRunner (reads on the reader pool, the
snapshot on the writer thread); the PDF is drawn on the UI thread (Qt's PDF writer).
Double-clicking a number of an aggregate report lists the dossiers behind it
(`engine.cell_dossiers`).
"""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services.reports import definitions, engine, snapshots
from desktop.services.reports.definitions import AGGREGATE
from desktop.services.reports.engine import ReportResult
from desktop.store.models import Role
from desktop.ui.context import UiContext
from desktop.ui.reports.common import PeriodChooser, fmt_datetime, open_drill_down
from desktop.ui.theme import ERROR

HEADER_WIDTH = 13  # characters per line of a column heading
LABEL_WIDTH = 230  # the row label (field) column of an aggregate report


def _heading(number: str, path: tuple[str, ...]) -> str:
    parts = [p for p in path if p != "Trong đó"]
    label = parts[-1] if parts else ""
    if label == "Tổng số" and len(parts) > 1:
        label = f"{parts[-2]}: tổng số"
    text = textwrap.fill(label, HEADER_WIDTH)
    return f"{number}\n{text}" if number else text


def _cell_text(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", ".")
    if value is None:
        return ""
    text = str(value)
    if len(text) >= 16 and text[4:5] == "-" and text[10:11] == "T":  # an ISO time from JSON
        return f"{text[8:10]}/{text[5:7]}/{text[0:4]} {text[11:16]}"
    return text


class ReportsPage(QWidget):
    """Choose a report and a period, make it, print / export / save it, reopen snapshots."""

    #: A report was shown (computed or reopened): the result.
    result_shown = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result: ReportResult | None = None
        self.snapshot: snapshots.SnapshotInfo | None = None  # the reopened one, if any
        self.snapshot_list: list[snapshots.SnapshotInfo] = []
        self.last_preview = None
        self.last_drill = None
        self.last_saved: snapshots.SnapshotInfo | None = None
        self._busy = False

        title = QLabel(self.tr("Reports"))
        title.setObjectName("pageTitle")
        self.report_choice = QComboBox()
        for key, definition in definitions.REPORTS.items():
            self.report_choice.addItem(f"{definition.form_label} – {definition.title.capitalize()}",
                                       key)
        self.report_choice.setMinimumWidth(330)
        self.report_choice.setMaximumWidth(480)
        self.period_chooser = PeriodChooser(today)
        self.make_button = QPushButton(self.tr("Make report"))
        self.make_button.setObjectName("primary")
        self.make_button.clicked.connect(self.make_report)
        choose = QHBoxLayout()
        choose.addWidget(QLabel(self.tr("Report:")))
        choose.addWidget(self.report_choice)
        choose.addSpacing(12)
        choose.addWidget(self.period_chooser)
        choose.addStretch(1)
        choose.addWidget(self.make_button)

        self.heading = QLabel(self.tr("Choose a report and a period, then press “Make report”."))
        self.heading.setObjectName("reportHeading")
        self.heading.setWordWrap(True)
        self.origin = QLabel()
        self.origin.setObjectName("snapshotBanner")
        self.origin.setWordWrap(True)
        self.origin.hide()
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("reportTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.cellDoubleClicked.connect(self.open_cell)
        self.checks = QLabel()
        self.checks.setObjectName("reportChecks")
        self.checks.setWordWrap(True)
        self.checks.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.print_button = QPushButton(self.tr("Print / preview…"))
        self.print_button.clicked.connect(self.preview)
        self.pdf_button = QPushButton(self.tr("Export PDF…"))
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        self.xlsx_button = QPushButton(self.tr("Export XLSX…"))
        self.xlsx_button.clicked.connect(lambda: self.export_xlsx())
        self.save_button = QPushButton(self.tr("Save and send to the province"))
        self.may_save = bool(ctx.actor.roles & snapshots.ROLES)
        if not self.may_save:
            self.save_button.setToolTip(self.tr(
                "Only leaders and administrators save reports and send them to the province."))
        self.save_button.clicked.connect(self.save_snapshot)
        self.message = QLabel()
        self.message.setObjectName("pageSubtitle")
        self.message.setWordWrap(True)
        actions = QHBoxLayout()
        for b in (self.print_button, self.pdf_button, self.xlsx_button, self.save_button):
            actions.addWidget(b)
        actions.addWidget(self.message, 1)

        report_box = QWidget()
        rl = QVBoxLayout(report_box)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.heading)
        rl.addWidget(self.origin)
        rl.addWidget(self.table, 1)
        rl.addWidget(self.checks)
        rl.addLayout(actions)

        saved_title = QLabel(self.tr("Saved reports"))
        saved_title.setObjectName("reportsSection")
        self.snapshot_table = QTableWidget(0, 3)
        self.snapshot_table.setObjectName("snapshotTable")
        self.snapshot_table.setHorizontalHeaderLabels(
            [self.tr("Report"), self.tr("Made at"), self.tr("Made by")])
        self.snapshot_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.snapshot_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.snapshot_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.snapshot_table.verticalHeader().hide()
        sh = self.snapshot_table.horizontalHeader()
        sh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        sh.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        sh.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.snapshot_table.cellDoubleClicked.connect(lambda row, _c: self.open_snapshot(row))
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.clicked.connect(
            lambda: self.open_snapshot(self.snapshot_table.currentRow()))
        saved_box = QFrame()
        saved_box.setObjectName("card")
        sl = QVBoxLayout(saved_box)
        head = QHBoxLayout()
        head.addWidget(saved_title, 1)
        head.addWidget(self.open_button)
        sl.addLayout(head)
        sl.addWidget(self.snapshot_table, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(report_box)
        splitter.addWidget(saved_box)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([560, 170])

        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 16)
        lay.addWidget(title)
        lay.addLayout(choose)
        lay.addWidget(splitter, 1)
        self._update_buttons()
        self.refresh_snapshots()

    # ------------------------------------------------------------------ making a report

    def report_key(self) -> str:
        return self.report_choice.currentData()

    def make_report(self) -> None:
        period = self.period_chooser.period()
        if period is None or self._busy:
            return
        key, store = self.report_key(), self.ctx.store
        self._busy = True
        self._update_buttons()
        self.message.setText(self.tr("Making the report…"))

        def work() -> ReportResult:
            with store.reading() as session:
                return engine.run(session, key, period)

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._update_buttons()
            self.message.setText(getattr(exc, "message_vi", None) or str(exc))

        self.ctx.runner.submit(work, lambda r: self._made(r), failed, owner=self)

    def _made(self, result: ReportResult) -> None:
        self._busy = False
        self.message.setText("")
        self.show_result(result, None)

    def show_result(self, result: ReportResult, snapshot: snapshots.SnapshotInfo | None) -> None:
        """Show ``result`` (a snapshot's when ``snapshot`` is given: read-only, frozen)."""
        self.result, self.snapshot = result, snapshot
        self.heading.setText(f"<b>{result.form_label} – {result.title}</b><br>"
                             f"{result.period.name_vi} ({result.period.range_vi}) · "
                             f"{result.office.name}")
        if snapshot is not None:
            self.origin.setText(self.tr(
                "Saved report, read-only: made at {made_at} by {made_by}. Numbers as they "
                "were then; open dossiers from a report made now.").format(
                made_at=fmt_datetime(snapshot.made_at), made_by=snapshot.made_by_name))
            self.origin.show()
        else:
            self.origin.hide()
        self._fill_table(result)
        self._show_checks(result)
        self._update_buttons()
        self.result_shown.emit(result)

    def _fill_table(self, result: ReportResult) -> None:
        aggregate = result.kind == AGGREGATE
        cols = list(result.columns)
        heads = [self.tr("No."), result.label_heading if aggregate else self.tr("Code")]
        heads += [_heading(c.number, c.path) for c in cols]
        body = [*result.rows, *((result.total,) if result.total is not None else ())]
        self.table.clear()
        self.table.setColumnCount(len(heads))
        self.table.setRowCount(len(body))
        self.table.setHorizontalHeaderLabels(heads)
        for i, c in enumerate(cols, start=2):
            self.table.horizontalHeaderItem(i).setToolTip(
                " – ".join(c.path) + ("" if c.printed else self.tr(" (not printed)")))
        bad_rows = {c.row for c in result.checks if not c.ok}
        bold = QFont(self.table.font())
        bold.setBold(True)
        red = QBrush(QColor(ERROR))
        for r, row in enumerate(body):
            values = [row.number, row.label] + [row.cells.get(c.key) for c in cols]
            for col, value in enumerate(values):
                item = QTableWidgetItem(_cell_text(value))
                if col >= 2 and isinstance(value, int):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                    item.setData(Qt.ItemDataRole.UserRole, (row.key, cols[col - 2].key))
                elif col == 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if row.total:
                    item.setFont(bold)
                    item.setBackground(QBrush(QColor("#eef3f5")))
                if row.label in bad_rows:
                    item.setForeground(red)
                    item.setToolTip("\n".join(c.message_vi for c in result.checks
                                              if not c.ok and c.row == row.label))
                self.table.setItem(r, col, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.resizeColumnsToContents()
        if aggregate:
            self.table.setColumnWidth(1, LABEL_WIDTH)
            for col in range(2, len(heads)):
                self.table.setColumnWidth(col, max(self.table.columnWidth(col), 72))
        else:
            for col in range(len(heads)):
                self.table.setColumnWidth(col, min(self.table.columnWidth(col), 260))
        header.setStretchLastSection(True)
        self.table.resizeRowsToContents()

    def _show_checks(self, result: ReportResult) -> None:
        failed = [c for c in result.checks if not c.ok]
        if failed:
            lines = "<br>".join(c.message_vi for c in failed)
            self.checks.setText(f"<span style='color:{ERROR}'><b>"
                                + self.tr("Balance checks that fail:") + f"</b><br>{lines}</span>")
        elif result.checks:
            self.checks.setText(self.tr("All balance checks hold ({n}).").format(
                n=len(result.checks)))
        else:
            self.checks.setText("")
        notes = " ".join(result.notes)
        self.checks.setToolTip(notes)

    def _update_buttons(self) -> None:
        have = self.result is not None and not self._busy
        for b in (self.print_button, self.pdf_button, self.xlsx_button):
            b.setEnabled(have)
        self.make_button.setEnabled(not self._busy)
        self.save_button.setEnabled(self.may_save and have and self.snapshot is None)
        if self.may_save:
            self.save_button.setToolTip(
                self.tr("This report is already saved.") if self.snapshot is not None else "")

    # ------------------------------------------------------------------ drill-down

    def open_cell(self, row: int, column: int):  # noqa: ANN201 - the dialog or None
        """The dossiers behind a number of an aggregate report (not of a saved snapshot)."""
        item = self.table.item(row, column)
        result = self.result
        if item is None or result is None or result.kind != AGGREGATE:
            return None
        keys = item.data(Qt.ItemDataRole.UserRole)
        if not keys:
            return None
        if self.snapshot is not None:
            self.message.setText(self.tr(
                "A saved report keeps its numbers; make the report now to open its dossiers."))
            return None
        row_key, column_key = keys
        report, period = result.report, result.period
        column = next(c for c in result.columns if c.key == column_key)
        label = result.row(row_key).label

        def fetch(session, after):  # noqa: ANN001, ANN202
            page = engine.cell_dossiers(session, report, period, row_key, column_key,
                                        after=after or 0, limit=200)
            return page.ids, page.after

        title = f"{label} – {column.number} {' – '.join(column.path)} – {period.name_vi}"
        self.last_drill = open_drill_down(self.ctx, self, title, [(title, fetch)],
                                          counts=[int(result.cell(row_key, column_key))])
        return self.last_drill

    # ------------------------------------------------------------------ output

    def _file_name(self, suffix: str) -> str:
        assert self.result is not None
        key = self.result.period.key.replace("..", "_")
        return f"{self.result.report}-{key}.{suffix}"

    def preview(self):  # noqa: ANN201
        from desktop.ui.printing import PrintPreviewDialog

        if self.result is None:
            return None
        try:
            form = engine.to_form(self.result)
            dialog = PrintPreviewDialog(
                form, f"{self.result.form_label} – {self.result.period.name_vi}",
                self._file_name("pdf"), parent=self)
        except Exception as exc:  # noqa: BLE001 - too large a book, …: say why
            self.message.setText(getattr(exc, "message_vi", None) or str(exc))
            return None
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.last_preview = dialog
        return dialog

    def _choose(self, suffix: str, caption: str, filter_: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(self, caption,
                                                str(Path.home() / self._file_name(suffix)),
                                                filter_)
        return Path(chosen) if chosen else None

    def export_pdf(self, path: Path | None = None) -> Path | None:
        """Write the report as PDF (on the UI thread: Qt's PDF writer)."""
        from forms import render

        if self.result is None:
            return None
        if path is None:
            path = self._choose("pdf", self.tr("Export PDF"), self.tr("PDF files (*.pdf)"))
            if path is None:
                return None
        try:
            render.write_pdf(engine.to_form(self.result), path)
        except OSError as exc:
            self.message.setText(self.tr("Could not write the file: {error}").format(
                error=exc.strerror or exc))
            return None
        except Exception as exc:  # noqa: BLE001 - PeriodTooLarge etc. carry a message
            self.message.setText(getattr(exc, "message_vi", None) or str(exc))
            return None
        self.message.setText(self.tr("Saved: {path}").format(path=path))
        return path

    def export_xlsx(self, path: Path | None = None, on_done=None) -> None:  # noqa: ANN001
        """Write the report as a spreadsheet (on the reader pool); ``on_done(path)`` after."""
        if self.result is None:
            return
        if path is None:
            path = self._choose("xlsx", self.tr("Export XLSX"),
                                self.tr("Excel workbooks (*.xlsx)"))
            if path is None:
                return
        result = self.result
        self.message.setText(self.tr("Writing the spreadsheet…"))

        def done(written: Path) -> None:
            self.message.setText(self.tr("Saved: {path}").format(path=written))
            if on_done is not None:
                on_done(written)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, OSError):
                self.message.setText(self.tr("Could not write the file: {error}").format(
                    error=exc.strerror or exc))
            else:
                self.message.setText(getattr(exc, "message_vi", None) or str(exc))

        self.ctx.runner.submit(lambda: engine.write_xlsx(result, path), done, failed, owner=self)

    # ------------------------------------------------------------------ snapshots

    def save_snapshot(self) -> None:
        """Keep the report on screen, frozen, and queue it for the province (writer thread)."""
        if not self.may_save or self.result is None or self.snapshot is not None:
            return
        store, actor, result = self.ctx.store, self.ctx.actor, self.result
        self.save_button.setEnabled(False)

        def done(info: snapshots.SnapshotInfo) -> None:
            self.last_saved = info
            self.snapshot = info
            self._update_buttons()
            self.message.setText(self.tr(
                "Saved at {made_at}. It will be sent to the province at the next sync.").format(
                made_at=fmt_datetime(info.made_at)))
            self.refresh_snapshots()

        def failed(exc: BaseException) -> None:
            self._update_buttons()
            self.message.setText(getattr(exc, "message_vi", None) or str(exc))

        self.ctx.runner.submit(lambda: snapshots.save_result(store, actor, result), done, failed,
                               write=True, owner=self)

    def refresh_snapshots(self) -> None:
        store = self.ctx.store

        def work() -> list[snapshots.SnapshotInfo]:
            with store.reading() as session:
                return snapshots.list_snapshots(session)

        self.ctx.runner.submit(work, self._show_snapshots, None, owner=self)

    def _show_snapshots(self, infos: list[snapshots.SnapshotInfo]) -> None:
        self.snapshot_list = infos
        self.snapshot_table.setRowCount(len(infos))
        for r, info in enumerate(infos):
            for c, value in enumerate((info.title_vi, fmt_datetime(info.made_at),
                                       info.made_by_name)):
                self.snapshot_table.setItem(r, c, QTableWidgetItem(value))
        self.open_button.setEnabled(bool(infos))

    def open_snapshot(self, row: int) -> None:
        if not 0 <= row < len(self.snapshot_list):
            return
        info, store = self.snapshot_list[row], self.ctx.store

        def work() -> ReportResult:
            with store.reading() as session:
                return snapshots.open_snapshot(session, info.id)

        def failed(exc: BaseException) -> None:
            self.message.setText(getattr(exc, "message_vi", None) or str(exc))

        self.ctx.runner.submit(work, lambda r: self.show_result(r, info), failed, owner=self)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().showEvent(event)
        self.refresh_snapshots()


def can_open(actor) -> bool:  # noqa: ANN001 - an Actor
    """Leaders, administrators and front-desk officers open the reports area."""
    return bool(actor.roles & {Role.LEADER, Role.ADMIN, Role.FRONT_DESK})
