"""The tracking book (Sổ theo dõi hồ sơ, Mẫu 06) for a period: print preview, PDF, Excel.

The period is this month, last month, this quarter or any two dates. The
dossiers of the period are counted and read on the TaskRunner's reader pool
(`services.tracking_book`); the spreadsheet is written there too, streamed
row by row. Errors (a period too long to print, a full disk) are shown in
the dialog, which stays open.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.context import UiContext
from desktop.ui.forms import error_label

COUNT_DELAY_MS = 300  # count the period's dossiers once the officer stops changing dates
THIS_MONTH, LAST_MONTH, THIS_QUARTER, CUSTOM = "this_month", "last_month", "this_quarter", "custom"


def preset_period(preset: str, today: date) -> tuple[date, date]:
    """The first and last day of this month, last month or this quarter."""
    if preset == LAST_MONTH:
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if preset == THIS_QUARTER:
        first_month = 3 * ((today.month - 1) // 3) + 1
        start = today.replace(month=first_month, day=1)
    else:
        start = today.replace(day=1)
        first_month = today.month
    months = 3 if preset == THIS_QUARTER else 1
    year, month = divmod(first_month - 1 + months, 12)
    return start, date(today.year + year, month + 1, 1) - timedelta(days=1)


class TrackingBookDialog(QDialog):
    """Choose a period, then preview/print the book or export it to an XLSX file."""

    #: The spreadsheet was written (its path).
    xlsx_saved = Signal(str)
    #: Something went wrong (the message shown).
    failed = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *,
                 today: date | None = None, xlsx_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or date.today()
        self.xlsx_dir = xlsx_dir or Path.home()
        self.last_preview = None
        self.exported: Path | None = None
        self._count_for: tuple[date, date] | None = None
        self.setWindowTitle(self.tr("Tracking book"))
        self.setMinimumWidth(520)

        self.period_combo = QComboBox()
        for key, label in ((THIS_MONTH, self.tr("This month")), (LAST_MONTH, self.tr("Last month")),
                           (THIS_QUARTER, self.tr("This quarter")),
                           (CUSTOM, self.tr("Custom dates"))):
            self.period_combo.addItem(label, key)
        self.from_edit = self._date_edit()
        self.to_edit = self._date_edit()
        dates = QHBoxLayout()
        dates.addWidget(self.from_edit)
        dates.addWidget(QLabel(self.tr("to")))
        dates.addWidget(self.to_edit)
        dates.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("Period"), self.period_combo)
        form.addRow(self.tr("Received from"), dates)

        self.count_label = QLabel()
        self.count_label.setObjectName("pageSubtitle")
        self.message = error_label()
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.preview_button = QPushButton(self.tr("Preview / print…"))
        self.preview_button.setObjectName("primary")
        self.preview_button.clicked.connect(self.preview)
        self.xlsx_button = QPushButton(self.tr("Export XLSX…"))
        self.xlsx_button.clicked.connect(lambda: self.export_xlsx())
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.xlsx_button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.count_label)
        lay.addWidget(self.message)
        lay.addWidget(self.status)
        lay.addLayout(buttons)

        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._count)
        self.period_combo.currentIndexChanged.connect(self._preset_chosen)
        self.from_edit.dateChanged.connect(self._dates_edited)
        self.to_edit.dateChanged.connect(self._dates_edited)
        self._preset_chosen()
        self.preview_button.setFocus()

    # ------------------------------------------------------------------- period

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        return edit

    def period(self) -> tuple[date, date]:
        return self.from_edit.date().toPython(), self.to_edit.date().toPython()

    def set_period(self, start: date, end: date) -> None:
        """Custom dates (as the officer would type them)."""
        self.from_edit.setDate(QDate(start))
        self.to_edit.setDate(QDate(end))

    def _preset_chosen(self) -> None:
        key = self.period_combo.currentData()
        if key == CUSTOM:
            return
        start, end = preset_period(key, self.today)
        for edit, value in ((self.from_edit, start), (self.to_edit, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(value))
            edit.blockSignals(False)
        self._dates_edited(keep_preset=True)

    def _dates_edited(self, *_args: object, keep_preset: bool = False) -> None:
        if not keep_preset and self.period_combo.currentData() != CUSTOM:
            self.period_combo.blockSignals(True)
            self.period_combo.setCurrentIndex(self.period_combo.findData(CUSTOM))
            self.period_combo.blockSignals(False)
        self.count_label.setText(self.tr("Counting…"))
        self._count_timer.start()

    def _count(self) -> None:
        from desktop.services import tracking_book

        store, (start, end) = self.ctx.store, self.period()
        self._count_for = (start, end)

        def work() -> int:
            with store.reading() as session:
                return tracking_book.count_received(session, start, end)

        def done(n: int) -> None:
            if self._count_for == (start, end):
                self.count_label.setText(self.tr("{n} dossiers received in this period").format(
                    n=f"{n:,}".replace(",", ".")))

        def failed(exc: BaseException) -> None:
            if self._count_for == (start, end):
                self.count_label.setText(getattr(exc, "message_vi", None) or str(exc))

        self.ctx.runner.submit(work, done, failed, owner=self)

    # ------------------------------------------------------------------- actions

    def _busy(self, busy: bool, text: str = "") -> None:
        self.preview_button.setEnabled(not busy)
        self.xlsx_button.setEnabled(not busy)
        if busy:
            self.message.hide()
        self.status.setText(text)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        if isinstance(exc, OSError):
            text = self.tr("Could not write the file: {error}").format(
                error=exc.strerror or exc)
        else:
            text = getattr(exc, "message_vi", None) or str(exc)
        self.message.setText(text)
        self.message.show()
        self.adjustSize()  # room for the whole message
        self.failed.emit(text)

    def preview(self) -> None:
        """Read the book on the reader pool, then open its print preview (PDF export there)."""
        from desktop.services import tracking_book

        store, (start, end) = self.ctx.store, self.period()

        def work():  # noqa: ANN202
            with store.reading() as session:
                return tracking_book.tracking_book(session, start, end)

        def done(data) -> None:  # noqa: ANN001
            from desktop.ui.printing import PrintPreviewDialog

            title = self.tr("Tracking book {start} – {end}").format(
                start=f"{start:%d/%m/%Y}", end=f"{end:%d/%m/%Y}")
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                dialog = PrintPreviewDialog(
                    data, title, f"so-theo-doi-ho-so-{start:%Y%m%d}-{end:%Y%m%d}.pdf",
                    pdf_dir=self.xlsx_dir, parent=self)
            finally:
                QApplication.restoreOverrideCursor()
            self._busy(False)
            dialog.finished.connect(dialog.deleteLater)
            self.last_preview = dialog
            dialog.open()

        self._busy(True, self.tr("Preparing the book…"))
        self.ctx.runner.submit(work, done, self._failed, owner=self)

    def export_xlsx(self, path: Path | None = None) -> None:
        """Ask where (unless ``path`` is given), then write the spreadsheet on the reader pool;
        ``xlsx_saved`` or ``failed`` tells the outcome."""
        from desktop.services import tracking_book

        start, end = self.period()
        if path is None:
            suggested = self.xlsx_dir / f"so-theo-doi-ho-so-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export XLSX"), str(suggested), self.tr("Excel workbooks (*.xlsx)"))
            if not chosen:
                return
            path = Path(chosen)
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        store = self.ctx.store

        def work() -> Path:
            tracking_book.save_xlsx(store, start, end, path)
            return path

        def done(saved: Path) -> None:
            self._busy(False, self.tr("Saved: {path}").format(path=saved))
            self.exported = saved
            self.xlsx_saved.emit(str(saved))

        self._busy(True, self.tr("Writing the spreadsheet…"))
        self.ctx.runner.submit(work, done, self._failed, owner=self)
