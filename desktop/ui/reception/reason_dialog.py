"""Ask for the mandatory reason of a refusal."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.services.reception import MIN_REASON


class ReasonDialog(QDialog):
    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        lay = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        lay.addWidget(label)
        self.edit = QPlainTextEdit()
        self.edit.setPlaceholderText(self.tr("e.g. The request is not within the commune's authority"))
        self.edit.setTabChangesFocus(True)
        lay.addWidget(self.edit)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.hide()
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Refuse and print slip"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.edit.setFocus()

    def reason(self) -> str:
        return " ".join(self.edit.toPlainText().split())

    def _accept(self) -> None:
        if len(self.reason()) < MIN_REASON:
            self.error.setText(self.tr(
                "Write the reason in full (at least {n} characters): the citizen has the right "
                "to know why."
            ).format(n=MIN_REASON))
            self.error.show()
            self.edit.setFocus()
            return
        self.accept()
