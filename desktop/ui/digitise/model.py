"""The list model over a Workspace's pages, with thumbnails drawn off the UI thread.

Rows are the workspace's pages in order (by id). A thumbnail is the page as
it will look in the PDF (turns, straightening, crop, colour mode): the
Workspace renders it as a PNG (`thumbnail_png`, cached per page state) on the
model's own single worker thread, and the decoded image is cached here by
the same state key. Until the new one arrives after an edit, the previous
picture of that page is shown.

Drag to reorder: the view (a QListView in InternalMove mode) calls
`moveRows`, which moves the page in the workspace too. File URLs dropped on
the view come out as `files_dropped(paths)`.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap

from desktop.scanning.pages import Page, Workspace
from desktop.ui.digitise.jobs import post_weak

THUMB_SIZE = 150
PAGE_MIME = "application/x-motcua-page-ids"
PageIdRole = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


def page_key(page: Page, size: int = THUMB_SIZE) -> tuple:
    return (page.id, page.rotation, page.skew, page.crop, page.mode, size)


def placeholder(size: int = THUMB_SIZE) -> QPixmap:
    """A light sheet shown while a page's picture is being drawn."""
    pix = QPixmap(round(size * 0.707), size)
    pix.fill(QColor("#ffffff"))
    painter = QPainter(pix)
    painter.setPen(QColor("#cfd8dc"))
    painter.drawRect(0, 0, pix.width() - 1, pix.height() - 1)
    painter.end()
    return pix


def _icon(pix: QPixmap) -> QIcon:
    """The page as it is, also when selected (the view would tint a plain pixmap)."""
    icon = QIcon()
    for mode in (QIcon.Mode.Normal, QIcon.Mode.Selected, QIcon.Mode.Active):
        icon.addPixmap(pix, mode)
    return icon


class PageListModel(QAbstractListModel):
    files_dropped = Signal(list)
    thumbnail_ready = Signal(str)  # page id

    def __init__(self, ws: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ids: list[str] = []
        self._pages: dict[str, Page] = {}
        self._images: dict[tuple, QIcon] = {}
        self._latest: dict[str, QIcon] = {}  # the last picture of each page, any state
        self._pending: set[tuple] = set()
        self._executor: ThreadPoolExecutor | None = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="thumbnails")
        self._placeholder = _icon(placeholder())

    # ------------------------------------------------------------------ reading

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.ids)

    def page_at(self, row: int) -> Page | None:
        if 0 <= row < len(self.ids):
            return self._pages.get(self.ids[row])
        return None

    def row_of(self, page_id: str) -> int:
        try:
            return self.ids.index(page_id)
        except ValueError:
            return -1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        page = self.page_at(index.row()) if index.isValid() else None
        if page is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return str(index.row() + 1)
        if role == Qt.ItemDataRole.DecorationRole:
            key = page_key(page)
            icon = self._images.get(key)
            if icon is None:
                self._request(page)
                icon = self._latest.get(page.id, self._placeholder)
            return icon
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index.row(), page)
        if role == PageIdRole:
            return page.id
        if role == Qt.ItemDataRole.SizeHintRole:
            return QSize(THUMB_SIZE + 24, THUMB_SIZE + 30)
        return None

    def _tooltip(self, row: int, page: Page) -> str:
        parts = [self.tr("Page {n}").format(n=row + 1)]
        if page.kind == "pdf":
            parts.append(self.tr("from a PDF file, page {n}").format(n=page.index + 1))
        if page.rotation:
            parts.append(self.tr("turned {deg}°").format(deg=page.rotation))
        if abs(page.skew) >= 0.01:
            parts.append(self.tr("straightened {deg}°").format(deg=f"{page.skew:+.1f}"))
        if page.crop:
            parts.append(self.tr("cropped"))
        return ", ".join(parts)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return Qt.ItemFlag.ItemIsDropEnabled

    # ---------------------------------------------------------------- syncing

    def sync(self) -> None:
        """Follow the workspace after pages were added (a capture) or put back (undo)."""
        pages = self.ws.pages
        ids = [p.id for p in pages]
        self._pages = {p.id: p for p in pages}
        if ids == self.ids:
            self._changed_all()
            return
        if ids[:len(self.ids)] == self.ids:
            self.beginInsertRows(QModelIndex(), len(self.ids), len(ids) - 1)
            self.ids = ids
            self.endInsertRows()
            return
        self.beginResetModel()
        self.ids = ids
        self.endResetModel()

    def refresh_page(self, page_id: str) -> None:
        """One page was edited (turned, cropped, straightened): draw it again."""
        row = self.row_of(page_id)
        if row < 0:
            return
        self._pages[page_id] = self.ws.page(page_id)
        index = self.index(row, 0)
        self.dataChanged.emit(index, index)

    def _changed_all(self) -> None:
        if self.ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, 0))

    def remove_ids(self, page_ids: Iterable[str]) -> list[tuple[int, Page]]:
        """Delete pages from the workspace; returns (row, page) of each, for undo."""
        removed = []
        for pid in page_ids:
            row = self.row_of(pid)
            if row < 0:
                continue
            self.beginRemoveRows(QModelIndex(), row, row)
            page = self.ws.delete(pid)
            del self.ids[row]
            self._pages.pop(pid, None)
            self.endRemoveRows()
            removed.append((row, page))
        return removed

    # ------------------------------------------------------------- reordering

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [PAGE_MIME, "text/uri-list"]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # noqa: N802
        mime = QMimeData()
        ids = [self.ids[i.row()] for i in sorted(indexes, key=lambda i: i.row())
               if 0 <= i.row() < len(self.ids)]
        mime.setData(PAGE_MIME, QByteArray("\n".join(ids).encode()))
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                        column: int, parent: Index) -> bool:
        return data.hasFormat(PAGE_MIME) or data.hasUrls()

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                     column: int, parent: Index) -> bool:
        if data.hasUrls() and not data.hasFormat(PAGE_MIME):
            paths = [Path(u.toLocalFile()) for u in data.urls() if u.isLocalFile()]
            if paths:
                self.files_dropped.emit(paths)
            return False  # nothing to remove at the source
        return False  # moves go through moveRows (QListView in InternalMove mode)

    def moveRows(self, source_parent: Index, source_row: int, count: int,  # noqa: N802
                 destination_parent: Index, destination_child: int) -> bool:
        if source_parent.isValid() or destination_parent.isValid() or count < 1:
            return False
        last = source_row + count - 1
        if source_row < 0 or last >= len(self.ids):
            return False
        if source_row <= destination_child <= last + 1:
            return False  # onto itself
        if not self.beginMoveRows(QModelIndex(), source_row, last, QModelIndex(),
                                  destination_child):
            return False
        moving = self.ids[source_row:last + 1]
        rest = self.ids[:source_row] + self.ids[last + 1:]
        at = destination_child if destination_child < source_row else destination_child - count
        self.ids = rest[:at] + moving + rest[at:]
        self.ws.reorder(self.ids)
        self.endMoveRows()
        return True

    def removeRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return False  # a drag never removes pages; deleting goes through remove_ids

    def move_ids(self, page_ids: list[str], to_row: int) -> bool:
        """Put these pages (in their current order) before the page now at `to_row`."""
        moving = [pid for pid in self.ids if pid in set(page_ids)]
        if not moving:
            return False
        before = [pid for pid in self.ids[:max(0, to_row)] if pid not in moving]
        after = [pid for pid in self.ids[max(0, to_row):] if pid not in moving]
        new_ids = before + moving + after
        if new_ids == self.ids:
            return False
        self.layoutAboutToBeChanged.emit()
        old_ids = self.ids
        new_rows = {pid: r for r, pid in enumerate(new_ids)}
        persistent = self.persistentIndexList()
        self.ids = new_ids
        self.ws.reorder(self.ids)
        for old in persistent:
            if 0 <= old.row() < len(old_ids):
                self.changePersistentIndex(old, self.index(new_rows[old_ids[old.row()]], 0))
        self.layoutChanged.emit()
        return True

    def move_page(self, row: int, to_row: int) -> bool:
        """Move one page so that it ends up at `to_row` (keyboard moves, tests)."""
        if not (0 <= row < len(self.ids)) or not (0 <= to_row < len(self.ids)) or row == to_row:
            return False
        dest = to_row + 1 if to_row > row else to_row
        return self.moveRows(QModelIndex(), row, 1, QModelIndex(), dest)

    # ------------------------------------------------------------- thumbnails

    def _request(self, page: Page) -> None:
        key = page_key(page)
        if key in self._pending or self._executor is None:
            return
        self._pending.add(key)
        ws, me = self.ws, weakref.ref(self)

        def work() -> None:
            try:
                data = ws.thumbnail_png(page.id, THUMB_SIZE)
            except Exception:  # noqa: BLE001 - a page deleted meanwhile, an unreadable file
                data = b""
            image = QImage.fromData(data, "PNG") if data else QImage()
            post_weak(me, "_thumbnail_done", (key, image))

        try:
            self._executor.submit(work)
        except RuntimeError:  # shut down meanwhile
            self._pending.discard(key)

    def _thumbnail_done(self, result: tuple[tuple, QImage]) -> None:
        key, image = result
        self._pending.discard(key)
        if image.isNull():
            return
        icon = _icon(QPixmap.fromImage(image))
        self._images[key] = icon
        page_id = key[0]
        self._latest[page_id] = icon
        if len(self._images) > 400:
            for old in list(self._images)[:100]:
                del self._images[old]
        row = self.row_of(page_id)
        if row >= 0:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])
        self.thumbnail_ready.emit(page_id)

    def thumbnails_pending(self) -> int:
        return len(self._pending)

    def detach_executor(self) -> ThreadPoolExecutor | None:
        """Stop asking for pictures; the caller shuts the returned pool down (off the UI thread)."""
        executor, self._executor = self._executor, None
        return executor

    def shutdown(self, *, wait: bool = False) -> None:
        """Stop drawing (pending pictures are dropped)."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=wait, cancel_futures=True)
