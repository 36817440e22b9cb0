"""Print preview of a form, with printing and export to PDF (one renderer: forms.render).

`open_dossier_slip`, `open_apology_slip` and `open_control_slip` read a form's
data on the TaskRunner's reader pool and build the preview on the UI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forms import render


class PrintPreviewDialog(QDialog):
    """Shows the form as it will print. Ctrl+P prints, Ctrl+E exports a PDF, Esc closes."""

    def __init__(self, data: object, title: str, pdf_name: str, *, pdf_dir: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.pdf_name = pdf_name
        self.pdf_dir = pdf_dir or Path.home()
        self.exported: Path | None = None
        self.setWindowTitle(title)
        self.resize(900, 1000)
        self.document = render.build_document(data)
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        render.apply_page_layout(self.printer, data)  # A4 in the form's orientation and margins
        self.preview = QPrintPreviewWidget(self.printer, self)
        self.preview.paintRequested.connect(lambda printer: render.print_to(self.document, printer))
        self.preview.setZoomMode(QPrintPreviewWidget.ZoomMode.FitToWidth)

        bar = QHBoxLayout()
        self.print_button = QPushButton(self.tr("Print (Ctrl+P)"))
        self.print_button.setObjectName("primary")
        self.print_button.clicked.connect(self.print_now)
        self.pdf_button = QPushButton(self.tr("Export PDF… (Ctrl+E)"))
        self.pdf_button.clicked.connect(self.export_pdf)
        close = QPushButton(self.tr("Close (Esc)"))
        close.clicked.connect(self.reject)
        self.message = QLabel()
        self.message.setObjectName("pageSubtitle")
        bar.addWidget(self.print_button)
        bar.addWidget(self.pdf_button)
        bar.addWidget(self.message, 1)
        bar.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.preview, 1)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_now)
        QShortcut(QKeySequence("Ctrl+E"), self, activated=self.export_pdf)
        self.print_button.setFocus()

    def print_now(self) -> None:
        dialog = QPrintDialog(self.printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            render.print_to(self.document, self.printer)
            self.message.setText(self.tr("Sent to the printer."))

    def export_pdf(self, path: Path | None = None) -> Path | None:
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export PDF"), str(self.pdf_dir / self.pdf_name),
                self.tr("PDF files (*.pdf)"))
            if not chosen:
                return None
            path = Path(chosen)
        try:
            render.write_pdf(self.data, path)
        except OSError as exc:
            self.message.setText(self.tr("Could not write the PDF: {error}").format(
                error=exc.strerror or exc))
            return None
        self.exported = path
        self.message.setText(self.tr("Saved: {path}").format(path=path))
        return path


def open_dossier_slip(ctx, dossier_id: int, parent: QWidget,  # noqa: ANN001 - a UiContext
                      on_open=None, on_error=None) -> None:  # noqa: ANN001
    """Reprint a dossier's slip at any time: its receipt (Mẫu 01), or its refusal (Mẫu 03)."""
    from desktop.services import reception
    from forms.context import RefusalData

    store, name = ctx.store, ctx.actor.name

    def work():  # noqa: ANN202
        with store.reading() as session:
            return reception.slip_for(session, dossier_id, name)

    def done(data) -> None:  # noqa: ANN001
        if isinstance(data, RefusalData):
            title = QCoreApplication.translate("PrintPreviewDialog", "Refusal slip — {code}").format(
                code=data.dossier_code)
            pdf = f"tu-choi-{data.dossier_code}.pdf"
        else:
            title = QCoreApplication.translate(
                "PrintPreviewDialog", "Receipt and appointment — {code}").format(code=data.dossier_code)
            pdf = f"bien-nhan-{data.dossier_code}.pdf"
        _show_preview(data, title, pdf, parent, on_open)

    ctx.runner.submit(work, done, on_error, owner=parent)


def _show_preview(data: object, title: str, pdf_name: str, parent: QWidget,
                  on_open=None) -> PrintPreviewDialog:  # noqa: ANN001
    """Open the preview of ``data`` over ``parent`` (on the UI thread); deleted when closed."""
    dialog = PrintPreviewDialog(data, title, pdf_name, parent=parent)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    if on_open is not None:
        on_open(dialog)
    return dialog


def open_apology_slip(ctx, dossier_id: int, parent: QWidget,  # noqa: ANN001 - a UiContext
                      on_open=None, on_error=None) -> None:  # noqa: ANN001
    """Print the dossier's latest approved apology (Mẫu 04); ``on_error`` gets a
    ValidationError (``message_vi``) when no apology of it was approved."""
    from desktop.services import processing
    from desktop.services.validation import ValidationError

    store = ctx.store

    def work():  # noqa: ANN202
        with store.reading() as session:
            approved = [a.id for a in processing.apologies_of(session, dossier_id)
                        if a.state == "approved"]
            if not approved:
                raise ValidationError({"apology": QCoreApplication.translate(
                    "PrintPreviewDialog", "This dossier has no apology approved by a leader.")})
            return processing.apology_data(session, approved[-1])

    def done(data) -> None:  # noqa: ANN001
        title = QCoreApplication.translate(
            "PrintPreviewDialog", "Apology and new appointment — {code}").format(
            code=data.dossier_code)
        _show_preview(data, title, f"xin-loi-{data.dossier_code}.pdf", parent, on_open)

    ctx.runner.submit(work, done, on_error, owner=parent)


def open_control_slip(ctx, dossier_id: int, parent: QWidget,  # noqa: ANN001 - a UiContext
                      on_open=None, on_error=None) -> None:  # noqa: ANN001
    """Print the control slip (Mẫu 05) of any received dossier, with its hand-overs so far."""
    from desktop.services import slips

    store = ctx.store

    def work():  # noqa: ANN202
        with store.reading() as session:
            return slips.control_slip_data(session, dossier_id)

    def done(data) -> None:  # noqa: ANN001
        title = QCoreApplication.translate(
            "PrintPreviewDialog", "Control slip — {code}").format(code=data.dossier_code)
        _show_preview(data, title, f"kiem-soat-{data.dossier_code}.pdf", parent, on_open)

    ctx.runner.submit(work, done, on_error, owner=parent)
