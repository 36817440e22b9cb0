"""The reminder banner at the top of the main window's content."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.reminders import Reminder


class ReminderBanner(QFrame):
    """Red when something is overdue, amber when something is due soon; hidden otherwise.

    The colours come from the theme (``#reminderBanner[level="…"]``).
    """

    view_requested = Signal()
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminderBanner")
        self.setProperty("level", "")
        self.message = QLabel()
        self.message.setObjectName("reminderMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.detail = QLabel()
        self.detail.setObjectName("reminderDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.message)
        texts.addWidget(self.detail)
        self.view_button = QPushButton(self.tr("View"))
        self.view_button.setObjectName("reminderView")
        self.view_button.setToolTip(self.tr("Go to Processing, where your dossiers are listed "
                                            "with the most urgent first"))
        self.view_button.clicked.connect(self.view_requested.emit)
        self.close_button = QToolButton()
        self.close_button.setObjectName("reminderClose")
        self.close_button.setText("✕")
        self.close_button.setToolTip(self.tr("Hide this reminder until something changes"))
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.dismissed.emit)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(16, 8, 10, 8)
        lay.setSpacing(12)
        lay.addLayout(texts, 1)
        lay.addWidget(self.view_button, 0, Qt.AlignmentFlag.AlignVCenter)
        lay.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    @property
    def level(self) -> str:
        return str(self.property("level") or "")

    def show_reminder(self, reminder: Reminder) -> None:
        """Show the reminder's sentence and its most urgent dossier, in its colour."""
        self.message.setText(reminder.message_vi)
        lines = reminder.lines_vi()
        self.detail.setText(self.tr("Most urgent: {dossier}").format(dossier=lines[0])
                            if lines else "")
        self.detail.setVisible(bool(lines))
        self.setToolTip("\n".join(lines))
        if self.level != reminder.level:
            self.setProperty("level", reminder.level)
            for widget in (self, self.message, self.detail):
                widget.style().unpolish(widget)
                widget.style().polish(widget)
        self.show()
