"""The dossier list's table model: keyset pages of `services.dossier_query`
(desktop.ui.paged_model), plus the count of matches, read apart and capped.

The query token's `cancelled` flag interrupts the SQL of pages and counts
(dossier_query polls it), so an abandoned search stops using the disk at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from sqlalchemy.orm import Session

from desktop.domain.status import Status
from desktop.services import dossier_query as dq
from desktop.services.dossier_query import DossierFilter, DossierRow, SortKey
from desktop.ui.context import UiContext
from desktop.ui.paged_model import KeysetTableModel, PageQuery

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


def fmt_datetime(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def fmt_date(value) -> str:  # noqa: ANN001 - date | None
    return value.strftime("%d/%m/%Y") if value else ""


def fmt_count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@dataclass
class _Query(PageQuery):
    flt: DossierFilter = field(default_factory=DossierFilter)
    sort: SortKey = DEFAULT_SORT
    now: datetime = field(default_factory=datetime.now)


class DossierListModel(KeysetTableModel):
    """Rows of the dossier list; more pages are read as the view scrolls (fetchMore)."""

    COLUMNS = COLUMNS
    #: (count, more): `count` dossiers match, or more than `count` when `more`.
    count_changed = Signal(int, bool)

    def __init__(self, ctx: UiContext, parent=None) -> None:  # noqa: ANN001
        super().__init__(ctx, _Query(), dq.PAGE_SIZE, parent)
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

    def set_query(self, flt: DossierFilter | None = None, sort: SortKey | None = None) -> None:
        """Start over with this filter and sort (None: keep); reads the first page."""
        self._restart(_Query(flt=flt if flt is not None else self._query.flt,
                             sort=sort if sort is not None else self._query.sort,
                             now=datetime.now().replace(microsecond=0)))

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

    def read_page(self, session: Session, query: _Query, after: object,
                  limit: int) -> list[DossierRow]:
        return dq.page(session, query.flt, query.sort, query.now, after=after, limit=limit,
                       cancelled=lambda: query.cancelled)

    def key_after(self, row: DossierRow, query: _Query) -> object:
        return dq.key_of(row, query.sort)

    def is_quiet_failure(self, exc: BaseException) -> bool:
        return isinstance(exc, dq.QueryCancelled)

    def failure_text(self, exc: BaseException) -> str:
        return self.tr("The dossiers could not be read: {error}").format(error=exc)

    def _after_restart(self) -> None:
        self.total, self.total_is_more = None, False
        self.count_changed.emit(-1, False)
        self._load_count()

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
