"""The audit list's table model: keyset pages of events read off the UI thread, never all rows.

Each filter gets a fresh `_Query` token. Pages run on the TaskRunner's reader
pool and come back on the UI thread; a page whose token is no longer the
current one is dropped. The view asks for the next page as it scrolls
(canFetchMore / fetchMore).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from desktop.services import inspection
from desktop.services.inspection import AuditEntry, AuditFilter
from desktop.ui.context import UiContext

log = logging.getLogger(__name__)

#: Rows of events of no officer (setup, command-line tools) are shown in this colour.
SYSTEM_FG = QColor("#6b7c83")
#: Failed logins and locked accounts stand out.
WARNING_FG = QColor("#9b2c22")
WARNING_ACTIONS = frozenset({"login.failed", "login.locked", "login.unknown_user"})

# (column key, header source text); the header texts are translated in header_text.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("at", "Time"),
    ("officer", "Officer"),
    ("action", "Action"),
    ("entity", "Dossier / object"),
    ("summary", "Summary"),
)
_ROOT = QModelIndex()


def fmt_time(entry: AuditEntry) -> str:
    return entry.at.strftime("%d/%m/%Y %H:%M:%S")


@dataclass
class _Query:
    flt: AuditFilter
    cancelled: bool = False


class AuditEventModel(QAbstractTableModel):
    """Audit events, newest first; more pages are read as the view scrolls (fetchMore)."""

    loading_changed = Signal(bool)
    #: A page failed: the message for the officer (Vietnamese from the service, or ours).
    failed = Signal(str)
    #: The first page of a new filter arrived (rows may be 0).
    first_page_loaded = Signal()
    #: Rows were added (a page arrived): the number of rows and whether more may follow.
    rows_changed = Signal(int, bool)

    def __init__(self, ctx: UiContext, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.page_size = inspection.PAGE_SIZE
        self.rows: list[AuditEntry] = []
        self._query = _Query(AuditFilter())
        self._exhausted = True
        self._loading = False
        self.pages_loaded = 0

    # ------------------------------------------------------------------ the query

    @property
    def filter(self) -> AuditFilter:
        return self._query.flt

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    def set_filter(self, flt: AuditFilter | None = None) -> None:
        """Start over with this filter (None: the same one again); reads the first page."""
        self._query.cancelled = True
        self._query = _Query(flt if flt is not None else self._query.flt)
        self.beginResetModel()
        self.rows = []
        self.pages_loaded = 0
        self._exhausted = False
        self._loading = False
        self.endResetModel()
        self._load_page()

    def refresh(self) -> None:
        self.set_filter()

    # ---------------------------------------------------------------- pages

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> None:
        if self.canFetchMore(parent):
            self._load_page()

    def _load_page(self) -> None:
        query = self._query
        after = self.rows[-1].key if self.rows else None
        store, limit = self.ctx.store, self.page_size

        def work() -> list[AuditEntry]:
            with store.reading() as session:
                return inspection.page(session, query.flt, after=after, limit=limit)

        self._set_loading(True)
        self.ctx.runner.submit(work, lambda rows: self._page_arrived(query, rows),
                               lambda exc: self._page_failed(query, exc), owner=self)

    def _page_arrived(self, query: _Query, rows: list[AuditEntry]) -> None:
        if query is not self._query:
            return  # an older filter: dropped
        first = self.pages_loaded == 0
        self.pages_loaded += 1
        if len(rows) < self.page_size:
            self._exhausted = True
        if rows:
            start = len(self.rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()
        self._set_loading(False)
        self.rows_changed.emit(len(self.rows), not self._exhausted)
        if first:
            self.first_page_loaded.emit()

    def _page_failed(self, query: _Query, exc: BaseException) -> None:
        if query is not self._query:
            return
        message = getattr(exc, "message_vi", None)
        if message is None:  # not a message for the officer: the log gets the details
            log.error("audit page failed", exc_info=exc)
        self._exhausted = True
        self._set_loading(False)
        self.rows_changed.emit(len(self.rows), False)
        self.failed.emit(message or self.tr("The audit log could not be read: {error}").format(
            error=exc))

    def _set_loading(self, on: bool) -> None:
        if on != self._loading:
            self._loading = on
            self.loading_changed.emit(on)

    # ---------------------------------------------------------------- Qt model

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.header_text(section)
        return None

    def header_text(self, section: int) -> str:
        texts = {
            "at": self.tr("Time"), "officer": self.tr("Officer"), "action": self.tr("Action"),
            "entity": self.tr("Dossier / object"), "summary": self.tr("Summary"),
        }
        return texts[COLUMNS[section][0]]

    def row_at(self, row: int) -> AuditEntry | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, event_id: int) -> int:
        for i, r in enumerate(self.rows):
            if r.id == event_id:
                return i
        return -1

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        r = self.rows[index.row()]
        column = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, column)
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if r.action in WARNING_ACTIONS and column == "action":
                return QBrush(WARNING_FG)
            if r.actor_id is None and column == "officer":
                return QBrush(SYSTEM_FG)
        return None

    def _display(self, r: AuditEntry, column: str) -> str:
        if column == "at":
            return fmt_time(r)
        if column == "officer":
            return r.actor_name
        if column == "action":
            return r.action_label
        if column == "entity":
            return r.dossier_code or r.entity_label
        if column == "summary":
            return r.summary
        return ""

    def _tooltip(self, r: AuditEntry, column: str) -> str | None:
        if column == "action":
            return f"{r.action_label}\n{r.action}"
        if column == "entity":
            return r.entity_label
        if column == "summary":
            return r.summary or None
        if column == "at":
            return self.tr("Event #{id}").format(id=r.id)
        if column == "officer" and r.actor_id is None:
            return self.tr("Not an officer: the office's setup, a command-line tool or an "
                           "unknown user name")
        return None
