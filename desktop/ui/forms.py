"""A form layout whose fields show their own Vietnamese error messages."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget


class ValidatedForm(QFormLayout):
    """QFormLayout that keeps an error label under each field.

    `show_errors({"field": "message"})` marks the fields and shows the
    messages; the typed values stay as they are.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.setVerticalSpacing(6)
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}

    def add(self, name: str, label: str, widget: QWidget) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(widget)
        error = QLabel()
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        lay.addWidget(error)
        self.addRow(label, box)
        self._fields[name] = (widget, error)
        return widget

    def field(self, name: str) -> QWidget:
        return self._fields[name][0]

    def error_text(self, name: str) -> str:
        label = self._fields[name][1]
        return label.text() if label.isVisible() or not label.isHidden() else ""

    def clear_errors(self) -> None:
        for widget, error in self._fields.values():
            error.clear()
            error.setMinimumHeight(0)
            error.hide()
            widget.setProperty("invalid", False)
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def show_errors(self, errors: dict[str, str]) -> list[str]:
        """Show each message under its field; return the messages no field took."""
        self.clear_errors()
        unplaced: list[str] = []
        first: QWidget | None = None
        for name, message in errors.items():
            if name not in self._fields:
                unplaced.append(message)
                continue
            widget, error = self._fields[name]
            error.setText(message)
            error.show()
            # QFormLayout does not ask wrapped labels for their height: give it.
            error.setMinimumHeight(error.heightForWidth(max(widget.width(), 240)))
            widget.setProperty("invalid", True)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
            first = first or widget
        if first is not None:
            first.setFocus()
            window = first.window()
            if isinstance(window, QDialog):
                window.adjustSize()
        return unplaced


def save_cancel_buttons(dialog: QDialog, on_save) -> QDialogButtonBox:  # noqa: ANN001
    """The Save / Cancel row of an editing dialog, in Vietnamese; Cancel rejects."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Save).setText(
        QCoreApplication.translate("Dialogs", "Save"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
        QCoreApplication.translate("Dialogs", "Cancel"))
    buttons.accepted.connect(on_save)
    buttons.rejected.connect(dialog.reject)
    return buttons


def error_label() -> QLabel:
    """The hidden, word-wrapped red line under a form or list that says what went wrong."""
    label = QLabel()
    label.setObjectName("formError")
    label.setWordWrap(True)
    label.hide()
    return label
