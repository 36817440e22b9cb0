"""Parts of the page workspace: the thumbnail strip, the page preview, the crop dialog."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListView,
    QPushButton,
    QRubberBand,
    QVBoxLayout,
    QWidget,
)

from desktop.scanning.pages import Crop
from desktop.ui.digitise.model import PAGE_MIME, THUMB_SIZE, PageListModel


def pil_to_qimage(img) -> QImage:  # noqa: ANN001 - a PIL image
    """A QImage with its own copy of the pixels (safe to make on any thread)."""
    if img.mode == "L":
        fmt, line = QImage.Format.Format_Grayscale8, img.width
    else:
        img = img.convert("RGB")
        fmt, line = QImage.Format.Format_RGB888, img.width * 3
    data = img.tobytes()
    return QImage(data, img.width, img.height, line, fmt).copy()


class PageStrip(QListView):
    """The thumbnails, in reading order; drag them to reorder.

    Moves are done here (not by the icon view's own free placement): the
    dragged pages go before the page under the drop point, or after it when
    dropped on its right half (PageListModel.move_ids → Workspace.reorder).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageStrip")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)  # the model's order is the layout
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setUniformItemSizes(True)
        self.setIconSize(QSize(THUMB_SIZE, THUMB_SIZE))
        self.setGridSize(QSize(THUMB_SIZE + 26, THUMB_SIZE + 34))
        self.setSpacing(4)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        # DragDrop (not InternalMove): image and PDF files dropped here are imported too
        # (PageListModel.files_dropped); a drag never removes pages (removeRows refuses).
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.empty_text = ""

    def drop_row(self, pos: QPoint) -> int:
        model = self.model()
        index = self.indexAt(pos)
        if not index.isValid():
            return model.rowCount() if model is not None else 0
        rect = self.visualRect(index)
        return index.row() + (1 if pos.x() > rect.center().x() else 0)

    def dropEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        model = self.model()
        # Our own type: pages of another dialog are unknown ids here, and move nothing.
        if isinstance(model, PageListModel) and event.mimeData().hasFormat(PAGE_MIME):
            ids = bytes(event.mimeData().data(PAGE_MIME).data()).decode().split("\n")
            model.move_ids([i for i in ids if i], self.drop_row(event.position().toPoint()))
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
            return
        super().dropEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().paintEvent(event)
        model = self.model()
        if self.empty_text and (model is None or model.rowCount() == 0):
            painter = QPainter(self.viewport())
            painter.setPen(QColor("#5f7178"))
            rect = self.viewport().rect().adjusted(24, 24, -24, -24)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.empty_text)
            painter.end()


class PagePreview(QWidget):
    """The selected page, as large as the space allows (aspect kept)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pagePreview")
        self.setMinimumSize(240, 300)
        self._pixmap: QPixmap | None = None
        self.empty_text = ""

    def set_image(self, image: QImage | None) -> None:
        self._pixmap = QPixmap.fromImage(image) if image is not None and not image.isNull() \
            else None
        self.update()

    def has_image(self) -> bool:
        return self._pixmap is not None

    def image_rect(self) -> QRect:
        if self._pixmap is None:
            return QRect()
        area = self.rect().adjusted(10, 10, -10, -10)
        size = self._pixmap.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x = area.x() + (area.width() - size.width()) // 2
        y = area.y() + (area.height() - size.height()) // 2
        return QRect(x, y, size.width(), size.height())

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#e9eef0"))
        if self._pixmap is None:
            painter.setPen(QColor("#5f7178"))
            painter.drawText(self.rect().adjusted(16, 16, -16, -16),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.empty_text)
            painter.end()
            return
        target = self.image_rect()
        painter.fillRect(target.translated(3, 3), QColor(0, 0, 0, 40))
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(target, self._pixmap)
        painter.setPen(QColor("#b9c7cc"))
        painter.drawRect(target.adjusted(0, 0, -1, -1))
        painter.end()


class _CropCanvas(PagePreview):
    """The page with a rubber band: press and drag to choose the part to keep."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.band = QRubberBand(QRubberBand.Shape.Rectangle, self)
        self._origin: QPoint | None = None
        self.crop: Crop | None = None
        self.setCursor(Qt.CursorShape.CrossCursor)

    def set_crop(self, crop: Crop | None) -> None:
        self.crop = crop
        self._place_band()
        self.changed.emit()

    def _place_band(self) -> None:
        target = self.image_rect()
        if self.crop is None or target.isNull():
            self.band.hide()
            return
        left, top, right, bottom = self.crop
        self.band.setGeometry(QRect(
            QPoint(target.x() + round(left * target.width()),
                   target.y() + round(top * target.height())),
            QPoint(target.x() + round(right * target.width()) - 1,
                   target.y() + round(bottom * target.height()) - 1)))
        self.band.show()

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().resizeEvent(event)
        self._place_band()

    def mousePressEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        if event.button() == Qt.MouseButton.LeftButton and self.image_rect().contains(
                event.position().toPoint()):
            self._origin = event.position().toPoint()
            self.band.setGeometry(QRect(self._origin, QSize()))
            self.band.show()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        if self._origin is not None:
            rect = QRect(self._origin, event.position().toPoint()).normalized()
            self.band.setGeometry(rect.intersected(self.image_rect()))

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        if self._origin is None:
            return
        self._origin = None
        self.select_rect(self.band.geometry())

    def select_rect(self, rect: QRect) -> None:
        """Choose the part inside `rect` (widget coordinates)."""
        target = self.image_rect()
        rect = rect.intersected(target)
        if rect.width() < 4 or rect.height() < 4 or target.isNull():
            self.set_crop(None)
            return
        w, h = target.width(), target.height()
        self.set_crop((
            max(0.0, (rect.left() - target.x()) / w),
            max(0.0, (rect.top() - target.y()) / h),
            min(1.0, (rect.right() + 1 - target.x()) / w),
            min(1.0, (rect.bottom() + 1 - target.y()) / h)))


class CropDialog(QDialog):
    """Keep only part of a page: the whole page is shown, the kept part is drawn with the mouse."""

    def __init__(self, image: QImage, crop: Crop | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Crop the page"))
        self.resize(640, 780)
        hint = QLabel(self.tr("Drag over the page to mark the part to keep. Everything outside "
                              "it is left out of the PDF."))
        hint.setWordWrap(True)
        hint.setObjectName("pageSubtitle")
        self.canvas = _CropCanvas()
        self.canvas.set_image(image)
        self.canvas.crop = crop
        self.whole_button = QPushButton(self.tr("Whole page"))
        self.whole_button.setToolTip(self.tr("Take the crop away: keep the whole page"))
        self.whole_button.clicked.connect(lambda: self.canvas.set_crop(None))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Crop"))
        self.buttons.addButton(self.whole_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(hint)
        lay.addWidget(self.canvas, 1)
        lay.addWidget(self.buttons)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().showEvent(event)
        self.canvas._place_band()

    def crop(self) -> Crop | None:
        return self.canvas.crop
