"""The dossier list page ("Hồ sơ"): filters, the paged table, the selected dossier's detail.

"Tracking book…" opens the tracking book (Mẫu 06) for a period; the detail
pane prints the selected dossier's control slip (Mẫu 05).

All database work runs on the TaskRunner's reader pool: pages and the count
(DossierListModel), the filter choices and the detail of the selected row.
Keyboard: Ctrl+F goes to the search box; there Enter or Down moves into the
table and Escape clears the search; Enter or a double-click on a row emits
`dossier_activated(id)`.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.services import dossier_query as dq
from desktop.ui.context import UiContext
from desktop.ui.dossiers.detail import DossierDetailPane
from desktop.ui.dossiers.filters import FilterBar
from desktop.ui.dossiers.model import COLUMNS, DossierListModel, fmt_count
from desktop.ui.forms import error_label
from desktop.ui.paged_model import row_table
from desktop.ui.theme import ACCENT, ACCENT_LIGHT, MUTED, TEXT

DETAIL_DELAY_MS = 120  # arrowing through rows loads only the row the officer stops on
# Page-local looks (the app's theme has no names for these parts).
PAGE_STYLE = f"""
#sectionTitle {{ font-weight: bold; color: {ACCENT}; padding: 2px 0; }}
#detailHeading {{ font-size: 11pt; padding-bottom: 2px; }}
#fieldCaption {{ color: {MUTED}; }}
#statusButton {{ padding: 4px 10px; border: 1px solid #b9c7cc; border-radius: 4px;
                 background: #ffffff; min-height: 22px; }}
#statusButton::menu-indicator {{ image: none; width: 0; }}
#dossierTable {{ alternate-background-color: #f7f9fa; }}
#dossierTable::item {{ padding: 0 6px; }}
#dossierTable::item:selected {{ background: {ACCENT_LIGHT}; color: {TEXT}; }}
"""
COLUMN_WIDTHS = {"code": 205, "received_at": 150, "applicant_name": 175, "procedure": 300,
                 "status": 175, "due_at": 135, "channel": 95}


class DossiersPage(QWidget):
    """The searchable, filterable list of all dossiers of the office."""

    #: The officer opened a dossier (Enter or double-click on its row).
    dossier_activated = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setStyleSheet(PAGE_STYLE)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(28, 24, 28, 16)
        lay.setSpacing(10)

        top = QHBoxLayout()
        title = QLabel(self.tr("Dossiers"))
        title.setObjectName("pageTitle")
        top.addWidget(title)
        top.addSpacing(16)
        self.count_label = QLabel()
        self.count_label.setObjectName("pageSubtitle")
        top.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignBottom)
        top.addStretch(1)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Read the list again (F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        self.book_button = QPushButton(self.tr("Tracking book…"))
        self.book_button.setToolTip(self.tr(
            "The book of the dossiers received in a period: print it or export it to Excel"))
        self.book_button.clicked.connect(self.open_tracking_book)
        top.addWidget(self.book_button)
        top.addWidget(self.refresh_button)
        lay.addLayout(top)
        self.tracking_dialog = None
        self.last_preview = None

        self.filters = FilterBar()
        self.filters.changed.connect(self._filters_changed)
        self.filters.go_to_results.connect(self.focus_table)
        lay.addWidget(self.filters)

        self.error_label = error_label()
        lay.addWidget(self.error_label)

        self.model = DossierListModel(ctx, self)
        self.model.count_changed.connect(self._show_count)
        self.model.failed.connect(self._show_error)
        self.model.first_page_loaded.connect(self._first_page_loaded)
        self.model.modelReset.connect(self._model_reset)

        self.table = row_table(self.model, "dossierTable", COLUMN_WIDTHS)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSectionResizeMode(self._column("procedure"), QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)  # header clicks call model.sort: a new query
        self.table.doubleClicked.connect(self._activate_index)
        self.table.installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.detail = DossierDetailPane()
        self.detail.control_slip_requested.connect(self.print_control_slip)
        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(DETAIL_DELAY_MS)
        self._detail_timer.timeout.connect(self._load_detail)
        self._detail_for: int | None = None

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([420, 300])
        lay.addWidget(self.splitter, 1)

        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_search)
        reload_ = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        reload_.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        reload_.activated.connect(self.refresh)

        self._load_choices()
        self.model.set_query(self.filters.filter())

    # ------------------------------------------------------------------- public API

    def refresh(self) -> None:
        """Read the list again with the current filters (keeps the selected dossier if it is
        in the first page)."""
        self._reselect = self.selected_id()
        self.model.set_query(self.filters.filter())

    def show_status(self, statuses: set[int]) -> None:
        """Preset the status filter (the other filters are cleared), e.g. {1} from the home page."""
        self.filters.blockSignals(True)
        self.filters.clear()
        self.filters.set_statuses(set(statuses) or None)
        self.filters.blockSignals(False)
        self._filters_changed()

    def open_tracking_book(self) -> None:
        """The tracking book dialog (one at a time; deleted when closed)."""
        from desktop.ui.dossiers.tracking_book import TrackingBookDialog

        if self.tracking_dialog is not None:
            self.tracking_dialog.raise_()
            self.tracking_dialog.activateWindow()
            return
        dialog = TrackingBookDialog(self.ctx, self)
        dialog.finished.connect(self._tracking_book_closed)
        self.tracking_dialog = dialog
        dialog.open()

    def _tracking_book_closed(self) -> None:
        if self.tracking_dialog is not None:
            self.tracking_dialog.deleteLater()
            self.tracking_dialog = None

    def print_control_slip(self, dossier_id: int) -> None:
        """Mẫu 05 of the dossier, in a print preview (`last_preview`)."""
        from desktop.ui.printing import open_control_slip

        open_control_slip(self.ctx, dossier_id, self,
                          on_open=lambda dialog: setattr(self, "last_preview", dialog),
                          on_error=lambda exc: self._show_error(
                              getattr(exc, "message_vi", None) or str(exc)))

    def selected_id(self) -> int | None:
        row = self.table.currentIndex().row()
        r = self.model.row_at(row)
        return r.id if r is not None else None

    def focus_search(self) -> None:
        self.filters.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search_edit.selectAll()

    def focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid() and self.model.rowCount() > 0:
            self._select_row(0)
        elif self.model.loading and self.model.rowCount() == 0:
            self._select_first_when_loaded = True

    # -------------------------------------------------------------------- internals

    _reselect: int | None = None
    _select_first_when_loaded = False

    @staticmethod
    def _column(name: str) -> int:
        return [c for c, _ in COLUMNS].index(name)

    def _filters_changed(self) -> None:
        self._reselect = None
        self.model.set_query(self.filters.filter())

    def _model_reset(self) -> None:
        self.error_label.hide()
        self._detail_timer.stop()
        self._detail_for = None
        self.detail.show_nothing()

    def _first_page_loaded(self) -> None:
        if self._reselect is not None:
            row = self.model.row_of(self._reselect)
            self._reselect = None
            if row >= 0:
                self._select_row(row)
                return
        if self._select_first_when_loaded:
            self._select_first_when_loaded = False
            if self.model.rowCount() and self.table.hasFocus():
                self._select_row(0)
        if self.model.rowCount() == 0:
            self.detail.show_nothing(self.tr("No dossier matches these filters."))

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def _show_count(self, n: int, more: bool) -> None:
        if n < 0:
            self.count_label.setText(self.tr("Counting…"))
        elif more:
            self.count_label.setText(self.tr("more than {n} dossiers").format(n=fmt_count(n)))
        else:
            self.count_label.setText(self.tr("{n} dossiers").format(n=fmt_count(n)))

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _activate_index(self, index) -> None:  # noqa: ANN001
        r = self.model.row_at(index.row())
        if r is not None:
            self.dossier_activated.emit(r.id)

    def _current_changed(self, current, _previous) -> None:  # noqa: ANN001
        r = self.model.row_at(current.row())
        if r is None:
            return
        self._detail_for = r.id
        self.detail.show_loading()
        self._detail_timer.start()

    def _load_detail(self) -> None:
        dossier_id = self._detail_for
        if dossier_id is None:
            return
        store, now = self.ctx.store, self.model.now

        def work() -> dq.DossierDetail:
            with store.reading() as session:
                return dq.detail(session, dossier_id)

        def done(d: dq.DossierDetail) -> None:
            if d.id == self._detail_for:  # not a row the officer has already left
                self.detail.show_detail(d, now)

        def failed(exc: BaseException) -> None:
            if dossier_id == self._detail_for:
                self.detail.show_nothing(getattr(exc, "message_vi", str(exc)))

        self.ctx.runner.submit(work, done, failed, owner=self)

    def _load_choices(self) -> None:
        store = self.ctx.store

        def work() -> dq.FilterChoices:
            with store.reading() as session:
                return dq.filter_choices(session)

        self.ctx.runner.submit(work, self.filters.set_choices, owner=self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                index = self.table.currentIndex()
                if index.isValid():
                    self._activate_index(index)
                    return True
            if event.key() == Qt.Key.Key_Escape:
                self.focus_search()  # back to the search box
                return True
        return super().eventFilter(watched, event)
