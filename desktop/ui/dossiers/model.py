"""The dossier list's table model: keyset pages fetched off the UI thread, never all rows.

Each query (filter + sort) gets a fresh `_Query` token. Pages and counts run on
the TaskRunner's reader pool and come back on the UI thread; a result whose
token is no longer the current one is dropped, and the token's `cancelled`
flag interrupts its SQL (services.dossier_query polls it) so an abandoned
search stops using the disk at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.domain.status import Status
from desktop.services import dossier_query as dq
from desktop.services.dossier_query import DossierFilter, DossierRow, SortKey
from desktop.ui.context import UiContext

log = logging.getLogger(__name__)

#: Rows coloured "due soon" when due within this many days.
DUE_SOON_DAYS = 3
OVERDUE_BG = QColor("#fbe5e3")
OVERDUE_FG = QColor("#9b2c22")
DUE_SOON_BG = QColor("#fff1d6")
DUE_SOON_FG = QColor("#8a5300")
MUTED = QColor("#6b7c83")

# (sort column, header source text); the header texts are translated in headerData.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "Code"),
    ("received_at", "Received"),
    ("applicant_name", "Applicant"),
    ("procedure", "Procedure"),
    ("status", "Status"),
    ("due_at", "Due"),
    ("channel", "Channel"),
)
DEFAULT_SORT = SortKey("received_at", descending=True)
_ROOT = QModelIndex()


def fmt_datetime(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def fmt_date(value) -> str:  # noqa: ANN001 - date | None
    return value.strftime("%d/%m/%Y") if value else ""


def fmt_count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@dataclass
class _Query:
    flt: DossierFilter
    sort: SortKey
    now: datetime
    cancelled: bool = False


class DossierListModel(QAbstractTableModel):
    """Rows of the dossier list; more pages are read as the view scrolls (fetchMore)."""

    #: (count, more): `count` dossiers match, or more than `count` when `more`.
    count_changed = Signal(int, bool)
    loading_changed = Signal(bool)
    #: A page (or count) failed: the Vietnamese message for the officer.
    failed = Signal(str)
    #: The first page of a new query arrived (rows may be 0).
    first_page_loaded = Signal()

    def __init__(self, ctx: UiContext, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.page_size = dq.PAGE_SIZE
        self.rows: list[DossierRow] = []
        self._query = _Query(DossierFilter(), DEFAULT_SORT, datetime.now())
        self._exhausted = True
        self._loading = False
        self.pages_loaded = 0
        self.total: int | None = None
        self.total_is_more = False

    # ------------------------------------------------------------------ the query

    @property
    def filter(self) -> DossierFilter:
        return self._query.flt

    @property
    def sort_key(self) -> SortKey:
        return self._query.sort

    @property
    def now(self) -> datetime:
        return self._query.now

    @property
    def loading(self) -> bool:
        return self._loading

    def set_query(self, flt: DossierFilter | None = None, sort: SortKey | None = None) -> None:
        """Start over with this filter and sort (None: keep); reads the first page."""
        self._query.cancelled = True
        self._query = _Query(flt if flt is not None else self._query.flt,
                             sort if sort is not None else self._query.sort,
                             datetime.now().replace(microsecond=0))
        self.beginResetModel()
        self.rows = []
        self.pages_loaded = 0
        self._exhausted = False
        self._loading = False
        self.total, self.total_is_more = None, False
        self.endResetModel()
        self.count_changed.emit(-1, False)
        self._load_page()
        self._load_count()

    def refresh(self) -> None:
        self.set_query()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key = SortKey(COLUMNS[column][0], descending=order == Qt.SortOrder.DescendingOrder)
        if key != self._query.sort:
            self.set_query(sort=key)

    def sort_column(self) -> int:
        return [c for c, _ in COLUMNS].index(self._query.sort.column)

    # ---------------------------------------------------------------- pages

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> None:
        if self.canFetchMore(parent):
            self._load_page()

    def _load_page(self) -> None:
        query = self._query
        after = dq.key_of(self.rows[-1], query.sort) if self.rows else None
        store, limit = self.ctx.store, self.page_size

        def work() -> list[DossierRow]:
            with store.reading() as session:
                return dq.page(session, query.flt, query.sort, query.now, after=after,
                               limit=limit, cancelled=lambda: query.cancelled)

        self._set_loading(True)
        self.ctx.runner.submit(work, lambda rows: self._page_arrived(query, rows),
                               lambda exc: self._page_failed(query, exc), owner=self)

    def _page_arrived(self, query: _Query, rows: list[DossierRow]) -> None:
        if query is not self._query:
            return  # an older query: dropped
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
        if first:
            self.first_page_loaded.emit()

    def _page_failed(self, query: _Query, exc: BaseException) -> None:
        if query is not self._query or isinstance(exc, dq.QueryCancelled):
            return
        log.error("dossier list page failed", exc_info=exc)
        self._exhausted = True
        self._set_loading(False)
        self.failed.emit(getattr(exc, "message_vi", None)
                         or self.tr("The dossiers could not be read: {error}").format(error=exc))

    def _set_loading(self, on: bool) -> None:
        if on != self._loading:
            self._loading = on
            self.loading_changed.emit(on)

    def _load_count(self) -> None:
        query = self._query
        store = self.ctx.store

        def work() -> int:
            with store.reading() as session:
                return dq.count(session, query.flt, query.now, cap=dq.COUNT_CAP,
                                cancelled=lambda: query.cancelled)

        def done(n: int) -> None:
            if query is self._query:
                more = n > dq.COUNT_CAP
                self.total, self.total_is_more = (dq.COUNT_CAP if more else n), more
                self.count_changed.emit(self.total, more)

        def failed(exc: BaseException) -> None:
            if query is self._query and not isinstance(exc, dq.QueryCancelled):
                log.error("dossier count failed", exc_info=exc)

        self.ctx.runner.submit(work, done, failed, owner=self)

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
            "code": self.tr("Code"), "received_at": self.tr("Received"),
            "applicant_name": self.tr("Applicant"), "procedure": self.tr("Procedure"),
            "status": self.tr("Status"), "due_at": self.tr("Due"),
            "channel": self.tr("Channel"),
        }
        return texts[COLUMNS[section][0]]

    def channel_label(self, channel: str) -> str:
        return {"1": self.tr("In person"), "2": self.tr("Online"),
                "3": self.tr("By post")}.get(channel, channel)

    def row_at(self, row: int) -> DossierRow | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, dossier_id: int) -> int:
        for i, r in enumerate(self.rows):
            if r.id == dossier_id:
                return i
        return -1

    def urgency(self, r: DossierRow) -> str:
        """"overdue", "soon" (due within DUE_SOON_DAYS days) or ""."""
        if r.is_overdue(self._query.now):
            return "overdue"
        if r.is_due_within(self._query.now, DUE_SOON_DAYS):
            return "soon"
        return ""

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
        if role == Qt.ItemDataRole.BackgroundRole:
            urgency = self.urgency(r)
            if urgency == "overdue":
                return QBrush(OVERDUE_BG)
            if urgency == "soon":
                return QBrush(DUE_SOON_BG)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            urgency = self.urgency(r)
            if column == "due_at" and urgency:
                return QBrush(OVERDUE_FG if urgency == "overdue" else DUE_SOON_FG)
            if column == "received_at" and r.received_at is None:
                return QBrush(MUTED)
            return None
        if role == Qt.ItemDataRole.FontRole:
            if column == "due_at" and self.urgency(r) == "overdue":
                font = QFont()
                font.setBold(True)
                return font
            if column == "received_at" and r.received_at is None:
                font = QFont()
                font.setItalic(True)
                return font
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("received_at", "due_at"):
            return int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        return None

    def _display(self, r: DossierRow, column: str) -> str:
        if column == "code":
            return r.code or "—"
        if column == "received_at":
            if r.received_at is None:
                return self.tr("not received") if r.status in (1, 3, 7) else ""
            return fmt_datetime(r.received_at)
        if column == "applicant_name":
            return r.applicant_name
        if column == "procedure":
            return r.procedure_name
        if column == "status":
            return Status(r.status).label
        if column == "due_at":
            return fmt_datetime(r.due_at)
        if column == "channel":
            return self.channel_label(r.channel)
        return ""

    def _tooltip(self, r: DossierRow, column: str) -> str | None:
        if column == "applicant_name":
            parts = [r.applicant_name]
            if r.applicant_id_number:
                parts.append(self.tr("ID number: {n}").format(n=r.applicant_id_number))
            if r.applicant_phone:
                parts.append(self.tr("Phone: {n}").format(n=r.applicant_phone))
            return "\n".join(parts)
        if column == "procedure":
            return f"{r.procedure_name}\n{r.field_name}"
        if column == "status":
            return Status(r.status).label
        if column == "received_at" and r.received_at is None and r.submitted_at is not None:
            return self.tr("Submitted {time}, not received").format(
                time=fmt_datetime(r.submitted_at))
        if column == "due_at":
            urgency = self.urgency(r)
            if urgency == "overdue":
                return self.tr("Overdue")
            if urgency == "soon":
                return self.tr("Due within {n} days").format(n=DUE_SOON_DAYS)
            if r.returned_at:
                return self.tr("Result returned {time}").format(time=fmt_datetime(r.returned_at))
            if r.finished_at:
                return self.tr("Processed {time}").format(time=fmt_datetime(r.finished_at))
        return None
