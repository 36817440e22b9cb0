"""A table model read in keyset pages off the UI thread, never all rows at once.

The dossier list and the audit log both show tables of up to millions of rows.
Each query (filter, sort) gets a fresh token, a `PageQuery`; pages run on the
TaskRunner's reader pool and come back on the UI thread, where a page whose
token is no longer the current one is dropped. Setting the old token's
`cancelled` lets a service that polls it stop its SQL at once. The view asks for
the next page as it scrolls (canFetchMore / fetchMore).

A subclass names its columns (`COLUMNS`: key, header source text), reads a page
(`read_page`), gives the key after a row (`key_after`) and the officer's text for
a failure (`failure_text`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView
from sqlalchemy.orm import Session

from desktop.ui.context import UiContext

log = logging.getLogger(__name__)
ROOT = QModelIndex()


@dataclass
class PageQuery:
    """One query's token (subclasses add what the query is)."""

    cancelled: bool = False


class KeysetTableModel(QAbstractTableModel):
    """Rows with an ``id``, read page by page as the view scrolls."""

    COLUMNS: tuple[tuple[str, str], ...] = ()

    loading_changed = Signal(bool)
    #: A page failed: the message for the officer (Vietnamese from the service, or ours).
    failed = Signal(str)
    #: The first page of a new query arrived (rows may be 0).
    first_page_loaded = Signal()
    #: Rows were added (a page arrived): the number of rows and whether more may follow.
    rows_changed = Signal(int, bool)

    def __init__(self, ctx: UiContext, query: PageQuery, page_size: int,
                 parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.page_size = page_size
        self.rows: list[Any] = []
        self._query = query
        self._exhausted = True
        self._loading = False
        self.pages_loaded = 0

    # ------------------------------------------------------------- subclasses

    def read_page(self, session: Session, query: Any, after: Any, limit: int) -> Sequence[Any]:
        raise NotImplementedError

    def key_after(self, row: Any, query: Any) -> Any:
        raise NotImplementedError

    def failure_text(self, exc: BaseException) -> str:
        raise NotImplementedError

    def is_quiet_failure(self, exc: BaseException) -> bool:
        """A failure that is no failure (the query was cancelled on purpose)."""
        return False

    def _after_restart(self) -> None:
        """Called once a new query's first page was asked for."""

    # ---------------------------------------------------------------- queries

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    def _restart(self, query: PageQuery) -> None:
        """Start over with this query: the old one is cancelled, the first page read."""
        self._query.cancelled = True
        self._query = query
        self.beginResetModel()
        self.rows = []
        self.pages_loaded = 0
        self._exhausted = False
        self._loading = False
        self.endResetModel()
        self._load_page()
        self._after_restart()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> bool:
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> None:
        if self.canFetchMore(parent):
            self._load_page()

    def _load_page(self) -> None:
        query = self._query
        after = self.key_after(self.rows[-1], query) if self.rows else None
        store, limit = self.ctx.store, self.page_size

        def work() -> Sequence[Any]:
            with store.reading() as session:
                return self.read_page(session, query, after, limit)

        self._set_loading(True)
        self.ctx.runner.submit(work, lambda rows: self._page_arrived(query, rows),
                               lambda exc: self._page_failed(query, exc), owner=self)

    def _page_arrived(self, query: PageQuery, rows: Sequence[Any]) -> None:
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
        self.rows_changed.emit(len(self.rows), not self._exhausted)
        if first:
            self.first_page_loaded.emit()

    def _page_failed(self, query: PageQuery, exc: BaseException) -> None:
        if query is not self._query or self.is_quiet_failure(exc):
            return
        message = getattr(exc, "message_vi", None)
        if message is None:  # not a message for the officer: the log gets the details
            log.error("%s: a page failed", type(self).__name__, exc_info=exc)
        self._exhausted = True
        self._set_loading(False)
        self.rows_changed.emit(len(self.rows), False)
        self.failed.emit(message or self.failure_text(exc))

    def _set_loading(self, on: bool) -> None:
        if on != self._loading:
            self._loading = on
            self.loading_changed.emit(on)

    # ---------------------------------------------------------------- Qt model

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.header_text(section)
        return None

    def header_text(self, section: int) -> str:
        return self.COLUMNS[section][1]

    def row_at(self, row: int) -> Any:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, row_id: int) -> int:
        for i, r in enumerate(self.rows):
            if r.id == row_id:
                return i
        return -1


def row_table(model: KeysetTableModel, object_name: str,
              widths: dict[str, int]) -> QTableView:
    """The view of such a model: whole rows, one at a time, read-only, fixed row height
    (fast with long lists), columns at ``widths`` (by key) and resizable."""
    table = QTableView()
    table.setObjectName(object_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.setShowGrid(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
    vheader = table.verticalHeader()
    vheader.hide()
    vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vheader.setDefaultSectionSize(28)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setHighlightSections(False)
    for i, (column, _) in enumerate(model.COLUMNS):
        table.setColumnWidth(i, widths[column])
    return table
