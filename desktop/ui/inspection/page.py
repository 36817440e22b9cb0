"""The audit inspection page ("Giám sát / Nhật ký thao tác"): who did what, when, to which dossier.

Filters (officer, period, action, dossier code), the events page by page as
the table scrolls, the selected event's data before and after, and a check of
the whole hash chain. All database work runs on the TaskRunner's reader pool:
the filter choices, each page (AuditEventModel) and the chain check, which
reads every row (tens of seconds for millions of events) and reports its
progress through a plain object polled by a timer; it goes on while the
officer works elsewhere, and stops when asked or when the window closes (the
runner's shutdown would otherwise wait for it). The page reads nothing until
it is first shown; shown again, it reads the first page again.

Keyboard: Ctrl+F goes to the dossier box, where Enter applies the code, Down
moves into the table and Escape clears it; F5 reads the list again.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.services import audit, inspection
from desktop.services.audit import ChainCheckCancelled, ChainReport
from desktop.ui.context import UiContext
from desktop.ui.dossiers.model import fmt_count
from desktop.ui.forms import error_label
from desktop.ui.inspection.detail import EventDetailPane
from desktop.ui.inspection.filters import InspectionFilterBar
from desktop.ui.inspection.model import COLUMNS, AuditEventModel
from desktop.ui.paged_model import row_table
from desktop.ui.theme import ACCENT, ACCENT_LIGHT, ERROR, MUTED, TEXT

log = logging.getLogger(__name__)

PROGRESS_POLL_MS = 150
#: Problems of the chain listed on the page (all of them are counted).
SHOWN_PROBLEMS = 8
# Page-local looks (the app's theme has no names for these parts).
PAGE_STYLE = f"""
#detailHeading {{ font-size: 11pt; padding-bottom: 2px; }}
#fieldCaption {{ color: {MUTED}; }}
#auditTable {{ alternate-background-color: #f7f9fa; }}
#auditTable::item {{ padding: 0 6px; }}
#auditTable::item:selected {{ background: {ACCENT_LIGHT}; color: {TEXT}; }}
#changesTable::item {{ padding: 0 6px; }}
QFrame#chainOk {{ background: #e6f4e9; border: 1px solid #b8dcc1; border-radius: 6px; }}
QFrame#chainBroken {{ background: #fbeaea; border: 1px solid #f0c4c1; border-radius: 6px; }}
QFrame#chainInfo {{ background: #ffffff; border: 1px solid #dde4e7; border-radius: 6px; }}
#chainOk QLabel {{ color: #1e6b34; border: none; background: transparent; }}
#chainBroken QLabel {{ color: {ERROR}; border: none; background: transparent; }}
#chainInfo QLabel {{ color: {MUTED}; border: none; background: transparent; }}
QProgressBar {{ border: 1px solid #b9c7cc; border-radius: 4px; background: #ffffff;
                text-align: center; min-height: 20px; }}
QProgressBar::chunk {{ background: {ACCENT}; border-radius: 3px; }}
"""
COLUMN_WIDTHS = {"at": 152, "officer": 170, "action": 230, "entity": 208, "summary": 300}


class _ChainCheck:
    """Shared between the worker that checks the chain and the page's timer (plain values)."""

    def __init__(self) -> None:
        self.done = 0
        self.total = 0
        self.cancelled = False

    def update(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def cancel(self, *_args: object) -> None:
        self.cancelled = True


class InspectionPage(QWidget):
    """The audit trail for leaders and administrators: filtered, paged, checked."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setStyleSheet(PAGE_STYLE)
        self._started = False
        self._reselect: int | None = None
        self._check: _ChainCheck | None = None
        self._watched: QWidget | None = None
        self.last_report: ChainReport | None = None

        lay = QVBoxLayout(self)
        lay.setContentsMargins(28, 24, 28, 16)
        lay.setSpacing(10)

        top = QHBoxLayout()
        title = QLabel(self.tr("Audit log"))
        title.setObjectName("pageTitle")
        top.addWidget(title)
        top.addSpacing(16)
        self.count_label = QLabel()
        self.count_label.setObjectName("pageSubtitle")
        top.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignBottom)
        top.addStretch(1)
        self.verify_button = QPushButton(self.tr("Verify the chain"))
        self.verify_button.setToolTip(self.tr(
            "Recompute the hash chain of the whole log: finds rows changed or deleted "
            "outside the application"))
        self.verify_button.clicked.connect(self.verify)
        top.addWidget(self.verify_button)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Read the list again (F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button)
        lay.addLayout(top)

        self.chain_box = QFrame()
        chain_lay = QHBoxLayout(self.chain_box)
        chain_lay.setContentsMargins(10, 6, 10, 6)
        chain_lay.setSpacing(10)
        self.progress = QProgressBar()
        self.progress.setFixedWidth(260)
        self.progress.setFormat(self.tr("Checking… %p%"))
        self.chain_label = QLabel()
        self.chain_label.setWordWrap(True)
        self.chain_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        chain_lay.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignVCenter)
        chain_lay.addWidget(self.chain_label, 1)
        self.chain_box.hide()
        lay.addWidget(self.chain_box)
        self._poll = QTimer(self)
        self._poll.setInterval(PROGRESS_POLL_MS)
        self._poll.timeout.connect(self._show_progress)

        self.filters = InspectionFilterBar()
        self.filters.changed.connect(self._filters_changed)
        self.filters.go_to_results.connect(self.focus_table)
        lay.addWidget(self.filters)

        self.error_label = error_label()
        lay.addWidget(self.error_label)

        self.model = AuditEventModel(ctx, self)
        self.model.failed.connect(self._show_error)
        self.model.first_page_loaded.connect(self._first_page_loaded)
        self.model.modelReset.connect(self._model_reset)
        self.model.rows_changed.connect(self._show_count)
        self.model.loading_changed.connect(self._loading_changed)

        self.table = row_table(self.model, "auditTable", COLUMN_WIDTHS)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.detail = EventDetailPane()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([380, 300])
        lay.addWidget(self.splitter, 1)

        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_dossier)
        reload_ = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        reload_.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        reload_.activated.connect(self.refresh)

    # ------------------------------------------------------------------- public API

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().showEvent(event)
        if not self._started:
            self._started = True
            self._load_choices()
            self.model.set_filter(self.filters.filter())
        elif not event.spontaneous():
            self.refresh()  # back on the page: what was recorded meanwhile

    def refresh(self) -> None:
        """Read the list again with the current filters (keeps the selected event if it is
        in the first page)."""
        if not self._started:
            return
        selected = self.selected_entry()
        self._reselect = selected.id if selected is not None else None
        self._apply(self.filters.filter())

    def selected_entry(self) -> inspection.AuditEntry | None:
        return self.model.row_at(self.table.currentIndex().row())

    def focus_dossier(self) -> None:
        self.filters.dossier_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.dossier_edit.selectAll()

    def focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid() and self.model.rowCount() > 0:
            self._select_row(0)

    def verify(self) -> None:
        """Check the whole chain in the background; pressed again while it runs: stop it."""
        if self._check is not None:
            self._check.cancel()
            self.verify_button.setEnabled(False)  # until the worker notices
            return
        check = _ChainCheck()
        self._check = check
        self.destroyed.connect(check.cancel)
        # The window closing (log-out, quit) stops the check: the runner's shutdown waits
        # for its readers, and a whole chain can take a minute.
        self._watched = self.window()
        if self._watched is not self:
            self._watched.installEventFilter(self)
        store = self.ctx.store

        def work() -> ChainReport:
            with store.reading() as session:
                return audit.scan_chain(session, progress=check.update,
                                        cancelled=lambda: check.cancelled)

        self.verify_button.setText(self.tr("Stop checking"))
        self.progress.setRange(0, 0)  # busy until the first batch is read
        self.progress.show()
        self.chain_box.setObjectName("chainInfo")
        self.chain_label.setText(self.tr("Checking the audit log… You can keep working."))
        self._restyle(self.chain_box)
        self.chain_box.show()
        self._poll.start()
        self.ctx.runner.submit(work, lambda report: self._checked(check, report),
                               lambda exc: self._check_failed(check, exc), owner=self)

    # -------------------------------------------------------------------- internals

    def _apply(self, flt: inspection.AuditFilter) -> None:
        self.error_label.hide()
        self.model.set_filter(flt)

    def _filters_changed(self) -> None:
        self._reselect = None
        if self._started:
            self._apply(self.filters.filter())

    def _model_reset(self) -> None:
        self.detail.show_nothing()
        self.count_label.setText(self.tr("Loading…"))

    def _loading_changed(self, loading: bool) -> None:
        if loading and self.model.rowCount() == 0:
            self.count_label.setText(self.tr("Loading…"))

    def _show_count(self, n: int, more: bool) -> None:
        if more:
            self.count_label.setText(self.tr("{n} events shown, more as you scroll").format(
                n=fmt_count(n)))
        else:
            self.count_label.setText(self.tr("{n} events").format(n=fmt_count(n)))

    def _first_page_loaded(self) -> None:
        if self._reselect is not None:
            row = self.model.row_of(self._reselect)
            self._reselect = None
            if row >= 0:
                self._select_row(row)
                return
        if self.model.rowCount() == 0:
            self.detail.show_nothing(self.tr("No event matches these filters."))

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        self.count_label.setText("")
        self.detail.show_nothing()

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = self.model.row_at(current.row())
        if entry is not None:
            self.detail.show_entry(entry)

    def _load_choices(self) -> None:
        store = self.ctx.store

        def work() -> tuple[list[inspection.OfficerChoice], list[inspection.ActionChoice]]:
            with store.reading() as session:
                return inspection.officers_for_filter(session), inspection.action_choices(session)

        def failed(exc: BaseException) -> None:
            log.error("audit filter choices failed", exc_info=exc)

        self.ctx.runner.submit(work, self.filters.set_choices, failed, owner=self)

    # ------------------------------------------------------------------ the chain

    def _show_progress(self) -> None:
        check = self._check
        if check is None or check.total <= 0:
            return
        if self.progress.maximum() != check.total:
            self.progress.setRange(0, check.total)
        self.progress.setValue(min(check.done, check.total))

    def _finish_check(self, check: _ChainCheck) -> bool:
        """Forget the finished check; False if it is not the current one."""
        if check is not self._check:
            return False
        self._check = None
        if self._watched is not None and self._watched is not self:
            self._watched.removeEventFilter(self)
        self._watched = None
        self._poll.stop()
        self.progress.hide()
        self.verify_button.setText(self.tr("Verify the chain"))
        self.verify_button.setEnabled(True)
        return True

    def _checked(self, check: _ChainCheck, report: ChainReport) -> None:
        if not self._finish_check(check):
            return
        self.last_report = report
        lines = [report.message_vi]
        lines += [p.message_vi for p in report.problems[:SHOWN_PROBLEMS]]
        hidden = report.problem_count - min(len(report.problems), SHOWN_PROBLEMS)
        if hidden > 0:
            lines.append(self.tr("… and {n} more problems").format(n=fmt_count(hidden)))
        self.chain_box.setObjectName("chainOk" if report.ok else "chainBroken")
        self.chain_label.setText("\n".join(lines))
        self._restyle(self.chain_box)

    def _check_failed(self, check: _ChainCheck, exc: BaseException) -> None:
        if not self._finish_check(check):
            return
        self.chain_box.setObjectName("chainInfo")
        if isinstance(exc, ChainCheckCancelled):
            self.chain_label.setText(self.tr("The check was stopped before the end."))
        else:
            log.error("audit chain check failed", exc_info=exc)
            self.chain_box.setObjectName("chainBroken")
            self.chain_label.setText(self.tr("The audit log could not be checked: {error}").format(
                error=getattr(exc, "message_vi", None) or exc))
        self._restyle(self.chain_box)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched and self._check is not None and (
                event.type() == QEvent.Type.Close
                or (event.type() == QEvent.Type.Hide and not event.spontaneous())):
            self._check.cancel()
        return super().eventFilter(watched, event)

    @staticmethod
    def _restyle(widget: QWidget) -> None:
        """Apply the style sheet again after an object name change (to the children too)."""
        for w in (widget, *widget.findChildren(QWidget)):
            w.style().unpolish(w)
            w.style().polish(w)
