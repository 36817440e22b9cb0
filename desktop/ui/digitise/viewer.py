"""The PDF viewer of digitised papers (QtPdf): pages, navigation, zoom.

`PdfViewer` shows one PDF file: previous / next page and a page box, zoom
out / in, fit the width, fit the whole page (Ctrl+-, Ctrl++, Ctrl+0). The
`PdfViewerDialog` opens an attachment: its file is located and checked
against its hash on the reader pool (services.digitisation.attachment_path);
a missing or changed file (FileMissing, FileCorrupt) is said in Vietnamese
instead of a page.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.context import UiContext

ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)


class PdfViewer(QWidget):
    """One PDF file with page navigation and zoom."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)

        self.prev_button = QPushButton(self.tr("Previous"))
        self.prev_button.setToolTip(self.tr("Previous page (Page Up)"))
        self.next_button = QPushButton(self.tr("Next"))
        self.next_button.setToolTip(self.tr("Next page (Page Down)"))
        self.page_spin = QSpinBox()
        self.page_spin.setRange(1, 1)
        self.page_spin.setKeyboardTracking(False)
        self.of_label = QLabel()
        self.zoom_out_button = QPushButton("−")
        self.zoom_out_button.setToolTip(self.tr("Zoom out (Ctrl+-)"))
        self.zoom_in_button = QPushButton("+")
        self.zoom_in_button.setToolTip(self.tr("Zoom in (Ctrl++)"))
        for b in (self.zoom_out_button, self.zoom_in_button):
            b.setFixedWidth(36)
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(44)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fit_width_button = QPushButton(self.tr("Fit width"))
        self.fit_width_button.setToolTip(self.tr("Pages as wide as the window (Ctrl+0)"))
        self.fit_page_button = QPushButton(self.tr("Whole page"))
        self.fit_page_button.setToolTip(self.tr("A whole page in the window"))
        self.fit_width_button.setCheckable(True)
        self.fit_page_button.setCheckable(True)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.prev_button)
        bar.addWidget(QLabel(self.tr("Page")))
        bar.addWidget(self.page_spin)
        bar.addWidget(self.of_label)
        bar.addWidget(self.next_button)
        bar.addStretch(1)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_label)
        bar.addWidget(self.zoom_in_button)
        bar.addWidget(self.fit_width_button)
        bar.addWidget(self.fit_page_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.view, 1)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)

        nav = self.view.pageNavigator()
        nav.currentPageChanged.connect(self._page_changed)
        self.page_spin.valueChanged.connect(lambda n: self.go_to(n - 1))
        self.prev_button.clicked.connect(lambda: self.go_to(self.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.current_page() + 1))
        self.zoom_in_button.clicked.connect(lambda: self.zoom(1))
        self.zoom_out_button.clicked.connect(lambda: self.zoom(-1))
        self.fit_width_button.clicked.connect(
            lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        self.fit_page_button.clicked.connect(
            lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        self.view.zoomFactorChanged.connect(lambda _f: self._show_zoom())
        self.view.zoomModeChanged.connect(lambda _m: self._show_zoom())
        self.document.pageCountChanged.connect(lambda _n: self._count_changed())
        for keys, slot in (((QKeySequence.StandardKey.ZoomIn, "Ctrl+="), lambda: self.zoom(1)),
                           ((QKeySequence.StandardKey.ZoomOut,), lambda: self.zoom(-1)),
                           (("Ctrl+0",), lambda: self.view.setZoomMode(
                               QPdfView.ZoomMode.FitToWidth))):
            for key in keys:
                QShortcut(QKeySequence(key), self, activated=slot,
                          context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._count_changed()

    # ------------------------------------------------------------------ API

    def open_file(self, path: Path | str) -> bool:
        """Show this PDF; False when QtPdf cannot read it."""
        error = self.document.load(str(path))
        self._count_changed()
        return error == QPdfDocument.Error.None_

    def page_count(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to(self, page: int) -> None:
        count = self.page_count()
        if count <= 0:
            return
        page = max(0, min(page, count - 1))
        if page != self.current_page():
            self.view.pageNavigator().jump(page, QPointF(), self.view.pageNavigator().currentZoom())

    def zoom(self, step: int) -> None:
        factor = self.view.zoomFactor()
        if step > 0:
            bigger = [z for z in ZOOM_STEPS if z > factor + 0.01]
            factor = bigger[0] if bigger else ZOOM_STEPS[-1]
        else:
            smaller = [z for z in ZOOM_STEPS if z < factor - 0.01]
            factor = smaller[-1] if smaller else ZOOM_STEPS[0]
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(factor)

    # ------------------------------------------------------------ internals

    def _count_changed(self) -> None:
        if not shiboken6.isValid(self.document) or not shiboken6.isValid(self.page_spin):
            return  # the document closing as the widget is destroyed
        count = self.page_count()
        self.page_spin.blockSignals(True)
        self.page_spin.setRange(1, max(count, 1))
        self.page_spin.blockSignals(False)
        self.of_label.setText(self.tr("of {n}").format(n=count))
        self._page_changed(self.current_page())
        self._show_zoom()

    def _page_changed(self, page: int) -> None:
        count = self.page_count()
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(page + 1)
        self.page_spin.blockSignals(False)
        self.prev_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < count - 1)

    def _show_zoom(self) -> None:
        mode = self.view.zoomMode()
        self.fit_width_button.setChecked(mode == QPdfView.ZoomMode.FitToWidth)
        self.fit_page_button.setChecked(mode == QPdfView.ZoomMode.FitInView)
        custom = mode == QPdfView.ZoomMode.Custom
        self.zoom_label.setText(f"{self.view.zoomFactor():.0%}" if custom else "")


class PdfViewerDialog(QDialog):
    """A digitised paper of a dossier, opened from its attachment id."""

    def __init__(self, ctx: UiContext, attachment_id: int, *, title: str = "",
                 subtitle: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.attachment_id = attachment_id
        self.setObjectName("pdfViewerDialog")
        self.setWindowTitle(self.tr("View — {name}").format(name=title) if title
                            else self.tr("View digitised paper"))
        self.resize(900, 960)
        heading = QLabel(title)
        heading.setObjectName("digitiseHeading")
        heading.setWordWrap(True)
        self.subtitle = QLabel(subtitle)
        self.subtitle.setObjectName("pageSubtitle")
        self.subtitle.setVisible(bool(subtitle))
        self.viewer = PdfViewer()
        self.message = QLabel(self.tr("Opening…"))
        self.message.setObjectName("pageSubtitle")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message_page = QWidget()
        message_lay = QVBoxLayout(self.message_page)
        message_lay.setContentsMargins(0, 24, 0, 0)
        message_lay.addWidget(self.message)
        message_lay.addStretch(1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message_page)
        self.stack.addWidget(self.viewer)
        close = QPushButton(self.tr("Close"))
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addWidget(heading)
        lay.addWidget(self.subtitle)
        lay.addWidget(self.stack, 1)
        lay.addLayout(bottom)
        self.error: str | None = None
        self.path: Path | None = None
        self._load()

    def _load(self) -> None:
        from desktop.services import digitisation

        store, attachment_id = self.ctx.store, self.attachment_id
        self.ctx.runner.submit(lambda: digitisation.attachment_path(store, attachment_id),
                               self._opened, self._failed, owner=self)

    def _opened(self, path: Path) -> None:
        self.path = path
        if self.viewer.open_file(path):
            self.stack.setCurrentWidget(self.viewer)
            self.viewer.view.setFocus()
        else:
            self._show_error(self.tr("This file cannot be shown: it is not a readable PDF."))

    def _failed(self, exc: BaseException) -> None:
        self._show_error(getattr(exc, "message_vi", None) or str(exc))

    def _show_error(self, message: str) -> None:
        self.error = message
        self.message.setObjectName("formError")
        self.message.setText(message)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.stack.setCurrentWidget(self.message_page)

    def done(self, result: int) -> None:  # noqa: D401 - Qt API
        self.viewer.document.close()
        super().done(result)
